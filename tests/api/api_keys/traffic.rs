//! Keys in use: refused keys (revoked, expired, suspended owner) and the record of every
//! refusal, per-key rate limits, the per-address exemption, the usage log, and the per-address
//! block after repeated bad keys.

use musabaqati::entities::api_keys;
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use super::{fast_usage_log, key_get, key_of, key_with, wait_for_count};
use crate::helpers::{assert_error, balance, spawn_app, spawn_app_with};

#[tokio::test]
async fn revoked_expired_and_suspended_owner_keys_get_401_and_each_refusal_is_recorded() {
    let app = spawn_app().await;
    let admin = app.admin("revoker").await;
    let revoked = key_with(&app, &admin, &["points:read"], 100).await;
    let id = revoked["id"].as_i64().unwrap();
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", key_of(&revoked))
            .await
            .status(),
        StatusCode::OK
    );
    let first: Value = app
        .delete(&format!("/api/v1/admin/api-keys/{id}"), Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "revoked");
    // Revoking again is a no-op.
    let res = app
        .delete(&format!("/api/v1/admin/api-keys/{id}"), Some(&admin.token))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = res.json().await.unwrap();
    assert_eq!(second["revoked_at"], first["revoked_at"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'api_key.revoke'")
            .await,
        1
    );
    let res = key_get(&app, "/api/v1/points/balance", key_of(&revoked)).await;
    assert_error(res, 401, "api_key_revoked").await;

    let expired = key_with(&app, &admin, &["points:read"], 100).await;
    api_keys::Entity::update_many()
        .col_expr(
            api_keys::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(5)),
        )
        .filter(api_keys::Column::Id.eq(expired["id"].as_i64().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    let res = key_get(&app, "/api/v1/points/balance", key_of(&expired)).await;
    assert_error(res, 401, "api_key_expired").await;
    let page: Value = app
        .get("/api/v1/admin/api-keys?status=expired", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], expired["id"]);

    // Another admin's own key stops when that admin is suspended.
    let owner = app.admin("soonsuspended").await;
    let owned = key_with(&app, &owner, &["points:read"], 10).await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", owner.id),
            Some(&admin.token),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = key_get(&app, "/api/v1/points/balance", key_of(&owned)).await;
    assert_error(res, 401, "api_key_owner_suspended").await;

    let wrong_secret = format!("{}_{}", revoked["prefix"].as_str().unwrap(), "A".repeat(43));
    assert_error(
        key_get(&app, "/api/v1/points/balance", &wrong_secret).await,
        401,
        "invalid_api_key",
    )
    .await;
    assert_error(
        key_get(&app, "/api/v1/points/balance", "mk_zzzzzzzzzzzz_unknown").await,
        401,
        "invalid_api_key",
    )
    .await;
    assert_error(
        key_get(&app, "/api/v1/points/balance", "not a key").await,
        401,
        "invalid_api_key",
    )
    .await;

    let page: Value = app
        .get("/api/v1/admin/api-keys/failed-auth", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let seen: Vec<(String, Value)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["reason"].as_str().unwrap().to_owned(),
                i["key_prefix"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("malformed".to_owned(), Value::Null),
            ("unknown_key".to_owned(), json!("mk_zzzzzzzzzzzz")),
            ("invalid_secret".to_owned(), revoked["prefix"].clone()),
            ("owner_suspended".to_owned(), owned["prefix"].clone()),
            ("expired".to_owned(), expired["prefix"].clone()),
            ("revoked".to_owned(), revoked["prefix"].clone()),
        ]
    );
    let first = &page["items"][0];
    assert_eq!(first["ip"], "127.0.0.1");
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/api/v1/points/balance");
    assert_eq!(first["reason_label"], "صيغة مفتاح غير صحيحة");
    let filtered: Value = app
        .get(
            "/api/v1/admin/api-keys/failed-auth?reason=expired&limit=5",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    let res = app
        .get(
            "/api/v1/admin/api-keys/failed-auth?reason=stolen",
            Some(&admin.token),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .delete("/api/v1/admin/api-keys/999999", Some(&admin.token))
        .await;
    assert_error(res, 404, "not_found").await;
}

#[tokio::test]
async fn each_key_has_its_own_rate_limit_with_headers_and_retry_after() {
    let app = spawn_app().await;
    let admin = app.admin("limiter").await;
    let slow = key_with(&app, &admin, &["points:read"], 3).await;
    let other = key_with(&app, &admin, &["points:read"], 3).await;
    for remaining in ["2", "1", "0"] {
        let res = key_get(&app, "/api/v1/points/balance", key_of(&slow)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["x-ratelimit-limit"], "3");
        assert_eq!(res.headers()["x-ratelimit-remaining"], remaining);
    }
    let res = key_get(&app, "/api/v1/points/balance", key_of(&slow)).await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    assert_eq!(res.headers()["x-ratelimit-remaining"], "0");
    assert_error(res, 429, "rate_limited").await;
    // Another key, and the admin's own token, are not affected.
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", key_of(&other))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(balance(&app, &admin).await, 0);
}

#[tokio::test]
async fn key_calls_are_exempt_from_the_per_ip_limit_that_still_holds_for_tokens() {
    let app = spawn_app_with(|s| {
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 6;
    })
    .await;
    let admin = app.admin("ipbound").await;
    let created = key_with(&app, &admin, &["points:read"], 1000).await;
    for _ in 0..15 {
        let res = key_get(&app, "/api/v1/points/balance", key_of(&created)).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let mut limited = false;
    for _ in 0..10 {
        let res = app.get("/api/v1/points/balance", Some(&admin.token)).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "the per-IP limit still applies to Bearer tokens");
}

#[tokio::test]
async fn every_key_call_is_logged_in_batches_with_its_route_pattern_and_status() {
    let app = spawn_app_with(fast_usage_log()).await;
    let admin = app.admin("usageadmin").await;
    let created = key_with(&app, &admin, &["points:read", "competitions:read"], 1000).await;
    let id = created["id"].as_i64().unwrap();
    let key = key_of(&created);
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", key).await.status(),
        200
    );
    assert_eq!(
        key_get(&app, "/api/v1/competitions/424242", key)
            .await
            .status(),
        404
    );
    assert_eq!(
        key_get(&app, "/api/v1/admin/users", key).await.status(),
        403
    );
    assert_eq!(
        key_get(&app, "/api/v1/no/such/route", key).await.status(),
        404
    );
    wait_for_count(
        &app,
        &format!("SELECT COUNT(*) FROM api_usage_log WHERE api_key_id = {id}"),
        4,
    )
    .await;
    for (route, status) in [
        ("/api/v1/points/balance", 200),
        ("/api/v1/competitions/{id}", 404),
        ("/api/v1/admin/users", 403),
        ("unmatched", 404),
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM api_usage_log WHERE api_key_id = {id} AND route = '{route}' AND status = {status} AND method = 'GET' AND ip = '127.0.0.1' AND latency_ms >= 0"
            ))
            .await,
            1,
            "{route} {status}"
        );
    }
    wait_for_count(
        &app,
        &format!("SELECT COUNT(*) FROM api_keys WHERE id = {id} AND last_used_at IS NOT NULL"),
        1,
    )
    .await;

    let usage: Value = app
        .get(
            &format!("/api/v1/admin/api-keys/{id}/usage?days=1"),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(usage["bucket"], "hour");
    assert_eq!(usage["series"].as_array().unwrap().len(), 24);
    assert_eq!(usage["total_calls"], 4);
    assert_eq!(usage["total_errors"], 3);
    assert_eq!(usage["recent"].as_array().unwrap().len(), 4);
    assert_eq!(usage["recent"][0]["route"], "unmatched");
    let monthly: Value = app
        .get(
            &format!("/api/v1/admin/api-keys/{id}/usage?days=30"),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(monthly["bucket"], "day");
    assert_eq!(monthly["series"].as_array().unwrap().len(), 30);
    assert_eq!(monthly["total_calls"], 4);
    for bad in ["days=0", "days=91", "days=abc", "days=-1"] {
        let res = app
            .get(
                &format!("/api/v1/admin/api-keys/{id}/usage?{bad}"),
                Some(&admin.token),
            )
            .await;
        assert_error(res, 422, "validation_failed").await;
    }
    let listed: Value = app
        .get(&format!("/api/v1/admin/api-keys/{id}"), Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["last_used_at"].is_string());
    // Calls made with a token are not key usage.
    assert_eq!(app.count("SELECT COUNT(*) FROM api_usage_log").await, 4);
}

#[tokio::test]
async fn repeated_bad_keys_block_the_address_and_alert_the_admins_once() {
    let app = spawn_app().await;
    let admin = app.admin("guard").await;
    let good = key_with(&app, &admin, &["points:read"], 1000).await;
    let res = app
        .request(
            &app.client,
            Method::PUT,
            "/api/v1/admin/settings",
            Some(&admin.token),
            Some(json!({"api_key_failures_per_ip": 3, "api_key_failure_window_minutes": 10})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let wrong_secret = format!("{}_{}", good["prefix"].as_str().unwrap(), "B".repeat(43));
    for bad in [
        "garbage",
        "mk_aaaaaaaaaaaa_nosuchkey",
        wrong_secret.as_str(),
    ] {
        assert_error(
            key_get(&app, "/api/v1/points/balance", bad).await,
            401,
            "invalid_api_key",
        )
        .await;
    }
    // Blocked now: bad and good keys alike, with a Retry-After until the window moves on.
    for key in ["garbage", key_of(&good)] {
        let res = key_get(&app, "/api/v1/points/balance", key).await;
        let retry_after: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry_after > 60 && retry_after <= 600, "{retry_after}");
        assert_error(res, 429, "ip_blocked").await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_failed_auth").await,
        3,
        "blocked attempts are not recorded again"
    );
    let inbox: Value = app
        .get("/api/v1/admin/notifications", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let alerts: Vec<&Value> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "api_key_ip_blocked")
        .collect();
    assert_eq!(alerts.len(), 1, "{inbox}");
    assert_eq!(alerts[0]["payload"]["ip"], "127.0.0.1");
    assert_eq!(alerts[0]["payload"]["failures"], 3);
    // People signing in with tokens from the same address are not affected.
    assert_eq!(
        app.get("/api/v1/me", Some(&admin.token)).await.status(),
        StatusCode::OK
    );
}
