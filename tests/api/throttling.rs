use serde_json::{json, Value};

use crate::helpers::{
    assert_error, login_from, new_client, spawn_app, spawn_app_with, TestApp, PASSWORD,
};

#[tokio::test]
async fn six_wrong_passwords_from_one_address_lock_it_out_with_retry_after_and_notify_admins() {
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

/// The account owner's notifications of a kind, read through the API.
async fn notices(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    let page: Value = app
        .get("/api/v1/notifications", Some(token))
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_for_one_account_get_at_most_the_limit_verified() {
    let app = spawn_app().await;
    app.register("raced").await;
    let attempts = (0..20).map(|_| app.login("raced", "wrong-password-x"));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    let verified = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(verified + refused, 20, "{statuses:?}");
    // Exactly the limit: more would let guesses through, fewer would mean a burst locks
    // everyone out without a single password checked.
    assert_eq!(
        verified, 5,
        "{verified} passwords were checked against a limit of 5: {statuses:?}"
    );
    // Refused attempts leave no failure behind to extend the lock.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_attempts WHERE success = false")
            .await,
        verified as i64
    );
    // Whatever the race left unused is still there, and never more: five checks in all.
    let mut checked = verified;
    for _ in 0..10 {
        if app.login("raced", "wrong-password-x").await.status() == 401 {
            checked += 1;
        }
    }
    assert_eq!(checked, 5);
    assert_error(
        app.login("raced", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
}

#[tokio::test]
async fn one_address_locks_only_itself_out_and_the_owner_is_told_once_in_arabic() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let owner = app.register("owner").await;
    for attempt in 1..=5 {
        let res = login_from(&app, "198.51.100.1", "owner", "wrong-password-x").await;
        assert_eq!(res.status(), 401, "attempt {attempt}");
    }
    assert_error(
        login_from(&app, "198.51.100.1", "owner", PASSWORD).await,
        429,
        "too_many_login_attempts",
    )
    .await;
    // The owner, elsewhere, still signs in with the right password.
    let res = login_from(&app, "203.0.113.5", "owner", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let told = notices(&app, &owner.token, "login_attack").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let text = format!("{} {}", told[0]["title"], told[0]["body"]);
    assert!(
        text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Arabic: {text}"
    );
    assert!(text.contains("198.51.100.1"), "names the address: {text}");
    // A second address reaching the limit in the same window tells the owner nothing new.
    for _ in 0..5 {
        login_from(&app, "198.51.100.2", "owner", "wrong-password-x").await;
    }
    assert_error(
        login_from(&app, "198.51.100.2", "owner", "wrong-password-x").await,
        429,
        "too_many_login_attempts",
    )
    .await;
    assert_eq!(notices(&app, &owner.token, "login_attack").await.len(), 1);
    // Admins hear about the account as before, once per window.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM admin_notifications WHERE kind = 'login_throttled_account'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_whole_account_locks_only_after_failures_from_several_addresses() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let owner = app.register("popular").await;
    // Three addresses use up their own budgets; the account stays open to its owner.
    for a in 1..=3 {
        for _ in 0..5 {
            let res = login_from(&app, &format!("198.51.100.{a}"), "popular", "nope-nope-1").await;
            assert_eq!(res.status(), 401);
        }
    }
    let res = login_from(&app, "203.0.113.5", "popular", PASSWORD).await;
    assert_eq!(res.status(), 200);
    // A distributed attack (20 failures from four addresses) locks the account itself.
    for a in 11..=14 {
        for _ in 0..5 {
            let res = login_from(&app, &format!("198.51.100.{a}"), "popular", "nope-nope-1").await;
            assert_eq!(res.status(), 401);
        }
    }
    let res = login_from(&app, "203.0.113.6", "popular", PASSWORD).await;
    assert!(res.headers().get("retry-after").is_some());
    assert_error(res, 429, "too_many_login_attempts").await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM admin_notifications WHERE kind = 'login_throttled_account' \
             AND title LIKE '%عدة عناوين%'"
        )
        .await,
        1
    );
    let told = notices(&app, &owner.token, "login_attack").await;
    assert_eq!(
        told.len(),
        2,
        "one for the attack, one for the account lock: {told:?}"
    );
    // Other accounts are not affected.
    app.register("quiet").await;
    assert_eq!(
        login_from(&app, "203.0.113.6", "quiet", PASSWORD)
            .await
            .status(),
        200
    );
}
