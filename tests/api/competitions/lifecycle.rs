//! The lifecycle: draft to finalized, every illegal transition refused, and validation.

use super::*;

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
