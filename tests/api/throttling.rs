use serde_json::json;

use crate::helpers::{assert_error, new_client, spawn_app, spawn_app_with, PASSWORD};

#[tokio::test]
async fn six_wrong_passwords_lock_the_account_with_retry_after_and_notify_admins() {
    let app = spawn_app().await;
    app.register("target").await;
    for attempt in 1..=5 {
        let res = app.login("target", "wrong-password-x").await;
        assert_eq!(res.status(), 401, "attempt {attempt}");
    }
    let res = app.login("target", "wrong-password-x").await;
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=15 * 60).contains(&retry_after),
        "retry after {retry_after}"
    );
    assert_error(res, 429, "too_many_login_attempts").await;
    // Even the right password waits: the attacker learns nothing.
    assert_error(
        app.login("target", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
    // Via the email too: the budget is per account.
    assert_error(
        app.login("target@example.com", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM admin_notifications WHERE kind = 'login_throttled_account'"
        )
        .await,
        1
    );
    // Another account is unaffected.
    app.register("bystander").await;
    app.login_ok("bystander", PASSWORD).await;
}

#[tokio::test]
async fn the_lock_lifts_when_the_failures_leave_the_window() {
    let app = spawn_app().await;
    app.register("patient").await;
    for _ in 0..5 {
        app.login("patient", "wrong-password-x").await;
    }
    assert_error(
        app.login("patient", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
    // Age the failures past the 15-minute window.
    let old = (chrono::Utc::now() - chrono::Duration::minutes(16))
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string();
    app.sql(&format!("UPDATE login_attempts SET created_at = '{old}'"))
        .await;
    app.login_ok("patient", PASSWORD).await;
}

#[tokio::test]
async fn twenty_failures_from_one_ip_block_that_ip_across_accounts() {
    let app = spawn_app().await;
    for i in 0..20 {
        let res = app.login(&format!("ghost{i}"), "wrong-password-x").await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    assert_error(
        app.login("ghost_new", "wrong-password-x").await,
        429,
        "too_many_login_attempts",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'login_throttled_ip'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_request_rate_limiter_answers_json_429_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.rate_limits.auth_per_minute = 2;
        s.rate_limits.auth_burst = 3;
    })
    .await;
    let client = new_client();
    let mut last = None;
    for _ in 0..6 {
        let res = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": "x", "password": "y"}))
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            last = Some(res);
            break;
        }
    }
    let res = last.expect("the limiter kicked in");
    assert!(res.headers().get("retry-after").is_some());
    assert_error(res, 429, "rate_limited").await;
    // Health endpoints are outside the API limiter.
    assert_eq!(
        client
            .get(app.url("/health/live"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
