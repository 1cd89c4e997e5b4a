//! Issue 15, item 7: a participant downloads their data and deletes their account. Deletion
//! erases the personal fields, ends every way in, keeps the ledger exact, and is refused while
//! something is still pending or when it would leave no active admin.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, assert_ledger_clean, spawn_app, TestApp, TestUser, PASSWORD};
use crate::purchases::put_settings;

async fn award(app: &TestApp, admin: &TestUser, user_id: i64, amount: i64) {
    let res = app
        .post(
            &format!("/api/v1/admin/users/{user_id}/adjust"),
            Some(&admin.token),
            json!({"amount": amount, "reason": "ترحيب"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "award");
}

async fn delete_me(app: &TestApp, user: &TestUser, body: Value) -> reqwest::Response {
    app.request(
        &user.client,
        Method::DELETE,
        "/api/v1/me",
        Some(&user.token),
        Some(body),
    )
    .await
}

async fn reward(app: &TestApp, admin: &TestUser, cost: i64) -> i64 {
    let res = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "قسيمة", "description": "قسيمة شراء", "cost": cost, "stock": 5, "active": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn redeem(app: &TestApp, user: &TestUser, reward_id: i64) -> Value {
    let res = app
        .post(
            &format!("/api/v1/rewards/{reward_id}/redeem"),
            Some(&user.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "redeem");
    res.json().await.unwrap()
}

async fn request_purchase(app: &TestApp, admin: &TestUser, user: &TestUser) -> Value {
    let package: Value = app
        .post(
            "/api/v1/admin/packages",
            Some(&admin.token),
            json!({"name": "الباقة الذهبية", "points": 1000, "bonus_points": 0, "price_minor": 2500, "currency": "SAR", "active": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            "/api/v1/purchases",
            Some(&user.token),
            json!({"package_id": package["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "request purchase");
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_export_is_one_attachment_with_profile_ledger_redemptions_purchases_messages_and_referrals(
) {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let inviter = app.register("inviter").await;
    let code = app
        .text(&format!(
            "SELECT referral_code FROM users WHERE id = {}",
            inviter.id
        ))
        .await
        .unwrap();
    let res = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "owner", "email": "owner@example.com", "password": PASSWORD, "display_name": "صاحب البيانات", "referral_code": code}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let owner = app.login_ok("owner", PASSWORD).await;
    award(&app, &admin, owner.id, 300).await;
    let reward_id = reward(&app, &admin, 40).await;
    redeem(&app, &owner, reward_id).await;
    request_purchase(&app, &admin, &owner).await;
    let room: Value = app
        .post(
            "/api/v1/admin/chat/rooms",
            Some(&admin.token),
            json!({"name": "الساحة", "description": "غرفة للجميع"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let room = room["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/chat/rooms/{room}/join"),
        Some(&owner.token),
        json!({}),
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/messages"),
            Some(&owner.token),
            json!({"body": "رسالتي الأولى"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let res = app.get("/api/v1/me/export", Some(&owner.token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"musabaqati-data-"),
        "{disposition}"
    );
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["format"], "musabaqati-data-export/1");
    assert_eq!(export["profile"]["username"], "owner");
    assert_eq!(export["profile"]["email"], "owner@example.com");
    let ledger = export["ledger"].as_array().unwrap();
    // The welcome credit and the redemption's debit (referral bonuses wait for qualification).
    let amounts: Vec<i64> = ledger
        .iter()
        .map(|e| e["amount"].as_i64().unwrap())
        .collect();
    assert!(
        amounts.contains(&300) && amounts.contains(&-40),
        "{amounts:?}"
    );
    assert_eq!(
        ledger.last().unwrap()["balance_after"],
        export["profile"]["points_balance"]
    );
    assert_eq!(export["redemptions"].as_array().unwrap().len(), 1);
    assert_eq!(export["purchases"].as_array().unwrap().len(), 1);
    let messages = export["chat_messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["body"], "رسالتي الأولى");
    assert_eq!(messages[0]["room_name"], "الساحة");
    assert_eq!(export["referrals"]["referred_by"], "inviter");
    // Someone else's export holds none of it.
    let theirs: Value = app
        .get("/api/v1/me/export", Some(&inviter.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["chat_messages"], json!([]));
    assert_eq!(theirs["referrals"]["invited"][0]["username"], "owner");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.data_export'")
            .await,
        2
    );
}

#[tokio::test]
async fn deleting_erases_personal_fields_ends_every_way_in_and_keeps_the_ledger_exact() {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let user = app.register("leaver").await;
    let friend = app.register("friend").await;
    award(&app, &admin, user.id, 200).await;
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "friend", "amount": 30}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let laptop = app.login_ok("leaver", PASSWORD).await;
    let ledger_rows = app
        .count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE user_id = {}",
            user.id
        ))
        .await;

    // The wrong password changes nothing.
    let body = assert_error(
        delete_me(&app, &user, json!({"password": "not-my-password"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["error"]["fields"]["password"].is_string(), "{body}");
    assert_eq!(
        app.get("/api/v1/me", Some(&user.token)).await.status(),
        StatusCode::OK
    );

    let res = delete_me(&app, &user, json!({"password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // Every session and token is over, and the password no longer signs in.
    for token in [&user.token, &laptop.token] {
        assert_eq!(
            app.get("/api/v1/me", Some(token)).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login("leaver", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&format!("deleted_{}", user.id), PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Personal fields are replaced; the row and its ledger stay.
    let row = app
        .text(&format!(
            "SELECT username || '|' || email || '|' || display_name || '|' || status FROM users WHERE id = {}",
            user.id
        ))
        .await
        .unwrap();
    assert_eq!(
        row,
        format!(
            "deleted_{id}|deleted_{id}@deleted.invalid|حساب محذوف|suspended",
            id = user.id
        )
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {} AND registration_ip IS NULL AND deleted_at IS NOT NULL",
            user.id
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE user_id = {}",
            user.id
        ))
        .await,
        ledger_rows
    );
    assert_eq!(
        app.count(&format!(
            "SELECT points_balance FROM users WHERE id = {}",
            user.id
        ))
        .await,
        170
    );
    assert_ledger_clean(&app, &admin).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.delete' AND target_id = '{}'",
            user.id
        ))
        .await,
        1
    );
    // The name and address are free again, and the friend's history still reads.
    let again = app.register("leaver").await;
    assert_ne!(again.id, user.id);
    let history: Value = app
        .get("/api/v1/points/transactions", Some(&friend.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(history
        .to_string()
        .contains(&format!("deleted_{}", user.id)));
    // An admin cannot bring the account back.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"status": "active", "note": "إعادة"}),
        )
        .await;
    assert_error(res, 409, "conflict").await;
}

#[tokio::test]
async fn deletion_is_refused_while_a_redemption_a_held_transfer_or_a_purchase_is_pending() {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let user = app.register("busy").await;
    let other = app.register("other").await;
    award(&app, &admin, user.id, 500).await;

    let reward_id = reward(&app, &admin, 50).await;
    let red = redeem(&app, &user, reward_id).await;
    let body = assert_error(
        delete_me(&app, &user, json!({"password": PASSWORD})).await,
        409,
        "account_deletion_blocked",
    )
    .await;
    assert!(body["error"]["fields"]["redemptions"].is_string(), "{body}");
    let res = app
        .post(
            &format!("/api/v1/redemptions/{}/cancel", red["redemption"]["id"]),
            Some(&user.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "cancel the redemption");

    request_purchase(&app, &admin, &user).await;
    let body = assert_error(
        delete_me(&app, &user, json!({"password": PASSWORD})).await,
        409,
        "account_deletion_blocked",
    )
    .await;
    assert!(body["error"]["fields"]["purchases"].is_string(), "{body}");
    app.sql(&format!(
        "UPDATE purchase_records SET status = 'cancelled' WHERE user_id = {}",
        user.id
    ))
    .await;

    // A transfer the fraud rules hold: refused for the sender and for the recipient.
    let res = put_settings(
        &app,
        &admin,
        json!({"risk_transfer_enabled": true, "risk_transfer_max_per_hour": 1, "risk_young_account_days": 0}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let t: Value = app
            .post(
                "/api/v1/points/transfers",
                Some(&user.token),
                json!({"to_username": "other", "amount": 10}),
            )
            .await
            .json()
            .await
            .unwrap();
        statuses.push(t["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(statuses, ["completed", "held"]);
    for who in [&user, &other] {
        let body = assert_error(
            delete_me(&app, who, json!({"password": PASSWORD})).await,
            409,
            "account_deletion_blocked",
        )
        .await;
        assert!(
            body["error"]["fields"]["held_transfers"].is_string(),
            "{body}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL")
            .await,
        0,
        "nothing was deleted"
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&user.token)).await.status(),
        StatusCode::OK
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn with_two_factor_on_deletion_needs_a_code_and_removes_it() {
    let app = spawn_app().await;
    let user = app.register("guarded").await;
    let (secret, _codes) = crate::totp::enrol(&app, &user).await;
    let body = assert_error(
        delete_me(&app, &user, json!({"password": PASSWORD})).await,
        422,
        "invalid_totp_code",
    )
    .await;
    assert!(body["error"]["fields"]["totp_code"].is_string(), "{body}");
    assert_error(
        delete_me(
            &app,
            &user,
            json!({"password": PASSWORD, "totp_code": "000000x"}),
        )
        .await,
        422,
        "invalid_totp_code",
    )
    .await;
    // The enrolment spent the current step; the next one is accepted.
    app.sql(&format!(
        "UPDATE user_totp SET last_step = NULL WHERE user_id = {}",
        user.id
    ))
    .await;
    let res = delete_me(
        &app,
        &user,
        json!({"password": PASSWORD, "totp_code": crate::totp::code(&secret, 0)}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM user_totp WHERE user_id = {}",
            user.id
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_delete_their_account() {
    let app = spawn_app().await;
    let admin = app.admin("only").await;
    assert_error(
        delete_me(&app, &admin, json!({"password": PASSWORD})).await,
        409,
        "last_admin",
    )
    .await;
    app.admin("second").await;
    let res = delete_me(&app, &admin, json!({"password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_redemption_racing_the_deletion_is_settled_exactly_once() {
    let app = spawn_app().await;
    let admin = app.admin("root").await;
    let reward_id = reward(&app, &admin, 10).await;
    for i in 0..4 {
        let user = app.register(&format!("racer{i}")).await;
        award(&app, &admin, user.id, 100).await;
        let redeem_path = format!("/api/v1/rewards/{reward_id}/redeem");
        let (deleted, redeemed) = tokio::join!(
            delete_me(&app, &user, json!({"password": PASSWORD})),
            app.post(&redeem_path, Some(&user.token), json!({})),
        );
        let (deleted, redeemed) = (deleted.status(), redeemed.status());
        assert!(
            !(deleted.is_success() && redeemed.is_success()),
            "both went through: {deleted} {redeemed}"
        );
        let pending = app
            .count(&format!(
                "SELECT COUNT(*) FROM reward_redemptions WHERE user_id = {} AND status = 'pending'",
                user.id
            ))
            .await;
        let gone = app
            .count(&format!(
                "SELECT COUNT(*) FROM users WHERE id = {} AND deleted_at IS NOT NULL",
                user.id
            ))
            .await;
        if deleted.is_success() {
            assert_eq!((pending, gone), (0, 1), "redeem answered {redeemed}");
        } else {
            assert_eq!(deleted, StatusCode::CONFLICT);
            assert_eq!((pending, gone), (1, 0), "redeem answered {redeemed}");
        }
    }
    assert_ledger_clean(&app, &admin).await;
}
