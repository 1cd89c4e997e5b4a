//! JWT tampering and role enforcement.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::{assert_error, spawn_app};

fn claims(sub: i64, role: &str, tv: i32, exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub.to_string(), "role": role, "tv": tv, "sid": "x", "iat": now, "exp": now + exp_offset, "iss": "musabaqati"})
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
    let claims_admin = encode(
        &Header::new(Algorithm::HS256),
        &claims(user.id, "admin", 0, 600),
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
