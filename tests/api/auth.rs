use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, new_client, spawn_app, PASSWORD};

#[tokio::test]
async fn register_creates_the_account_signs_in_and_sets_a_strict_httponly_refresh_cookie() {
    let app = spawn_app().await;
    let res = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "Ahmad_99", "email": "Ahmad@Example.com", "password": PASSWORD, "display_name": "أحمد"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("mq_refresh="))
        .expect("refresh cookie")
        .clone();
    let device = cookies
        .iter()
        .find(|c| c.starts_with("mq_device="))
        .expect("device cookie");
    assert!(
        device.contains("HttpOnly") && device.contains("SameSite=Lax"),
        "{device}"
    );
    assert!(cookie.starts_with("mq_refresh="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/v1/auth"),
        "{cookie}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() > 600);
    assert_eq!(body["user"]["username"], "Ahmad_99");
    assert_eq!(body["user"]["email"], "ahmad@example.com");
    assert_eq!(body["user"]["role"], "user");
    assert_eq!(body["user"]["points_balance"], 0);
    assert_eq!(body["user"]["referral_code"].as_str().unwrap().len(), 8);
    // The password is stored as an argon2id hash, and the refresh token only as a hash.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'")
            .await,
        1
    );
    let raw = cookie
        .trim_start_matches("mq_refresh=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = '{raw}'"
        ))
        .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM refresh_tokens").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.register'")
            .await,
        1
    );
    // The token works.
    let me = app.get("/api/v1/me", body["access_token"].as_str()).await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_invalid_registration_field_is_reported_in_arabic_and_nothing_is_created() {
    let app = spawn_app().await;
    let valid = json!({"username": "valid_user", "email": "valid@example.com", "password": PASSWORD, "display_name": "سارة"});
    let cases: Vec<(&str, Value, &str)> = vec![
        ("username", json!(""), "empty username"),
        ("username", json!("ab"), "too short"),
        ("username", json!("a".repeat(31)), "too long"),
        ("username", json!("1abc"), "starts with a digit"),
        ("username", json!("سارة"), "Arabic letters in a handle"),
        ("username", json!("has space"), "space"),
        ("email", json!(""), "empty email"),
        ("email", json!("not-an-email"), "no @"),
        ("email", json!("a@b"), "no dot in domain"),
        ("password", json!(""), "empty password"),
        ("password", json!("short"), "short password"),
        ("password", json!("aaaaaaaaaaaa"), "one repeated character"),
        ("password", json!("x".repeat(129)), "too long password"),
        ("display_name", json!("   "), "blank display name"),
        ("display_name", json!("ا".repeat(51)), "long display name"),
        (
            "referral_code",
            json!("not valid!"),
            "malformed referral code",
        ),
        ("referral_code", json!("ZZZZZZZZ"), "unknown referral code"),
    ];
    for (field, value, why) in cases {
        let mut body = valid.clone();
        body[field] = value;
        let res = app.post("/api/v1/auth/register", None, body).await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(
            err["error"]["fields"][field].is_string(),
            "{why}: expected a message for {field}, got {err}"
        );
    }
    let mut missing = valid.clone();
    missing.as_object_mut().unwrap().remove("email");
    let err = assert_error(
        app.post("/api/v1/auth/register", None, missing).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        err["error"]["fields"]["email"].is_string(),
        "missing email named: {err}"
    );
    let mut wrong_type = valid.clone();
    wrong_type["username"] = json!(42);
    assert_error(
        app.post("/api/v1/auth/register", None, wrong_type).await,
        422,
        "validation_failed",
    )
    .await;
    let mut same_as_name = valid.clone();
    same_as_name["password"] = json!("Valid_User");
    assert_error(
        app.post("/api/v1/auth/register", None, same_as_name).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
}

#[tokio::test]
async fn duplicate_username_and_email_are_rejected_case_insensitively() {
    let app = spawn_app().await;
    app.register("Layla").await;
    let res = app
        .post("/api/v1/auth/register", None, json!({"username": "LAYLA", "email": "other@example.com", "password": PASSWORD, "display_name": "ليلى"}))
        .await;
    let err = assert_error(res, 409, "username_taken").await;
    assert!(err["error"]["fields"]["username"].is_string());
    let res = app
        .post("/api/v1/auth/register", None, json!({"username": "layla2", "email": "LAYLA@EXAMPLE.COM", "password": PASSWORD, "display_name": "ليلى"}))
        .await;
    let err = assert_error(res, 409, "email_taken").await;
    assert!(err["error"]["fields"]["email"].is_string());
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn concurrent_registrations_of_one_name_create_exactly_one_account() {
    let app = spawn_app().await;
    let mut handles = Vec::new();
    for i in 0..8 {
        let url = app.url("/api/v1/auth/register");
        handles.push(tokio::spawn(async move {
            new_client()
                .post(url)
                .json(&json!({"username": "racer", "email": format!("racer{i}@example.com"), "password": PASSWORD, "display_name": "متسابق"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn login_works_with_username_or_email_and_rejects_wrong_credentials_alike() {
    let app = spawn_app().await;
    let user = app.register("Omar").await;
    for login in ["Omar", "omar", "omar@example.com", "OMAR@EXAMPLE.COM"] {
        let u = app.login_ok(login, PASSWORD).await;
        assert_eq!(u.id, user.id, "login as {login}");
    }
    let wrong = assert_error(
        app.login("omar", "wrong-password-1").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_error(
        app.login("nobody_here", "wrong-password-1").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        wrong["error"]["message"], unknown["error"]["message"],
        "no hint whether the account exists"
    );
    assert_error(app.login("", "").await, 422, "validation_failed").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.login'")
            .await,
        4
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE last_login_at IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn refresh_rotates_the_cookie_and_reusing_an_old_one_revokes_the_whole_family() {
    let app = spawn_app().await;
    let user = app.register("rotator").await;
    let first_cookie = user.client.clone();
    // Capture the current raw cookie by refreshing with a client that records it.
    let res = app
        .request(
            &user.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let old_set_cookie: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["id"], user.id);
    let token_b = old_set_cookie
        .iter()
        .find(|c| c.starts_with("mq_refresh="))
        .unwrap()
        .trim_start_matches("mq_refresh=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    // Rotate again: token_b is now spent.
    let res = app
        .request(
            &first_cookie,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let latest: Value = res.json().await.unwrap();

    // Replayed right away it is treated as two tabs racing: refused, session kept.
    let racer = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("mq_refresh={token_b}"))
        .send()
        .await
        .unwrap();
    assert_error(racer, 401, "invalid_token").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NULL")
            .await,
        1
    );

    // Later, the same replay is a stolen token: the whole family goes.
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1))
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string();
    app.sql(&format!(
        "UPDATE refresh_tokens SET revoked_at = '{past}' WHERE revoked_at IS NOT NULL"
    ))
    .await;
    let attacker = reqwest::Client::new();
    let res = attacker
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("mq_refresh={token_b}"))
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "session_revoked").await;
    // The legitimate holder's newest token is dead too: the family is revoked.
    let res = app
        .request(
            &first_cookie,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(latest["access_token"].is_string());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.reuse_detected'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'refresh_token_reuse'")
            .await,
        1
    );
}

#[tokio::test]
async fn refresh_without_or_with_a_garbage_cookie_is_401() {
    let app = spawn_app().await;
    assert_error(
        app.post("/api/v1/auth/refresh", None, json!({})).await,
        401,
        "unauthorized",
    )
    .await;
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", "mq_refresh=garbage")
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "invalid_token").await;
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let app = spawn_app().await;
    let user = app.register("leaver").await;
    let res = app
        .request(
            &user.client,
            Method::POST,
            "/api/v1/auth/logout",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cleared.starts_with("mq_refresh=;") || cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let res = app
        .request(
            &user.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.logout'")
            .await,
        1
    );
}

#[tokio::test]
async fn logout_all_revokes_every_session_and_every_access_token_at_once() {
    let app = spawn_app().await;
    let phone = app.register("multi").await;
    let laptop = app.login_ok("multi", PASSWORD).await;
    let res = app
        .request(
            &laptop.client,
            Method::POST,
            "/api/v1/auth/logout-all",
            Some(&laptop.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get("/api/v1/me", Some(&phone.token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_error(
        app.get("/api/v1/me", Some(&laptop.token)).await,
        401,
        "session_revoked",
    )
    .await;
    let res = app
        .request(
            &phone.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Signing in again works.
    app.login_ok("multi", PASSWORD).await;
}
