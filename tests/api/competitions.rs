//! Competitions: the lifecycle and its guarded transitions, joining with fees under concurrency,
//! the quiz without answer leaks, scoring, judged results, finalization exactly once, and the
//! scheduler.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, assert_ledger_clean, award, balance, spawn_app_with, TestApp, TestUser,
};

/// An app whose scheduler is off: these tests move the clock themselves and must not race it.
pub async fn spawn() -> TestApp {
    spawn_app_with(|s| s.scheduler_interval_ms = 0).await
}

/// A timestamp literal both backends read; on SQLite it is the exact text format the
/// application writes (RFC 3339, microseconds, `+00:00`).
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

pub fn in_secs(secs: i64) -> String {
    (Utc::now() + chrono::Duration::seconds(secs)).to_rfc3339()
}

pub fn quiz(title: &str) -> Value {
    json!({
        "title": title,
        "description": "أسئلة في الثقافة العامة",
        "kind": "quiz",
        "starts_at": in_secs(3600),
        "ends_at": in_secs(7200),
        "entry_fee": 0,
        "participation_points": 0,
        "prizes": []
    })
}

pub async fn json_of(res: Response) -> Value {
    res.json().await.unwrap()
}

pub async fn create(app: &TestApp, admin: &TestUser, body: Value) -> i64 {
    let res = app
        .post("/api/v1/admin/competitions", Some(&admin.token), body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create competition");
    json_of(res).await["id"].as_i64().unwrap()
}

pub async fn add_question(
    app: &TestApp,
    admin: &TestUser,
    id: i64,
    correct: i64,
    points: i64,
) -> i64 {
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
            json!({"text": "ما عاصمة المغرب؟", "choices": ["الرباط", "فاس", "مراكش"], "correct_index": correct, "points": points}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "add question");
    json_of(res).await["id"].as_i64().unwrap()
}

pub async fn publish(app: &TestApp, admin: &TestUser, id: i64) {
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/publish"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "publish");
}

/// A published quiz with one 1-point question (answer: index 0).
pub async fn published_quiz(app: &TestApp, admin: &TestUser, body: Value) -> i64 {
    let id = create(app, admin, body).await;
    add_question(app, admin, id, 0, 1).await;
    publish(app, admin, id).await;
    id
}

/// Moves the start into the past (the clock does the rest).
pub async fn start_now(app: &TestApp, id: i64) {
    let start = Utc::now() - chrono::Duration::minutes(1);
    app.sql(&format!(
        "UPDATE competitions SET starts_at = '{}' WHERE id = {id}",
        ts(start)
    ))
    .await;
}

/// Moves the start and the end into the past.
pub async fn end_now(app: &TestApp, id: i64) {
    let now = Utc::now();
    app.sql(&format!(
        "UPDATE competitions SET starts_at = '{}', ends_at = '{}' WHERE id = {id}",
        ts(now - chrono::Duration::minutes(2)),
        ts(now - chrono::Duration::seconds(1))
    ))
    .await;
}

pub async fn join(app: &TestApp, user: &TestUser, id: i64) -> Response {
    app.request(
        &user.client,
        Method::POST,
        &format!("/api/v1/competitions/{id}/join"),
        Some(&user.token),
        None,
    )
    .await
}

pub async fn withdraw(app: &TestApp, user: &TestUser, id: i64) -> Response {
    app.request(
        &user.client,
        Method::DELETE,
        &format!("/api/v1/competitions/{id}/join"),
        Some(&user.token),
        None,
    )
    .await
}

pub async fn submit(app: &TestApp, user: &TestUser, id: i64, answers: Value) -> Response {
    app.post(
        &format!("/api/v1/competitions/{id}/submission"),
        Some(&user.token),
        json!({"answers": answers}),
    )
    .await
}

pub async fn finalize(app: &TestApp, admin: &TestUser, id: i64) -> Response {
    app.post(
        &format!("/api/v1/admin/competitions/{id}/finalize"),
        Some(&admin.token),
        json!({}),
    )
    .await
}

async fn stored_status(app: &TestApp, id: i64) -> String {
    for status in ["draft", "published", "running", "ended", "finalized"] {
        if app
            .count(&format!(
                "SELECT COUNT(*) FROM competitions WHERE id = {id} AND status = '{status}'"
            ))
            .await
            == 1
        {
            return status.to_owned();
        }
    }
    panic!("competition {id} has no known status");
}

async fn admin_get(app: &TestApp, admin: &TestUser, id: i64) -> Value {
    json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}"),
            Some(&admin.token),
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn a_quiz_goes_from_draft_to_finalized_and_the_clock_moves_it_lazily() {
    let app = spawn().await;
    let admin = app.admin("organizer").await;
    let id = create(&app, &admin, quiz("مسابقة الثقافة العامة")).await;
    let draft = admin_get(&app, &admin, id).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["participants_count"], 0);
    // Drafts do not exist for the public.
    assert_error(
        app.get(&format!("/api/v1/competitions/{id}"), None).await,
        404,
        "not_found",
    )
    .await;
    let listed = json_of(app.get("/api/v1/competitions", None).await).await;
    assert_eq!(listed["items"], json!([]));

    add_question(&app, &admin, id, 1, 2).await;
    publish(&app, &admin, id).await;
    let public = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(public["status"], "published");
    assert_eq!(public["registration_open"], true);
    assert_eq!(public["question_count"], 1);
    assert!(
        public.get("joined").is_none(),
        "anonymous callers get no joined field"
    );

    // Text can be corrected after publication; the fee cannot change.
    let res = app
        .patch(
            &format!("/api/v1/admin/competitions/{id}"),
            Some(&admin.token),
            json!({"rules": "لا غش"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json_of(res).await["rules"], "لا غش");

    // Reading a competition whose start has passed persists the transition.
    start_now(&app, id).await;
    assert_eq!(stored_status(&app, id).await, "published");
    let running = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(running["status"], "running");
    assert_eq!(stored_status(&app, id).await, "running");

    end_now(&app, id).await;
    assert_eq!(admin_get(&app, &admin, id).await["status"], "ended");
    assert_eq!(stored_status(&app, id).await, "ended");

    let res = finalize(&app, &admin, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report = json_of(res).await;
    assert_eq!(report["status"], "finalized");
    assert_eq!(stored_status(&app, id).await, "finalized");
    assert!(admin_get(&app, &admin, id).await["finalized_at"].is_string());
    for action in [
        "competition.create",
        "competition.publish",
        "competition.update",
        "competition.finalize",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
}

#[tokio::test]
async fn every_illegal_transition_is_refused_with_409() {
    let app = spawn().await;
    let admin = app.admin("strict").await;
    let user = app.register("player").await;
    let path = |id: i64, rest: &str| format!("/api/v1/admin/competitions/{id}{rest}");

    // A quiz cannot be published without questions.
    let empty = create(&app, &admin, quiz("اختبار فارغ")).await;
    assert_error(
        app.post(&path(empty, "/publish"), Some(&admin.token), json!({}))
            .await,
        422,
        "unprocessable",
    )
    .await;
    // Finalizing a draft.
    assert_error(
        finalize(&app, &admin, empty).await,
        409,
        "invalid_transition",
    )
    .await;

    let id = published_quiz(&app, &admin, quiz("اختبار المراحل")).await;
    assert_error(
        app.post(&path(id, "/publish"), Some(&admin.token), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(finalize(&app, &admin, id).await, 409, "invalid_transition").await;
    let body = assert_error(
        app.patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"entry_fee": 5, "kind": "judged"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(body["error"]["fields"]["entry_fee"].is_string(), "{body}");
    assert!(body["error"]["fields"]["kind"].is_string(), "{body}");
    assert_eq!(join(&app, &user, id).await.status(), StatusCode::CREATED);
    // Published with a participant: not deletable.
    assert_error(
        app.request(
            &admin.client,
            Method::DELETE,
            &path(id, ""),
            Some(&admin.token),
            None,
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    start_now(&app, id).await;
    assert_error(
        app.post(&path(id, "/publish"), Some(&admin.token), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(finalize(&app, &admin, id).await, 409, "invalid_transition").await;
    assert_error(withdraw(&app, &user, id).await, 409, "invalid_transition").await;
    assert_error(
        app.patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"starts_at": in_secs(600)}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    // Questions are frozen once running.
    assert_error(
        app.post(
            &path(id, "/questions"),
            Some(&admin.token),
            json!({"text": "سؤال متأخر", "choices": ["نعم", "لا"], "correct_index": 0}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let qid = json_of(app.get(&path(id, "/questions"), Some(&admin.token)).await).await["items"][0]
        ["id"]
        .as_i64()
        .unwrap();
    assert_error(
        app.patch(
            &path(id, &format!("/questions/{qid}")),
            Some(&admin.token),
            json!({"text": "تعديل"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.request(
            &admin.client,
            Method::DELETE,
            &path(id, &format!("/questions/{qid}")),
            Some(&admin.token),
            None,
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.request(
            &admin.client,
            Method::DELETE,
            &path(id, ""),
            Some(&admin.token),
            None,
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    // Quizzes are scored from answers, not by an admin.
    assert_error(
        app.request(
            &admin.client,
            Method::PUT,
            &path(id, "/results"),
            Some(&admin.token),
            Some(json!({"results": [{"user_id": user.id, "score": 3}]})),
        )
        .await,
        422,
        "unprocessable",
    )
    .await;

    end_now(&app, id).await;
    assert_error(
        app.post(&path(id, "/publish"), Some(&admin.token), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        submit(&app, &user, id, json!([])).await,
        409,
        "competition_not_running",
    )
    .await;
    assert_eq!(finalize(&app, &admin, id).await.status(), StatusCode::OK);
    assert_error(finalize(&app, &admin, id).await, 409, "invalid_transition").await;
    assert_error(
        app.post(&path(id, "/publish"), Some(&admin.token), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    // Text can still be fixed after finalization; the schedule cannot.
    assert_eq!(
        app.patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"title": "اختبار المراحل (معتمد)"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_error(
        app.patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"ends_at": in_secs(60)}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    // Judged: results only after the start and before finalization.
    let mut judged = quiz("مسابقة الخط العربي");
    judged["kind"] = json!("judged");
    let jid = create(&app, &admin, judged).await;
    publish(&app, &admin, jid).await;
    assert_eq!(join(&app, &user, jid).await.status(), StatusCode::CREATED);
    let results = json!({"results": [{"user_id": user.id, "score": 7}]});
    assert_error(
        app.request(
            &admin.client,
            Method::PUT,
            &path(jid, "/results"),
            Some(&admin.token),
            Some(results.clone()),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    end_now(&app, jid).await;
    assert_eq!(finalize(&app, &admin, jid).await.status(), StatusCode::OK);
    assert_error(
        app.request(
            &admin.client,
            Method::PUT,
            &path(jid, "/results"),
            Some(&admin.token),
            Some(results),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    // Deletion: a draft, and a published competition nobody joined.
    let draft = create(&app, &admin, quiz("مسودة للحذف")).await;
    let res = app
        .request(
            &admin.client,
            Method::DELETE,
            &path(draft, ""),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let lonely = published_quiz(&app, &admin, quiz("منشورة بلا مشاركين")).await;
    let res = app
        .request(
            &admin.client,
            Method::DELETE,
            &path(lonely, ""),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&path(lonely, ""), Some(&admin.token)).await,
        404,
        "not_found",
    )
    .await;
    // A published quiz keeps its last question.
    let one = published_quiz(&app, &admin, quiz("سؤال وحيد")).await;
    let qid = json_of(app.get(&path(one, "/questions"), Some(&admin.token)).await).await["items"]
        [0]["id"]
        .as_i64()
        .unwrap();
    assert_error(
        app.request(
            &admin.client,
            Method::DELETE,
            &path(one, &format!("/questions/{qid}")),
            Some(&admin.token),
            None,
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn bad_competitions_and_questions_are_422_naming_each_field_in_arabic() {
    let app = spawn().await;
    let admin = app.admin("careful").await;
    let cases: Vec<(&str, Value)> = vec![
        ("title", json!({"title": ""})),
        ("title", json!({"title": "English only"})),
        ("kind", json!({"kind": "race"})),
        ("ends_at", json!({"ends_at": in_secs(1800)})),
        (
            "ends_at",
            json!({"starts_at": in_secs(-7200), "ends_at": in_secs(-3600)}),
        ),
        ("entry_fee", json!({"entry_fee": -1})),
        ("participation_points", json!({"participation_points": -3})),
        ("max_participants", json!({"max_participants": 0})),
        (
            "prizes",
            json!({"prizes": [{"rank": 1, "points": 10}, {"rank": 1, "points": 5}]}),
        ),
        ("prizes", json!({"prizes": [{"rank": 2, "points": 10}]})),
        ("prizes", json!({"prizes": [{"rank": 1, "points": 0}]})),
        ("quiz_duration_seconds", json!({"quiz_duration_seconds": 1})),
        ("cover_url", json!({"cover_url": "javascript:alert(1)"})),
        ("starts_at", json!({"starts_at": "tomorrow"})),
        ("surprise", json!({"surprise": true})),
    ];
    for (field, patch) in cases {
        let mut body = quiz("مسابقة");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app
            .post("/api/v1/admin/competitions", Some(&admin.token), body)
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        let fields = err["error"]["fields"].as_object().unwrap();
        assert!(fields.keys().any(|k| k.ends_with(field)), "{field}: {err}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM competitions").await, 0);

    let id = create(&app, &admin, quiz("مسابقة الأسئلة")).await;
    let questions: Vec<(&str, Value)> = vec![
        (
            "choices",
            json!({"text": "سؤال", "choices": ["وحيد"], "correct_index": 0}),
        ),
        (
            "choices",
            json!({"text": "سؤال", "choices": ["أ", "ب", "ج", "د", "هـ", "و", "ز"], "correct_index": 0}),
        ),
        (
            "choices",
            json!({"text": "سؤال", "choices": ["أ", " "], "correct_index": 0}),
        ),
        (
            "correct_index",
            json!({"text": "سؤال", "choices": ["أ", "ب"], "correct_index": 2}),
        ),
        (
            "text",
            json!({"text": " ", "choices": ["أ", "ب"], "correct_index": 0}),
        ),
        (
            "points",
            json!({"text": "سؤال", "choices": ["أ", "ب"], "correct_index": 0, "points": 0}),
        ),
    ];
    for (field, body) in questions {
        let res = app
            .post(
                &format!("/api/v1/admin/competitions/{id}/questions"),
                Some(&admin.token),
                body,
            )
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    // Questions belong to quizzes only.
    let mut judged = quiz("مسابقة تصوير");
    judged["kind"] = json!("judged");
    let jid = create(&app, &admin, judged).await;
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{jid}/questions"),
            Some(&admin.token),
            json!({"text": "سؤال", "choices": ["أ", "ب"], "correct_index": 0}),
        )
        .await;
    assert_error(res, 422, "unprocessable").await;
    // Admin routes are for admins.
    let user = app.register("curious").await;
    assert_error(
        app.post(
            "/api/v1/admin/competitions",
            Some(&user.token),
            quiz("مسابقة"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/competitions", None).await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn joining_debits_the_fee_withdrawing_refunds_it_and_rejoining_charges_again() {
    let app = spawn().await;
    let admin = app.admin("cashier").await;
    let user = app.register("joiner").await;
    award(&app, &admin, user.id, 100).await;
    let mut body = quiz("مسابقة برسوم");
    body["entry_fee"] = json!(30);
    let id = published_quiz(&app, &admin, body).await;

    let res = join(&app, &user, id).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let joined = json_of(res).await;
    assert_eq!(joined["points_balance"], 70);
    assert_eq!(joined["fee_paid"], 30);
    assert_eq!(joined["status"], "registered");
    assert_eq!(balance(&app, &user).await, 70);
    let ledger = json_of(
        app.get("/api/v1/points/transactions", Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(ledger["items"][0]["kind"], "entry_fee");
    assert_eq!(ledger["items"][0]["amount"], -30);
    assert_eq!(ledger["items"][0]["reference_id"], id);
    let detail = json_of(
        app.get(&format!("/api/v1/competitions/{id}"), Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(
        (
            detail["participants_count"].as_i64(),
            detail["joined"].as_bool()
        ),
        (Some(1), Some(true))
    );
    assert_eq!(detail["my_status"], "registered");

    assert_error(join(&app, &user, id).await, 409, "already_joined").await;
    assert_eq!(balance(&app, &user).await, 70);

    let res = withdraw(&app, &user, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let out = json_of(res).await;
    assert_eq!(
        (out["refunded"].as_i64(), out["points_balance"].as_i64()),
        (Some(30), Some(100))
    );
    assert_eq!(out["status"], "withdrawn");
    let ledger = json_of(
        app.get("/api/v1/points/transactions", Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(ledger["items"][0]["kind"], "entry_fee_refund");
    assert_eq!(ledger["items"][0]["amount"], 30);
    let detail = json_of(
        app.get(&format!("/api/v1/competitions/{id}"), Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(
        (
            detail["participants_count"].as_i64(),
            detail["joined"].as_bool()
        ),
        (Some(0), Some(false))
    );
    assert_eq!(detail["my_status"], "withdrawn");
    assert_error(withdraw(&app, &user, id).await, 403, "not_participant").await;

    // Joining again is allowed while registration is open, and costs the fee again.
    assert_eq!(join(&app, &user, id).await.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 70);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM participations WHERE competition_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        1
    );

    // An Idempotency-Key retry of a join answers like the first time and charges nothing.
    let other = app.register("retrier").await;
    award(&app, &admin, other.id, 50).await;
    let send = || async {
        other
            .client
            .post(app.url(&format!("/api/v1/competitions/{id}/join")))
            .bearer_auth(&other.token)
            .header("Idempotency-Key", "join-once-1")
            .send()
            .await
            .unwrap()
    };
    let first = send().await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = json_of(first).await;
    let again = send().await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    assert_eq!(json_of(again).await, first);
    assert_eq!(balance(&app, &other).await, 20);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn joining_without_enough_points_is_409_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin("gatekeeper").await;
    let user = app.register("shortfall").await;
    award(&app, &admin, user.id, 20).await;
    let mut body = quiz("مسابقة غالية");
    body["entry_fee"] = json!(50);
    let id = published_quiz(&app, &admin, body).await;

    assert_error(join(&app, &user, id).await, 409, "insufficient_points").await;
    assert_eq!(balance(&app, &user).await, 20);
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'entry_fee'")
            .await,
        0
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn joining_needs_an_open_registration_window() {
    let app = spawn().await;
    let admin = app.admin("doorman").await;
    let user = app.register("early").await;
    let draft = create(&app, &admin, quiz("مسودة")).await;
    assert_error(join(&app, &user, draft).await, 404, "not_found").await;

    let mut later = quiz("تسجيل لاحق");
    later["registration_opens_at"] = json!(in_secs(1800));
    let id = published_quiz(&app, &admin, later).await;
    let detail = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(detail["registration_open"], false);
    assert_error(join(&app, &user, id).await, 409, "registration_not_open").await;

    // By default registration closes at the start.
    let id = published_quiz(&app, &admin, quiz("بدأت")).await;
    start_now(&app, id).await;
    assert_error(join(&app, &user, id).await, 409, "registration_not_open").await;
    // Unless the window says otherwise (late joining while running).
    let mut late = quiz("تسجيل متأخر");
    late["registration_closes_at"] = json!(in_secs(5400));
    let id = published_quiz(&app, &admin, late).await;
    start_now(&app, id).await;
    assert_eq!(join(&app, &user, id).await.status(), StatusCode::CREATED);
    assert_error(join(&app, &admin, 999_999).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 1);
}

#[tokio::test]
async fn twenty_users_racing_for_five_seats_leave_exactly_five_joined() {
    let app = spawn().await;
    let admin = app.admin("usher").await;
    let names: Vec<String> = (0..20).map(|i| format!("racer{i}")).collect();
    let users: Vec<TestUser> = join_all(names.iter().map(|n| app.register(n))).await;
    for u in &users {
        award(&app, &admin, u.id, 10).await;
    }
    let mut body = quiz("خمسة مقاعد");
    body["max_participants"] = json!(5);
    body["entry_fee"] = json!(10);
    let id = published_quiz(&app, &admin, body).await;

    let results = join_all(users.iter().map(|u| join(&app, u, id))).await;
    let mut created = 0;
    for res in results {
        if res.status() == StatusCode::CREATED {
            created += 1;
        } else {
            assert_error(res, 409, "competition_full").await;
        }
    }
    assert_eq!(created, 5);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        5
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'entry_fee'")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'user' AND points_balance = 0")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'user' AND points_balance = 10")
            .await,
        15
    );
    let detail = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(detail["is_full"], true);
    let open = json_of(app.get("/api/v1/competitions?status=open", None).await).await;
    assert_eq!(open["items"], json!([]), "a full competition is not open");
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn questions_never_leak_answers_and_only_participants_see_them_while_running() {
    let app = spawn().await;
    let admin = app.admin("quizmaster").await;
    let player = app.register("player1").await;
    let outsider = app.register("outsider").await;
    let id = create(&app, &admin, quiz("لا تسريب")).await;
    let q1 = add_question(&app, &admin, id, 2, 1).await;
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
            json!({"text": "كم عدد أيام الأسبوع؟", "choices": ["سبعة", "ستة", "خمسة", "ثمانية"], "correct_index": 0, "points": 3}),
        )
        .await;
    let q2 = json_of(res).await["id"].as_i64().unwrap();
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    let questions_path = format!("/api/v1/competitions/{id}/questions");

    assert_error(
        app.get(&questions_path, Some(&player.token)).await,
        409,
        "competition_not_running",
    )
    .await;
    start_now(&app, id).await;
    assert_error(
        app.get(&questions_path, Some(&outsider.token)).await,
        403,
        "not_participant",
    )
    .await;
    assert_error(app.get(&questions_path, None).await, 401, "unauthorized").await;

    let res = app.get(&questions_path, Some(&player.token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("correct_index") && !text.contains("is_correct"),
        "{text}"
    );
    let set: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<i64> = set["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![q1, q2]);
    assert_eq!(
        set["questions"][1]["choices"],
        json!(["سبعة", "ستة", "خمسة", "ثمانية"])
    );
    assert_eq!(set["submitted"], false);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM participations WHERE user_id = {} AND started_at IS NOT NULL",
            player.id
        ))
        .await,
        1
    );
    // The timer starts once: a second fetch keeps the first start.
    let again = json_of(app.get(&questions_path, Some(&player.token)).await).await;
    assert_eq!(again["started_at"], set["started_at"]);
    // Nowhere else public either.
    for path in [
        format!("/api/v1/competitions/{id}"),
        format!("/api/v1/competitions/{id}/leaderboard"),
        "/api/v1/competitions".into(),
    ] {
        let text = app
            .get(&path, Some(&player.token))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains("correct_index") && !text.contains("is_correct"),
            "{path}: {text}"
        );
    }
    // Admins see the answers.
    let admin_view = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(admin_view["items"][0]["correct_index"], 2);
}

#[tokio::test]
async fn a_submission_is_scored_automatically_and_accepted_once() {
    let app = spawn().await;
    let admin = app.admin("scorer").await;
    let player = app.register("answerer").await;
    let outsider = app.register("bystander").await;
    let id = create(&app, &admin, quiz("اختبار التصحيح")).await;
    let q1 = add_question(&app, &admin, id, 0, 1).await;
    let q2 = add_question(&app, &admin, id, 1, 2).await;
    let q3 = add_question(&app, &admin, id, 2, 3).await;
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    start_now(&app, id).await;

    let bad: Vec<(Value, &str)> = vec![
        (
            json!([{"question_id": 999_999, "choice_index": 0}]),
            "answers",
        ),
        (json!([{"question_id": q1, "choice_index": 3}]), "answers"),
        (
            json!([{"question_id": q1, "choice_index": 0}, {"question_id": q1, "choice_index": 1}]),
            "answers",
        ),
        (json!([{"question_id": q1}]), "answers[0].choice_index"),
    ];
    for (answers, field) in bad {
        let err = assert_error(
            submit(&app, &player, id, answers).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    assert_error(
        submit(&app, &outsider, id, json!([])).await,
        403,
        "not_participant",
    )
    .await;

    let answers = json!([
        {"question_id": q1, "choice_index": 0},
        {"question_id": q2, "choice_index": 0},
        {"question_id": q3, "choice_index": 2}
    ]);
    let res = submit(&app, &player, id, answers.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let result = json_of(res).await;
    assert_eq!(result["score"], 4);
    assert_eq!(result["max_score"], 6);
    assert_eq!(result["correct_count"], 2);
    assert_eq!(result["question_count"], 3);
    assert_error(
        submit(&app, &player, id, answers).await,
        409,
        "already_submitted",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competition_answers").await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM participations WHERE status = 'submitted' AND score = 4")
            .await,
        1
    );

    let board = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    assert_eq!(board["entries"][0]["user_id"], player.id);
    assert_eq!(board["entries"][0]["score"], 4);
    assert_eq!(board["me"]["rank"], 1);
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    assert_eq!(set["submitted"], true);
}

#[tokio::test]
async fn the_personal_quiz_timer_closes_submissions() {
    let app = spawn().await;
    let admin = app.admin("timekeeper").await;
    let player = app.register("slowpoke").await;
    let mut body = quiz("اختبار سريع");
    body["quiz_duration_seconds"] = json!(30);
    let id = published_quiz(&app, &admin, body).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    start_now(&app, id).await;
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    let started: DateTime<Utc> = set["started_at"].as_str().unwrap().parse().unwrap();
    let deadline: DateTime<Utc> = set["deadline"].as_str().unwrap().parse().unwrap();
    assert_eq!((deadline - started).num_seconds(), 30);
    // Opened the questions two minutes ago.
    app.sql(&format!(
        "UPDATE participations SET started_at = '{}' WHERE user_id = {}",
        ts(Utc::now() - chrono::Duration::minutes(2)),
        player.id
    ))
    .await;
    let qid = set["questions"][0]["id"].as_i64().unwrap();
    let res = submit(
        &app,
        &player,
        id,
        json!([{"question_id": qid, "choice_index": 0}]),
    )
    .await;
    assert_error(res, 409, "competition_not_running").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM participations WHERE status = 'registered'")
            .await,
        1
    );
}

/// Users who submit `scores` in that order (a `None` never submits).
pub async fn quiz_with_scores(
    app: &TestApp,
    admin: &TestUser,
    users: &[&TestUser],
    scores: &[Option<i64>],
    body: Value,
) -> i64 {
    let id = create(app, admin, body).await;
    let qids = [
        add_question(app, admin, id, 0, 1).await,
        add_question(app, admin, id, 0, 2).await,
        add_question(app, admin, id, 0, 4).await,
    ];
    publish(app, admin, id).await;
    for u in users {
        assert_eq!(join(app, u, id).await.status(), StatusCode::CREATED);
    }
    start_now(app, id).await;
    for (u, score) in users.iter().zip(scores) {
        let Some(score) = score else { continue };
        // Points 1, 2 and 4: the binary digits of the score pick the correct answers.
        let answers: Vec<Value> = qids
            .iter()
            .enumerate()
            .map(|(i, q)| json!({"question_id": q, "choice_index": if score & (1 << i) != 0 { 0 } else { 1 }}))
            .collect();
        let res = submit(app, u, id, json!(answers)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(json_of(res).await["score"], *score);
    }
    id
}

#[tokio::test]
async fn finalizing_ranks_with_tie_breaks_credits_prizes_once_and_notifies_everyone() {
    let app = spawn().await;
    let admin = app.admin("judge").await;
    let a = app.register("amal").await;
    let b = app.register("badr").await;
    let c = app.register("camil").await;
    let d = app.register("dalia").await;
    let e = app.register("eyad").await;
    let mut body = quiz("نهائي الثقافة");
    body["prizes"] =
        json!([{"rank": 1, "points": 100}, {"rank": 2, "points": 50}, {"rank": 3, "points": 20}]);
    body["participation_points"] = json!(5);
    // a and b tie on 7 (a submits first); c and d tie on 3 with the same submission time.
    let id = quiz_with_scores(
        &app,
        &admin,
        &[&a, &b, &d, &c, &e],
        &[Some(7), Some(7), Some(3), Some(3), None],
        body,
    )
    .await;
    app.sql(&format!(
        "UPDATE participations SET submitted_at = (SELECT submitted_at FROM participations WHERE user_id = {}) WHERE user_id = {}",
        d.id, c.id
    ))
    .await;

    // Before finalizing the board already shows the order; e has no rank.
    let board = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard?limit=2"),
            Some(&e.token),
        )
        .await,
    )
    .await;
    let order: Vec<i64> = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["user_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![a.id, b.id]);
    assert_eq!(board["ranked"], 4);
    assert_eq!(board["me"]["rank"], Value::Null);
    assert_eq!(board["me"]["status"], "registered");
    let mine = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard?limit=1"),
            Some(&d.token),
        )
        .await,
    )
    .await;
    assert_eq!(
        mine["me"]["rank"], 4,
        "d ties with c on score and time; c has the lower id"
    );

    end_now(&app, id).await;
    let res = finalize(&app, &admin, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report = json_of(res).await;
    assert_eq!(
        (report["ranked"].as_i64(), report["participants"].as_i64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        (
            report["prize_points"].as_i64(),
            report["participation_points"].as_i64()
        ),
        (Some(170), Some(20))
    );

    let expected = [(&a, 1, 105), (&b, 2, 55), (&c, 3, 25), (&d, 4, 5)];
    for (u, rank, points) in expected {
        assert_eq!(balance(&app, u).await, points, "{}", u.username);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM participations WHERE user_id = {} AND rank = {rank} AND points_awarded = {points} AND status = 'completed'",
                u.id
            ))
            .await,
            1,
            "{}",
            u.username
        );
    }
    assert_eq!(balance(&app, &e).await, 0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM participations WHERE user_id = {} AND rank IS NULL AND status = 'registered'", e.id)).await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM points_transactions WHERE award_key = 'competition:{id}:user:{}:prize'", a.id)).await,
        1
    );
    let bell = json_of(app.get("/api/v1/notifications", Some(&a.token)).await).await;
    assert_eq!(bell["items"][0]["kind"], "competition_result");
    assert!(
        bell["items"][0]["body"].as_str().unwrap().contains("105"),
        "{bell}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'competition_result'")
            .await,
        5
    );
    let me = json_of(app.get("/api/v1/points/balance", Some(&a.token)).await).await;
    assert_eq!(me["lifetime_earned"], 105);

    // Finalizing again changes nothing.
    assert_error(finalize(&app, &admin, id).await, 409, "invalid_transition").await;
    for (u, _, points) in expected {
        assert_eq!(balance(&app, u).await, points);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'competition_result'")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.finalize'")
            .await,
        1
    );
    let board = json_of(
        app.get(&format!("/api/v1/competitions/{id}/leaderboard"), None)
            .await,
    )
    .await;
    assert_eq!(board["status"], "finalized");
    assert_eq!(board["entries"][0]["points_awarded"], 105);
    assert_eq!(board["me"], Value::Null);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn concurrent_finalizations_pay_exactly_one_set_of_prizes() {
    let app = spawn().await;
    let admin = app.admin("racejudge").await;
    let a = app.register("first").await;
    let b = app.register("second").await;
    let mut body = quiz("سباق الاعتماد");
    body["prizes"] = json!([{"rank": 1, "points": 40}, {"rank": 2, "points": 10}]);
    body["participation_points"] = json!(2);
    let id = quiz_with_scores(&app, &admin, &[&a, &b], &[Some(5), Some(1)], body).await;
    end_now(&app, id).await;

    let results = join_all((0..6).map(|_| finalize(&app, &admin, id))).await;
    let mut ok = 0;
    for res in results {
        if res.status() == StatusCode::OK {
            ok += 1;
        } else {
            assert_error(res, 409, "invalid_transition").await;
        }
    }
    assert_eq!(ok, 1);
    assert_eq!((balance(&app, &a).await, balance(&app, &b).await), (42, 12));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'competition_prize'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'participation'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn judged_scores_are_entered_by_an_admin_and_ranked_at_finalization() {
    let app = spawn().await;
    let admin = app.admin("jury").await;
    let a = app.register("artist1").await;
    let b = app.register("artist2").await;
    let c = app.register("artist3").await;
    let outsider = app.register("critic").await;
    let mut body = quiz("مسابقة الخط العربي");
    body["kind"] = json!("judged");
    body["prizes"] = json!([{"rank": 1, "points": 60}]);
    body["participation_points"] = json!(1);
    let id = create(&app, &admin, body).await;
    publish(&app, &admin, id).await;
    for u in [&a, &b, &c] {
        assert_eq!(join(&app, u, id).await.status(), StatusCode::CREATED);
    }
    start_now(&app, id).await;
    // Participants of a judged competition have no answers to submit.
    assert_error(submit(&app, &a, id, json!([])).await, 422, "unprocessable").await;

    let results_path = format!("/api/v1/admin/competitions/{id}/results");
    let put = |body: Value| {
        app.request(
            &admin.client,
            Method::PUT,
            &results_path,
            Some(&admin.token),
            Some(body),
        )
    };
    let err = assert_error(
        put(json!({"results": [{"user_id": outsider.id, "score": 9}]})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["results"].is_string());
    assert_error(put(json!({"results": []})).await, 422, "validation_failed").await;
    assert_error(
        put(json!({"results": [{"user_id": a.id, "score": -1}]})).await,
        422,
        "validation_failed",
    )
    .await;
    let res =
        put(json!({"results": [{"user_id": a.id, "score": 70}, {"user_id": b.id, "score": 90}]}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json_of(res).await["updated"], 2);
    end_now(&app, id).await;
    // Scores can still be corrected after the end, before finalization.
    assert_eq!(
        put(json!({"results": [{"user_id": a.id, "score": 95}]}))
            .await
            .status(),
        StatusCode::OK
    );

    // The scheduler never finalizes judged competitions; the admin does.
    assert_eq!(finalize(&app, &admin, id).await.status(), StatusCode::OK);
    assert_eq!(
        (
            balance(&app, &a).await,
            balance(&app, &b).await,
            balance(&app, &c).await
        ),
        (61, 1, 0)
    );
    let participants = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}/participants"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    let ranks: Vec<(i64, Value)> = participants["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["user_id"].as_i64().unwrap(), p["rank"].clone()))
        .collect();
    assert_eq!(
        ranks,
        vec![(a.id, json!(1)), (b.id, json!(2)), (c.id, Value::Null)]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.results'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_scheduler_runs_a_quiz_to_finalized_by_itself() {
    let app = spawn_app_with(|s| s.scheduler_interval_ms = 200).await;
    let admin = app.admin("autopilot").await;
    let player = app.register("punctual").await;
    let mut body = quiz("اختبار آلي");
    body["starts_at"] = json!(in_secs(4));
    body["ends_at"] = json!(in_secs(8));
    body["prizes"] = json!([{"rank": 1, "points": 25}]);
    let id = published_quiz(&app, &admin, body).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);

    // Watch the database only: no API read may trigger the lazy transitions.
    let wait_for = |status: &'static str| {
        let app = &app;
        async move {
            for _ in 0..150 {
                if stored_status(app, id).await == status {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("competition {id} never became {status}");
        }
    };
    wait_for("running").await;
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    let qid = set["questions"][0]["id"].as_i64().unwrap();
    let res = submit(
        &app,
        &player,
        id,
        json!([{"question_id": qid, "choice_index": 0}]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    wait_for("finalized").await;
    assert_eq!(balance(&app, &player).await, 25);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.finalize' AND actor_user_id IS NULL").await,
        1
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_public_list_filters_by_status_and_searches_arabic_loosely() {
    let app = spawn().await;
    let admin = app.admin("curator").await;
    let user = app.register("browser").await;
    let _draft = create(&app, &admin, quiz("مسودة سرية")).await;
    let upcoming = published_quiz(&app, &admin, quiz("مُسابَقة الأَدب")).await;
    let running = published_quiz(&app, &admin, quiz("تحدي الرياضيات")).await;
    start_now(&app, running).await;
    let ended = published_quiz(&app, &admin, quiz("تحدي التاريخ")).await;
    end_now(&app, ended).await;
    assert_eq!(
        join(&app, &user, upcoming).await.status(),
        StatusCode::CREATED
    );

    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let list = |q: &str| {
        let path = format!("/api/v1/competitions{q}");
        let app = &app;
        async move { app.get(&path, None).await }
    };
    assert_eq!(
        ids(&json_of(list("").await).await),
        vec![ended, running, upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=upcoming").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=open").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=running").await).await),
        vec![running]
    );
    assert_eq!(
        ids(&json_of(list("?status=ended").await).await),
        vec![ended]
    );
    assert_eq!(
        ids(&json_of(list("?status=finalized").await).await),
        Vec::<i64>::new()
    );
    // "مسابقه" (no diacritics, ه for ة) finds "مُسابَقة".
    assert_eq!(
        ids(&json_of(list("?q=%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D9%87").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?q=%25").await).await),
        Vec::<i64>::new(),
        "LIKE wildcards are literal"
    );
    // Keyset pages.
    let first = json_of(list("?limit=2").await).await;
    assert_eq!(ids(&first), vec![ended, running]);
    let next = first["next_cursor"].as_str().unwrap();
    assert_eq!(
        ids(&json_of(list(&format!("?limit=2&cursor={next}")).await).await),
        vec![upcoming]
    );
    assert_error(list("?status=soon").await, 422, "validation_failed").await;
    assert_error(list("?limit=0").await, 422, "validation_failed").await;

    // With a token every item says whether the caller takes part.
    let mine = json_of(app.get("/api/v1/competitions", Some(&user.token)).await).await;
    for item in mine["items"].as_array().unwrap() {
        let joined = item["id"].as_i64() == Some(upcoming);
        assert_eq!(item["joined"], joined, "{item}");
    }
    assert_error(
        app.get("/api/v1/competitions", Some("not-a-token")).await,
        401,
        "invalid_token",
    )
    .await;

    // Admins see every status, drafts included, with counts.
    let all = json_of(
        app.get("/api/v1/admin/competitions", Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    let drafts = json_of(
        app.get(
            "/api/v1/admin/competitions?status=draft",
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(drafts["items"][0]["title"], "مسودة سرية");
    let up = json_of(
        app.get(
            "/api/v1/admin/competitions?status=published",
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(up["items"][0]["participants_count"], 1);
    assert_eq!(up["items"][0]["question_count"], 1);
    let participants = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{upcoming}/participants"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(participants["items"][0]["username"], "browser");
    assert_eq!(participants["items"][0]["status"], "registered");
    assert_error(
        app.get("/api/v1/admin/competitions?kind=race", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get(
            &format!("/api/v1/admin/competitions/{upcoming}/participants"),
            Some(&user.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn seats_cannot_be_cut_below_the_participants_and_drafts_can_change_everything() {
    let app = spawn().await;
    let admin = app.admin("planner").await;
    let a = app.register("seat1").await;
    let b = app.register("seat2").await;
    let id = create(&app, &admin, quiz("مقاعد محدودة")).await;
    let res = app
        .patch(
            &format!("/api/v1/admin/competitions/{id}"),
            Some(&admin.token),
            json!({"entry_fee": 0, "kind": "quiz", "max_participants": 3, "prizes": [{"rank": 1, "points": 9}], "title_en": "Seats"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited = json_of(res).await;
    assert_eq!(edited["max_participants"], 3);
    assert_eq!(edited["prizes"], json!([{"rank": 1, "points": 9}]));
    add_question(&app, &admin, id, 0, 1).await;
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &a, id).await.status(), StatusCode::CREATED);
    assert_eq!(join(&app, &b, id).await.status(), StatusCode::CREATED);
    let path = format!("/api/v1/admin/competitions/{id}");
    assert_error(
        app.patch(&path, Some(&admin.token), json!({"max_participants": 1}))
            .await,
        409,
        "conflict",
    )
    .await;
    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"max_participants": 2, "title_en": null}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = json_of(res).await;
    assert_eq!(
        (body["max_participants"].as_i64(), body["is_full"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(body["title_en"], Value::Null);
    // Sending unchanged frozen values back (a full form) is fine.
    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"entry_fee": 0, "kind": "quiz"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_user_joining_five_times_at_once_is_charged_once() {
    let app = spawn().await;
    let admin = app.admin("bouncer").await;
    let user = app.register("eager").await;
    award(&app, &admin, user.id, 100).await;
    let mut body = quiz("مرة واحدة");
    body["entry_fee"] = json!(15);
    let id = published_quiz(&app, &admin, body).await;
    let results = join_all((0..5).map(|_| join(&app, &user, id))).await;
    let mut created = 0;
    for res in results {
        if res.status() == StatusCode::CREATED {
            created += 1;
        } else {
            assert_error(res, 409, "already_joined").await;
        }
    }
    assert_eq!(created, 1);
    assert_eq!(balance(&app, &user).await, 85);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        1
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn malformed_requests_never_cause_a_server_error() {
    let app = spawn().await;
    let admin = app.admin("fuzzer").await;
    let user = app.register("prober").await;
    let id = published_quiz(&app, &admin, quiz("مسابقة المتانة")).await;
    let t = Some(admin.token.as_str());
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/competitions/abc".into(), None),
        (
            Method::GET,
            "/api/v1/competitions/99999999999999999999".into(),
            None,
        ),
        (Method::GET, "/api/v1/competitions?cursor=-5".into(), None),
        (
            Method::GET,
            "/api/v1/competitions?q=".to_owned() + &"ب".repeat(150),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/competitions/{id}/leaderboard?limit=-1"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(json!({"title": 5})),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(json!([1, 2])),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(
                json!({"title": "أ", "kind": "quiz", "starts_at": "9999-12-31T23:59:59Z", "ends_at": "9999-12-31T23:59:59Z"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(
                json!({"title": "أ", "kind": "quiz", "starts_at": in_secs(60), "ends_at": in_secs(120), "max_participants": 1e12, "prizes": [{"rank": 9_223_372_036_854_775_807i64, "points": 1}]}),
            ),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/competitions/{id}"),
            Some(json!({"max_participants": "many"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/competitions/{id}/questions/1"),
            Some(json!({"position": 99_999_999_999i64})),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/competitions/{id}/questions"),
            Some(
                json!({"text": "س", "choices": ["أ", "ب"], "correct_index": 9_223_372_036_854_775_807i64}),
            ),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/competitions/{id}/results"),
            Some(json!({"results": [{"user_id": 1, "score": 1e20}]})),
        ),
        (
            Method::POST,
            format!("/api/v1/competitions/{id}/submission"),
            Some(
                json!({"answers": [{"question_id": -1, "choice_index": 9_223_372_036_854_775_807i64}]}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions/0/finalize".into(),
            Some(json!({})),
        ),
    ];
    for (method, path, body) in cases {
        let res = app
            .request(&admin.client, method.clone(), &path, t, body)
            .await;
        let status = res.status();
        assert!(
            status.is_client_error(),
            "{method} {path}: {status} {}",
            res.text().await.unwrap_or_default()
        );
    }
    // The same for a participant poking at someone else's competition.
    let res = app
        .request(
            &user.client,
            Method::DELETE,
            &format!("/api/v1/competitions/{id}/join"),
            Some(&user.token),
            None,
        )
        .await;
    assert_error(res, 403, "not_participant").await;
}
