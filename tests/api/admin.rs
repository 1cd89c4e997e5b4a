use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, PASSWORD};

#[tokio::test]
async fn admin_changes_a_role_which_is_audited_and_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.admin("chief").await;
    let user = app.register("promoted").await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["role"], "admin");
    // The old token carried the old role: it stops working; a new sign-in gets admin rights.
    assert_error(
        app.get("/api/v1/me", Some(&user.token)).await,
        401,
        "session_revoked",
    )
    .await;
    let again = app.login_ok("promoted", PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/admin/users", Some(&again.token))
            .await
            .status(),
        StatusCode::OK
    );

    let log: Value = app
        .get(
            "/api/v1/admin/audit-log?action=user.role_change",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let entries = log["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["actor_username"], "chief");
    assert_eq!(entries[0]["target_id"], user.id.to_string());
    assert_eq!(entries[0]["details"]["to"], "admin");
}

#[tokio::test]
async fn suspending_a_user_locks_them_out_everywhere_immediately() {
    let app = spawn_app().await;
    let admin = app.admin("warden").await;
    let user = app.register("rulebreaker").await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me", Some(&user.token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_error(
        app.login("rulebreaker", PASSWORD).await,
        403,
        "account_suspended",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.status_change'")
            .await,
        1
    );
    // Reactivate.
    app.patch(
        &format!("/api/v1/admin/users/{}", user.id),
        Some(&admin.token),
        json!({"status": "active"}),
    )
    .await;
    app.login_ok("rulebreaker", PASSWORD).await;
}

#[tokio::test]
async fn admins_cannot_change_themselves_and_bad_updates_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin("solo").await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", admin.id),
            Some(&admin.token),
            json!({"role": "user"}),
        )
        .await;
    assert_error(res, 409, "conflict").await;
    assert_error(
        app.patch(
            "/api/v1/admin/users/999999",
            Some(&admin.token),
            json!({"role": "user"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/api/v1/admin/users/{}", admin.id + 1),
            Some(&admin.token),
            json!({"role": "king"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/api/v1/admin/users/{}", admin.id),
            Some(&admin.token),
            json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn user_search_normalizes_arabic_and_paginates_by_cursor() {
    let app = spawn_app().await;
    let admin = app.admin("searcher").await;
    let user = app.register("arabic_name").await;
    app.patch(
        "/api/v1/me",
        Some(&user.token),
        json!({"display_name": "مُصطفى إبراهيم"}),
    )
    .await;
    for i in 0..5 {
        app.register(&format!("filler{i}")).await;
    }
    // Typed without diacritics and with plain alef / yaa.
    let found: Value = app.get("/api/v1/admin/users?q=%D9%85%D8%B5%D8%B7%D9%81%D9%8A%20%D8%A7%D8%A8%D8%B1%D8%A7%D9%87%D9%8A%D9%85", Some(&admin.token)).await.json().await.unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["items"][0]["username"], "arabic_name");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/admin/users?limit=3&cursor={c}"),
            None => "/api/v1/admin/users?limit=3".to_owned(),
        };
        let page: Value = app
            .get(&path, Some(&admin.token))
            .await
            .json()
            .await
            .unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seen:?}"
    );
    assert_error(
        app.get("/api/v1/admin/users?limit=0", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/users?cursor=abc", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/users?status=gone", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn admin_inbox_lists_and_marks_notifications_read() {
    let app = spawn_app().await;
    let admin = app.admin("inboxer").await;
    app.register("locked").await;
    for _ in 0..5 {
        app.login("locked", "wrong-password-x").await;
    }
    let inbox: Value = app
        .get(
            "/api/v1/admin/notifications?unread=true",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inbox["unread"], 1, "{inbox}");
    let id = inbox["items"][0]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/notifications/{id}/read"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let inbox: Value = app
        .get("/api/v1/admin/notifications", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inbox["unread"], 0);
    assert!(inbox["items"][0]["read_at"].is_string());
    assert_error(
        app.post(
            "/api/v1/admin/notifications/424242/read",
            Some(&admin.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
