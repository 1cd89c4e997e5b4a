//! Every malformed request gets the JSON error format, never actix's plain-text default.

use serde_json::json;

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn malformed_json_is_400_invalid_json() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"login\": \"x\", ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
}

#[tokio::test]
async fn wrong_content_type_is_415_and_empty_body_is_400() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("login=x")
        .send()
        .await
        .unwrap();
    assert_error(res, 415, "unsupported_media_type").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = spawn_app().await;
    let huge = json!({"login": "x".repeat(200_000), "password": "y"});
    let res = app.post("/api/v1/auth/login", None, huge).await;
    assert_error(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn path_and_query_parse_failures_are_json() {
    let app = spawn_app().await;
    let admin = app.admin("parser").await;
    assert_error(
        app.get("/api/v1/admin/users/not-a-number", Some(&admin.token))
            .await,
        400,
        "bad_request",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/users?limit=lots", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get(
            "/api/v1/admin/notifications?unread=maybe",
            Some(&admin.token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = spawn_app().await;
    assert_error(
        app.get("/api/v1/no-such-thing", None).await,
        404,
        "not_found",
    )
    .await;
    assert_error(app.get("/api/v2/whatever", None).await, 404, "not_found").await;
    let res = app
        .client
        .put(app.url("/api/v1/auth/login"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    assert!(status == 404 || status == 405, "{status}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
    let res = app
        .client
        .delete(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
}
