//! The client address behind proxies: forwarded headers count only from a trusted peer, and then
//! only their rightmost entry not added by a trusted proxy. Every per-address control (request
//! limits, login throttling, the referral same-address rule, the audit log) uses that address.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, login_from, new_client, spawn_app_with, TestApp, PASSWORD};

/// What nginx with `$proxy_add_x_forwarded_for` sent: the client's own header with the real
/// address appended. The test server's peer is 127.0.0.1, a trusted proxy by default.
fn appended(forged: &str, real: &str) -> String {
    format!("{forged}, {real}")
}

async fn get_with(app: &TestApp, header: &str, value: &str) -> StatusCode {
    new_client()
        .get(app.url("/api/v1/settings/public"))
        .header(header, value)
        .send()
        .await
        .unwrap()
        .status()
}

async fn limited_app() -> TestApp {
    spawn_app_with(|s| {
        s.trust_proxy = true;
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 5;
    })
    .await
}

#[tokio::test]
async fn rotating_a_forged_first_forwarded_entry_does_not_escape_the_request_limit() {
    let app = limited_app().await;
    let mut limited = 0;
    for i in 0..30 {
        let xff = appended(&format!("10.9.{i}.1"), "203.0.113.50");
        if get_with(&app, "x-forwarded-for", &xff).await == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(limited >= 20, "only {limited} of 30 were limited");
    // The standard header is read the same way.
    let mut limited = 0;
    for i in 0..30 {
        let fwd = format!("for=10.8.{i}.1, for=\"203.0.113.51:4711\"");
        if get_with(&app, "forwarded", &fwd).await == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(
        limited >= 20,
        "only {limited} of 30 were limited (Forwarded)"
    );
    // The bucket is the real address's: another client behind the same proxy is not limited.
    assert_eq!(
        get_with(
            &app,
            "x-forwarded-for",
            &appended("10.9.0.1", "203.0.113.52")
        )
        .await,
        StatusCode::OK
    );
    let res = new_client()
        .get(app.url("/api/v1/settings/public"))
        .header("x-forwarded-for", appended("10.9.0.2", "203.0.113.50"))
        .send()
        .await
        .unwrap();
    assert_error(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn rotating_a_forged_forwarded_entry_does_not_lift_the_login_address_lock() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    app.register("bystander").await;
    for i in 0..20 {
        let xff = appended(&format!("198.51.100.{i}"), "203.0.113.9");
        let res = login_from(&app, &xff, &format!("ghost{i}"), "wrong-password-x").await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let xff = appended("198.51.100.200", "203.0.113.9");
    assert_error(
        login_from(&app, &xff, "ghost_new", "wrong-password-x").await,
        429,
        "too_many_login_attempts",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_attempts WHERE ip = '203.0.113.9'")
            .await,
        20
    );
    // Someone else behind the same proxy signs in.
    let res = login_from(&app, "203.0.113.10", "bystander", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_audit_log_sessions_and_referral_rule_see_the_real_address_not_a_forged_one() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let host: Value = new_client()
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", "203.0.113.40")
        .json(&json!({"username": "host", "email": "host@example.com", "password": PASSWORD, "display_name": "مضيف"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = host["user"]["referral_code"].as_str().unwrap().to_owned();

    let res = login_from(&app, &appended("6.6.6.6", "203.0.113.77"), "host", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login' AND ip = '203.0.113.77'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE ip = '6.6.6.6'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM refresh_tokens WHERE ip = '203.0.113.77'")
            .await,
        1
    );

    // A friend registering from the inviter's own address cannot pose as another network.
    let res = new_client()
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-for", appended("198.51.100.99", "203.0.113.40"))
        .json(&json!({"username": "sock", "email": "sock@example.com", "password": PASSWORD, "display_name": "دمية", "referral_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM users WHERE username = 'sock' AND registration_ip = '203.0.113.40'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM admin_notifications WHERE kind = 'referral_flagged'")
            .await,
        1
    );
}

#[tokio::test]
async fn forwarded_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored() {
    // Trust is on, but the test client (127.0.0.1) is not one of the listed proxies.
    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.trusted_proxies = musabaqati::client_addr::parse_networks("192.0.2.1").unwrap();
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 5;
    })
    .await;
    let mut limited = 0;
    for i in 0..30 {
        let xff = format!("203.0.113.{i}");
        if get_with(&app, "x-forwarded-for", &xff).await == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert!(limited >= 20, "only {limited} of 30 were limited");

    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.trusted_proxies = musabaqati::client_addr::parse_networks("192.0.2.1").unwrap();
    })
    .await;
    app.register("direct").await;
    let res = login_from(&app, "203.0.113.77", "direct", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login' AND ip = '127.0.0.1'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE ip = '203.0.113.77'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_chain_of_trusted_internal_proxies_is_walked_to_the_first_outside_address() {
    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.trusted_proxies =
            musabaqati::client_addr::parse_networks("127.0.0.0/8, ::1, 10.0.0.0/8").unwrap();
    })
    .await;
    app.register("walker").await;
    let res = login_from(&app, "6.6.6.6, 203.0.113.78, 10.1.2.3", "walker", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login' AND ip = '203.0.113.78'"
        )
        .await,
        1
    );
}
