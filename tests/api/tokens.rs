//! JWT tampering and role enforcement.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, new_client, spawn_app, spawn_app_with, TestApp, PASSWORD};

fn claims(sub: i64, role: &str, tv: i32, exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub.to_string(), "role": role, "tv": tv, "sid": "x", "iat": now, "exp": now + exp_offset, "iss": "musabaqati"})
}

/// The session id (`sid`) a token carries, read without checking its signature.
fn session_of(token: &str) -> String {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = unb64(payload);
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["sid"].as_str().unwrap().to_owned()
}

fn unb64(text: &str) -> Vec<u8> {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let values: Vec<u32> = text
        .bytes()
        .map(|c| T.iter().position(|t| *t == c).unwrap() as u32)
        .collect();
    let mut out = Vec::new();
    for chunk in values.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn b64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn anonymous_gets_401_and_a_user_gets_403_on_admin_routes() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/admin/users",
        "/api/v1/admin/audit-log",
        "/api/v1/admin/notifications",
        "/api/v1/admin/users/1",
    ] {
        assert_error(app.get(path, None).await, 401, "unauthorized").await;
    }
    let user = app.register("plain").await;
    for path in [
        "/api/v1/admin/users",
        "/api/v1/admin/audit-log",
        "/api/v1/admin/notifications",
        "/api/v1/admin/users/1",
    ] {
        assert_error(app.get(path, Some(&user.token)).await, 403, "forbidden").await;
    }
    assert_error(
        app.patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&user.token),
            json!({"role": "admin"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let admin = app.admin("boss").await;
    assert_eq!(
        app.get("/api/v1/admin/users", Some(&admin.token))
            .await
            .status(),
        200
    );
    assert_error(app.get("/api/v1/me", None).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn tampered_forged_expired_and_revoked_tokens_are_rejected() {
    let app = spawn_app().await;
    let user = app.register("victim").await;
    let secret = app.settings.jwt_secret.expose().to_owned();

    // Wrong signature: a valid token signed with another key, claiming admin.
    let forged = encode(
        &Header::new(Algorithm::HS256),
        &claims(user.id, "admin", 0, 600),
        &EncodingKey::from_secret(b"not-the-server-secret-at-all-123"),
    )
    .unwrap();
    assert_error(
        app.get("/api/v1/admin/users", Some(&forged)).await,
        401,
        "invalid_token",
    )
    .await;

    // A real token with its payload edited (role: admin) keeps the old signature.
    let parts: Vec<&str> = user.token.split('.').collect();
    let edited = format!(
        "{}.{}.{}",
        parts[0],
        b64(claims(user.id, "admin", 0, 600).to_string().as_bytes()),
        parts[2]
    );
    assert_error(
        app.get("/api/v1/me", Some(&edited)).await,
        401,
        "invalid_token",
    )
    .await;

    // alg: none.
    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(user.id, "admin", 0, 600).to_string().as_bytes())
    );
    assert_error(
        app.get("/api/v1/me", Some(&none)).await,
        401,
        "invalid_token",
    )
    .await;

    // HS512 with the right secret is still not the accepted algorithm.
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &claims(user.id, "user", 0, 600),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert_error(
        app.get("/api/v1/me", Some(&hs512)).await,
        401,
        "invalid_token",
    )
    .await;

    // Expired.
    let expired = encode(
        &Header::new(Algorithm::HS256),
        &claims(user.id, "user", 0, -120),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert_error(
        app.get("/api/v1/me", Some(&expired)).await,
        401,
        "token_expired",
    )
    .await;

    // Revoked: token_version moved on.
    let stale = encode(
        &Header::new(Algorithm::HS256),
        &claims(user.id, "user", 7, 600),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert_error(
        app.get("/api/v1/me", Some(&stale)).await,
        401,
        "session_revoked",
    )
    .await;

    // A correctly signed token claiming admin for a non-admin still cannot pass the role check,
    // because the role is read from the database.
    let mut admin_claims = claims(user.id, "admin", 0, 600);
    admin_claims["sid"] = json!(session_of(&user.token));
    let claims_admin = encode(
        &Header::new(Algorithm::HS256),
        &admin_claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert_error(
        app.get("/api/v1/admin/users", Some(&claims_admin)).await,
        403,
        "forbidden",
    )
    .await;

    // Garbage and a wrong scheme.
    assert_error(
        app.get("/api/v1/me", Some("garbage")).await,
        401,
        "invalid_token",
    )
    .await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Basic {}", user.token))
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn logging_out_ends_that_sessions_access_token_at_once_on_every_replica() {
    let app = spawn_app().await;
    let replica = app.spawn_replica().await;
    let user = app.register("leaving").await;
    let other_device = app.login_ok("leaving", PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", Some(&user.token)).await.status(), 200);
    let res = app
        .request(
            &user.client,
            Method::POST,
            "/api/v1/auth/logout",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_error(
        app.get("/api/v1/me", Some(&user.token)).await,
        401,
        "session_revoked",
    )
    .await;
    let res = new_client()
        .get(format!("{}/api/v1/me", replica.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "session_revoked").await;
    // The account's other session goes on.
    assert_eq!(
        app.get("/api/v1/me", Some(&other_device.token))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn ending_another_session_from_the_sessions_page_kills_its_access_token() {
    let app = spawn_app().await;
    let phone = app.register("sara").await;
    let laptop = app.login_ok("sara", PASSWORD).await;
    let res = app
        .request(
            &app.client,
            Method::DELETE,
            &format!("/api/v1/me/sessions/{}", session_of(&phone.token)),
            Some(&laptop.token),
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_error(
        app.get("/api/v1/me", Some(&phone.token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/me", Some(&laptop.token)).await.status(),
        200
    );
    // A refresh rotates the token inside the session: the session, and its tokens, live on.
    let res = app
        .request(
            &laptop.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get("/api/v1/me", Some(&laptop.token)).await.status(),
        200
    );
}

async fn get_from(app: &TestApp, ip: &str, token: &str) -> reqwest::Response {
    new_client()
        .get(app.url("/api/v1/me"))
        .header("x-forwarded-for", ip)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failed_bearer_tokens_are_recorded_with_reason_and_address_and_alert_admins_once() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let user = app.register("holder").await;
    let secret = app.settings.jwt_secret.expose().to_owned();
    let signed = |c: &Value| {
        encode(
            &Header::new(Algorithm::HS256),
            c,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    };
    let foreign = encode(
        &Header::new(Algorithm::HS256),
        &claims(user.id, "user", 0, 600),
        &EncodingKey::from_secret(b"not-the-server-secret-at-all-123"),
    )
    .unwrap();
    let expired = signed(&claims(user.id, "user", 0, -120));
    let unknown = signed(&claims(987_654, "user", 0, 600));
    let ended = app.login_ok("holder", PASSWORD).await;
    app.request(
        &ended.client,
        Method::POST,
        "/api/v1/auth/logout",
        None,
        None,
    )
    .await;

    let cases = [
        ("garbage", "malformed", "invalid_token"),
        (foreign.as_str(), "bad_signature", "invalid_token"),
        (expired.as_str(), "expired", "token_expired"),
        (unknown.as_str(), "unknown_user", "invalid_token"),
        (ended.token.as_str(), "session_revoked", "session_revoked"),
    ];
    for (token, reason, code) in cases {
        assert_error(get_from(&app, "198.51.100.60", token).await, 401, code).await;
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM token_failed_auth WHERE reason = '{reason}' \
                 AND ip = '198.51.100.60' AND path = '/api/v1/me' AND method = 'GET'"
            ))
            .await
                >= 1,
            "{reason} recorded"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM token_failed_auth").await,
        cases.len() as i64
    );

    // Valid requests write nothing.
    for _ in 0..5 {
        assert_eq!(
            get_from(&app, "198.51.100.60", &user.token).await.status(),
            200
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM token_failed_auth").await,
        cases.len() as i64
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'bearer_token_failures'")
            .await,
        0
    );

    // An address passing the threshold (20 in the window, expired tokens aside) raises one alert.
    for _ in 0..25 {
        get_from(&app, "198.51.100.61", &foreign).await;
    }
    let alerts: Value = app
        .get(
            "/api/v1/admin/notifications",
            Some(&app.admin("watcher").await.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let alerts: Vec<&Value> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "bearer_token_failures")
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["payload"]["ip"], "198.51.100.61");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM token_failed_auth WHERE ip = '198.51.100.61'")
            .await,
        25
    );
}
