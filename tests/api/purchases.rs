//! Point packages and purchases: the shop, requests with a reference, admin-recorded payments
//! credited exactly once, and suspended accounts refused.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};
use crate::rewards::{assert_ledger_clean, award, balance, send};

pub async fn create_package(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    let res = app
        .post("/api/v1/admin/packages", Some(&admin.token), body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create package");
    res.json().await.unwrap()
}

pub async fn request_package(app: &TestApp, user: &TestUser, package_id: &Value) -> Value {
    let res = app
        .post(
            "/api/v1/purchases",
            Some(&user.token),
            json!({"package_id": package_id}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "request purchase");
    res.json().await.unwrap()
}

pub fn gold() -> Value {
    json!({"name": "الباقة الذهبية", "points": 1000, "bonus_points": 100, "price_minor": 2500, "currency": "SAR", "active": true, "label": "الأكثر طلبًا", "sort_order": 2})
}

fn is_reference(r: &str) -> bool {
    r.len() == 9
        && r.starts_with("MQ-")
        && r[3..]
            .chars()
            .all(|c| "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c))
}

#[tokio::test]
async fn a_purchase_request_gets_a_reference_and_payment_instructions_and_admins_hear_of_it() {
    let app = spawn_app().await;
    let admin = app.admin("cashier").await;
    let user = app.register("buyer").await;
    let res = app
        .request(
            &app.client,
            Method::PUT,
            "/api/v1/admin/settings",
            Some(&admin.token),
            Some(json!({"payment_instructions": "حوّل إلى الآيبان SA00 0000\nواكتب رقم الطلب", "admin_contact": "pay@musabaqati.example"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let package = create_package(&app, &admin, gold()).await;
    let created = request_package(&app, &user, &package["id"]).await;
    let reference = created["reference"].as_str().unwrap();
    assert!(is_reference(reference), "{reference}");
    assert_eq!(created["purchase"]["reference"], reference);
    assert_eq!(created["purchase"]["status"], "requested");
    assert_eq!(created["purchase"]["status_label"], "بانتظار الدفع");
    assert_eq!(created["purchase"]["total_points"], 1100);
    assert_eq!(created["purchase"]["package_name"], "الباقة الذهبية");
    assert_eq!(
        created["payment_instructions"],
        "حوّل إلى الآيبان SA00 0000\nواكتب رقم الطلب"
    );
    assert_eq!(created["admin_contact"], "pay@musabaqati.example");
    assert_eq!(
        balance(&app, &user).await,
        0,
        "nothing credited before payment"
    );

    // Admins are told; the user's list carries the instructions.
    let inbox: Value = app
        .get("/api/v1/admin/notifications", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "purchase_requested"
            && n["body"].as_str().unwrap().contains(reference)));
    // In the user's bell the reference is isolated left-to-right (the SPA never reorders or
    // digit-converts it: «٧٤ZWE7-MQ» was seen) and the price is the Arabic money format.
    let bell: Value = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let body = bell["items"][0]["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("\u{2066}{reference}\u{2069}")),
        "{body}"
    );
    assert!(body.contains(" ر.س."), "{body}");
    assert!(!body.contains("SAR"), "{body}");
    let mine: Value = app
        .get("/api/v1/purchases", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["reference"], reference);
    assert_eq!(mine["admin_contact"], "pay@musabaqati.example");
    assert!(mine["items"][0]["recorded_by_username"].is_null());

    // References are unique and findable by the admin in any case.
    let other = request_package(&app, &user, &package["id"]).await;
    assert_ne!(other["reference"], created["reference"]);
    let found: Value = app
        .get(
            &format!(
                "/api/v1/admin/purchases?reference={}",
                reference.to_lowercase()
            ),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["username"], "buyer");
    let queue: Value = app
        .get(
            "/api/v1/admin/purchases?status=requested",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 2);
    assert_error(
        app.get("/api/v1/admin/purchases?status=done", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // Inactive packages cannot be requested.
    app.patch(
        &format!("/api/v1/admin/packages/{}", package["id"]),
        Some(&admin.token),
        json!({"active": false}),
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/purchases",
            Some(&user.token),
            json!({"package_id": package["id"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post("/api/v1/purchases", None, json!({"package_id": 1}))
            .await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn marking_a_purchase_paid_credits_points_and_bonus_exactly_once() {
    let app = spawn_app().await;
    let admin = app.admin("accountant").await;
    let admin2 = app.admin("auditor").await;
    let user = app.register("payer").await;
    let package = create_package(&app, &admin, gold()).await;
    let created = request_package(&app, &user, &package["id"]).await;
    let pid = created["purchase"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/purchases/{pid}/mark-paid");

    let res = app
        .post(
            &path,
            Some(&admin.token),
            json!({"payment_reference": "TRX-99812"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let paid: Value = res.json().await.unwrap();
    assert_eq!(paid["points_balance"], 1100);
    assert_eq!(paid["purchase"]["status"], "paid");
    assert_eq!(paid["purchase"]["payment_reference"], "TRX-99812");
    assert_eq!(paid["purchase"]["recorded_by_username"], "accountant");
    // Sequentially again: 409, nothing more.
    assert_error(
        app.post(
            &path,
            Some(&admin2.token),
            json!({"payment_reference": "TRX-2"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(balance(&app, &user).await, 1100);

    // Both histories and the ledger show it.
    let ledger: Value = app
        .get("/api/v1/points/transactions", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let row = &ledger["items"][0];
    assert_eq!(
        (
            &row["kind"],
            &row["amount"],
            &row["reference_type"],
            &row["reference_id"]
        ),
        (
            &json!("purchase"),
            &json!(1100),
            &json!("purchase"),
            &json!(pid)
        )
    );
    assert_eq!(row["kind_label"], "شراء باقة نقاط");
    assert!(row["reason"]
        .as_str()
        .unwrap()
        .contains(created["reference"].as_str().unwrap()));
    let b: Value = app
        .get("/api/v1/points/balance", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["lifetime_earned"], 0, "bought points are not earned");
    let mine: Value = app
        .get("/api/v1/purchases?status=paid", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["id"], pid);
    assert!(mine["items"][0]["paid_at"].is_string());
    let theirs: Value = app
        .get(
            &format!("/api/v1/admin/users/{}/purchases", user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"][0]["status"], "paid");
    let bell: Value = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["items"][0]["kind"], "purchase_paid");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.mark_paid'")
            .await,
        1
    );

    // Concurrent confirmations by two admins: one credit.
    let second = request_package(&app, &user, &package["id"]).await;
    let path = format!(
        "/api/v1/admin/purchases/{}/mark-paid",
        second["purchase"]["id"]
    );
    let results = join_all((0..10).map(|i| {
        let token = if i % 2 == 0 {
            &admin.token
        } else {
            &admin2.token
        };
        app.post(
            &path,
            Some(token),
            json!({"payment_reference": format!("TRX-{i}")}),
        )
    }))
    .await;
    let ok = results
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    let conflict = results
        .iter()
        .filter(|r| r.status() == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, conflict), (1, 9));
    assert_eq!(balance(&app, &user).await, 2200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'purchase'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;

    // With an Idempotency-Key, a retried confirmation replays instead of failing.
    let third = request_package(&app, &user, &package["id"]).await;
    let path = format!(
        "/api/v1/admin/purchases/{}/mark-paid",
        third["purchase"]["id"]
    );
    let send_keyed = || {
        app.client
            .post(app.url(&path))
            .bearer_auth(&admin.token)
            .header("Idempotency-Key", "pay-3")
            .json(&json!({"payment_reference": "TRX-3"}))
            .send()
    };
    assert_eq!(send_keyed().await.unwrap().status(), StatusCode::OK);
    let replay = send_keyed().await.unwrap();
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(balance(&app, &user).await, 3300);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn cancelled_purchases_cannot_be_paid_and_admins_can_record_payments_directly() {
    let app = spawn_app().await;
    let admin = app.admin("registrar").await;
    let user = app.register("walkin").await;
    let package = create_package(&app, &admin, gold()).await;
    let created = request_package(&app, &user, &package["id"]).await;
    let pid = created["purchase"]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/purchases/{pid}/cancel"),
            Some(&admin.token),
            json!({"note": "لم يصل الدفع خلال أسبوع"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["note"], "لم يصل الدفع خلال أسبوع");
    assert_error(
        app.post(
            &format!("/api/v1/admin/purchases/{pid}/mark-paid"),
            Some(&admin.token),
            json!({"payment_reference": "late"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.request(
            &app.client,
            Method::POST,
            &format!("/api/v1/admin/purchases/{pid}/cancel"),
            Some(&admin.token),
            None,
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/purchases/999999/mark-paid",
            Some(&admin.token),
            json!({"payment_reference": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(balance(&app, &user).await, 0);

    // Recorded directly: a package…
    let res = app
        .post(
            "/api/v1/admin/purchases",
            Some(&admin.token),
            json!({"user_id": user.id, "package_id": package["id"], "payment_reference": "CASH-001", "note": "دفع نقدًا في المقر"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let recorded: Value = res.json().await.unwrap();
    assert_eq!(recorded["purchase"]["status"], "paid");
    assert!(is_reference(
        recorded["purchase"]["reference"].as_str().unwrap()
    ));
    assert_eq!(recorded["points_balance"], 1100);
    // …or a custom amount, retried safely with an Idempotency-Key.
    let custom = || {
        app.client
            .post(app.url("/api/v1/admin/purchases"))
            .bearer_auth(&admin.token)
            .header("Idempotency-Key", "custom-1")
            .json(&json!({"user_id": user.id, "points": 250, "bonus_points": 25, "price_minor": 500, "currency": "usd", "payment_reference": "BANK-77"}))
            .send()
    };
    let first = custom().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["purchase"]["currency"], "USD");
    assert!(first["purchase"]["package_name"].is_null());
    assert_eq!(first["points_balance"], 1375);
    let again = custom().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 1375);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.record'")
            .await,
        2
    );
    let mine: Value = app
        .get("/api/v1/purchases", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 3);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_suspended_user_is_refused_everywhere() {
    let app = spawn_app().await;
    let admin = app.admin("sheriff").await;
    let user = app.register("outlaw").await;
    award(&app, &admin, user.id, 500).await;
    let reward = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "جائزة", "cost": 10, "stock": 5}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let rid = reward["id"].as_i64().unwrap();
    let package = create_package(&app, &admin, gold()).await;
    let pending = app
        .post(
            &format!("/api/v1/rewards/{rid}/redeem"),
            Some(&user.token),
            json!({}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["redemption"]["id"]
        .as_i64()
        .unwrap();

    // Suspended with a still-valid token: every point-moving or personal call is 403.
    app.sql(&format!(
        "UPDATE users SET status = 'suspended' WHERE id = {}",
        user.id
    ))
    .await;
    let token = user.token.as_str();
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            format!("/api/v1/rewards/{rid}/redeem"),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/v1/purchases".into(),
            Some(json!({"package_id": package["id"]})),
        ),
        (Method::GET, "/api/v1/purchases".into(), None),
        (Method::GET, "/api/v1/redemptions".into(), None),
        (
            Method::POST,
            format!("/api/v1/redemptions/{pending}/cancel"),
            Some(json!({})),
        ),
        (Method::GET, "/api/v1/rewards?affordable=true".into(), None),
        (
            Method::POST,
            "/api/v1/points/transfers".into(),
            Some(json!({"to_username": "sheriff", "amount": 5})),
        ),
    ];
    for (method, path, body) in calls {
        let res = send(&app, method.clone(), &path, token, body).await;
        assert_error(res, 403, "account_suspended").await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reward_redemptions").await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM purchase_records").await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT points_balance FROM users WHERE id = {}",
            user.id
        ))
        .await,
        490
    );

    // Suspended by an admin: the sessions end (401) and signing in is refused.
    app.sql(&format!(
        "UPDATE users SET status = 'active' WHERE id = {}",
        user.id
    ))
    .await;
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_error(
        app.post(
            &format!("/api/v1/rewards/{rid}/redeem"),
            Some(token),
            json!({}),
        )
        .await,
        401,
        "session_revoked",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/purchases",
            Some(token),
            json!({"package_id": package["id"]}),
        )
        .await,
        401,
        "session_revoked",
    )
    .await;
    let login = app.login("outlaw", crate::helpers::PASSWORD).await;
    assert!(login.status().is_client_error(), "{}", login.status());
    // The admin can still decide the pending redemption (refunding it).
    let res = app
        .post(
            &format!("/api/v1/admin/redemptions/{pending}/reject"),
            Some(&admin.token),
            json!({"note": "الحساب موقوف"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT points_balance FROM users WHERE id = {}",
            user.id
        ))
        .await,
        500
    );
    assert_ledger_clean(&app, &admin).await;
}

/// PUT /admin/settings with `body` as the admin.
pub async fn put_settings(app: &TestApp, admin: &TestUser, body: Value) -> reqwest::Response {
    send(
        app,
        Method::PUT,
        "/api/v1/admin/settings",
        &admin.token,
        Some(body),
    )
    .await
}

async fn put_setting(app: &TestApp, admin: &TestUser, body: Value) {
    let res = put_settings(app, admin, body).await;
    assert_eq!(res.status(), StatusCode::OK, "settings");
}

#[tokio::test]
async fn open_purchase_requests_are_capped_per_user_even_when_sent_at_once() {
    let app = spawn_app().await;
    let admin = app.admin("inbox_keeper").await;
    let spammer = app.register("spammer").await;
    let package = create_package(&app, &admin, gold()).await;
    let inbox =
        || app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'purchase_requested'");
    let before = inbox().await;

    // Twenty at once: three open requests (the default), the rest 409 with an Arabic reason.
    let results = join_all((0..20).map(|_| {
        app.post(
            "/api/v1/purchases",
            Some(&spammer.token),
            json!({"package_id": package["id"]}),
        )
    }))
    .await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        17,
        "{statuses:?}"
    );
    let refused = results
        .into_iter()
        .find(|r| r.status() == StatusCode::CONFLICT)
        .unwrap();
    let err = assert_error(refused, 409, "limit_reached").await;
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("بانتظار الدفع"),
        "{err}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM purchase_records WHERE user_id = {}",
            spammer.id
        ))
        .await,
        3
    );
    assert_eq!(
        inbox().await,
        before + 3,
        "one admin inbox entry per accepted request"
    );

    // Once the admin cancels one, the user may ask again; another user is not affected.
    let mine: Value = app
        .get("/api/v1/purchases", Some(&spammer.token))
        .await
        .json()
        .await
        .unwrap();
    let pid = mine["items"][0]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/purchases/{pid}/cancel"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    request_package(&app, &spammer, &package["id"]).await;
    let other = app.register("neighbour").await;
    request_package(&app, &other, &package["id"]).await;

    // The cap is a setting.
    put_setting(&app, &admin, json!({"purchase_open_limit": 5})).await;
    request_package(&app, &spammer, &package["id"]).await;
    put_setting(&app, &admin, json!({"purchase_open_limit": 1})).await;
    assert_error(
        app.post(
            "/api/v1/purchases",
            Some(&other.token),
            json!({"package_id": package["id"]}),
        )
        .await,
        409,
        "limit_reached",
    )
    .await;
}

#[tokio::test]
async fn purchase_requests_are_limited_per_user_per_day_with_retry_after() {
    let app = spawn_app().await;
    let admin = app.admin("day_keeper").await;
    let user = app.register("daily_buyer").await;
    let package = create_package(&app, &admin, gold()).await;
    put_setting(
        &app,
        &admin,
        json!({"purchase_daily_limit": 4, "purchase_open_limit": 10}),
    )
    .await;

    // Paid and cancelled requests count too: the limit is on asking.
    for i in 0..4 {
        let created = request_package(&app, &user, &package["id"]).await;
        let pid = created["purchase"]["id"].as_i64().unwrap();
        let (path, body) = if i % 2 == 0 {
            (format!("/api/v1/admin/purchases/{pid}/cancel"), json!({}))
        } else {
            (
                format!("/api/v1/admin/purchases/{pid}/mark-paid"),
                json!({"payment_reference": format!("TRX-{i}")}),
            )
        };
        let res = app.post(&path, Some(&admin.token), body).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let res = app
        .post(
            "/api/v1/purchases",
            Some(&user.token),
            json!({"package_id": package["id"]}),
        )
        .await;
    let retry_after: i64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(
        (23 * 3600..=24 * 3600).contains(&retry_after),
        "{retry_after}"
    );
    let err = assert_error(res, 429, "rate_limited").await;
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("24 ساعة"),
        "{err}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM purchase_records WHERE user_id = {}",
            user.id
        ))
        .await,
        4
    );
    // Payments an admin records directly are not the user's requests.
    let res = app
        .post(
            "/api/v1/admin/purchases",
            Some(&admin.token),
            json!({"user_id": user.id, "package_id": package["id"], "payment_reference": "CASH-1"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // A day later the oldest requests no longer count.
    app.sql("UPDATE purchase_records SET created_at = '2000-01-01T00:00:00.000000+00:00'")
        .await;
    request_package(&app, &user, &package["id"]).await;
}
