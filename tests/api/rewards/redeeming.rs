//! Redeeming: the debit into the hold, stock, notifications and the timeline; not enough points; races for points, stock and the per-user limit.

use super::*;

#[tokio::test]
async fn a_redemption_debits_holds_stock_notifies_and_keeps_a_timeline() {
    let app = spawn_app().await;
    let admin = app.admin("clerk").await;
    let user = app.register("collector").await;
    award(&app, &admin, user.id, 100).await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "كوب المسابقات", "description": "كوب", "cost": 30, "stock": 2, "per_user_limit": null, "active": true}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();

    let res = app
        .post(
            &format!("/api/v1/rewards/{rid}/redeem"),
            Some(&user.token),
            json!({"note": "المقاس الكبير لو سمحتم"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["points_balance"], 70);
    let red = &body["redemption"];
    assert_eq!(red["status"], "pending");
    assert_eq!(red["status_label"], "قيد المراجعة");
    assert_eq!(red["cost"], 30);
    assert_eq!(red["user_note"], "المقاس الكبير لو سمحتم");
    assert_eq!(red["can_cancel"], true);
    assert_eq!(red["timeline"].as_array().unwrap().len(), 1);
    let red_id = red["id"].as_i64().unwrap();
    assert_eq!(stock(&app, &admin, rid).await, 1);
    assert_eq!(balance(&app, &user).await, 70);

    // The ledger row points at the redemption; the bell has the news.
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
            &json!("redemption"),
            &json!(-30),
            &json!("redemption"),
            &json!(red_id)
        )
    );
    let bell: Value = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bell["items"][0]["kind"], "redemption_created");

    // A body-less redeem works too (the note is optional).
    let res = app
        .request(
            &app.client,
            Method::POST,
            &format!("/api/v1/rewards/{rid}/redeem"),
            Some(&user.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let second: Value = res.json().await.unwrap();
    let second_id = second["redemption"]["id"].as_i64().unwrap();
    assert_eq!(stock(&app, &admin, rid).await, 0);
    assert_error(redeem(&app, &user, rid).await, 409, "out_of_stock").await;
    assert_eq!(
        balance(&app, &user).await,
        40,
        "a sold-out attempt debits nothing"
    );

    // Admin queue: approve with a note, then fulfil.
    let queue: Value = app
        .get(
            "/api/v1/admin/redemptions?status=pending&sort=oldest",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 2);
    assert_eq!(queue["items"][0]["id"], red_id);
    assert_eq!(queue["items"][0]["username"], "collector");
    let res = app
        .post(
            &format!("/api/v1/admin/redemptions/{red_id}/approve"),
            Some(&admin.token),
            json!({"note": "سيصلك خلال أسبوع"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let approved: Value = res.json().await.unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by_username"], "clerk");
    assert_error(
        app.post(
            &format!("/api/v1/redemptions/{red_id}/cancel"),
            Some(&user.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/admin/redemptions/{red_id}/approve"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/admin/redemptions/{second_id}/fulfill"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let res = app
        .request(
            &app.client,
            Method::POST,
            &format!("/api/v1/admin/redemptions/{red_id}/fulfill"),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The user's history: newest first, with the full timeline and the admin's note.
    let mine: Value = app
        .get("/api/v1/redemptions?status=fulfilled", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    let done = &mine["items"][0];
    assert_eq!(done["status"], "fulfilled");
    assert_eq!(done["can_cancel"], false);
    assert!(
        done["decided_by_username"].is_null(),
        "admins stay anonymous"
    );
    let steps: Vec<&str> = done["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["pending", "approved", "fulfilled"]);
    assert_eq!(done["timeline"][1]["note"], "سيصلك خلال أسبوع");
    assert!(done["fulfilled_at"].is_string() && done["decided_at"].is_string());
    let kinds: Vec<String> = app
        .get("/api/v1/notifications", Some(&user.token))
        .await
        .json::<Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"redemption_approved".to_owned()));
    assert!(kinds.contains(&"redemption_fulfilled".to_owned()));

    // The user cancels the other one: refunded, stock back.
    let res = app
        .post(
            &format!("/api/v1/redemptions/{second_id}/cancel"),
            Some(&user.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["timeline"][1]["status"], "cancelled");
    assert_eq!(balance(&app, &user).await, 70);
    assert_eq!(stock(&app, &admin, rid).await, 1);
    assert_error(
        app.post(
            &format!("/api/v1/redemptions/{second_id}/cancel"),
            Some(&user.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    // Others' redemptions are invisible; the admin's per-user view shows them.
    let stranger = app.register("stranger").await;
    assert_error(
        app.post(
            &format!("/api/v1/redemptions/{red_id}/cancel"),
            Some(&stranger.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let theirs: Value = app
        .get("/api/v1/redemptions", Some(&stranger.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
    let admin_view: Value = app
        .get(
            &format!("/api/v1/admin/users/{}/redemptions", user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_view["items"].as_array().unwrap().len(), 2);
    assert_error(
        app.get("/api/v1/admin/users/999999/redemptions", Some(&admin.token))
            .await,
        404,
        "not_found",
    )
    .await;
    let by_reward: Value = app
        .get(
            &format!(
                "/api/v1/admin/redemptions?reward_id={rid}&user_id={}",
                user.id
            ),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_reward["items"].as_array().unwrap().len(), 2);
    assert_error(
        app.get("/api/v1/admin/redemptions?status=lost", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    for action in ["redemption.approve", "redemption.fulfill"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn redeeming_without_enough_points_returns_409_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("warden").await;
    let user = app.register("hopeful").await;
    award(&app, &admin, user.id, 29).await;
    let reward = create_reward(&app, &admin, json!({"name": "قلم", "cost": 30, "stock": 3})).await;
    let rid = reward["id"].as_i64().unwrap();
    assert_error(redeem(&app, &user, rid).await, 409, "insufficient_points").await;
    assert_eq!(balance(&app, &user).await, 29);
    assert_eq!(
        stock(&app, &admin, rid).await,
        3,
        "the stock hold rolled back"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reward_redemptions").await,
        0
    );
    assert_error(redeem(&app, &user, 999_999).await, 404, "not_found").await;
    assert_error(
        app.post(
            &format!("/api/v1/rewards/{rid}/redeem"),
            Some(&user.token),
            json!({"note": "م".repeat(201)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(&format!("/api/v1/rewards/{rid}/redeem"), None, json!({}))
            .await,
        401,
        "unauthorized",
    )
    .await;
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn twenty_parallel_redemptions_with_points_for_three_succeed_exactly_three_times() {
    let app = spawn_app().await;
    let admin = app.admin("overseer").await;
    let user = app.register("eager").await;
    award(&app, &admin, user.id, 30).await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "بطاقة", "cost": 10, "stock": 50, "per_user_limit": null}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();
    let results = join_all((0..20).map(|_| redeem(&app, &user, rid))).await;
    let mut codes = Vec::new();
    for res in results {
        let status = res.status();
        if status == StatusCode::CONFLICT {
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "insufficient_points", "{body}");
        }
        codes.push(status);
    }
    assert_eq!(statuses(&codes), (3, 17), "{codes:?}");
    assert_eq!(balance(&app, &user).await, 0);
    assert_eq!(stock(&app, &admin, rid).await, 47);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reward_redemptions").await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'redemption'")
            .await,
        3
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn ten_users_racing_for_the_last_item_leave_exactly_one_winner() {
    let app = spawn_app().await;
    let admin = app.admin("judge").await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "آخر قطعة", "cost": 50, "stock": 1}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();
    let mut users = Vec::new();
    for i in 0..10 {
        let u = app.register(&format!("racer{i}")).await;
        award(&app, &admin, u.id, 100).await;
        users.push(u);
    }
    let results = join_all(users.iter().map(|u| redeem(&app, u, rid))).await;
    let mut codes = Vec::new();
    for res in results {
        let status = res.status();
        if status == StatusCode::CONFLICT {
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "out_of_stock", "{body}");
        }
        codes.push(status);
    }
    assert_eq!(statuses(&codes), (1, 9), "{codes:?}");
    assert_eq!(stock(&app, &admin, rid).await, 0);
    assert_eq!(
        app.count("SELECT CAST(COALESCE(SUM(points_balance), 0) AS BIGINT) FROM users")
            .await,
        950
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_per_user_limit_holds_under_concurrency() {
    let app = spawn_app().await;
    let admin = app.admin("limiter").await;
    let user = app.register("greedy").await;
    award(&app, &admin, user.id, 1000).await;
    let reward = create_reward(
        &app,
        &admin,
        json!({"name": "وشاح", "cost": 10, "stock": null, "per_user_limit": 2}),
    )
    .await;
    let rid = reward["id"].as_i64().unwrap();
    let results = join_all((0..12).map(|_| redeem(&app, &user, rid))).await;
    let mut codes = Vec::new();
    let mut first_ok = None;
    for res in results {
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        if status == StatusCode::CONFLICT {
            assert_eq!(body["error"]["code"], "limit_reached", "{body}");
        } else if first_ok.is_none() {
            first_ok = body["redemption"]["id"].as_i64();
        }
        codes.push(status);
    }
    assert_eq!(statuses(&codes), (2, 10), "{codes:?}");
    assert_eq!(balance(&app, &user).await, 980);
    let page: Value = app
        .get("/api/v1/rewards", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["my_redemptions"], 2);
    assert_eq!(page["items"][0]["remaining_allowance"], 0);
    assert_eq!(page["items"][0]["can_redeem"], false);
    assert!(
        page["items"][0]["stock"].is_null(),
        "unlimited stays unlimited"
    );

    // A cancelled redemption no longer counts toward the limit.
    let cancelled = app
        .post(
            &format!("/api/v1/redemptions/{}/cancel", first_ok.unwrap()),
            Some(&user.token),
            json!({}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(redeem(&app, &user, rid).await.status(), StatusCode::CREATED);
    assert_error(redeem(&app, &user, rid).await, 409, "limit_reached").await;
    assert_eq!(balance(&app, &user).await, 980);
    assert_ledger_clean(&app, &admin).await;
}
