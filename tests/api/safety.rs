//! Trust and safety (issue 12): each fraud rule fires at its threshold and not one below, held
//! transfers are released or refunded exactly once, and parallel transfers cannot slip past a
//! rule. The inbox, the investigation view and the actions are in `safety_inbox.rs`.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// An app with the fraud rules on, behind a trusted proxy (so `X-Forwarded-For` counts).
pub async fn risky_app() -> TestApp {
    spawn_app_with_risk_rules(|s| s.trust_proxy = true).await
}

/// Registers a user as if from `ip` (the proxy's `X-Forwarded-For`), on its own client.
pub async fn register_from(app: &TestApp, ip: &str, username: &str) -> TestUser {
    let client = new_client();
    let res = client
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", ip)
        .json(&json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD, "display_name": format!("مستخدم {username}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "register {username}");
    let body: Value = res.json().await.unwrap();
    TestUser {
        id: body["user"]["id"].as_i64().unwrap(),
        username: username.to_owned(),
        email: format!("{username}@example.com"),
        token: body["access_token"].as_str().unwrap().to_owned(),
        client,
    }
}

pub async fn put_settings(app: &TestApp, admin: &TestUser, body: Value) {
    let res = app
        .request(
            &app.client,
            reqwest::Method::PUT,
            "/api/v1/admin/settings",
            Some(&admin.token),
            Some(body),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "put settings");
}

pub async fn transfer(app: &TestApp, from: &TestUser, to: &str, amount: i64) -> Value {
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&from.token),
            json!({"to_username": to, "amount": amount}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "transfer");
    res.json().await.unwrap()
}

fn open_flags_sql(user_id: i64) -> String {
    format!("SELECT COUNT(*) FROM risk_flags WHERE user_id = {user_id} AND cleared_at IS NULL")
}

#[tokio::test]
async fn account_farms_flag_past_the_limit_and_alert_once_per_cluster() {
    let app = risky_app().await;
    // Default: more than 3 accounts from one address in 24 hours.
    let mut users = Vec::new();
    for i in 0..10 {
        users.push(register_from(&app, "198.51.100.7", &format!("farm{i}")).await);
    }
    for (i, user) in users.iter().enumerate() {
        let expected = i64::from(i >= 3);
        assert_eq!(
            app.count(&open_flags_sql(user.id)).await,
            expected,
            "account {i}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'account_farm'")
            .await,
        1,
        "one alert for the cluster of ten"
    );
    // Another address is its own story.
    let other = register_from(&app, "203.0.113.9", "elsewhere").await;
    assert_eq!(app.count(&open_flags_sql(other.id)).await, 0);

    // Switched off, the rule does nothing.
    let admin = app.admin("farm_admin").await;
    put_settings(&app, &admin, json!({"risk_farm_enabled": false})).await;
    let late = register_from(&app, "198.51.100.7", "farm_late").await;
    assert_eq!(app.count(&open_flags_sql(late.id)).await, 0);
}

/// A sender with `points`, a recipient, and an admin, with the age rule off unless asked.
async fn sender_and_recipient(app: &TestApp, points: i64) -> (TestUser, TestUser, TestUser) {
    let admin = app.admin("risk_admin").await;
    let sender = app.register("sender").await;
    let recipient = app.register("recipient").await;
    award(app, &admin, sender.id, points).await;
    put_settings(
        app,
        &admin,
        // Every account here comes from 127.0.0.1: the farm rule is tested on its own.
        json!({"risk_young_account_days": 0, "transfer_daily_limit": 1_000_000, "risk_farm_enabled": false}),
    )
    .await;
    (admin, sender, recipient)
}

#[tokio::test]
async fn velocity_holds_the_transfer_past_the_hourly_count_and_not_one_before() {
    let app = risky_app().await;
    let (admin, sender, recipient) = sender_and_recipient(&app, 1_000).await;
    put_settings(
        &app,
        &admin,
        json!({"risk_transfer_max_per_hour": 3, "risk_transfer_max_points_per_hour": 1_000_000}),
    )
    .await;
    for i in 0..3 {
        let t = transfer(&app, &sender, "recipient", 10).await;
        assert_eq!(t["status"], "completed", "transfer {i}: {t}");
        assert!(t["held_transfer_id"].is_null());
    }
    let held = transfer(&app, &sender, "recipient", 10).await;
    assert_eq!(held["status"], "held", "{held}");
    assert_eq!(held["entry"]["kind"], "transfer_hold");
    assert_eq!(
        held["points_balance"], 960,
        "the sender is debited into the hold"
    );
    assert_eq!(balance(&app, &recipient).await, 30, "the recipient waits");
    let id = held["held_transfer_id"].as_i64().unwrap();
    let row: Value = app
        .get(
            "/api/v1/admin/held-transfers?status=held",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(row["items"][0]["id"], id);
    assert_eq!(row["items"][0]["rules"], json!(["transfer_velocity"]));
    assert!(row["items"][0]["reason"].as_str().unwrap().contains('4'));
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn volume_fan_in_and_young_accounts_each_fire_at_their_threshold() {
    let app = risky_app().await;
    let (admin, sender, recipient) = sender_and_recipient(&app, 2_000).await;
    put_settings(
        &app,
        &admin,
        json!({"risk_transfer_max_points_per_hour": 100, "risk_fan_in_max_senders": 2}),
    )
    .await;
    // Volume: 100 in the hour is allowed, 101 is not.
    assert_eq!(
        transfer(&app, &sender, "recipient", 60).await["status"],
        "completed"
    );
    assert_eq!(
        transfer(&app, &sender, "recipient", 40).await["status"],
        "completed"
    );
    let over = transfer(&app, &sender, "recipient", 1).await;
    assert_eq!(over["status"], "held");
    put_settings(
        &app,
        &admin,
        json!({"risk_transfer_max_points_per_hour": 1_000_000}),
    )
    .await;

    // Fan-in: the recipient already has one sender; a second is allowed, a third is held,
    // and a sender already counted is not a new one.
    let second = app.register("second").await;
    let third = app.register("third").await;
    award(&app, &admin, second.id, 100).await;
    award(&app, &admin, third.id, 100).await;
    assert_eq!(
        transfer(&app, &second, "recipient", 5).await["status"],
        "completed"
    );
    let fan = transfer(&app, &third, "recipient", 5).await;
    assert_eq!(fan["status"], "held", "{fan}");
    assert_eq!(
        transfer(&app, &second, "recipient", 5).await["status"],
        "completed"
    );

    // Young accounts: at most 200 in one transfer from an account younger than 7 days.
    put_settings(
        &app,
        &admin,
        json!({"risk_young_account_days": 7, "risk_fan_in_max_senders": 100}),
    )
    .await;
    assert_eq!(
        transfer(&app, &sender, "recipient", 200).await["status"],
        "completed"
    );
    let young = transfer(&app, &sender, "recipient", 201).await;
    assert_eq!(young["status"], "held");
    let rules: Value = app
        .get(
            &format!("/api/v1/admin/held-transfers?user_id={}", sender.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let all: Vec<&Value> = rules["items"].as_array().unwrap().iter().collect();
    assert_eq!(all[0]["rules"], json!(["young_account"]));
    assert_eq!(all[1]["rules"], json!(["transfer_volume"]));

    // Switched off, nothing is held.
    put_settings(&app, &admin, json!({"risk_transfer_enabled": false})).await;
    assert_eq!(
        transfer(&app, &sender, "recipient", 500).await["status"],
        "completed"
    );
    let _ = recipient;
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_flagged_sender_is_held_until_the_flag_is_cleared() {
    let app = risky_app().await;
    let (admin, sender, _recipient) = sender_and_recipient(&app, 500).await;
    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/flags", sender.id),
            Some(&admin.token),
            json!({"note": "  "}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let flag: Value = app
        .post(
            &format!("/api/v1/admin/users/{}/flags", sender.id),
            Some(&admin.token),
            json!({"note": "بلاغ من مستخدم"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(flag["rule"], "manual");
    assert_eq!(
        transfer(&app, &sender, "recipient", 5).await["status"],
        "held"
    );
    let path = format!("/api/v1/admin/risk-flags/{}/clear", flag["id"]);
    assert_error(
        app.post(&path, Some(&admin.token), json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    let cleared = app
        .post(&path, Some(&admin.token), json!({"note": "تحققنا منه"}))
        .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    assert_error(
        app.post(&path, Some(&admin.token), json!({"note": "مرة ثانية"}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        transfer(&app, &sender, "recipient", 5).await["status"],
        "completed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('risk_flag.create', 'risk_flag.clear')")
            .await,
        2
    );
}

async fn held_one(app: &TestApp) -> (TestUser, TestUser, TestUser, i64) {
    let (admin, sender, recipient) = sender_and_recipient(app, 500).await;
    put_settings(
        app,
        &admin,
        json!({"risk_transfer_max_points_per_hour": 50}),
    )
    .await;
    let t = transfer(app, &sender, "recipient", 120).await;
    assert_eq!(t["status"], "held");
    (
        admin,
        sender,
        recipient,
        t["held_transfer_id"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_released_transfer_credits_the_recipient_once() {
    let app = risky_app().await;
    let (admin, sender, recipient, id) = held_one(&app).await;
    let path = format!("/api/v1/admin/held-transfers/{id}/release");
    let res = app
        .post(&path, Some(&admin.token), json!({"note": "تحقق"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "released");
    assert_eq!(body["decided_by_username"], "risk_admin");
    assert_eq!(balance(&app, &recipient).await, 120);
    assert_eq!(balance(&app, &sender).await, 380);
    for again in [
        path.clone(),
        format!("/api/v1/admin/held-transfers/{id}/reject"),
    ] {
        let res = app
            .post(&again, Some(&admin.token), json!({"note": "مرة أخرى"}))
            .await;
        assert_error(res, 409, "invalid_transition").await;
    }
    assert_eq!(balance(&app, &recipient).await, 120);
    let notes: Value = app
        .get("/api/v1/notifications", Some(&recipient.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(notes["items"][0]["kind"], "points_received");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'held_transfer.release' AND target_id = '{id}'"))
            .await,
        1
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_rejected_transfer_refunds_the_sender_once_and_needs_a_note() {
    let app = risky_app().await;
    let (admin, sender, recipient, id) = held_one(&app).await;
    let path = format!("/api/v1/admin/held-transfers/{id}/reject");
    assert_error(
        app.post(&path, Some(&admin.token), json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(balance(&app, &sender).await, 380, "nothing changed");
    let res = app
        .post(&path, Some(&admin.token), json!({"note": "حسابات مزرعة"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(balance(&app, &sender).await, 500);
    assert_eq!(balance(&app, &recipient).await, 0);
    let history: Value = app
        .get("/api/v1/points/transactions", Some(&sender.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["kind"], "transfer_hold_refund");
    assert_eq!(history["items"][1]["kind"], "transfer_hold");
    assert_error(
        app.post(&path, Some(&admin.token), json!({"note": "ثانية"}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(balance(&app, &sender).await, 500);
    assert_ledger_clean(&app, &admin).await;
    // Unknown ids are 404, a user is 403.
    assert_error(
        app.post(
            "/api/v1/admin/held-transfers/999999/release",
            Some(&admin.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/admin/held-transfers/{id}/release"),
            Some(&sender.token),
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn two_admins_deciding_at_once_get_one_outcome() {
    let app = risky_app().await;
    let (admin, sender, recipient, id) = held_one(&app).await;
    let other = app.admin("second_admin").await;
    let (release_path, reject_path) = (
        format!("/api/v1/admin/held-transfers/{id}/release"),
        format!("/api/v1/admin/held-transfers/{id}/reject"),
    );
    let release = app.post(&release_path, Some(&admin.token), json!({}));
    let reject = app.post(&reject_path, Some(&other.token), json!({"note": "رفض"}));
    let (a, b) = tokio::join!(release, reject);
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let (s, r) = (
        balance(&app, &sender).await,
        balance(&app, &recipient).await,
    );
    assert!(
        (s, r) == (380, 120) || (s, r) == (500, 0),
        "exactly one outcome: sender {s}, recipient {r}"
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn twenty_parallel_transfers_cannot_slip_past_the_velocity_rule() {
    let app = risky_app().await;
    let (admin, sender, recipient) = sender_and_recipient(&app, 1_000).await;
    put_settings(
        &app,
        &admin,
        json!({"risk_transfer_max_per_hour": 5, "risk_transfer_max_points_per_hour": 1_000_000}),
    )
    .await;
    let sends = (0..20).map(|_| {
        app.post(
            "/api/v1/points/transfers",
            Some(&sender.token),
            json!({"to_username": "recipient", "amount": 10}),
        )
    });
    let mut completed = 0;
    let mut held = 0;
    for res in join_all(sends).await {
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        match body["status"].as_str() {
            Some("completed") => completed += 1,
            Some("held") => held += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((completed, held), (5, 15));
    assert_eq!(balance(&app, &sender).await, 800);
    assert_eq!(balance(&app, &recipient).await, 50);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM held_transfers WHERE status = 'held'")
            .await,
        15
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn redemption_bursts_and_flagged_accounts_are_flagged_in_the_queue() {
    let app = risky_app().await;
    let admin = app.admin("shop_admin").await;
    let user = app.register("shopper").await;
    award(&app, &admin, user.id, 1_000).await;
    put_settings(&app, &admin, json!({"risk_redemption_max_per_hour": 2})).await;
    let reward: Value = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "ملصق", "description": "", "cost": 10, "stock": null, "per_user_limit": null, "active": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let redeem_path = format!("/api/v1/rewards/{}/redeem", reward["id"]);
    let redeem = || app.post(&redeem_path, Some(&user.token), json!({}));
    let mut reasons = Vec::new();
    for _ in 0..4 {
        let res = redeem().await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        assert!(
            body["redemption"]["risk_reason"].is_null(),
            "the user does not see it"
        );
        reasons.push(body["redemption"]["id"].as_i64().unwrap());
    }
    let flagged: Value = app
        .get("/api/v1/admin/redemptions?flagged=true", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = flagged["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![reasons[3], reasons[2]], "the third and fourth");
    assert!(flagged["items"][0]["risk_reason"]
        .as_str()
        .unwrap()
        .contains('4'));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'redemption_held'")
            .await,
        1,
        "one alert per user and hour for a burst"
    );
    assert_ledger_clean(&app, &admin).await;
}
