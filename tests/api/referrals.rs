//! Friend Challenge: referral codes, abuse rules and the admin review queue.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::competitions::{
    add_question, create, end_now, finalize, join, publish, quiz, quiz_with_scores, start_now,
    submit,
};
use crate::helpers::{assert_error, assert_ledger_clean, balance, new_client, spawn_app_with};
use crate::helpers::{TestApp, TestUser, PASSWORD};
use crate::purchases::put_settings;

async fn code_of(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get("/api/v1/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    me["referral_code"].as_str().unwrap().to_owned()
}

/// Registers through a given client IP (the app trusts X-Forwarded-For) and device cookie.
async fn register_from(
    app: &TestApp,
    username: &str,
    code: &str,
    ip: &str,
    device: Option<&str>,
) -> Value {
    let mut req = new_client()
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", ip)
        .json(&json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD, "display_name": "صديق", "referral_code": code}));
    if let Some(d) = device {
        req = req.header("cookie", format!("mq_device={d}"));
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "register {username}");
    res.json().await.unwrap()
}

async fn proxied_app() -> TestApp {
    spawn_app_with(|s| s.trust_proxy = true).await
}

#[tokio::test]
async fn a_friend_from_another_place_is_pending_and_listed_with_the_share_link() {
    let app = proxied_app().await;
    let inviter = app.register("inviter").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(
        &app,
        "friend_one",
        &code.to_lowercase(),
        "198.51.100.7",
        Some("dev-friend"),
    )
    .await;
    let summary: Value = app
        .get("/api/v1/referrals", Some(&inviter.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["code"], code);
    assert_eq!(summary["share_path"], format!("/register?ref={code}"));
    assert_eq!(summary["total_invited"], 1);
    assert_eq!(summary["invited"][0]["username"], "friend_one");
    assert_eq!(summary["invited"][0]["status"], "pending");
    assert_eq!(summary["invited"][0]["status_label"], "بانتظار أول مسابقة");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
            .await,
        0
    );
}

#[tokio::test]
async fn same_ip_same_device_and_the_daily_cap_flag_for_review_and_notify_admins() {
    let app = proxied_app().await;
    let admin = app.admin("reviewer").await;
    // The inviter signs up from 203.0.113.5 on device "dev-A".
    let res = new_client()
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", "203.0.113.5")
        .header("cookie", "mq_device=dev-A")
        .json(&json!({"username": "host", "email": "host@example.com", "password": PASSWORD, "display_name": "مضيف"}))
        .send()
        .await
        .unwrap();
    let host: Value = res.json().await.unwrap();
    let code = host["user"]["referral_code"].as_str().unwrap().to_owned();

    register_from(&app, "same_ip", &code, "203.0.113.5", Some("dev-B")).await;
    register_from(&app, "same_device", &code, "198.51.100.9", Some("dev-A")).await;
    app.sql(&format!("INSERT INTO system_settings (key, value, updated_at) VALUES ('referral_daily_cap', '3', '{}')", chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6f+00:00"))).await;
    register_from(&app, "clean_one", &code, "198.51.100.10", Some("dev-C")).await;
    register_from(&app, "over_cap", &code, "198.51.100.11", Some("dev-D")).await;

    let queue: Value = app
        .get("/api/v1/admin/referrals?status=flagged", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let by_name = |name: &str| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["referee_username"] == name)
            .cloned()
    };
    assert_eq!(by_name("same_ip").unwrap()["reasons"], json!(["same_ip"]));
    assert_eq!(
        by_name("same_device").unwrap()["reasons"],
        json!(["same_device"])
    );
    assert_eq!(
        by_name("over_cap").unwrap()["reasons"],
        json!(["daily_cap"])
    );
    assert!(by_name("clean_one").is_none());
    assert!(by_name("same_ip").unwrap()["reason_labels"][0]
        .as_str()
        .unwrap()
        .contains("عنوان"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
            .await,
        3
    );
    assert_error(
        app.get("/api/v1/admin/referrals?status=weird", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn approving_a_flagged_referral_pays_both_sides_exactly_once_and_reject_pays_nothing() {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let inviter = app.register("sharer").await;
    let code = code_of(&app, &inviter.token).await;
    // Both from 127.0.0.1 (no forwarded header): same IP → flagged.
    let flagged = app
        .post("/api/v1/auth/register", None, json!({"username": "twin", "email": "twin@example.com", "password": PASSWORD, "display_name": "توأم", "referral_code": code}))
        .await;
    let twin: Value = flagged.json().await.unwrap();
    let other = register_from(&app, "stranger", &code, "198.51.100.20", Some("dev-S")).await;
    let queue: Value = app
        .get("/api/v1/admin/referrals", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let id_of = |name: &str| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["referee_username"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (twin_ref, stranger_ref) = (id_of("twin"), id_of("stranger"));

    // Two admins approve at once: one pays, the other gets 409.
    let approve_path = format!("/api/v1/admin/referrals/{twin_ref}/approve");
    let a = app.post(&approve_path, Some(&admin.token), json!({"note": "تحققت"}));
    let b = app.post(&approve_path, Some(&admin.token), json!({}));
    let (a, b) = tokio::join!(a, b);
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let twin_balance: Value = app
        .get(
            "/api/v1/points/balance",
            Some(twin["access_token"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    let inviter_balance: Value = app
        .get("/api/v1/points/balance", Some(&inviter.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(twin_balance["points_balance"].as_i64().unwrap() > 0);
    assert!(inviter_balance["points_balance"].as_i64().unwrap() > 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'referral_bonus'")
            .await,
        2
    );

    let res = app
        .post(
            &format!("/api/v1/admin/referrals/{stranger_ref}/reject"),
            Some(&admin.token),
            json!({"note": "مكرر"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_error(
        app.post(
            &format!("/api/v1/admin/referrals/{stranger_ref}/approve"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let stranger_balance: Value = app
        .get(
            "/api/v1/points/balance",
            Some(other["access_token"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stranger_balance["points_balance"], 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('referral.approve', 'referral.reject')").await, 2);
    assert_error(
        app.post(
            "/api/v1/admin/referrals/99999/approve",
            Some(&admin.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let report: Value = app
        .get("/api/v1/admin/ledger/verify", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["violations"], json!([]));
}

#[tokio::test]
async fn an_unknown_referral_code_is_a_field_error() {
    let app = proxied_app().await;
    let res = app
        .post("/api/v1/auth/register", None, json!({"username": "lonely", "email": "lonely@example.com", "password": PASSWORD, "display_name": "وحيد", "referral_code": "NOSUCHCD"}))
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert!(err["error"]["fields"]["referral_code"].is_string());
}

/// Signs in a user registered with `register_from` (from this machine: sign-in has no abuse rule).
async fn signed_in(app: &TestApp, username: &str) -> TestUser {
    app.login_ok(username, PASSWORD).await
}

async fn referral_status(app: &TestApp, admin: &TestUser, referee: &str) -> (String, Value) {
    let res = app.get("/api/v1/admin/referrals", Some(&admin.token)).await;
    let queue: Value = res.json().await.unwrap();
    let row = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["referee_username"] == referee)
        .cloned()
        .unwrap();
    (row["status"].as_str().unwrap().to_owned(), row)
}

#[tokio::test]
async fn a_pending_referral_pays_both_bonuses_once_when_the_friend_finishes_a_first_competition() {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let inviter = app.register("host").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(&app, "newcomer", &code, "198.51.100.30", Some("dev-N")).await;
    let friend = signed_in(&app, "newcomer").await;
    assert_eq!(referral_status(&app, &admin, "newcomer").await.0, "pending");

    // Joining is not finishing: nothing is paid until the competition is finalized.
    let first = quiz_with_scores(&app, &admin, &[&friend], &[Some(1)], quiz("أول مسابقة")).await;
    assert_eq!(balance(&app, &friend).await, 0);
    assert_eq!(referral_status(&app, &admin, "newcomer").await.0, "pending");
    end_now(&app, first).await;
    assert_eq!(finalize(&app, &admin, first).await.status(), StatusCode::OK);

    let (status, row) = referral_status(&app, &admin, "newcomer").await;
    assert_eq!(status, "rewarded");
    assert!(row["qualified_at"].is_string(), "{row}");
    let (referrer_bonus, referee_bonus) =
        (balance(&app, &inviter).await, balance(&app, &friend).await);
    assert!(referrer_bonus > 0 && referee_bonus > 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'referral_bonus'")
            .await,
        2
    );
    let summary: Value = app
        .get("/api/v1/referrals", Some(&inviter.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(summary.to_string().contains("rewarded"), "{summary}");

    // A second finished competition pays nothing more.
    let second = quiz_with_scores(&app, &admin, &[&friend], &[Some(1)], quiz("ثاني مسابقة")).await;
    end_now(&app, second).await;
    assert_eq!(
        finalize(&app, &admin, second).await.status(),
        StatusCode::OK
    );
    assert_eq!(balance(&app, &inviter).await, referrer_bonus);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'referral_bonus'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_friend_suspended_before_qualifying_is_flagged_not_paid_and_admins_are_told() {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let inviter = app.register("host").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(&app, "rulebreaker", &code, "198.51.100.31", Some("dev-R")).await;
    let friend = signed_in(&app, "rulebreaker").await;
    let id = quiz_with_scores(&app, &admin, &[&friend], &[Some(1)], quiz("مسابقة")).await;
    // Suspended after submitting, before the results are final.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", friend.id),
            Some(&admin.token),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let notes_before = app
        .count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
        .await;
    end_now(&app, id).await;
    assert_eq!(finalize(&app, &admin, id).await.status(), StatusCode::OK);

    let (status, row) = referral_status(&app, &admin, "rulebreaker").await;
    assert_eq!(status, "flagged");
    assert!(row.to_string().contains("referee_suspended"), "{row}");
    assert_eq!(balance(&app, &inviter).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'referral_bonus'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
            .await,
        notes_before + 1
    );
}

/// A quiz the friend joins (with `fee` points) and hands in `answers` for, finalized.
async fn finished_quiz(
    app: &TestApp,
    admin: &TestUser,
    friend: &TestUser,
    title: &str,
    fee: i64,
    answers: impl Fn(&[i64]) -> Value,
) {
    let mut body = quiz(title);
    body["entry_fee"] = json!(fee);
    let id = create(app, admin, body).await;
    let questions = [
        add_question(app, admin, id, 0, 1).await,
        add_question(app, admin, id, 0, 2).await,
    ];
    publish(app, admin, id).await;
    assert_eq!(join(app, friend, id).await.status(), StatusCode::CREATED);
    start_now(app, id).await;
    let res = submit(app, friend, id, answers(&questions)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "submit");
    end_now(app, id).await;
    assert_eq!(finalize(app, admin, id).await.status(), StatusCode::OK);
}

fn right(questions: &[i64], how_many: usize) -> Value {
    json!(questions
        .iter()
        .enumerate()
        .map(|(i, q)| json!({"question_id": q, "choice_index": if i < how_many { 0 } else { 1 }}))
        .collect::<Vec<_>>())
}

async fn bonus_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'referral_bonus'")
        .await
}

#[tokio::test]
async fn an_empty_or_all_wrong_submission_does_not_qualify_a_referral_but_a_right_answer_later_does(
) {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let inviter = app.register("host").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(&app, "throwaway", &code, "198.51.100.40", Some("dev-T")).await;
    let friend = signed_in(&app, "throwaway").await;

    // A free quiz, an empty answer list: ranked with 0, but no real activity.
    finished_quiz(&app, &admin, &friend, "مسابقة فارغة", 0, |_| {
        json!([])
    })
    .await;
    let (status, row) = referral_status(&app, &admin, "throwaway").await;
    assert_eq!(status, "pending", "{row}");
    assert!(row["qualified_at"].is_null(), "{row}");
    assert_eq!(bonus_rows(&app).await, 0);
    // Every answer wrong: still nothing.
    finished_quiz(&app, &admin, &friend, "مسابقة خاطئة", 0, |q| {
        right(q, 0)
    })
    .await;
    assert_eq!(
        referral_status(&app, &admin, "throwaway").await.0,
        "pending"
    );
    assert_eq!(balance(&app, &inviter).await, 0);

    // One right answer in a later quiz qualifies it, and both sides are paid once.
    finished_quiz(&app, &admin, &friend, "مسابقة حقيقية", 0, |q| {
        right(q, 1)
    })
    .await;
    let (status, row) = referral_status(&app, &admin, "throwaway").await;
    assert_eq!(status, "rewarded", "{row}");
    assert!(row["qualified_at"].is_string());
    assert_eq!(bonus_rows(&app).await, 2);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_paid_entry_fee_qualifies_but_a_fee_the_referrer_funded_is_held_for_review() {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let inviter = app.register("host").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(&app, "payer", &code, "198.51.100.41", Some("dev-P")).await;
    register_from(&app, "funded", &code, "198.51.100.42", Some("dev-F")).await;
    let payer = signed_in(&app, "payer").await;
    let funded = signed_in(&app, "funded").await;

    // Points from elsewhere (an admin's award) pay the fee: an empty list still qualifies.
    crate::helpers::award(&app, &admin, payer.id, 10).await;
    finished_quiz(&app, &admin, &payer, "برسوم", 5, |_| json!([])).await;
    assert_eq!(referral_status(&app, &admin, "payer").await.0, "rewarded");

    // The referrer sends the throwaway account its fee: flagged, admins told, nothing paid.
    crate::helpers::award(&app, &admin, inviter.id, 20).await;
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&inviter.token),
            json!({"to_username": "funded", "amount": 5}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let bonuses = bonus_rows(&app).await;
    let notes = app
        .count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
        .await;
    finished_quiz(&app, &admin, &funded, "برسوم ممولة", 5, |_| {
        json!([])
    })
    .await;
    let (status, row) = referral_status(&app, &admin, "funded").await;
    assert_eq!(status, "flagged", "{row}");
    assert_eq!(row["reasons"], json!(["funded_by_referrer"]));
    assert!(row["qualified_at"].is_string());
    assert_eq!(bonus_rows(&app).await, bonuses);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
            .await,
        notes + 1
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_minimum_score_is_a_validated_audited_setting_that_qualification_follows() {
    let app = proxied_app().await;
    let admin = app.admin("judge").await;
    let settings: Value = app
        .get("/api/v1/admin/settings", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let item = settings["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "referral_min_score")
        .cloned()
        .expect("the setting is listed");
    assert_eq!(item["value"], 1);
    assert!(item["label"].as_str().unwrap().contains("دعوة"));
    for bad in [json!(0), json!(-1), json!("3"), json!(2_000_000)] {
        let res = put_settings(&app, &admin, json!({"referral_min_score": bad})).await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(
            err["error"]["fields"]["referral_min_score"].is_string(),
            "{bad}: {err}"
        );
    }
    let res = put_settings(&app, &admin, json!({"referral_min_score": 3})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update' AND target_id = 'referral_min_score'")
            .await,
        1
    );

    let inviter = app.register("host").await;
    let code = code_of(&app, &inviter.token).await;
    register_from(&app, "scorer", &code, "198.51.100.43", Some("dev-S")).await;
    let friend = signed_in(&app, "scorer").await;
    // One right answer worth 1 point: below the minimum of 3.
    finished_quiz(&app, &admin, &friend, "درجة قليلة", 0, |q| {
        right(q, 1)
    })
    .await;
    assert_eq!(referral_status(&app, &admin, "scorer").await.0, "pending");
    // Both right: 1 + 2 = 3 points.
    finished_quiz(&app, &admin, &friend, "درجة كافية", 0, |q| {
        right(q, 2)
    })
    .await;
    assert_eq!(referral_status(&app, &admin, "scorer").await.0, "rewarded");
}
