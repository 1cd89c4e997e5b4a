//! What a person can do about their own account's state (issue 13 item 10): withdraw a purchase
//! request still waiting for payment, and read why their account was suspended and whom to
//! contact.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, PASSWORD};
use crate::purchases::{create_package, gold, request_package};

#[tokio::test]
async fn the_owner_withdraws_a_waiting_purchase_once_and_nobody_else_can() {
    let app = spawn_app().await;
    let admin = app.admin("cashier").await;
    let buyer = app.register("buyer").await;
    let other = app.register("nosy").await;
    let package = create_package(&app, &admin, gold()).await;
    let waiting = request_package(&app, &buyer, &package["id"]).await;
    let id = waiting["purchase"]["id"].as_i64().expect("purchase id");
    let cancel = |token: String, key: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/purchases/{id}/cancel")))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .send()
    };

    // Someone else's purchase does not exist for them; nothing changes.
    assert_error(
        cancel(other.token.clone(), "nosy-1").await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.text(&format!(
            "SELECT status FROM purchase_records WHERE id = {id}"
        ))
        .await
        .as_deref(),
        Some("requested")
    );

    // The owner withdraws it; a retry with the same key answers the same, once.
    let first = cancel(buyer.token.clone(), "mine-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "cancelled");
    assert!(first["cancelled_at"].is_string());
    assert!(
        first["recorded_by_username"].is_null(),
        "the owner's answer names no admin"
    );
    let retry = cancel(buyer.token.clone(), "mine-1").await.unwrap();
    assert_eq!(retry.status(), StatusCode::OK);
    assert_eq!(retry.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(retry.json::<Value>().await.unwrap(), first);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.cancel_by_owner' AND target_id = '{id}' AND actor_user_id = {}",
            buyer.id
        ))
        .await,
        1
    );

    // A new key on a cancelled purchase: 409 naming its state; an admin cannot mark it paid.
    let again = assert_error(
        cancel(buyer.token.clone(), "mine-2").await.unwrap(),
        409,
        "invalid_transition",
    )
    .await;
    assert!(again["error"]["message"].as_str().unwrap().contains("ملغى"));
    let paid = app
        .post(
            &format!("/api/v1/admin/purchases/{id}/mark-paid"),
            Some(&admin.token),
            json!({"payment_reference": "BANK-1"}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::CONFLICT);

    // A paid purchase cannot be withdrawn: the points were credited.
    let second = request_package(&app, &buyer, &package["id"]).await;
    let second_id = second["purchase"]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/purchases/{second_id}/mark-paid"),
            Some(&admin.token),
            json!({"payment_reference": "BANK-2"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("/api/v1/purchases/{second_id}/cancel"),
            Some(&buyer.token),
            json!({}),
        )
        .await;
    assert_error(res, 409, "invalid_transition").await;
    assert_eq!(
        app.count(&format!(
            "SELECT points_balance FROM users WHERE id = {}",
            buyer.id
        ))
        .await,
        1100
    );

    // Bad ids are a clear 4xx, never a 5xx.
    let res = app
        .post(
            "/api/v1/purchases/abc/cancel",
            Some(&buyer.token),
            json!({}),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let res = app
        .post(
            "/api/v1/purchases/99999999/cancel",
            Some(&buyer.token),
            json!({}),
        )
        .await;
    assert_error(res, 404, "not_found").await;
}

#[tokio::test]
async fn a_suspended_person_reads_the_reason_and_the_contact_when_signing_in() {
    let app = spawn_app().await;
    let admin = app.admin("sheriff").await;
    let user = app.register("outlaw").await;
    let res = app
        .request(
            &app.client,
            reqwest::Method::PUT,
            "/api/v1/admin/settings",
            Some(&admin.token),
            Some(json!({"admin_contact": "+966 50 000 1234"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let path = format!("/api/v1/admin/users/{}", user.id);
    let suspend = |note: Option<&str>| {
        let mut body = json!({"status": "suspended"});
        if let Some(n) = note {
            body["note"] = json!(n);
        }
        app.patch(&path, Some(&admin.token), body)
    };
    assert_eq!(
        suspend(Some("نشر روابط احتيال في الدردشة")).await.status(),
        StatusCode::OK
    );

    // The right password: 403 with the reason and the contact (isolated left to right).
    let body = assert_error(
        app.login("outlaw", PASSWORD).await,
        403,
        "account_suspended",
    )
    .await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("نشر روابط احتيال في الدردشة"), "{message}");
    assert!(
        message.contains("\u{2066}+966 50 000 1234\u{2069}"),
        "{message}"
    );
    // A wrong password learns nothing about the account.
    let body = assert_error(
        app.login("outlaw", "not-the-password-1").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert!(!body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("احتيال"));

    // Reactivated, then suspended again without a note: the old reason is not repeated.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(suspend(None).await.status(), StatusCode::OK);
    let body = assert_error(
        app.login("outlaw", PASSWORD).await,
        403,
        "account_suspended",
    )
    .await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(!message.contains("احتيال"), "{message}");
    assert!(message.contains("+966 50 000 1234"), "{message}");
}
