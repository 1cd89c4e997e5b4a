//! Point awards and deductions through a service key are held to the key's per-call and per-day
//! ceilings, counted in the database so concurrent calls cannot pass them together.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use super::{key_of, key_with, service_key};
use crate::helpers::{assert_error, assert_ledger_clean, balance, spawn_app, TestApp, TestUser};

/// An award of `amount` to `user` through `key` (with an `Idempotency-Key` when given).
async fn award_with(
    app: &TestApp,
    key: &str,
    user: &TestUser,
    amount: i64,
    idempotency: Option<&str>,
) -> Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/admin/points/award"))
        .header("X-API-Key", key)
        .json(&json!({"user_id": user.id, "amount": amount, "reason": "مكافأة من النظام"}));
    if let Some(k) = idempotency {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.unwrap()
}

async fn key_row(app: &TestApp, admin: &TestUser, id: &Value) -> Value {
    app.get(&format!("/api/v1/admin/api-keys/{id}"), Some(&admin.token))
        .await
        .json()
        .await
        .unwrap()
}

async fn ledger_rows(app: &TestApp, user: &TestUser) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM points_transactions WHERE user_id = {}",
        user.id
    ))
    .await
}

#[tokio::test]
async fn a_service_key_awards_within_its_ceilings_and_over_them_is_refused_changing_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("ceilingadmin").await;
    let user = app.register("ceilinguser").await;
    let created = service_key(&app, &admin, &["admin:points:write"], Some((100, 250))).await;
    let key = key_of(&created);

    assert_eq!(award_with(&app, key, &user, 100, None).await.status(), 201);
    // A deduction counts too (its absolute value), through the other route as well.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/admin/users/{}/adjust", user.id)))
        .header("X-API-Key", key)
        .json(&json!({"amount": -100, "reason": "تصحيح"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        key_row(&app, &admin, &created["id"]).await["awarded_today"],
        200
    );

    // Over the per-call ceiling.
    let res = award_with(&app, key, &user, 101, None).await;
    let body = assert_error(res, 422, "api_key_ceiling_exceeded").await;
    let message = body["error"]["fields"]["amount"].as_str().unwrap();
    assert!(
        message.contains("للطلب الواحد") && message.contains("100"),
        "{message}"
    );
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    // Over what is left of the day (50).
    let res = award_with(&app, key, &user, -60, None).await;
    let body = assert_error(res, 422, "api_key_ceiling_exceeded").await;
    let message = body["error"]["fields"]["amount"].as_str().unwrap();
    assert!(
        message.contains("اليومي") && message.contains("50"),
        "{message}"
    );
    // Nothing changed: balance, ledger, today's count, audit.
    assert_eq!(balance(&app, &user).await, 0);
    assert_eq!(ledger_rows(&app, &user).await, 2);
    assert_eq!(
        key_row(&app, &admin, &created["id"]).await["awarded_today"],
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'points.adjust'")
            .await,
        2
    );
    // Exactly the rest of the day still goes through; then nothing more.
    assert_eq!(award_with(&app, key, &user, 50, None).await.status(), 201);
    assert_error(
        award_with(&app, key, &user, 1, None).await,
        422,
        "api_key_ceiling_exceeded",
    )
    .await;
    assert_eq!(balance(&app, &user).await, 50);
    assert_eq!(
        key_row(&app, &admin, &created["id"]).await["awarded_today"],
        250
    );
    // A deduction the balance cannot cover is refused by the ledger and counts nothing.
    let other = service_key(&app, &admin, &["admin:points:write"], Some((1000, 1000))).await;
    let res = award_with(&app, key_of(&other), &user, -500, None).await;
    assert_error(res, 409, "insufficient_points").await;
    assert_eq!(
        key_row(&app, &admin, &other["id"]).await["awarded_today"],
        0
    );
    // The admin's own session has no key ceiling.
    let res = app
        .post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user.id, "amount": 5000, "reason": "من الإدارة"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_daily_ceiling_holds_under_concurrent_calls() {
    let app = spawn_app().await;
    let admin = app.admin("raceadmin").await;
    let user = app.register("raceuser").await;
    let created = service_key(&app, &admin, &["admin:points:write"], Some((10, 100))).await;
    let key = key_of(&created).to_owned();

    let calls = (0..30).map(|i| {
        let (app, key, user) = (&app, key.clone(), &user);
        async move {
            award_with(app, &key, user, 10, Some(&format!("race-{i}")))
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(calls).await;
    let ok = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((ok, refused), (10, 20), "{statuses:?}");
    assert_eq!(balance(&app, &user).await, 100);
    assert_eq!(ledger_rows(&app, &user).await, 10);
    assert_eq!(
        key_row(&app, &admin, &created["id"]).await["awarded_today"],
        100
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_retried_award_counts_once_and_rotation_keeps_the_days_count() {
    let app = spawn_app().await;
    let admin = app.admin("retryadmin").await;
    let user = app.register("retryuser").await;
    let created = service_key(&app, &admin, &["admin:points:write"], Some((60, 100))).await;
    let key = key_of(&created);
    let first = award_with(&app, key, &user, 60, Some("order-1")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = award_with(&app, key, &user, 60, Some("order-1")).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(balance(&app, &user).await, 60);
    assert_eq!(
        key_row(&app, &admin, &created["id"]).await["awarded_today"],
        60
    );

    // Rotating does not hand the key a fresh day.
    let rotated: Value = app
        .post(
            &format!("/api/v1/admin/api-keys/{}/rotate", created["id"]),
            Some(&admin.token),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rotated["awarded_today"], 60);
    assert_eq!(rotated["award_max_per_day"], 100);
    let res = award_with(&app, key_of(&rotated), &user, 60, None).await;
    assert_error(res, 422, "api_key_ceiling_exceeded").await;
    assert_eq!(
        award_with(&app, key_of(&rotated), &user, 40, None)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn ceilings_are_edited_checked_and_audited_and_a_key_without_them_cannot_award() {
    let app = spawn_app().await;
    let admin = app.admin("editadmin").await;
    let user = app.register("edituser").await;
    let created = service_key(&app, &admin, &["admin:points:write"], Some((10, 20))).await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/api-keys/{id}");
    // As the migration leaves a converted key: no ceilings, so no awards.
    app.sql(&format!(
        "UPDATE api_keys SET award_max_per_call = NULL, award_max_per_day = NULL WHERE id = {id}"
    ))
    .await;
    let res = award_with(&app, key_of(&created), &user, 1, None).await;
    let body = assert_error(res, 422, "api_key_ceiling_exceeded").await;
    assert!(body["error"]["fields"]["amount"]
        .as_str()
        .unwrap()
        .contains("لم تُحدَّد"));

    let personal = key_with(&app, &admin, &["points:read"], 10).await;
    let cases: Vec<(String, Value, u16, &str, &str)> = vec![
        (
            path.clone(),
            json!({"name": "اسم فقط"}),
            422,
            "validation_failed",
            "award_max_per_call",
        ),
        (
            path.clone(),
            json!({"award_max_per_call": 50, "award_max_per_day": 40}),
            422,
            "validation_failed",
            "award_max_per_day",
        ),
        (path.clone(), json!({}), 422, "validation_failed", "body"),
        (
            path.clone(),
            json!({"kind": "personal"}),
            422,
            "validation_failed",
            "kind",
        ),
        (
            path.clone(),
            json!({"scopes": ["admin:users:read"]}),
            422,
            "validation_failed",
            "scopes",
        ),
        (
            path.clone(),
            json!({"owner_id": user.id}),
            422,
            "validation_failed",
            "owner_id",
        ),
        (
            format!("/api/v1/admin/api-keys/{}", personal["id"]),
            json!({"award_max_per_call": 5}),
            422,
            "validation_failed",
            "award_max_per_call",
        ),
        (
            "/api/v1/admin/api-keys/999999".into(),
            json!({"name": "x"}),
            404,
            "not_found",
            "",
        ),
    ];
    for (at, body, status, code, field) in cases {
        let res = app.patch(&at, Some(&admin.token), body.clone()).await;
        let answer = assert_error(res, status, code).await;
        if !field.is_empty() {
            assert!(
                answer["error"]["fields"][field].is_string(),
                "{body}: {answer}"
            );
        }
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'api_key.update'")
            .await,
        0
    );
    // Another user cannot edit keys; nor can a key.
    let res = app
        .patch(&path, Some(&user.token), json!({"name": "x"}))
        .await;
    assert_error(res, 403, "forbidden").await;

    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"name": "  متجر الشريك  ", "award_max_per_call": 30, "award_max_per_day": 90, "rate_limit_per_minute": 5}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["name"], "متجر الشريك");
    assert_eq!(edited["award_max_per_call"], 30);
    assert_eq!(edited["award_max_per_day"], 90);
    assert_eq!(edited["rate_limit_per_minute"], 5);
    assert_eq!(edited["scopes"], json!(["admin:points:write"]));
    assert_eq!(edited["kind"], "service");
    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=api_key.update",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let entry = &audit["items"][0];
    assert_eq!(entry["target_id"], id.to_string());
    assert!(entry["details"]["before"]["award_max_per_call"].is_null());
    assert_eq!(entry["details"]["after"]["award_max_per_day"], 90);
    assert_eq!(
        award_with(&app, key_of(&created), &user, 30, None)
            .await
            .status(),
        201
    );
    // A revoked key cannot be edited.
    app.delete(&path, Some(&admin.token)).await;
    let res = app
        .patch(&path, Some(&admin.token), json!({"award_max_per_day": 100}))
        .await;
    assert_error(res, 409, "invalid_transition").await;
}
