//! Points: awards, transfers, idempotency, limits, history and the ledger invariants.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, assert_ledger_clean, award_for, balance, spawn_app, TestApp, TestUser,
};

async fn award(app: &TestApp, admin: &TestUser, user_id: i64, amount: i64) {
    award_for(app, admin, user_id, amount, "منحة ترحيبية").await;
}

fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

#[tokio::test]
async fn an_admin_award_is_a_ledger_row_an_audit_entry_and_a_notification() {
    let app = spawn_app().await;
    let admin = app.admin("treasurer").await;
    let user = app.register("lucky").await;
    award(&app, &admin, user.id, 120).await;
    let b: Value = app
        .get("/api/v1/points/balance", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    // An admin credit is not earned by competing: it never counts on a board.
    assert_eq!(b, json!({"points_balance": 120, "lifetime_earned": 0}));
    let page: Value = app
        .get("/api/v1/points/transactions", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let row = &page["items"][0];
    assert_eq!(
        (row["amount"].as_i64(), row["balance_after"].as_i64()),
        (Some(120), Some(120))
    );
    assert_eq!(row["kind"], "admin_adjustment");
    assert_eq!(row["kind_label"], "تعديل من الإدارة");
    assert_eq!(row["reason"], "منحة ترحيبية");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'points.adjust'")
            .await,
        1
    );
    let bell: Value = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["unread"], 1);
    assert_eq!(bell["items"][0]["kind"], "points_adjusted");

    // A deduction larger than the balance changes nothing.
    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/adjust", user.id),
            Some(&admin.token),
            json!({"amount": -500, "reason": "خطأ"}),
        )
        .await;
    assert_error(res, 409, "insufficient_points").await;
    assert_eq!(balance(&app, &user).await, 120);
    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/adjust", user.id),
            Some(&admin.token),
            json!({"amount": -20, "reason": "تصحيح"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 100);
    // Validation: zero, missing reason, unknown user.
    assert_error(
        app.post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user.id, "amount": 0, "reason": "x"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user.id, "amount": 5, "reason": "  "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": 999999, "amount": 5, "reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/points/award",
            Some(&user.token),
            json!({"user_id": user.id, "amount": 5, "reason": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let admin_view: Value = app
        .get(
            &format!("/api/v1/admin/users/{}/transactions", user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_view["items"].as_array().unwrap().len(), 2);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_transfer_moves_points_between_two_ledgers_and_notifies_the_recipient() {
    let app = spawn_app().await;
    let admin = app.admin("bank").await;
    let sender = app.register("sender").await;
    let receiver = app.register("Receiver").await;
    award(&app, &admin, sender.id, 100).await;
    let who: Value = app
        .get("/api/v1/points/recipients/receiver", Some(&sender.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(who["username"], "Receiver");

    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&sender.token),
            json!({"to_username": "receiver", "amount": 30, "note": "هدية"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["points_balance"], 70);
    assert_eq!(body["entry"]["kind"], "transfer_out");
    assert_eq!(body["entry"]["amount"], -30);
    assert_eq!(body["entry"]["counterparty_username"], "Receiver");
    assert_eq!(balance(&app, &receiver).await, 30);
    let b: Value = app
        .get("/api/v1/points/balance", Some(&receiver.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        b["lifetime_earned"], 0,
        "received points are not earned points"
    );
    let rows: Value = app
        .get(
            "/api/v1/points/transactions?kind=transfer_in",
            Some(&receiver.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows["items"][0]["counterparty_username"], "sender");
    assert_eq!(rows["items"][0]["reason"], "هدية");
    let bell: Value = app
        .get("/api/v1/notifications?unread=true", Some(&receiver.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["items"][0]["kind"], "points_received");
    assert_eq!(bell["items"][0]["title"], "وصلتك نقاط");
    assert!(
        bell["items"][0]["body"]
            .as_str()
            .unwrap()
            .contains("sender"),
        "{bell}"
    );
    assert_eq!(bell["items"][0]["payload"]["amount"], 30);
    assert_eq!(bell["items"][0]["payload"]["note"], "هدية");
    assert_eq!(bell["unread"], 1);
    // The sender's own bell has nothing about it.
    let mine: Value = app
        .get("/api/v1/notifications", Some(&sender.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "points_received"),
        "{mine}"
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn bad_transfers_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("guard").await;
    let user = app.register("spender").await;
    app.register("friend").await;
    award(&app, &admin, user.id, 10).await;
    assert_error(
        app.post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "friend", "amount": 11}),
        )
        .await,
        409,
        "insufficient_points",
    )
    .await;
    let cases = [
        (
            json!({"to_username": "spender", "amount": 1}),
            "to_username",
        ),
        (
            json!({"to_username": "nobody_at_all", "amount": 1}),
            "to_username",
        ),
        (json!({"to_username": "friend", "amount": 0}), "amount"),
        (json!({"to_username": "friend", "amount": -5}), "amount"),
        (
            json!({"to_username": "friend", "amount": 1, "note": "ن".repeat(201)}),
            "note",
        ),
        (json!({"to_username": "friend", "amount": "ten"}), "amount"),
        (json!({"amount": 1}), "to_username"),
    ];
    for (body, field) in cases {
        let err = assert_error(
            app.post("/api/v1/points/transfers", Some(&user.token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{body} → {err}");
    }
    assert_eq!(balance(&app, &user).await, 10);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions").await,
        1
    );
    assert_error(
        app.post(
            "/api/v1/points/transfers",
            None,
            json!({"to_username": "friend", "amount": 1}),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn the_daily_transfer_limit_comes_from_settings() {
    let app = spawn_app().await;
    let admin = app.admin("limiter").await;
    let user = app.register("generous").await;
    app.register("taker").await;
    award(&app, &admin, user.id, 500).await;
    app.sql(&format!("INSERT INTO system_settings (key, value, updated_at) VALUES ('transfer_daily_limit', '50', '{}')", now_text())).await;
    let ok = app
        .post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "taker", "amount": 40}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let err = assert_error(
        app.post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "taker", "amount": 20}),
        )
        .await,
        422,
        "transfer_limit_exceeded",
    )
    .await;
    assert!(
        err["error"]["message"].as_str().unwrap().contains("10"),
        "{err}"
    );
    assert_eq!(
        app.post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "taker", "amount": 10})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(balance(&app, &user).await, 450);
}

#[tokio::test]
async fn concurrent_transfers_cannot_pass_the_daily_limit_together() {
    let app = spawn_app().await;
    let admin = app.admin("capper").await;
    let user = app.register("burst_sender").await;
    app.register("burst_taker").await;
    award(&app, &admin, user.id, 1000).await;
    app.sql(&format!("INSERT INTO system_settings (key, value, updated_at) VALUES ('transfer_daily_limit', '50', '{}')", now_text())).await;
    // Twenty transfers of 5 at once against a limit of 50: the balance covers all of them, the
    // limit exactly ten. Each one reads and raises today's total in its own conditional update.
    let results = join_all((0..20).map(|_| {
        app.post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "burst_taker", "amount": 5}),
        )
    }))
    .await;
    let mut created = 0;
    for res in results {
        match res.status() {
            StatusCode::CREATED => created += 1,
            _ => {
                assert_error(res, 422, "transfer_limit_exceeded").await;
            }
        }
    }
    assert_eq!(created, 10, "exactly the limit was sent");
    assert_eq!(balance(&app, &user).await, 950);
    // The next day starts from zero: move the sender's counter back a day.
    app.sql("UPDATE users SET transfer_day = transfer_day - 1 WHERE username = 'burst_sender'")
        .await;
    let next_day = app
        .post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "burst_taker", "amount": 50}),
        )
        .await;
    assert_eq!(next_day.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 900);
}

#[tokio::test]
async fn an_idempotent_retry_returns_the_first_response_and_never_applies_twice() {
    let app = spawn_app().await;
    let admin = app.admin("idem").await;
    let user = app.register("retrier").await;
    app.register("payee").await;
    award(&app, &admin, user.id, 100).await;
    let send = |key: &str, amount: i64| {
        app.client
            .post(app.url("/api/v1/points/transfers"))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", key)
            .json(&json!({"to_username": "payee", "amount": amount}))
            .send()
    };
    let first = send("key-1", 25).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_body: Value = first.json().await.unwrap();
    let retry = send("key-1", 25).await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers().get("idempotent-replayed").unwrap(), "true");
    let retry_body: Value = retry.json().await.unwrap();
    assert_eq!(first_body, retry_body);
    assert_eq!(balance(&app, &user).await, 75);
    // The same key with another body is refused.
    assert_error(
        send("key-1", 26).await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    // A malformed key.
    assert_error(
        send(&"k".repeat(200), 1).await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    // Ten concurrent requests with one fresh key apply once and all answer alike.
    let results = join_all((0..10).map(|_| send("key-2", 5))).await;
    let mut bodies = Vec::new();
    for r in results {
        let r = r.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        bodies.push(r.json::<Value>().await.unwrap());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(balance(&app, &user).await, 70);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'transfer_out'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn fifty_concurrent_transfers_in_both_directions_keep_every_invariant() {
    let app = spawn_app().await;
    let admin = app.admin("auditor").await;
    let mut users = Vec::new();
    for name in ["ali", "badr", "chadi"] {
        let u = app.register(name).await;
        award(&app, &admin, u.id, 100).await;
        users.push(u);
    }
    let names = ["ali", "badr", "chadi"];
    let requests = (0..50).map(|i| {
        let from = &users[i % 3];
        let to = names[(i + 1 + i / 3 % 2) % 3];
        let to = if to == names[i % 3] {
            names[(i + 2) % 3]
        } else {
            to
        };
        app.client
            .post(app.url("/api/v1/points/transfers"))
            .bearer_auth(&from.token)
            .json(&json!({"to_username": to, "amount": 7 + (i as i64 % 5) * 3}))
            .send()
    });
    let results = join_all(requests).await;
    let mut ok = 0;
    for r in results {
        let r = r.unwrap();
        match r.status().as_u16() {
            201 => ok += 1,
            409 => {}
            other => panic!("unexpected status {other}: {}", r.text().await.unwrap()),
        }
    }
    assert!(ok > 0);
    let mut total = 0;
    for u in &users {
        let b = balance(&app, u).await;
        assert!(b >= 0);
        total += b;
    }
    assert_eq!(total, 300, "points neither appear nor vanish");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'transfer_out'")
            .await,
        ok
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'points_received'")
            .await,
        ok,
        "one notification per transfer that went through"
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn history_gives_one_end_of_day_balance_per_day() {
    let app = spawn_app().await;
    let admin = app.admin("historian").await;
    let user = app.register("charted").await;
    award(&app, &admin, user.id, 40).await;
    // Move that award three days back, then award more today.
    let three_days_ago = (chrono::Utc::now() - chrono::Duration::days(3))
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string();
    app.sql(&format!(
        "UPDATE points_transactions SET created_at = '{three_days_ago}'"
    ))
    .await;
    award(&app, &admin, user.id, 10).await;
    let h: Value = app
        .get("/api/v1/points/history?days=7", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let points: Vec<i64> = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["balance"].as_i64().unwrap())
        .collect();
    assert_eq!(points, vec![0, 0, 0, 40, 40, 40, 50]);
    assert_error(
        app.get("/api/v1/points/history?days=0", Some(&user.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/api/v1/points/history?days=9999", Some(&user.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn notifications_are_private_and_can_be_marked_read() {
    let app = spawn_app().await;
    let admin = app.admin("notifier").await;
    let a = app.register("reader_a").await;
    let b = app.register("reader_b").await;
    award(&app, &admin, a.id, 5).await;
    award(&app, &admin, a.id, 6).await;
    let bell: Value = app
        .get("/api/v1/notifications", Some(&a.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["unread"], 2);
    let id = bell["items"][0]["id"].as_i64().unwrap();
    // Someone else's notification is not found.
    assert_error(
        app.post(
            &format!("/api/v1/notifications/{id}/read"),
            Some(&b.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.post(
            &format!("/api/v1/notifications/{id}/read"),
            Some(&a.token),
            json!({})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let bell: Value = app
        .get("/api/v1/notifications", Some(&a.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["unread"], 1);
    assert_eq!(
        app.post("/api/v1/notifications/read-all", Some(&a.token), json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let bell: Value = app
        .get("/api/v1/notifications?unread=true", Some(&a.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["unread"], 0);
    assert_eq!(bell["items"], json!([]));
}

#[tokio::test]
async fn the_recipient_lookup_takes_a_username_only_and_is_limited_per_user() {
    let app = spawn_app().await;
    let prober = app.register("prober").await;
    let other = app.register("other_sender").await;
    app.register("target").await;

    // By username: found. By the account's email: not found, exactly like an unknown name, so
    // the answer says nothing about which email belongs to which account.
    let res = app
        .get("/api/v1/points/recipients/Target", Some(&prober.token))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let who: Value = res.json().await.unwrap();
    assert_eq!(who["username"], "target");
    assert!(who.get("email").is_none(), "{who}");
    for probe in [
        "target@example.com",
        "TARGET@EXAMPLE.COM",
        "nobody@example.com",
        "no_such_user",
    ] {
        let res = app
            .get(
                &format!("/api/v1/points/recipients/{probe}"),
                Some(&prober.token),
            )
            .await;
        assert_error(res, 404, "not_found").await;
    }
    // The transfer itself takes a username only, too.
    let err = assert_error(
        app.post(
            "/api/v1/points/transfers",
            Some(&prober.token),
            json!({"to_username": "target@example.com", "amount": 1}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["to_username"].is_string());

    // Ten look-ups a minute per user (five used above); then 429 with Retry-After.
    for _ in 0..5 {
        let res = app
            .get("/api/v1/points/recipients/target", Some(&prober.token))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    // (A slow machine may have earned a look-up back meanwhile: one every 6 s.)
    let mut limited = None;
    for _ in 0..3 {
        let res = app
            .get("/api/v1/points/recipients/target", Some(&prober.token))
            .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("429 after the minute's ten look-ups");
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let err = assert_error(res, 429, "rate_limited").await;
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("مستلمين"));
    // Another user has their own allowance.
    let res = app
        .get("/api/v1/points/recipients/target", Some(&other.token))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}
