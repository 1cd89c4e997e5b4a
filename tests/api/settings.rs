//! System settings (validation, audit, the public subset), the admin dashboard stats and the
//! CSV exports.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, spawn_app_with_risk_rules, TestApp, TestUser};
use crate::rewards::{assert_ledger_clean, award, send};

async fn put_settings(app: &TestApp, admin: &TestUser, body: Value) -> reqwest::Response {
    send(
        app,
        Method::PUT,
        "/api/v1/admin/settings",
        &admin.token,
        Some(body),
    )
    .await
}

fn item<'a>(list: &'a Value, key: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("{key} is listed"))
}

#[tokio::test]
async fn admins_see_every_known_setting_with_its_default_and_arabic_label() {
    // No setting stored: the fraud rules at their defaults (the harness stores them off).
    let app = spawn_app_with_risk_rules(|_| {}).await;
    let admin = app.admin("settler").await;
    let list: Value = app
        .get("/api/v1/admin/settings", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let keys: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    for key in [
        "payment_instructions",
        "admin_contact",
        "transfer_daily_limit",
        "referral_referrer_bonus",
        "referral_referee_bonus",
        "referral_daily_cap",
        "registration_open",
        "week_start",
        "digits",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    for i in list["items"].as_array().unwrap() {
        assert_eq!(i["is_default"], true, "{i}");
        assert_eq!(i["value"], i["default"], "{i}");
        assert!(
            i["label"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "Arabic label: {i}"
        );
        assert!(!i["description"].as_str().unwrap().is_empty());
    }
    let limit = item(&list, "transfer_daily_limit");
    assert_eq!(
        (&limit["kind"], &limit["value"], &limit["min"]),
        (&json!("int"), &json!(1000), &json!(0))
    );
    let week = item(&list, "week_start");
    assert_eq!(week["kind"], "choice");
    assert_eq!(week["choices"].as_array().unwrap().len(), 3);
    assert_eq!(item(&list, "digits")["value"], "arab");
    assert_eq!(item(&list, "registration_open")["kind"], "bool");

    // Admins only; the public subset needs no sign-in.
    let user = app.register("curious").await;
    assert_error(
        app.get("/api/v1/admin/settings", Some(&user.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/settings", None).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        put_settings(&app, &user, json!({"digits": "latn"})).await,
        403,
        "forbidden",
    )
    .await;
    let public: Value = app
        .get("/api/v1/settings/public", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public,
        json!({"registration_open": true, "digits": "arab", "week_start": "saturday", "admin_contact": "", "email_verification_required": false})
    );
}

#[tokio::test]
async fn invalid_settings_name_their_key_and_nothing_is_written() {
    // No setting stored: the fraud rules at their defaults (the harness stores them off).
    let app = spawn_app_with_risk_rules(|_| {}).await;
    let admin = app.admin("validator").await;
    let cases = [
        (json!({"transfer_daily_limit": -1}), "transfer_daily_limit"),
        (
            json!({"transfer_daily_limit": "500"}),
            "transfer_daily_limit",
        ),
        (json!({"transfer_daily_limit": 1.5}), "transfer_daily_limit"),
        (
            json!({"referral_referrer_bonus": -5}),
            "referral_referrer_bonus",
        ),
        (
            json!({"referral_referee_bonus": null}),
            "referral_referee_bonus",
        ),
        (json!({"referral_daily_cap": true}), "referral_daily_cap"),
        (json!({"registration_open": "yes"}), "registration_open"),
        (json!({"week_start": "friday"}), "week_start"),
        (json!({"digits": "roman"}), "digits"),
        (json!({"admin_contact": "سطر\nثان"}), "admin_contact"),
        (json!({"admin_contact": "x".repeat(201)}), "admin_contact"),
        (json!({"payment_instructions": 42}), "payment_instructions"),
        (json!({"theme": "dark"}), "theme"),
        (json!({}), "body"),
        // One bad key spoils the whole request: the good one is not written either.
        (
            json!({"digits": "latn", "week_start": "someday"}),
            "week_start",
        ),
    ];
    for (body, key) in cases {
        let err = assert_error(
            put_settings(&app, &admin, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            err["error"]["fields"][key].is_string(),
            "{body} names {key}: {err}"
        );
    }
    let err = assert_error(
        put_settings(&app, &admin, json!(["digits"])).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["body"].is_string(), "{err}");
    assert_eq!(app.count("SELECT COUNT(*) FROM system_settings").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update'")
            .await,
        0
    );
}

#[tokio::test]
async fn changed_settings_are_stored_audited_per_key_and_take_effect() {
    let app = spawn_app().await;
    let admin = app.admin("operator").await;
    let res = put_settings(
        &app,
        &admin,
        json!({"digits": "latn", "admin_contact": "  +966 500 000 000 ", "week_start": "saturday", "transfer_daily_limit": 0}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = res.json().await.unwrap();
    assert_eq!(item(&list, "digits")["value"], "latn");
    assert_eq!(item(&list, "digits")["is_default"], false);
    assert_eq!(item(&list, "digits")["updated_by_username"], "operator");
    assert_eq!(item(&list, "admin_contact")["value"], "+966 500 000 000");
    assert_eq!(
        item(&list, "week_start")["is_default"],
        true,
        "setting the default is no change"
    );
    // One audit entry per changed key, with from and to.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update'")
            .await,
        3
    );
    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=settings.update&target_type=setting&target_id=digits",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        audit["items"][0]["details"],
        json!({"key": "digits", "from": "arab", "to": "latn"})
    );
    // Sending the same values again changes nothing and writes no audit entries.
    let res = put_settings(
        &app,
        &admin,
        json!({"digits": "latn", "transfer_daily_limit": 0}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.update'")
            .await,
        3
    );
    let res = put_settings(&app, &admin, json!({"digits": "arab"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=settings.update&target_id=digits",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        audit["items"][0]["details"],
        json!({"key": "digits", "from": "latn", "to": "arab"})
    );

    // The public subset and the features that read the settings follow.
    let public: Value = app
        .get("/api/v1/settings/public", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["admin_contact"], "+966 500 000 000");
    assert_eq!(public["digits"], "arab");
    let sender = app.register("sender").await;
    let _receiver = app.register("receiver").await;
    award(&app, &admin, sender.id, 50).await;
    assert_error(
        app.post(
            "/api/v1/points/transfers",
            Some(&sender.token),
            json!({"to_username": "receiver", "amount": 1}),
        )
        .await,
        422,
        "transfer_limit_exceeded",
    )
    .await;
    put_settings(&app, &admin, json!({"registration_open": false})).await;
    assert_error(
        app.post(
            "/api/v1/auth/register",
            None,
            json!({"username": "latecomer", "email": "late@example.com", "password": crate::helpers::PASSWORD, "display_name": "متأخر"}),
        )
        .await,
        403,
        "registration_closed",
    )
    .await;
}

#[tokio::test]
async fn the_dashboard_counts_users_queues_and_points() {
    let app = spawn_app().await;
    let admin = app.admin("watcher").await;
    let alice = app.register("alice").await;
    let bob = app.register("bob").await;
    let carol = app.register("carol").await;
    award(&app, &admin, alice.id, 300).await;
    award(&app, &admin, bob.id, 100).await;
    let reward: Value = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "كوب", "cost": 40, "stock": 3}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            &format!("/api/v1/rewards/{}/redeem", reward["id"]),
            Some(&alice.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&alice.token),
            json!({"to_username": "bob", "amount": 10}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let package: Value = app
        .post(
            "/api/v1/admin/packages",
            Some(&admin.token),
            json!({"name": "باقة", "points": 100, "bonus_points": 0, "price_minor": 500, "currency": "SAR", "active": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            "/api/v1/purchases",
            Some(&bob.token),
            json!({"package_id": package["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    app.sql(&format!(
        "UPDATE users SET status = 'suspended' WHERE id = {}",
        carol.id
    ))
    .await;

    let stats: Value = app
        .get("/api/v1/admin/stats", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["users_total"], 4, "{stats}");
    assert_eq!(stats["users_suspended"], 1);
    assert_eq!(stats["admins"], 1);
    assert!(
        stats["active_today"].as_i64().unwrap() >= 1,
        "the admin signed in"
    );
    assert_eq!(stats["signups_today"], 4);
    assert_eq!(stats["pending_redemptions"], 1);
    assert_eq!(stats["requested_purchases"], 1);
    assert_eq!(stats["points_in_circulation"], 360);
    assert_eq!(stats["minted_30d"], 400);
    assert_eq!(stats["burned_30d"], 40);
    assert_eq!(stats["transferred_30d"], 10);
    let flows = stats["flows_30d"].as_array().unwrap();
    let redemption = flows.iter().find(|f| f["kind"] == "redemption").unwrap();
    assert_eq!(
        (&redemption["debited"], &redemption["credited"]),
        (&json!(40), &json!(0))
    );
    assert_eq!(redemption["kind_label"], "استبدال مكافأة");
    let days = stats["daily_signups"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[29]["count"], 4);
    assert_eq!(
        days[29]["date"],
        chrono::Utc::now().date_naive().to_string()
    );
    assert!(days[..29].iter().all(|d| d["count"] == 0));
    assert!(stats["competitions_by_status"].is_array());
    assert_error(
        app.get("/api/v1/admin/stats", Some(&alice.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_ledger_clean(&app, &admin).await;
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF records).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                c => field.push(c),
            }
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the file ends with CRLF"
    );
    rows
}

async fn export(app: &TestApp, admin: &TestUser, kind: &str) -> (Vec<Vec<String>>, String) {
    let res = app
        .get(
            &format!("/api/v1/admin/export/{kind}.csv"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{kind}");
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    let disposition = res
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"musabaqati-"),
        "{disposition}"
    );
    let bytes = res.bytes().await.unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "{kind} starts with a UTF-8 BOM"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    (parse_csv(&text), text)
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} in {:?}", rows[0]))
}

#[tokio::test]
async fn csv_exports_start_with_a_bom_quote_properly_and_round_trip_arabic() {
    let app = spawn_app().await;
    let admin = app.admin("exporter").await;
    let user = app.register("arabic").await;
    let tricky = "عبد الله، \"أبو محمد\"\nالثاني";
    app.sql(&format!(
        "UPDATE users SET display_name = '{}' WHERE id = {}",
        tricky.replace('\'', "''"),
        user.id
    ))
    .await;
    let res = app
        .post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user.id, "amount": 500, "reason": "=HYPERLINK(\"x\") جائزة"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let reward: Value = app
        .post(
            "/api/v1/admin/rewards",
            Some(&admin.token),
            json!({"name": "قسيمة، خاصة", "cost": 100}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            &format!("/api/v1/rewards/{}/redeem", reward["id"]),
            Some(&user.token),
            json!({"note": "سطر أول\nسطر ثانٍ"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post(
            "/api/v1/admin/purchases",
            Some(&admin.token),
            json!({"user_id": user.id, "points": 50, "price_minor": 1000, "currency": "SAR", "payment_reference": "إيصال 7", "note": "نقدًا"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let (rows, _) = export(&app, &admin, "users").await;
    assert_eq!(rows[0][..3], ["id", "username", "display_name"]);
    assert_eq!(rows.len(), 3, "header + 2 users");
    let row = rows.iter().find(|r| r[1] == "arabic").unwrap();
    assert_eq!(row[column(&rows, "display_name")], tricky);
    assert_eq!(row[column(&rows, "points_balance")], "450");

    let (rows, raw) = export(&app, &admin, "transactions").await;
    assert_eq!(rows.len(), 4, "header + award + redemption + purchase");
    let award_row = &rows[1];
    assert_eq!(award_row[column(&rows, "kind_label")], "تعديل من الإدارة");
    assert_eq!(
        award_row[column(&rows, "reason")],
        "'=HYPERLINK(\"x\") جائزة",
        "formula-looking text is defused"
    );
    assert!(!raw.contains(",=HYPERLINK"));
    assert_eq!(
        rows[2][column(&rows, "amount")],
        "-100",
        "numbers are not altered"
    );
    assert_eq!(rows[2][column(&rows, "username")], "arabic");

    let (rows, _) = export(&app, &admin, "redemptions").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][column(&rows, "reward_name")], "قسيمة، خاصة");
    assert_eq!(rows[1][column(&rows, "user_note")], "سطر أول\nسطر ثانٍ");
    assert_eq!(rows[1][column(&rows, "status_label")], "قيد المراجعة");

    let (rows, _) = export(&app, &admin, "purchases").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][column(&rows, "payment_reference")], "إيصال 7");
    assert_eq!(rows[1][column(&rows, "status")], "paid");
    assert!(rows[1][column(&rows, "reference")].starts_with("MQ-"));

    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.download'")
            .await,
        4
    );
    assert_error(
        app.get("/api/v1/admin/export/passwords.csv", Some(&admin.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/export/users.csv", Some(&user.token))
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_csv_export_larger_than_one_page_is_complete_and_in_order() {
    let app = spawn_app().await;
    let admin = app.admin("bulkexport").await;
    let values: Vec<String> = (0..2345)
        .map(|i| {
            format!(
                "('bulk{i}', 'bulk{i}', 'bulk{i}@example.com', 'x', 'مستخدم رقم {i}', 'user', 'active', 0, 0, 'REF{i:06}', 0, 'ar', 'arab', '', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
            )
        })
        .collect();
    app.sql(&format!(
        "INSERT INTO users (username, username_lower, email, password_hash, display_name, role, status, points_balance, lifetime_earned, referral_code, token_version, locale, digits, search_text, created_at, updated_at) VALUES {}",
        values.join(", ")
    ))
    .await;
    let (rows, _) = export(&app, &admin, "users").await;
    assert_eq!(rows.len(), 1 + 1 + 2345);
    let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ascending, no duplicates"
    );
    assert_eq!(
        rows.last().unwrap()[column(&rows, "display_name")],
        "مستخدم رقم 2344"
    );
}
