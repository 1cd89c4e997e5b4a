//! Decisions on redemptions: concurrent rejections and cancellations refund once, bulk decisions, Idempotency-Key retries.

use super::*;

#[tokio::test]
async fn concurrent_rejections_and_cancellations_refund_once_and_restore_stock_once() {
    let app = spawn_app().await;
    let admin = app.admin("first_admin").await;
    let admin2 = app.admin("second_admin").await;
    let user = app.register("refundee").await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "ساعة", "cost": 40, "stock": 5}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();

    // Two admins click "reject" many times at once.
    let red = pending_redemption(&app, &admin, &user, rid).await;
    assert_eq!(stock(&app, &admin, rid).await, 4);
    let path = format!("/api/v1/admin/redemptions/{red}/reject");
    let body = json!({"note": "غير متوفر في منطقتك"});
    let results = join_all((0..10).map(|i| {
        let token = if i % 2 == 0 {
            &admin.token
        } else {
            &admin2.token
        };
        app.post(&path, Some(token), body.clone())
    }))
    .await;
    let codes: Vec<StatusCode> = results.iter().map(|r| r.status()).collect();
    assert_eq!(statuses(&codes), (1, 9), "{codes:?}");
    assert_eq!(balance(&app, &user).await, 40);
    assert_eq!(stock(&app, &admin, rid).await, 5);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE kind = 'redemption_refund' AND reference_id = {red}"
        ))
        .await,
        1
    );
    let rejected: Value = app
        .get("/api/v1/redemptions", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rejected["items"][0]["status"], "rejected");
    assert_eq!(rejected["items"][0]["admin_note"], "غير متوفر في منطقتك");
    assert_eq!(rejected["items"][0]["timeline"][1]["status"], "rejected");
    assert_ledger_clean(&app, &admin).await;

    // The user cancels while an admin rejects.
    let red = pending_redemption(&app, &admin, &user, rid).await;
    let cancel_path = format!("/api/v1/redemptions/{red}/cancel");
    let reject_path = format!("/api/v1/admin/redemptions/{red}/reject");
    let results = join_all((0..10).map(|i| {
        if i % 2 == 0 {
            app.post(&cancel_path, Some(&user.token), json!({}))
        } else {
            app.post(&reject_path, Some(&admin.token), body.clone())
        }
    }))
    .await;
    let codes: Vec<StatusCode> = results.iter().map(|r| r.status()).collect();
    assert_eq!(statuses(&codes), (1, 9), "{codes:?}");
    assert_eq!(balance(&app, &user).await, 80);
    assert_eq!(stock(&app, &admin, rid).await, 5);
    assert_ledger_clean(&app, &admin).await;

    // Approve races reject: exactly one decision, and a refund only if it was the rejection.
    let red = pending_redemption(&app, &admin, &user, rid).await;
    let approve_path = format!("/api/v1/admin/redemptions/{red}/approve");
    let reject_path = format!("/api/v1/admin/redemptions/{red}/reject");
    let results = join_all((0..10).map(|i| {
        if i % 2 == 0 {
            app.post(&approve_path, Some(&admin.token), json!({}))
        } else {
            app.post(&reject_path, Some(&admin2.token), body.clone())
        }
    }))
    .await;
    let codes: Vec<StatusCode> = results.iter().map(|r| r.status()).collect();
    assert_eq!(statuses(&codes), (1, 9), "{codes:?}");
    let mine: Value = app
        .get("/api/v1/redemptions", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let refunds = app
        .count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE kind = 'redemption_refund' AND reference_id = {red}"
        ))
        .await;
    match mine["items"][0]["status"].as_str().unwrap() {
        "approved" => {
            assert_eq!(refunds, 0);
            assert_eq!(balance(&app, &user).await, 80);
            assert_eq!(stock(&app, &admin, rid).await, 4);
        }
        "rejected" => {
            assert_eq!(refunds, 1);
            assert_eq!(balance(&app, &user).await, 120);
            assert_eq!(stock(&app, &admin, rid).await, 5);
        }
        other => panic!("unexpected status {other}"),
    }
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn bulk_decisions_report_every_outcome_and_need_a_note_to_reject() {
    let app = spawn_app().await;
    let admin = app.admin("bulkadmin").await;
    let user = app.register("bulkuser").await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "دفتر", "cost": 40, "stock": 10}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();
    let a = pending_redemption(&app, &admin, &user, rid).await;
    let b = pending_redemption(&app, &admin, &user, rid).await;
    let c = pending_redemption(&app, &admin, &user, rid).await;
    assert_eq!(
        app.post(
            &format!("/api/v1/admin/redemptions/{c}/approve"),
            Some(&admin.token),
            json!({}),
        )
        .await
        .status(),
        StatusCode::OK
    );
    for (body, field) in [
        (json!({"ids": [a, b], "action": "reject"}), "note"),
        (
            json!({"ids": [a, b], "action": "reject", "note": " "}),
            "note",
        ),
        (json!({"ids": [], "action": "approve"}), "ids"),
        (json!({"ids": [a, a], "action": "approve"}), "ids"),
        (
            json!({"ids": (1..=101).collect::<Vec<i64>>(), "action": "approve"}),
            "ids",
        ),
        (json!({"ids": [a], "action": "delete"}), "action"),
    ] {
        let err = assert_error(
            app.post(
                "/api/v1/admin/redemptions/bulk",
                Some(&admin.token),
                body.clone(),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{body}: {err}");
    }
    let res = app
        .post(
            "/api/v1/admin/redemptions/bulk",
            Some(&admin.token),
            json!({"ids": [a, b, c, 999999], "action": "reject", "note": "انتهى العرض"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let out: Value = res.json().await.unwrap();
    assert_eq!(
        (out["succeeded"].as_i64(), out["failed"].as_i64()),
        (Some(2), Some(2))
    );
    let codes: Vec<&Value> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["error_code"])
        .collect();
    assert_eq!(
        codes,
        [
            &Value::Null,
            &Value::Null,
            &json!("invalid_transition"),
            &json!("not_found")
        ]
    );
    assert_eq!(out["results"][0]["status"], "rejected");
    assert_eq!(balance(&app, &user).await, 80);
    assert_eq!(stock(&app, &admin, rid).await, 9);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'redemption.reject'")
            .await,
        2
    );
    // A single rejection needs its note too.
    let err = assert_error(
        app.post(
            &format!("/api/v1/admin/redemptions/{c}/reject"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["note"].is_string());
    assert_error(
        app.post(
            "/api/v1/admin/redemptions/999999/approve",
            Some(&admin.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn a_redemption_retried_with_its_idempotency_key_happens_once() {
    let app = spawn_app().await;
    let admin = app.admin("idem").await;
    let user = app.register("retrier").await;
    award(&app, &admin, user.id, 100).await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "كتاب", "cost": 20, "stock": 10}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();
    let send_with = |key: &'static str, note: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/rewards/{rid}/redeem")))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", key)
            .json(&json!({"note": note}))
            .send()
    };
    let first = send_with("redeem-1", "هدية").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = send_with("redeem-1", "هدية").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["redemption"]["id"], first["redemption"]["id"]);
    assert_error(
        send_with("redeem-1", "شيء آخر").await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    let parallel = join_all((0..8).map(|_| send_with("redeem-2", ""))).await;
    assert!(parallel
        .iter()
        .all(|r| r.as_ref().unwrap().status() == StatusCode::CREATED));
    assert_eq!(balance(&app, &user).await, 60);
    assert_eq!(stock(&app, &admin, rid).await, 8);

    // A retried cancellation or rejection replays its answer and refunds once.
    let red = first["redemption"]["id"].as_i64().unwrap();
    let cancel = || {
        app.client
            .post(app.url(&format!("/api/v1/redemptions/{red}/cancel")))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", "cancel-1")
            .send()
    };
    assert_eq!(cancel().await.unwrap().status(), StatusCode::OK);
    let replay = cancel().await.unwrap();
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(replay.json::<Value>().await.unwrap()["status"], "cancelled");
    assert_eq!(balance(&app, &user).await, 80);
    let pending: Value = app
        .get("/api/v1/redemptions?status=pending", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);
    let other = pending["items"][0]["id"].as_i64().unwrap();
    let reject = || {
        app.client
            .post(app.url(&format!("/api/v1/admin/redemptions/{other}/reject")))
            .bearer_auth(&admin.token)
            .header("Idempotency-Key", "reject-1")
            .json(&json!({"note": "مكرر"}))
            .send()
    };
    assert_eq!(reject().await.unwrap().status(), StatusCode::OK);
    assert_eq!(reject().await.unwrap().status(), StatusCode::OK);
    assert_eq!(balance(&app, &user).await, 100);
    assert_eq!(stock(&app, &admin, rid).await, 10);
    assert_ledger_clean(&app, &admin).await;
}
