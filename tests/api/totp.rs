//! Two-factor sign-in (TOTP), recovery codes, the sign-in challenge, step-up confirmation of
//! sensitive admin operations and the `admin_totp_required` setting. Codes are computed here
//! with the same crate the server uses.

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use totp_rs::{Builder, Secret};

use crate::competitions::ts;
use crate::helpers::{assert_error, spawn_app, TestApp, TestUser, PASSWORD};
use crate::rewards::send;

/// The code of the step `steps` away from now.
pub fn code(secret: &str, steps: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let t = Utc::now().timestamp() + steps * 30;
    totp.generate(u64::try_from(t).unwrap()).to_string()
}

/// A code that is certainly wrong now (no step in the accepted window has it).
fn wrong_code(secret: &str) -> String {
    let window: Vec<String> = (-1..=1).map(|s| code(secret, s)).collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !window.contains(c))
        .unwrap()
}

/// Lets the next code be accepted without waiting 30 seconds for a new step.
async fn forget_last_step(app: &TestApp, user_id: i64) {
    app.sql(&format!(
        "UPDATE user_totp SET last_step = NULL WHERE user_id = {user_id}"
    ))
    .await;
}

/// Sets up and enables TOTP; returns the secret and the recovery codes. Starts early in a
/// 30-second step (waiting for the next one when fewer than 12 s are left), so a test that
/// replays "the code of the current step" right after does not cross into the next step on a
/// slow machine (the PostgreSQL run of 2026-12-07 did, and the replayed code was accepted).
pub async fn enrol(app: &TestApp, user: &TestUser) -> (String, Vec<String>) {
    let into = Utc::now().timestamp().rem_euclid(30);
    if into >= 18 {
        tokio::time::sleep(std::time::Duration::from_secs(
            u64::try_from(30 - into).unwrap_or(0) + 1,
        ))
        .await;
    }
    let res = app
        .post("/api/v1/me/totp/setup", Some(&user.token), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let setup: Value = res.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let res = app
        .post(
            "/api/v1/me/totp/enable",
            Some(&user.token),
            json!({"code": code(&secret, 0)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let codes = body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

/// The challenge of a right password for an account with TOTP on.
async fn challenge(app: &TestApp, username: &str) -> String {
    let res = app.login(username, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["totp_required"], true, "{body}");
    assert!(body.get("access_token").is_none(), "no tokens yet: {body}");
    body["challenge"].as_str().unwrap().to_owned()
}

async fn second_step(app: &TestApp, challenge: &str, code: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/login/totp",
        None,
        json!({"challenge": challenge, "code": code}),
    )
    .await
}

async fn status(app: &TestApp, user: &TestUser) -> Value {
    app.get("/api/v1/me/totp", Some(&user.token))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn enrolment_gives_a_secret_and_uri_and_is_active_only_after_a_right_code() {
    let app = spawn_app().await;
    let user = app.register("huda").await;
    assert_eq!(status(&app, &user).await["enabled"], false);

    let res = app
        .post("/api/v1/me/totp/setup", Some(&user.token), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let setup: Value = res.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap();
    let uri = setup["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Musabaqati:huda?secret=") && uri.contains(secret),
        "{uri}"
    );
    // Set up but not confirmed: sign-in is unchanged.
    assert!(app
        .login("huda", PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .is_string());

    let res = app
        .post(
            "/api/v1/me/totp/enable",
            Some(&user.token),
            json!({"code": wrong_code(secret)}),
        )
        .await;
    assert_error(res, 422, "invalid_totp_code").await;
    assert_eq!(status(&app, &user).await["enabled"], false);

    let res = app
        .post(
            "/api/v1/me/totp/enable",
            Some(&user.token),
            json!({"code": code(secret, 0)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let codes = body["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    let st = status(&app, &user).await;
    assert_eq!(st["enabled"], true);
    assert_eq!(st["recovery_codes_left"], 10);
    // Only hashes are stored.
    let first = codes[0].as_str().unwrap().replace('-', "");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM totp_recovery_codes WHERE code_hash = '{first}'"
        ))
        .await,
        0
    );
    // A second setup while on is refused.
    let res = app
        .post("/api/v1/me/totp/setup", Some(&user.token), json!({}))
        .await;
    assert_error(res, 409, "conflict").await;
}

#[tokio::test]
async fn sign_in_needs_the_code_and_a_code_is_never_accepted_twice() {
    let app = spawn_app().await;
    let user = app.register("salma").await;
    let (secret, _) = enrol(&app, &user).await;

    let ch = challenge(&app, "salma").await;
    // Wrong code, then the code already used to enable (same step): both refused.
    assert_error(
        second_step(&app, &ch, &wrong_code(&secret)).await,
        422,
        "invalid_totp_code",
    )
    .await;
    assert_error(
        second_step(&app, &ch, &code(&secret, 0)).await,
        422,
        "invalid_totp_code",
    )
    .await;
    // The next step's code is inside the window and not used yet.
    let res = second_step(&app, &ch, &code(&secret, 1)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["username"], "salma");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/me", Some(token)).await.status(),
        StatusCode::OK
    );

    // The challenge is single use, and the code too.
    forget_last_step(&app, user.id).await;
    assert_error(
        second_step(&app, &ch, &code(&secret, 0)).await,
        422,
        "invalid_totp_code",
    )
    .await;
    let ch2 = challenge(&app, "salma").await;
    forget_last_step(&app, user.id).await;
    assert_eq!(
        second_step(&app, &ch2, &code(&secret, 0)).await.status(),
        StatusCode::OK
    );
    let ch3 = challenge(&app, "salma").await;
    assert_error(
        second_step(&app, &ch3, &code(&secret, 0)).await,
        422,
        "invalid_totp_code",
    )
    .await;

    // A wrong password still answers 401 without a challenge.
    assert_error(
        app.login("salma", "wrong-password-1").await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    let user = app.register("nour").await;
    let (_, codes) = enrol(&app, &user).await;

    let ch = challenge(&app, "nour").await;
    // Case and dashes do not matter.
    let typed = codes[3].to_uppercase().replace('-', " ");
    assert_eq!(
        second_step(&app, &ch, &typed).await.status(),
        StatusCode::OK
    );
    assert_eq!(status(&app, &user).await["recovery_codes_left"], 9);

    let ch = challenge(&app, "nour").await;
    assert_error(
        second_step(&app, &ch, &codes[3]).await,
        422,
        "invalid_totp_code",
    )
    .await;
    assert_eq!(
        second_step(&app, &ch, &codes[4]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_challenge_is_spent_after_five_wrong_codes() {
    let app = spawn_app().await;
    let user = app.register("yara").await;
    let (secret, _) = enrol(&app, &user).await;
    forget_last_step(&app, user.id).await;

    let ch = challenge(&app, "yara").await;
    for _ in 0..5 {
        assert_error(
            second_step(&app, &ch, &wrong_code(&secret)).await,
            422,
            "invalid_totp_code",
        )
        .await;
    }
    let res = second_step(&app, &ch, &code(&secret, 0)).await;
    let body = assert_error(res, 422, "invalid_totp_code").await;
    assert!(body["error"]["fields"]["challenge"].is_string(), "{body}");
    // A new challenge works.
    let ch = challenge(&app, "yara").await;
    assert_eq!(
        second_step(&app, &ch, &code(&secret, 0)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn disabling_needs_a_code_and_restores_password_only_sign_in() {
    let app = spawn_app().await;
    let user = app.register("lina").await;
    let (secret, _) = enrol(&app, &user).await;
    forget_last_step(&app, user.id).await;

    // The password alone is not enough while TOTP is on.
    let res = app
        .post(
            "/api/v1/me/totp/disable",
            Some(&user.token),
            json!({"password": PASSWORD}),
        )
        .await;
    assert_error(res, 422, "invalid_totp_code").await;
    let res = app
        .post(
            "/api/v1/me/totp/disable",
            Some(&user.token),
            json!({"code": code(&secret, 0)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(status(&app, &user).await["enabled"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM totp_recovery_codes").await,
        0
    );
    let body: Value = app.login("lina", PASSWORD).await.json().await.unwrap();
    assert!(body["access_token"].is_string(), "{body}");
}

async fn adjust(app: &TestApp, admin: &TestUser, user_id: i64, amount: i64) -> reqwest::Response {
    app.post(
        &format!("/api/v1/admin/users/{user_id}/adjust"),
        Some(&admin.token),
        json!({"amount": amount, "reason": "تعويض"}),
    )
    .await
}

async fn age_step_up(app: &TestApp, user_id: i64, secs: i64) {
    app.sql(&format!(
        "UPDATE session_step_ups SET stepped_up_at = '{}' WHERE user_id = {user_id}",
        ts(Utc::now() - chrono::Duration::seconds(secs))
    ))
    .await;
}

#[tokio::test]
async fn sensitive_admin_operations_need_a_fresh_confirmation() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let user = app.register("karim").await;

    // Signing in is a confirmation: fine for ten minutes.
    assert_eq!(
        adjust(&app, &admin, user.id, 5000).await.status(),
        StatusCode::CREATED
    );

    age_step_up(&app, admin.id, 11 * 60).await;
    // At or under the threshold (1000 by default) no confirmation is needed.
    assert_eq!(
        adjust(&app, &admin, user.id, 1000).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        adjust(&app, &admin, user.id, -1000).await.status(),
        StatusCode::CREATED
    );
    // Above it, and on the other sensitive operations: 403 step_up_required, nothing changed.
    assert_error(
        adjust(&app, &admin, user.id, 1001).await,
        403,
        "step_up_required",
    )
    .await;
    let res = app
        .post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user.id, "amount": -2000, "reason": "خصم"}),
        )
        .await;
    assert_error(res, 403, "step_up_required").await;
    let res = send(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &admin.token,
        Some(json!({"digits": "latn"})),
    )
    .await;
    assert_error(res, 403, "step_up_required").await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"role": "admin"}),
        )
        .await;
    assert_error(res, 403, "step_up_required").await;
    let res = app
        .post(
            "/api/v1/admin/api-keys",
            Some(&admin.token),
            json!({"name": "متجر", "scopes": ["points:read"], "rate_limit_per_minute": 100}),
        )
        .await;
    assert_error(res, 403, "step_up_required").await;
    let res = app
        .post(
            "/api/v1/admin/purchases/999/mark-paid",
            Some(&admin.token),
            json!({"payment_reference": "TRX-1"}),
        )
        .await;
    assert_error(res, 403, "step_up_required").await;
    // A status change is not a role change: no confirmation needed.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"status": "suspended", "note": "مخالفة"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {} AND role = 'user'",
            user.id
        ))
        .await,
        1
    );

    // Wrong password, then the right one: allowed again, on this session only.
    let res = app
        .post(
            "/api/v1/auth/step-up",
            Some(&admin.token),
            json!({"password": "nope-nope-1"}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .post(
            "/api/v1/auth/step-up",
            Some(&admin.token),
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["expires_in"], 600);
    assert_eq!(
        adjust(&app, &admin, user.id, 1001).await.status(),
        StatusCode::CREATED
    );
    let res = send(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &admin.token,
        Some(json!({"digits": "latn"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let sql = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user.step_up' AND actor_user_id = {}",
        admin.id
    );
    assert_eq!(app.count(&sql).await, 1);

    // It expires after ten minutes.
    age_step_up(&app, admin.id, 601).await;
    assert_error(
        adjust(&app, &admin, user.id, 1001).await,
        403,
        "step_up_required",
    )
    .await;
}

#[tokio::test]
async fn an_admin_with_totp_steps_up_with_a_code_not_the_password() {
    let app = spawn_app().await;
    let admin = app.admin("chief").await;
    let user = app.register("omar").await;
    let (secret, _) = enrol(&app, &admin).await;
    age_step_up(&app, admin.id, 11 * 60).await;

    let res = app
        .post(
            "/api/v1/auth/step-up",
            Some(&admin.token),
            json!({"password": PASSWORD}),
        )
        .await;
    assert_error(res, 422, "invalid_totp_code").await;
    // The enrolment code is spent.
    let res = app
        .post(
            "/api/v1/auth/step-up",
            Some(&admin.token),
            json!({"code": code(&secret, 0)}),
        )
        .await;
    assert_error(res, 422, "invalid_totp_code").await;
    let res = app
        .post(
            "/api/v1/auth/step-up",
            Some(&admin.token),
            json!({"code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        adjust(&app, &admin, user.id, 5000).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn admin_totp_required_sends_admins_without_totp_to_enrol() {
    let app = spawn_app().await;
    let admin = app.admin("rania").await;
    let other = app.admin("sami").await;
    let res = send(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &admin.token,
        Some(json!({"admin_totp_required": true})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Still allowed until the setting applies to them: they enrol first.
    let res = app.get("/api/v1/admin/settings", Some(&admin.token)).await;
    assert_error(res, 403, "totp_enrolment_required").await;
    let res = app.get("/api/v1/admin/users", Some(&other.token)).await;
    assert_error(res, 403, "totp_enrolment_required").await;
    // Their own pages and enrolment still work.
    assert_eq!(
        app.get("/api/v1/me", Some(&admin.token)).await.status(),
        StatusCode::OK
    );
    enrol(&app, &admin).await;
    assert_eq!(
        app.get("/api/v1/admin/settings", Some(&admin.token))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/admin/users", Some(&other.token))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
