use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, PASSWORD};

#[tokio::test]
async fn me_returns_the_contract_fields() {
    let app = spawn_app().await;
    let user = app.register("fatima").await;
    let res = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    for field in ["id", "username", "display_name", "role", "points_balance"] {
        assert!(!me[field].is_null(), "missing {field}: {me}");
    }
    assert_eq!(me["id"], user.id);
    assert_eq!(me["username"], user.username);
    assert_eq!(me["email"], user.email);
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn patch_me_updates_profile_validates_and_refuses_a_taken_email() {
    let app = spawn_app().await;
    let user = app.register("khalid").await;
    app.register("other").await;
    let res = app
        .patch(
            "/api/v1/me",
            Some(&user.token),
            json!({"display_name": "  خالد الأحمد ", "locale": "en"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["display_name"], "خالد الأحمد");
    assert_eq!(me["locale"], "en");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.profile_update'")
            .await,
        1
    );

    assert_error(
        app.patch(
            "/api/v1/me",
            Some(&user.token),
            json!({"email": "OTHER@example.com"}),
        )
        .await,
        409,
        "email_taken",
    )
    .await;
    let err = assert_error(
        app.patch("/api/v1/me", Some(&user.token), json!({"display_name": ""}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["display_name"].is_string());
    assert_error(
        app.patch("/api/v1/me", Some(&user.token), json!({"locale": "fr"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.patch("/api/v1/me", Some(&user.token), json!({"role": "admin"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let me: Value = app
        .get("/api/v1/me", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "khalid@example.com");
    assert_eq!(me["role"], "user");
}

#[tokio::test]
async fn change_password_requires_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let here = app.register("nour").await;
    let elsewhere = app.login_ok("nour", PASSWORD).await;

    let wrong = app
        .post(
            "/api/v1/me/password",
            Some(&here.token),
            json!({"current_password": "not-it-123", "new_password": "a-new-secret-99"}),
        )
        .await;
    let err = assert_error(wrong, 422, "validation_failed").await;
    assert!(err["error"]["fields"]["current_password"].is_string());
    let weak = app
        .post(
            "/api/v1/me/password",
            Some(&here.token),
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_error(weak, 422, "validation_failed").await;

    let res = app
        .request(
            &here.client,
            Method::POST,
            "/api/v1/me/password",
            Some(&here.token),
            Some(json!({"current_password": PASSWORD, "new_password": "a-new-secret-99"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let new_token = body["access_token"].as_str().unwrap().to_owned();

    // This device continues with the returned token and its refresh cookie; the other is out.
    assert_eq!(
        app.get("/api/v1/me", Some(&new_token)).await.status(),
        StatusCode::OK
    );
    assert_error(
        app.get("/api/v1/me", Some(&here.token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_error(
        app.get("/api/v1/me", Some(&elsewhere.token)).await,
        401,
        "session_revoked",
    )
    .await;
    assert_eq!(
        app.request(
            &here.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.request(
            &elsewhere.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );

    assert_error(
        app.login("nour", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    app.login_ok("nour", "a-new-secret-99").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_change'")
            .await,
        1
    );
}

#[tokio::test]
async fn sessions_lists_each_device_marks_the_current_one_and_can_end_another() {
    let app = spawn_app().await;
    let phone = app.register("hana").await;
    let laptop = app.login_ok("hana", PASSWORD).await;
    let list: Value = app
        .get("/api/v1/me/sessions", Some(&laptop.token))
        .await
        .json()
        .await
        .unwrap();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let res = app
        .request(
            &app.client,
            Method::DELETE,
            &format!("/api/v1/me/sessions/{other}"),
            Some(&laptop.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.request(
            &phone.client,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            None
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );
    let list: Value = app
        .get("/api/v1/me/sessions", Some(&laptop.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);
    // Someone else's or an unknown session id is 404.
    let res = app
        .request(
            &app.client,
            Method::DELETE,
            "/api/v1/me/sessions/nope",
            Some(&laptop.token),
            None,
        )
        .await;
    assert_error(res, 404, "not_found").await;
}
