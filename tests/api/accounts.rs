//! Issue 15: password reset (by email and by an admin's link), admin edits of a user's name,
//! username and email, and the absolute lifetime of a session.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::competitions::ts;
use crate::email::token_in;
use crate::helpers::{assert_error, new_client, spawn_app, spawn_app_with, TestApp, PASSWORD};

/// The token of the newest reset email to `to` (read from the outbox: no SMTP server here).
async fn emailed_token(app: &TestApp, to: &str) -> String {
    let text = app
        .text(&format!(
            "SELECT body_text FROM email_outbox WHERE kind = 'password_reset' AND recipient = '{to}' ORDER BY id DESC"
        ))
        .await
        .expect("a reset email in the outbox");
    token_in(&text)
}

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.post("/api/v1/auth/password-reset", None, json!({"email": email}))
        .await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": token, "new_password": password}),
    )
    .await
}

async fn password_hash(app: &TestApp, id: i64) -> String {
    app.text(&format!("SELECT password_hash FROM users WHERE id = {id}"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reset_request_answers_alike_for_known_and_unknown_addresses() {
    let app = spawn_app_with(|s| s.rate_limits.password_resets_per_ip = 100).await;
    app.register("known").await;

    let known = request_reset(&app, "known@example.com").await;
    let known_status = known.status();
    let known_body: Value = known.json().await.unwrap();
    let unknown = request_reset(&app, "nobody@example.com").await;
    assert_eq!(known_status, 202);
    assert_eq!(unknown.status(), known_status);
    assert_eq!(unknown.json::<Value>().await.unwrap(), known_body);
    assert!(known_body["message"]
        .as_str()
        .unwrap()
        .contains("إذا كان هذا البريد مسجّلًا"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE kind = 'password_reset'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'nobody@example.com'")
            .await,
        0
    );

    // Same timing class: neither path hashes a password or talks to a mail server, so the medians
    // of a few requests each are within a few milliseconds of each other.
    let mut times = [Vec::new(), Vec::new()];
    for round in 0..8 {
        for (i, email) in ["known@example.com", "nobody@example.com"]
            .iter()
            .enumerate()
        {
            let email = if i == 0 {
                (*email).to_owned()
            } else {
                format!("nobody{round}@example.com")
            };
            let start = Instant::now();
            assert_eq!(request_reset(&app, &email).await.status(), 202);
            times[i].push(start.elapsed());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (k, u) = (median(&mut times[0]), median(&mut times[1]));
    let gap = k.abs_diff(u);
    assert!(
        gap < Duration::from_millis(50),
        "known {k:?} vs unknown {u:?}"
    );

    // Malformed input is a field error, for any address.
    let res = assert_error(
        request_reset(&app, "not-an-email").await,
        422,
        "validation_failed",
    )
    .await;
    assert!(res["error"]["fields"]["email"].is_string());
}

#[tokio::test]
async fn a_reset_link_sets_the_password_once_ends_every_session_and_tells_the_owner() {
    let app = spawn_app().await;
    let user = app.register("noor").await;
    let other_device = app.login_ok("noor", PASSWORD).await;
    assert_eq!(request_reset(&app, "noor@example.com").await.status(), 202);
    let token = emailed_token(&app, "noor@example.com").await;
    let before = password_hash(&app, user.id).await;

    // The registration rules, in Arabic, and the link survives a refused password.
    for (password, why) in [
        ("short", "too short"),
        ("noor", "too short and the username"),
        ("aaaaaaaaaa", "one repeated character"),
    ] {
        let body = assert_error(
            confirm(&app, &token, password).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(body["error"]["fields"]["new_password"].is_string(), "{why}");
    }
    let body = assert_error(
        confirm(&app, &token, "Noor").await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["error"]["fields"]["new_password"].is_string());
    assert_eq!(password_hash(&app, user.id).await, before);

    let res = confirm(&app, &token, "a-new-long-secret").await;
    assert_eq!(res.status(), 204);

    // Every session ended: access tokens and refresh cookies of both devices.
    for t in [&user.token, &other_device.token] {
        assert_eq!(app.get("/api/v1/me", Some(t)).await.status(), 401);
    }
    for client in [&user.client, &other_device.client] {
        let res = app
            .request(
                client,
                reqwest::Method::POST,
                "/api/v1/auth/refresh",
                None,
                None,
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    assert_error(
        app.login("noor", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    let signed_in = app.login_ok("noor", "a-new-long-secret").await;

    // Used once: the same link again is refused and changes nothing.
    let hash = password_hash(&app, user.id).await;
    let body = assert_error(
        confirm(&app, &token, "yet-another-secret").await,
        422,
        "invalid_reset_token",
    )
    .await;
    assert!(body["error"]["fields"]["token"]
        .as_str()
        .unwrap()
        .contains("استُخدم"));
    assert_eq!(password_hash(&app, user.id).await, hash);

    // Told in the app and by email; audit-logged.
    let notes: Value = app
        .get("/api/v1/notifications", Some(&signed_in.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "password_reset"),
        "{notes}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox WHERE kind = 'password_changed' AND recipient = 'noor@example.com'").await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_reset' AND target_id = '{}'", user.id)).await,
        1
    );
    // Only the hash of the token is stored.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn wrong_expired_and_superseded_reset_tokens_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let user = app.register("rami").await;
    let before = password_hash(&app, user.id).await;

    for token in ["", "abc", &"0".repeat(64), &"z".repeat(500)] {
        let res = confirm(&app, token, "a-new-long-secret").await;
        let code = if token.is_empty() || token.len() > 128 {
            "validation_failed"
        } else {
            "invalid_reset_token"
        };
        assert_error(res, 422, code).await;
    }

    request_reset(&app, "rami@example.com").await;
    let expired = emailed_token(&app, "rami@example.com").await;
    app.sql(&format!(
        "UPDATE password_resets SET expires_at = '{}' WHERE token_hash IS NOT NULL",
        ts(chrono::Utc::now() - chrono::Duration::minutes(1))
    ))
    .await;
    let body = assert_error(
        confirm(&app, &expired, "a-new-long-secret").await,
        422,
        "invalid_reset_token",
    )
    .await;
    assert!(body["error"]["fields"]["token"]
        .as_str()
        .unwrap()
        .contains("انتهت صلاحية"));

    // Two live links: using one ends the other.
    request_reset(&app, "rami@example.com").await;
    let first = emailed_token(&app, "rami@example.com").await;
    request_reset(&app, "rami@example.com").await;
    let second = emailed_token(&app, "rami@example.com").await;
    assert_ne!(first, second);
    assert_eq!(password_hash(&app, user.id).await, before);
    assert_eq!(
        confirm(&app, &second, "a-new-long-secret").await.status(),
        204
    );
    assert_error(
        confirm(&app, &first, "another-long-secret").await,
        422,
        "invalid_reset_token",
    )
    .await;
}

#[tokio::test]
async fn reset_requests_are_limited_silently_per_account_and_with_429_per_address() {
    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.rate_limits.password_resets_per_account = 2;
        s.rate_limits.password_resets_per_ip = 4;
    })
    .await;
    app.register("salma").await;
    // Three requests for one account: the same 202 each time, two emails.
    for _ in 0..3 {
        assert_eq!(request_reset(&app, "salma@example.com").await.status(), 202);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE recipient = 'salma@example.com'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM password_resets WHERE outcome = 'throttled'")
            .await,
        1
    );

    // The fourth request from this address (any address typed) is its last; the fifth is 429.
    assert_eq!(
        request_reset(&app, "someone@example.com").await.status(),
        202
    );
    let res = request_reset(&app, "else@example.com").await;
    assert!(res.headers().get("retry-after").is_some());
    assert_error(res, 429, "rate_limited").await;
    // Another client address is not affected (the real address, as a trusted proxy reports it).
    let res = new_client()
        .post(app.url("/api/v1/auth/password-reset"))
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({"email": "else@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
}

#[tokio::test]
async fn an_admin_issued_reset_link_works_once_and_is_audit_logged() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let user = app.register("yusuf").await;
    let path = format!("/api/v1/admin/users/{}/password-reset", user.id);

    let body = assert_error(
        app.post(&path, Some(&admin.token), json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["error"]["fields"]["note"].is_string());
    assert_error(
        app.post(&path, Some(&user.token), json!({"note": "x"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/users/999999/password-reset",
            Some(&admin.token),
            json!({"note": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    let res = app
        .post(
            &path,
            Some(&admin.token),
            json!({"note": "طلب المستخدم بالهاتف"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let issued: Value = res.json().await.unwrap();
    let link = issued["link"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/reset-password?token=", app.address)),
        "{link}"
    );
    let audit = app
        .text(&format!(
            "SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'user.password_reset_link' AND actor_user_id = {} AND target_id = '{}'",
            admin.id, user.id
        ))
        .await;
    let audit = audit.map(|d| d.contains("طلب المستخدم بالهاتف") && !d.contains(&token_in(link)));
    assert_eq!(
        audit,
        Some(true),
        "audit row with the note and without the token"
    );

    assert_eq!(
        confirm(&app, &token_in(link), "chosen-by-yusuf")
            .await
            .status(),
        204
    );
    app.login_ok("yusuf", "chosen-by-yusuf").await;
    assert_error(
        confirm(&app, &token_in(link), "chosen-again-1").await,
        422,
        "invalid_reset_token",
    )
    .await;
    let details = app
        .text(&format!("SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'user.password_reset' AND target_id = '{}'", user.id))
        .await
        .unwrap();
    assert!(
        details.contains(&format!("\"issued_by\":{}", admin.id))
            || details.contains(&format!("\"issued_by\": {}", admin.id)),
        "{details}"
    );
}

async fn user_row(app: &TestApp, id: i64) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for col in [
        "username",
        "username_lower",
        "email",
        "display_name",
        "search_text",
        "display_name_skeleton",
    ] {
        out.push(
            app.text(&format!("SELECT {col} FROM users WHERE id = {id}"))
                .await,
        );
    }
    out
}

#[tokio::test]
async fn an_admin_edits_a_users_name_username_and_email_with_a_reason_logged_before_and_after() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let user = app.register("khalid").await;
    let path = format!("/api/v1/admin/users/{}", user.id);

    // A note is required for an identity change; nothing changes without it.
    let before = user_row(&app, user.id).await;
    let body = assert_error(
        app.patch(
            &path,
            Some(&admin.token),
            json!({"display_name": "خالد الجديد"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["error"]["fields"]["note"]
        .as_str()
        .unwrap()
        .contains("سبب"));
    assert_eq!(user_row(&app, user.id).await, before);
    // The same values are no change, so no note is needed.
    let same = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"username": "khalid", "email": "KHALID@example.com"}),
        )
        .await;
    assert_eq!(same.status(), 200);

    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"display_name": "خالد أحمد", "username": "khalid_a", "email": "Khalid.A@Example.com", "note": "تصحيح بطلب من المستخدم"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["username"], "khalid_a");
    assert_eq!(body["email"], "khalid.a@example.com");
    assert_eq!(body["display_name"], "خالد أحمد");
    // Sessions go on; the new username signs in, the old one is free.
    assert_eq!(app.get("/api/v1/me", Some(&user.token)).await.status(), 200);
    app.login_ok("khalid_a", PASSWORD).await;
    app.login_ok("khalid.a@example.com", PASSWORD).await;
    let details = app
        .text(&format!("SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'user.identity_change' AND actor_user_id = {}", admin.id))
        .await
        .unwrap();
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["note"], "تصحيح بطلب من المستخدم");
    assert_eq!(
        details["changes"]["username"],
        json!({"from": "khalid", "to": "khalid_a"})
    );
    assert_eq!(
        details["changes"]["email"],
        json!({"from": "khalid@example.com", "to": "khalid.a@example.com"})
    );
    assert_eq!(details["changes"]["display_name"]["to"], "خالد أحمد");
    // The search finds the new name.
    let found: Value = app
        .get("/api/v1/admin/users?q=khalid_a", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"][0]["id"], user.id);
    // The owner is told.
    let notes: Value = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "account_edited"));
}

#[tokio::test]
async fn an_admin_edit_with_a_taken_or_invalid_value_is_refused_in_arabic_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    app.register("taken").await;
    let user = app.register("mona").await;
    let path = format!("/api/v1/admin/users/{}", user.id);
    let before = user_row(&app, user.id).await;
    let note = "تصحيح";
    let cases = [
        (
            json!({"username": "TAKEN", "note": note}),
            409,
            "username_taken",
            "username",
        ),
        (
            json!({"email": "taken@example.com", "note": note}),
            409,
            "email_taken",
            "email",
        ),
        (
            json!({"username": "1bad", "note": note}),
            422,
            "validation_failed",
            "username",
        ),
        (
            json!({"username": "ab", "note": note}),
            422,
            "validation_failed",
            "username",
        ),
        (
            json!({"email": "no-at-sign", "note": note}),
            422,
            "validation_failed",
            "email",
        ),
        (
            json!({"display_name": "   ", "note": note}),
            422,
            "validation_failed",
            "display_name",
        ),
        (
            json!({"display_name": "a\u{202E}b", "note": note}),
            422,
            "validation_failed",
            "display_name",
        ),
        (
            json!({"display_name": "b\u{043E}ss", "note": note}),
            422,
            "validation_failed",
            "display_name",
        ),
        (
            json!({"display_name": "منى", "note": "x".repeat(501)}),
            422,
            "validation_failed",
            "note",
        ),
        (
            json!({"email": "mona2@example.com"}),
            422,
            "validation_failed",
            "note",
        ),
        (json!({}), 422, "validation_failed", "role"),
        (
            json!({"nickname": "x", "note": note}),
            422,
            "validation_failed",
            "nickname",
        ),
    ];
    for (body, status, code, field) in cases {
        let res = app.patch(&path, Some(&admin.token), body.clone()).await;
        let err = assert_error(res, status, code).await;
        if field != "nickname" {
            let message = err["error"]["fields"][field]
                .as_str()
                .unwrap_or_else(|| panic!("{body}: {err}"));
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{body}: Arabic {message}"
            );
        }
        assert_eq!(
            user_row(&app, user.id).await,
            before,
            "{body} changed nothing"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.identity_change'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_often_it_is_refreshed() {
    let app = spawn_app_with(|s| s.session_max_secs = 3600).await;
    let user = app.register("hala").await;
    let refresh = |client: reqwest::Client| {
        let app = &app;
        async move {
            app.request(
                &client,
                reqwest::Method::POST,
                "/api/v1/auth/refresh",
                None,
                None,
            )
            .await
        }
    };
    assert_eq!(refresh(user.client.clone()).await.status(), 200);
    // The refresh token never outlives the session's cap, however long the sliding window is.
    {
        use musabaqati::entities::refresh_tokens;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let live = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::UserId.eq(user.id))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            live.expires_at,
            live.family_created_at + chrono::Duration::seconds(3600)
        );
    }
    // The session began just over an hour ago: the refresh is refused with a clear code.
    app.sql(&format!(
        "UPDATE refresh_tokens SET family_created_at = '{}' WHERE user_id = {}",
        ts(chrono::Utc::now() - chrono::Duration::seconds(3601)),
        user.id
    ))
    .await;
    let res = refresh(user.client.clone()).await;
    let body = assert_error(res, 401, "session_expired").await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("سجّل الدخول"));
    // It is over for good, and its access token with it.
    assert_eq!(refresh(user.client.clone()).await.status(), 401);
    assert_eq!(app.get("/api/v1/me", Some(&user.token)).await.status(), 401);
    // Signing in again starts a new session.
    let again = app.login_ok("hala", PASSWORD).await;
    assert_eq!(refresh(again.client.clone()).await.status(), 200);
}
