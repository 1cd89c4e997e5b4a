//! Point packages: admins create, edit, order and retire them; the shop lists the active ones;
//! every form error names its field. (Requests and payments: `purchases`.)

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app};
use crate::purchases::{create_package, gold, request_package};
use crate::rewards::{balance, send};

#[tokio::test]
async fn admins_manage_packages_and_the_shop_lists_active_ones_in_order() {
    let app = spawn_app().await;
    let admin = app.admin("merchant").await;
    let user = app.register("browser").await;
    let gold = create_package(&app, &admin, gold()).await;
    assert_eq!(gold["total_points"], 1100);
    assert_eq!(gold["price_display"], "25.00 SAR");
    assert_eq!(gold["label"], "الأكثر طلبًا");
    let starter = create_package(
        &app,
        &admin,
        json!({"name": "باقة البداية", "points": 100, "bonus_points": 0, "price_minor": 300, "currency": "sar", "active": true, "sort_order": 1, "name_en": "Starter"}),
    )
    .await;
    assert_eq!(starter["currency"], "SAR", "currency is upper-cased");
    let hidden = create_package(
        &app,
        &admin,
        json!({"name": "مخفية", "points": 5, "bonus_points": 0, "price_minor": 100, "currency": "KWD", "active": false}),
    )
    .await;
    assert_eq!(hidden["price_display"], "0.100 KWD");

    // Public, no sign-in needed: active ones by sort order.
    let shop: Value = app
        .get("/api/v1/packages", None)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = shop["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["باقة البداية", "الباقة الذهبية"]);
    let all: Value = app
        .get("/api/v1/admin/packages", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);

    // PATCH only what is sent; null clears the label.
    let path = format!("/api/v1/admin/packages/{}", gold["id"]);
    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"price_minor": 2000, "label": null}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(
        (&edited["price_minor"], &edited["label"], &edited["points"]),
        (&json!(2000), &Value::Null, &json!(1000))
    );
    let one: Value = app
        .get(&path, Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["price_display"], "20.00 SAR");

    // A bought package is kept for its history; an unused one can go.
    request_package(&app, &user, &gold["id"]).await;
    assert_error(
        send(&app, Method::DELETE, &path, &admin.token, None).await,
        409,
        "conflict",
    )
    .await;
    let res = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/packages/{}", hidden["id"]),
        &admin.token,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(
            &format!("/api/v1/admin/packages/{}", hidden["id"]),
            Some(&admin.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/packages", Some(&user.token)).await,
        403,
        "forbidden",
    )
    .await;
    for action in ["package.create", "package.update", "package.delete"] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action}"
        );
    }
}

#[tokio::test]
async fn every_package_form_error_names_its_field() {
    let app = spawn_app().await;
    let admin = app.admin("careful").await;
    let base = gold();
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b[field] = value;
        b
    };
    let cases = [
        (with("name", json!(" ")), "name"),
        (with("points", json!(0)), "points"),
        (with("points", json!("many")), "points"),
        (with("bonus_points", json!(-1)), "bonus_points"),
        (with("price_minor", json!(-100)), "price_minor"),
        (with("currency", json!("ريال")), "currency"),
        (with("currency", json!("SARS")), "currency"),
        (with("label", json!("ش".repeat(41))), "label"),
        (with("sort_order", json!(1_000_000)), "sort_order"),
        (with("tier", json!("gold")), "tier"),
        (
            json!({"name": "x", "points": 1, "price_minor": 1}),
            "currency",
        ),
    ];
    for (body, field) in cases {
        let err = assert_error(
            app.post("/api/v1/admin/packages", Some(&admin.token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            err["error"]["fields"][field].is_string(),
            "{body} should name {field}: {err}"
        );
    }
    let p = create_package(&app, &admin, gold()).await;
    let path = format!("/api/v1/admin/packages/{}", p["id"]);
    for (body, field) in [
        (json!({"points": -1}), "points"),
        (json!({"currency": "x"}), "currency"),
        (json!({}), "body"),
    ] {
        let err = assert_error(
            app.patch(&path, Some(&admin.token), body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{body}: {err}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM points_packages").await, 1);
    // Purchase-side forms.
    let user = app.register("formuser").await;
    for (body, field) in [
        (json!({"package_id": 0}), "package_id"),
        (json!({"package_id": 424242}), "package_id"),
        (json!({}), "package_id"),
        (json!({"package_id": "one"}), "package_id"),
    ] {
        let err = assert_error(
            app.post("/api/v1/purchases", Some(&user.token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{body}: {err}");
    }
    let requested = request_package(&app, &user, &p["id"]).await;
    let pid = requested["purchase"]["id"].as_i64().unwrap();
    for (body, field) in [
        (json!({}), "payment_reference"),
        (json!({"payment_reference": "  "}), "payment_reference"),
        (
            json!({"payment_reference": "x".repeat(101)}),
            "payment_reference",
        ),
    ] {
        let err = assert_error(
            app.post(
                &format!("/api/v1/admin/purchases/{pid}/mark-paid"),
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
    for (body, field) in [
        (
            json!({"user_id": user.id, "package_id": p["id"], "points": 5, "payment_reference": "r"}),
            "package_id",
        ),
        (
            json!({"user_id": user.id, "payment_reference": "r"}),
            "points",
        ),
        (
            json!({"user_id": user.id, "points": 50, "currency": "USD", "payment_reference": "r"}),
            "price_minor",
        ),
        (
            json!({"user_id": user.id, "points": 50, "price_minor": 100, "payment_reference": "r"}),
            "currency",
        ),
        (
            json!({"user_id": user.id, "points": 0, "price_minor": 100, "currency": "USD", "payment_reference": "r"}),
            "points",
        ),
        (
            json!({"user_id": 999999, "package_id": p["id"], "payment_reference": "r"}),
            "user_id",
        ),
        (
            json!({"user_id": user.id, "package_id": 999999, "payment_reference": "r"}),
            "package_id",
        ),
        (
            json!({"user_id": user.id, "package_id": p["id"]}),
            "payment_reference",
        ),
    ] {
        let err = assert_error(
            app.post("/api/v1/admin/purchases", Some(&admin.token), body.clone())
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{body}: {err}");
    }
    assert_eq!(balance(&app, &user).await, 0);
}
