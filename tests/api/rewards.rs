//! Rewards: the admin catalogue, redemptions and their approval workflow, stock and per-user
//! limits under concurrency, exactly-once refunds.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};
pub use crate::helpers::{assert_ledger_clean, award, balance};

pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    app.request(&app.client, method, path, Some(token), body)
        .await
}

async fn create_reward(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    let res = app
        .post("/api/v1/admin/rewards", Some(&admin.token), body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create reward");
    res.json().await.unwrap()
}

async fn redeem(app: &TestApp, user: &TestUser, reward_id: i64) -> reqwest::Response {
    app.post(
        &format!("/api/v1/rewards/{reward_id}/redeem"),
        Some(&user.token),
        json!({}),
    )
    .await
}

async fn stock(app: &TestApp, admin: &TestUser, reward_id: i64) -> Value {
    let r: Value = app
        .get(
            &format!("/api/v1/admin/rewards/{reward_id}"),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    r["stock"].clone()
}

fn statuses(results: &[reqwest::StatusCode]) -> (usize, usize) {
    let ok = results.iter().filter(|s| s.is_success()).count();
    let conflict = results
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    (ok, conflict)
}

#[tokio::test]
async fn an_admin_creates_edits_and_retires_a_reward_and_the_catalogue_follows() {
    let app = spawn_app().await;
    let admin = app.admin("keeper").await;
    let user = app.register("shopper").await;
    award(&app, &admin, user.id, 120).await;

    let voucher = create_reward(
        &app,
        &admin,
        json!({"name": "قسيمة مُسابَقة", "description": "قسيمة شراء بقيمة 50 ريالًا", "cost": 100, "stock": 5, "per_user_limit": 2, "active": true, "category": "قسائم", "icon": "🎁"}),
    )
    .await;
    assert_eq!(voucher["state"], "available");
    assert_eq!(voucher["state_label"], "متاحة");
    assert_eq!(voucher["stock"], 5);
    let cheap = create_reward(
        &app,
        &admin,
        json!({"name": "ملصق", "description": "", "cost": 10, "stock": null, "per_user_limit": null, "active": true, "name_en": "Sticker"}),
    )
    .await;
    let pricey = create_reward(
        &app,
        &admin,
        json!({"name": "سماعة", "description": "سماعة لاسلكية", "cost": 500, "stock": 0, "per_user_limit": null, "active": true, "category": "أجهزة"}),
    )
    .await;
    assert_eq!(pricey["state"], "out_of_stock");

    // Anonymous visitors browse without the personal fields, cheapest first.
    let page: Value = app.get("/api/v1/rewards", None).await.json().await.unwrap();
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ملصق", "قسيمة مُسابَقة", "سماعة"]);
    assert!(page["items"][0]["affordable"].is_null());
    assert!(page["points_balance"].is_null());
    assert_eq!(page["categories"], json!(["أجهزة", "قسائم"]));
    assert_eq!(page["items"][2]["in_stock"], false);

    // Signed in: affordability, points needed, allowance.
    let page: Value = app
        .get("/api/v1/rewards", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["points_balance"], 120);
    let item = &page["items"][1];
    assert_eq!(item["id"], voucher["id"]);
    assert_eq!(
        (
            &item["affordable"],
            &item["points_needed"],
            &item["my_redemptions"],
            &item["remaining_allowance"],
            &item["can_redeem"]
        ),
        (&json!(true), &json!(0), &json!(0), &json!(2), &json!(true))
    );
    let sold_out = &page["items"][2];
    assert_eq!(
        (&sold_out["affordable"], &sold_out["points_needed"]),
        (&json!(false), &json!(380))
    );
    assert_eq!(sold_out["blocked_reason"], "نفدت الكمية");
    assert!(page["items"][0]["remaining_allowance"].is_null());

    // Filters: Arabic-normalized search, category, affordability, paging.
    let found: Value = app
        .get(
            "/api/v1/rewards?q=%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D9%87",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["items"][0]["id"], voucher["id"]);
    let found: Value = app
        .get("/api/v1/rewards?q=STICKER", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"][0]["id"], cheap["id"]);
    let found: Value = app
        .get(
            "/api/v1/rewards?category=%D8%A3%D8%AC%D9%87%D8%B2%D8%A9",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let affordable: Value = app
        .get("/api/v1/rewards?affordable=true", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(affordable["items"].as_array().unwrap().len(), 2);
    assert_error(
        app.get("/api/v1/rewards?affordable=true", None).await,
        401,
        "unauthorized",
    )
    .await;
    let first: Value = app
        .get("/api/v1/rewards?limit=2", None)
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let rest: Value = app
        .get(&format!("/api/v1/rewards?limit=2&cursor={cursor}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"][0]["id"], pricey["id"]);
    assert!(rest["next_cursor"].is_null());
    for bad in ["q=a%00b", "category=%01", "cursor=1"] {
        assert_error(
            app.get(&format!("/api/v1/rewards?{bad}"), None).await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_error(
        app.get("/api/v1/rewards?cursor=nope", None).await,
        422,
        "validation_failed",
    )
    .await;

    // PATCH changes only what is sent; null clears the stock (unlimited).
    let id = voucher["id"].as_i64().unwrap();
    let res = app
        .patch(
            &format!("/api/v1/admin/rewards/{id}"),
            Some(&admin.token),
            json!({"name": "قسيمة ذهبية", "stock": null}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["name"], "قسيمة ذهبية");
    assert!(edited["stock"].is_null());
    assert_eq!(edited["per_user_limit"], 2);
    assert_eq!(edited["cost"], 100);

    // Retire: out of the catalogue, not redeemable, not editable; history kept.
    assert_eq!(redeem(&app, &user, id).await.status(), StatusCode::CREATED);
    let res = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/rewards/{id}"),
        &admin.token,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let retired: Value = res.json().await.unwrap();
    assert_eq!(retired["state"], "retired");
    assert_eq!(retired["active"], false);
    assert!(retired["retired_at"].is_string());
    assert_eq!(retired["pending_count"], 1);
    let again = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/rewards/{id}"),
        &admin.token,
        None,
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    let page: Value = app.get("/api/v1/rewards", None).await.json().await.unwrap();
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["id"] != json!(id)));
    let body = assert_error(redeem(&app, &user, id).await, 409, "reward_unavailable").await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("مؤرشفة"));
    assert_error(
        app.patch(
            &format!("/api/v1/admin/rewards/{id}"),
            Some(&admin.token),
            json!({"active": true}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let mine: Value = app
        .get("/api/v1/redemptions", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["reward_name"], "قسيمة ذهبية");
    let listed: Value = app
        .get("/api/v1/admin/rewards?state=retired", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let listed: Value = app
        .get("/api/v1/admin/rewards", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 3);
    for action in ["reward.create", "reward.update", "reward.retire"] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action} is audited"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'reward.retire'")
            .await,
        1,
        "retiring twice is audited once"
    );
    // Non-admins cannot manage rewards.
    assert_error(
        app.post(
            "/api/v1/admin/rewards",
            Some(&user.token),
            json!({"name": "x", "cost": 1}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/rewards/999999", Some(&admin.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn every_admin_reward_form_error_names_its_field() {
    let app = spawn_app().await;
    let admin = app.admin("strict").await;
    let cases = [
        (json!({"description": "x", "cost": 10}), "name"),
        (json!({"name": "  ", "cost": 10}), "name"),
        (json!({"name": "ا".repeat(101), "cost": 10}), "name"),
        (json!({"name": "x", "cost": 0}), "cost"),
        (json!({"name": "x", "cost": "ten"}), "cost"),
        (json!({"name": "x"}), "cost"),
        (json!({"name": "x", "cost": 10, "stock": -1}), "stock"),
        (
            json!({"name": "x", "cost": 10, "per_user_limit": 0}),
            "per_user_limit",
        ),
        (
            json!({"name": "x", "cost": 10, "per_user_limit": 5000}),
            "per_user_limit",
        ),
        (
            json!({"name": "x", "cost": 10, "image_url": "javascript:alert(1)"}),
            "image_url",
        ),
        (
            json!({"name": "x", "cost": 10, "description": "و".repeat(2001)}),
            "description",
        ),
        (
            json!({"name": "x", "cost": 10, "category": "ت".repeat(41)}),
            "category",
        ),
        (
            json!({"name": "x", "cost": 10, "available_from": "2030-01-02T00:00:00Z", "available_until": "2030-01-01T00:00:00Z"}),
            "available_until",
        ),
        (
            json!({"name": "x", "cost": 10, "available_from": "tomorrow"}),
            "available_from",
        ),
        (json!({"name": "x", "cost": 10, "colour": "red"}), "colour"),
        (
            json!({"name": "x", "cost": 10, "available_from": "1900-01-01T00:00:00Z"}),
            "available_from",
        ),
        (json!({"name": "x\u{0}", "cost": 10}), "name"),
    ];
    for (body, field) in cases {
        let res = app
            .post("/api/v1/admin/rewards", Some(&admin.token), body.clone())
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(
            err["error"]["fields"][field].is_string(),
            "{body} should name {field}: {err}"
        );
    }
    let reward = create_reward(&app, &admin, json!({"name": "x", "cost": 10})).await;
    let path = format!("/api/v1/admin/rewards/{}", reward["id"]);
    for (body, field) in [
        (json!({"cost": -5}), "cost"),
        (json!({"name": ""}), "name"),
        (json!({"stock": -2}), "stock"),
        (
            json!({"available_until": "2000-01-01T00:00:00Z", "available_from": "2001-01-01T00:00:00Z"}),
            "available_until",
        ),
        (json!({}), "body"),
        (json!({"id": 5}), "id"),
    ] {
        let err = assert_error(
            app.patch(&path, Some(&admin.token), body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            err["error"]["fields"][field].is_string(),
            "PATCH {body} should name {field}: {err}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rewards").await,
        1,
        "nothing invalid was stored"
    );
    assert_error(
        app.get("/api/v1/admin/rewards?state=lost", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/rewards/abc", Some(&admin.token))
            .await,
        400,
        "bad_request",
    )
    .await;
}

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

#[tokio::test]
async fn inactive_retired_expired_and_future_rewards_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin("gatekeeper").await;
    let user = app.register("visitor").await;
    award(&app, &admin, user.id, 500).await;
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    let cases = [
        (
            json!({"name": "موقوفة", "cost": 10, "active": false}),
            "موقوفة",
        ),
        (
            json!({"name": "منتهية", "cost": 10, "available_from": now - day * 3, "available_until": now - day}),
            "انتهت",
        ),
        (
            json!({"name": "قادمة", "cost": 10, "available_from": now + day}),
            "لم تبدأ",
        ),
    ];
    for (body, phrase) in cases {
        let reward = create_reward(&app, &admin, body).await;
        let err = assert_error(
            redeem(&app, &user, reward["id"].as_i64().unwrap()).await,
            409,
            "reward_unavailable",
        )
        .await;
        assert!(
            err["error"]["message"].as_str().unwrap().contains(phrase),
            "{err}"
        );
    }
    let retired = create_reward(&app, &admin, json!({"name": "مؤرشفة", "cost": 10})).await;
    let rid = retired["id"].as_i64().unwrap();
    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/rewards/{rid}"),
        &admin.token,
        None,
    )
    .await;
    assert_error(redeem(&app, &user, rid).await, 409, "reward_unavailable").await;
    let open = create_reward(
        &app,
        &admin,
        json!({"name": "متاحة الآن", "cost": 10, "available_from": now - day, "available_until": now + day}),
    )
    .await;
    let page: Value = app.get("/api/v1/rewards", None).await.json().await.unwrap();
    let ids: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(
        ids,
        [&open["id"]],
        "only the in-window, active one is listed"
    );
    assert_eq!(balance(&app, &user).await, 500);
    assert_eq!(
        redeem(&app, &user, open["id"].as_i64().unwrap())
            .await
            .status(),
        StatusCode::CREATED
    );
    let states: Value = app
        .get("/api/v1/admin/rewards", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let mut labels: Vec<&str> = states["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    labels.sort_unstable();
    assert_eq!(
        labels,
        ["available", "expired", "inactive", "retired", "scheduled"]
    );
}

async fn pending_redemption(app: &TestApp, admin: &TestUser, user: &TestUser, rid: i64) -> i64 {
    award(app, admin, user.id, 40).await;
    let res = redeem(app, user, rid).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["redemption"]["id"]
        .as_i64()
        .unwrap()
}

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
