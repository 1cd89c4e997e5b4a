//! GET /admin/audit-log filters: by actor username, by date range (`from`/`to`, RFC 3339 or a
//! date), and the 422 for a bad range.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};

async fn actions(app: &TestApp, admin: &TestUser, query: &str) -> Vec<String> {
    let res = app
        .get(
            &format!("/api/v1/admin/audit-log?{query}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "query {query}");
    let body: Value = res.json().await.unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

fn enc(t: chrono::DateTime<Utc>) -> String {
    // `+` would be a space in a query string; `Z` needs no escaping.
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_and_by_a_date_range() {
    let app = spawn_app().await;
    let admin = app.admin("auditor").await;
    let user = app.register("subject").await;
    let patch = |body: Value| {
        let (app, admin) = (&app, &admin);
        async move {
            let res = app
                .patch(
                    &format!("/api/v1/admin/users/{}", user.id),
                    Some(&admin.token),
                    body,
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK);
        }
    };
    patch(json!({"status": "suspended"})).await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    let between = Utc::now();
    tokio::time::sleep(Duration::from_millis(30)).await;
    patch(json!({"status": "active"})).await;

    // By actor: the admin's two changes, not the registrations (done by the users themselves).
    let by_admin = actions(&app, &admin, "actor=Auditor&action=user.status_change").await;
    assert_eq!(by_admin.len(), 2, "{by_admin:?}");
    let by_user = actions(&app, &admin, "actor=subject").await;
    assert!(
        by_user.iter().all(|a| a != "user.status_change"),
        "{by_user:?}"
    );
    assert!(
        actions(&app, &admin, "actor=nobody-at-all")
            .await
            .is_empty(),
        "an unknown username matches nothing"
    );

    // A range splits the two changes.
    let before = actions(
        &app,
        &admin,
        &format!("action=user.status_change&to={}", enc(between)),
    )
    .await;
    assert_eq!(before.len(), 1, "{before:?}");
    let after = actions(
        &app,
        &admin,
        &format!("action=user.status_change&from={}", enc(between)),
    )
    .await;
    assert_eq!(after.len(), 1, "{after:?}");
    let details: Value = app
        .get(
            &format!(
                "/api/v1/admin/audit-log?action=user.status_change&from={}",
                enc(between)
            ),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["items"][0]["details"]["to"], "active");

    // Whole days (UTC): today holds everything, tomorrow nothing.
    let today = Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let all = actions(&app, &admin, "").await;
    assert_eq!(
        actions(&app, &admin, &format!("from={today}&to={today}")).await,
        all
    );
    assert!(actions(&app, &admin, &format!("from={tomorrow}"))
        .await
        .is_empty());
}

#[tokio::test]
async fn a_bad_audit_date_range_is_422_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin("ranger").await;
    let cases = [
        ("from=yesterday", "from"),
        ("to=2026-13-40", "to"),
        ("from=2026-12-08&to=2026-12-07", "to"),
        ("from=2026-12-07T10:00:00Z&to=2026-12-07T10:00:00Z", "to"),
    ];
    for (query, field) in cases {
        let body = assert_error(
            app.get(
                &format!("/api/v1/admin/audit-log?{query}"),
                Some(&admin.token),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            body["error"]["fields"][field].is_string(),
            "{query}: {body}"
        );
    }
    // Participants cannot read it at all.
    let user = app.register("curious").await;
    assert_eq!(
        app.get("/api/v1/admin/audit-log?from=2026-12-07", Some(&user.token))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
