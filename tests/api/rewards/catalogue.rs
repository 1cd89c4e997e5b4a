//! The catalogue: an admin creates, edits and retires rewards; every form error names its field; unavailable rewards are refused.

use super::*;

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
