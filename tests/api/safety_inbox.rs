//! The admin alert inbox and the investigation view (issue 12): every alert kind appears with
//! its subject and working actions; the user page shows what an investigator needs.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::safety::{put_settings, register_from, risky_app, transfer};

async fn inbox(app: &TestApp, admin: &TestUser, query: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/admin/notifications{query}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

fn find<'a>(page: &'a Value, kind: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} alert in {page}"))
}

/// Runs an alert's action as the SPA does: `method` to `path` with the note and `body`.
async fn act(
    app: &TestApp,
    admin: &TestUser,
    alert: &Value,
    code: &str,
    note: &str,
) -> reqwest::Response {
    let action = alert["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == code)
        .unwrap_or_else(|| panic!("no {code} action on {alert}"));
    let mut body = json!({"note": note});
    if let Some(extra) = action["body"].as_object() {
        for (k, v) in extra {
            body[k] = v.clone();
        }
    }
    let method = Method::from_bytes(action["method"].as_str().unwrap().as_bytes()).unwrap();
    app.request(
        &app.client,
        method,
        action["path"].as_str().unwrap(),
        Some(&admin.token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_farm_funnelling_into_one_account_is_seen_investigated_and_stopped() {
    let app = risky_app().await;
    let admin = app.admin("inbox_admin").await;
    put_settings(&app, &admin, json!({"risk_young_account_days": 0})).await;
    // A recipient and five accounts from one address: the fourth and fifth are flagged.
    let sink = register_from(&app, "198.51.100.20", "sink").await;
    let mut farm = Vec::new();
    for i in 0..5 {
        let user = register_from(&app, "198.51.100.20", &format!("feeder{i}")).await;
        award(&app, &admin, user.id, 100).await;
        farm.push(user);
    }
    let mut held = Vec::new();
    for user in &farm {
        let t = transfer(&app, user, "sink", 100).await;
        if t["status"] == "held" {
            held.push(t["held_transfer_id"].as_i64().unwrap());
        }
    }
    // Flagged senders (feeder2, feeder3, feeder4 are accounts 4–6) and fan-in past 3 senders.
    assert_eq!(held.len(), 3, "{held:?}");
    let summary: Value = app
        .get("/api/v1/admin/safety/summary", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["held_transfers"], 3);
    assert_eq!(summary["open_flags"], 3);
    assert!(summary["unread_alerts"].as_i64().unwrap() >= 4);

    // The inbox: the farm alert links the user and offers clearing the flag and suspending.
    let page = inbox(&app, &admin, "?unread=true").await;
    let farm_alert = find(&page, "account_farm");
    assert_eq!(farm_alert["kind_label"], "مزرعة حسابات محتملة");
    assert_eq!(farm_alert["subject"]["kind"], "user");
    let flagged_user = farm_alert["subject"]["id"].as_i64().unwrap();
    let codes: Vec<&str> = farm_alert["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["clear_flag", "suspend_user"]);

    // The investigation view of that account lists the others from the address.
    let risk: Value = app
        .get(
            &format!("/api/v1/admin/users/{flagged_user}/risk"),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(risk["registration_ip"], "198.51.100.20");
    let linked: Vec<&str> = risk["linked_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["username"].as_str().unwrap())
        .collect();
    assert_eq!(linked.len(), 5, "{linked:?}");
    assert!(linked.contains(&"sink"));
    assert_eq!(
        risk["linked_accounts"][0]["links"],
        json!(["registration_ip"])
    );
    assert_eq!(risk["flags"][0]["rule"], "account_farm");
    assert_eq!(risk["held_transfers"].as_array().unwrap().len(), 1);
    assert_eq!(risk["sessions"].as_array().unwrap().len(), 1);

    // Each held transfer's alert rejects it; the second admin click on the same one is a 409.
    let page = inbox(&app, &admin, "?kind=transfer_held").await;
    let alerts = page["items"].as_array().unwrap();
    assert_eq!(alerts.len(), 3);
    for alert in alerts {
        assert_eq!(alert["subject"]["kind"], "held_transfer");
        let res = act(&app, &admin, alert, "reject_transfer", "مزرعة حسابات").await;
        assert_eq!(res.status(), StatusCode::OK);
        let again = act(&app, &admin, alert, "reject_transfer", "مرة ثانية").await;
        assert_error(again, 409, "invalid_transition").await;
    }
    // Acting marked them read, and they offer nothing more.
    let page = inbox(&app, &admin, "?kind=transfer_held").await;
    for alert in page["items"].as_array().unwrap() {
        assert!(alert["read_at"].is_string());
        assert!(
            alert["actions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["action"] != "release_transfer" && a["action"] != "reject_transfer"),
            "{alert}"
        );
    }
    // The farm's points are back with the farm, the sink has only what passed.
    assert_eq!(balance(&app, &sink).await, 200);
    let mut farm_total = 0;
    for user in &farm {
        farm_total += balance(&app, user).await;
    }
    assert_eq!(farm_total, 300);
    assert_ledger_clean(&app, &admin).await;

    // Suspending from the alert needs a note and is audited with it.
    let res = act(&app, &admin, farm_alert, "suspend_user", "مزرعة").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.status_change' AND target_id = '{flagged_user}'"
        ))
        .await,
        1
    );
    let res = act(&app, &admin, farm_alert, "clear_flag", "أوقفناه").await;
    assert_eq!(res.status(), StatusCode::OK);

    // Filters and mark-all-read.
    assert_error(
        app.get("/api/v1/admin/notifications?kind=nope", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let res = app
        .post(
            "/api/v1/admin/notifications/read-all",
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        inbox(&app, &admin, "?unread=true").await["items"],
        json!([])
    );
    assert_eq!(inbox(&app, &admin, "").await["unread"], 0);
}

#[tokio::test]
async fn sign_in_alerts_unlock_the_account_and_unblock_the_address() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let admin = app.admin("lock_admin").await;
    let victim = app.register("victim").await;
    // Five failures from one address lock that address for the account.
    for _ in 0..5 {
        let res = login_from(&app, "192.0.2.50", "victim", "wrong-password-1").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, "192.0.2.50", "victim", PASSWORD).await;
    assert_error(res, 429, "too_many_login_attempts").await;
    let risk: Value = app
        .get(
            &format!("/api/v1/admin/users/{}/risk", victim.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(risk["login_locked"], true);
    assert_eq!(risk["sign_ins"][0]["success"], false);
    assert_eq!(risk["sign_ins"][0]["ip"], "192.0.2.50");
    let page = inbox(&app, &admin, "?kind=login_throttled_account").await;
    let alert = find(&page, "login_throttled_account");
    assert_eq!(alert["subject"]["kind"], "user");
    let res = act(&app, &admin, alert, "unlock_account", "طلب المالك").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = login_from(&app, "192.0.2.50", "victim", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK, "unlocked");

    // Twenty failures from one address across accounts lock the address; unblock lifts it.
    for i in 0..20 {
        let res = login_from(
            &app,
            "192.0.2.99",
            &format!("nobody{i}"),
            "wrong-password-1",
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert_error(
        login_from(&app, "192.0.2.99", "victim", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
    let page = inbox(&app, &admin, "?kind=login_throttled_ip").await;
    let alert = find(&page, "login_throttled_ip");
    assert_eq!(alert["subject"]["kind"], "address");
    assert_eq!(alert["subject"]["label"], "192.0.2.99");
    let res = act(&app, &admin, alert, "unblock_address", "").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        login_from(&app, "192.0.2.99", "victim", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('user.unlock', 'address.unblock')"
        )
        .await,
        2
    );
    let res = app
        .post(
            "/api/v1/admin/blocked-addresses/unblock",
            Some(&admin.token),
            json!({"ip": "not an ip"}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn an_admin_ends_a_session_from_the_user_page() {
    let app = spawn_app().await;
    let admin = app.admin("session_admin").await;
    let user = app.register("watched").await;
    let risk: Value = app
        .get(
            &format!("/api/v1/admin/users/{}/risk", user.id),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let session = risk["sessions"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/users/{}/sessions/{session}", user.id);
    assert_eq!(
        app.delete(&path, Some(&admin.token)).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        app.delete(&path, Some(&admin.token)).await,
        404,
        "not_found",
    )
    .await;
    // The user's access token died with the session.
    assert_eq!(
        app.get("/api/v1/me", Some(&user.token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.session_end' AND target_id = '{}'",
            user.id
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn risk_settings_are_validated_and_audited() {
    let app = spawn_app().await;
    let admin = app.admin("settings_admin").await;
    let res = app
        .request(
            &app.client,
            Method::PUT,
            "/api/v1/admin/settings",
            Some(&admin.token),
            Some(json!({"risk_farm_max_accounts": 0})),
        )
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert!(err["error"]["fields"]["risk_farm_max_accounts"].is_string());
    put_settings(&app, &admin, json!({"risk_farm_max_accounts": 7})).await;
    let list: Value = app
        .get("/api/v1/admin/settings", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "risk_farm_max_accounts")
        .unwrap();
    assert_eq!(item["value"], 7);
    assert_eq!(item["default"], 3);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'settings%'")
            .await
            >= 1
    );
}
