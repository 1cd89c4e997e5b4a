//! Issue 15, item 3: email verification. The `email_verification_required` setting (default
//! off) refuses paid joins, redemptions and transfers to accounts that have not confirmed
//! their address; links are single-use, expire, are throttled, and a change of address
//! (by the owner or an admin) clears the verification and sends a new link.

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::competitions::{published_quiz, quiz, ts};
use crate::email::token_in;
use crate::helpers::{assert_error, spawn_app, spawn_app_with, TestApp, TestUser};
use crate::purchases::put_settings;

/// Turns the setting on (as an admin would, through the settings API).
async fn require_verification(app: &TestApp, admin: &TestUser) {
    let res = put_settings(app, admin, json!({"email_verification_required": true})).await;
    assert_eq!(res.status(), StatusCode::OK, "settings");
}

/// The token of the newest verification email to `to` (read from the outbox).
async fn link_token(app: &TestApp, to: &str) -> String {
    let text = app
        .text(&format!(
            "SELECT body_text FROM email_outbox WHERE kind = 'verify_email' AND recipient = '{to}' ORDER BY id DESC"
        ))
        .await
        .expect("a verification email in the outbox");
    assert!(text.contains("/verify-email?token="), "{text}");
    token_in(&text)
}

async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    app.post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await
}

async fn resend(app: &TestApp, user: &TestUser) -> reqwest::Response {
    app.request(
        &user.client,
        Method::POST,
        "/api/v1/me/email/verification",
        Some(&user.token),
        None,
    )
    .await
}

async fn me(app: &TestApp, user: &TestUser) -> Value {
    app.get("/api/v1/me", Some(&user.token))
        .await
        .json()
        .await
        .unwrap()
}

async fn verification_mails(app: &TestApp, to: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM email_outbox WHERE kind = 'verify_email' AND recipient = '{to}'"
    ))
    .await
}

#[tokio::test]
async fn with_the_setting_off_nothing_is_sent_and_nothing_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let user = app.register("free").await;
    assert_eq!(me(&app, &user).await["email_verified"], false);
    assert_eq!(verification_mails(&app, &user.email).await, 0);
    let public: Value = app
        .get("/api/v1/settings/public", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["email_verification_required"], false);
    app.post(
        &format!("/api/v1/admin/users/{}/adjust", user.id),
        Some(&admin.token),
        json!({"amount": 50, "reason": "ترحيب"}),
    )
    .await;
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "root", "amount": 5}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_unverified_account_is_refused_paid_joins_redemptions_and_transfers_until_it_verifies() {
    let app = spawn_app_with(|s| s.scheduler_interval_ms = 0).await;
    let admin = app.admin("root").await;
    require_verification(&app, &admin).await;
    let audit = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update' AND target_id = 'email_verification_required'")
        .await;
    assert_eq!(audit, 1, "the change is audit-logged");
    let user = app.register("newbie").await;
    assert_eq!(me(&app, &user).await["email_verified"], false);
    assert_eq!(
        verification_mails(&app, &user.email).await,
        1,
        "registration sends a link"
    );
    app.post(
        &format!("/api/v1/admin/users/{}/adjust", user.id),
        Some(&admin.token),
        json!({"amount": 500, "reason": "ترحيب"}),
    )
    .await;
    let mut paid = quiz("مسابقة برسوم");
    paid["entry_fee"] = json!(10);
    let paid = published_quiz(&app, &admin, paid).await;
    let free = published_quiz(&app, &admin, quiz("مسابقة مجانية")).await;
    let reward: Value = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "قسيمة", "description": "قسيمة شراء", "cost": 20, "stock": 5, "active": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let reward_id = reward["id"].as_i64().unwrap();

    let join = |id: i64| crate::competitions::join(&app, &user, id);
    let redeem_path = format!("/api/v1/rewards/{reward_id}/redeem");
    let redeem = || app.post(&redeem_path, Some(&user.token), json!({}));
    let transfer = || {
        app.post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "root", "amount": 5}),
        )
    };
    assert_error(join(paid).await, 403, "email_not_verified").await;
    assert_error(redeem().await, 403, "email_not_verified").await;
    assert_error(transfer().await, 403, "email_not_verified").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE user_id = {}",
            user.id
        ))
        .await,
        1,
        "nothing moved but the welcome credit"
    );
    // A free competition needs no verified address.
    assert_eq!(join(free).await.status(), StatusCode::CREATED);

    let token = link_token(&app, &user.email).await;
    let res = verify(&app, &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["email"], user.email);
    assert_eq!(me(&app, &user).await["email_verified"], true);
    assert_eq!(join(paid).await.status(), StatusCode::CREATED);
    assert_eq!(redeem().await.status(), StatusCode::CREATED);
    assert_eq!(transfer().await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_link_works_once_and_wrong_or_expired_links_are_refused() {
    let app = spawn_app().await;
    let user = app.register("once").await;
    let res = resend(&app, &user).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["sent_to"], user.email);
    let token = link_token(&app, &user.email).await;

    let body = assert_error(
        verify(&app, "00ff").await,
        422,
        "invalid_verification_token",
    )
    .await;
    assert!(body["error"]["fields"]["token"].is_string(), "{body}");
    assert_eq!(me(&app, &user).await["email_verified"], false);

    assert_eq!(verify(&app, &token).await.status(), StatusCode::OK);
    let body = assert_error(
        verify(&app, &token).await,
        422,
        "invalid_verification_token",
    )
    .await;
    assert!(
        body["error"]["fields"]["token"]
            .as_str()
            .unwrap()
            .contains("من قبل"),
        "{body}"
    );
    // Already verified: nothing more to send.
    assert_error(resend(&app, &user).await, 409, "email_already_verified").await;

    // Expiry: a fresh account's link aged past 24 hours.
    let late = app.register("late").await;
    assert_eq!(resend(&app, &late).await.status(), StatusCode::ACCEPTED);
    let token = link_token(&app, &late.email).await;
    app.sql(&format!(
        "UPDATE email_verifications SET expires_at = '{}' WHERE user_id = {}",
        ts(Utc::now() - chrono::Duration::seconds(1)),
        late.id
    ))
    .await;
    let body = assert_error(
        verify(&app, &token).await,
        422,
        "invalid_verification_token",
    )
    .await;
    assert!(
        body["error"]["fields"]["token"]
            .as_str()
            .unwrap()
            .contains("انتهت"),
        "{body}"
    );
    assert_eq!(me(&app, &late).await["email_verified"], false);
    // The token is stored hashed only.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM email_verifications WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn resends_are_limited_per_account_and_per_address() {
    let app = spawn_app_with(|s| {
        s.rate_limits.verification_emails_per_account = 2;
        s.rate_limits.verification_emails_per_ip = 3;
    })
    .await;
    let a = app.register("alpha").await;
    for _ in 0..2 {
        assert_eq!(resend(&app, &a).await.status(), StatusCode::ACCEPTED);
    }
    let res = resend(&app, &a).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "retry-after {retry}");
    assert_error(res, 429, "rate_limited").await;
    assert_eq!(verification_mails(&app, &a.email).await, 2);

    // Another account from the same address gets the address's remaining one.
    let b = app.register("beta").await;
    assert_eq!(resend(&app, &b).await.status(), StatusCode::ACCEPTED);
    assert_error(resend(&app, &b).await, 429, "rate_limited").await;
    assert_eq!(verification_mails(&app, &b.email).await, 1);
}

#[tokio::test]
async fn changing_the_email_clears_verification_kills_old_links_and_sends_a_new_one() {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let user = app.register("mover").await;
    assert_eq!(resend(&app, &user).await.status(), StatusCode::ACCEPTED);
    let old_token = link_token(&app, &user.email).await;
    assert_eq!(verify(&app, &old_token).await.status(), StatusCode::OK);
    assert_eq!(resend(&app, &user).await.status(), StatusCode::CONFLICT);

    // The owner changes the address.
    let res = app
        .patch(
            "/api/v1/me",
            Some(&user.token),
            json!({"email": "moved@example.com"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["email_verified"], false);
    let new_token = link_token(&app, "moved@example.com").await;

    // An admin changes it again before the owner opened the link: that link no longer verifies.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"email": "fixed@example.com", "note": "طلب المستخدم تصحيح بريده"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_error(
        verify(&app, &new_token).await,
        422,
        "invalid_verification_token",
    )
    .await;
    let admin_token = link_token(&app, "fixed@example.com").await;
    assert_eq!(verify(&app, &admin_token).await.status(), StatusCode::OK);
    let me = me(&app, &user).await;
    assert_eq!(me["email"], "fixed@example.com");
    assert_eq!(me["email_verified"], true);
}

#[tokio::test]
async fn parallel_resends_pass_exactly_the_per_account_limit() {
    let app = spawn_app_with(|s| {
        s.rate_limits.verification_emails_per_account = 3;
        s.rate_limits.verification_emails_per_ip = 100;
    })
    .await;
    let user = app.register("eager").await;
    let statuses: Vec<StatusCode> = futures::future::join_all((0..8).map(|_| resend(&app, &user)))
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((accepted, limited), (3, 5), "{statuses:?}");
    assert_eq!(verification_mails(&app, &user.email).await, 3);
}
