//! Two replicas on one database, as deployed behind the load balancer: request-rate limits hold
//! for the deployment as a whole through the shared Redis (a key limited to 60 a minute gets
//! 60 ± 6 across both, the per-address limit likewise), and HTTPS is enforced behind the trusted
//! proxy in production. The scripted cluster run through nginx is scripts/cluster-test.sh.

use futures::{FutureExt, StreamExt};
use reqwest::StatusCode;
use serde_json::json;

use crate::api_keys::key_with;
use crate::helpers::{assert_error, new_client, spawn_app_with, TestApp};

/// The Redis the tests share (`TEST_REDIS_URL`, default the local one); every test app gets its
/// own key prefix, so tests and other users of that Redis never see each other's buckets.
fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

async fn app_with_shared_limits(
    configure: impl FnOnce(&mut musabaqati::config::Settings),
) -> TestApp {
    let url = redis_url();
    let reachable = redis::Client::open(url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .is_ok();
    assert!(
        reachable,
        "Redis is not reachable at {url}: start it (redis-server) or set TEST_REDIS_URL"
    );
    let prefix = format!("mqtest:{}:", uuid::Uuid::new_v4().simple());
    spawn_app_with(|s| {
        s.redis_url = Some(musabaqati::config::Secret::new(url));
        s.redis_prefix = prefix;
        configure(s);
    })
    .await
}

/// Fires `n` GETs of `path` alternately at `addresses` (all at once, as concurrent clients would)
/// and counts the answers that were not 429.
async fn served_of(addresses: &[String], n: usize, path: &str, headers: &[(&str, &str)]) -> usize {
    let client = new_client();
    let calls = (0..n).map(|i| {
        let mut req = client.get(format!("{}{path}", addresses[i % addresses.len()]));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        async move { req.send().await.unwrap().status() }
    });
    let statuses = futures::future::join_all(calls).await;
    for status in &statuses {
        assert!(
            *status == StatusCode::OK || *status == StatusCode::TOO_MANY_REQUESTS,
            "unexpected {status}"
        );
    }
    statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count()
}

#[tokio::test]
async fn a_key_limited_to_60_a_minute_gets_60_across_two_replicas() {
    let app = app_with_shared_limits(|_| {}).await;
    let replica = app.spawn_replica().await;
    let admin = app.admin("limitadmin").await;
    let key = key_with(&app, &admin, &["points:read"], 60).await;
    let secret = key["key"].as_str().unwrap().to_owned();

    let both = [app.address.clone(), replica.address.clone()];
    let served = served_of(
        &both,
        150,
        "/api/v1/points/balance",
        &[("x-api-key", &secret)],
    )
    .await;

    // GCRA with a burst of the whole minute: 60 at once, then one a second.
    assert!(
        (54..=66).contains(&served),
        "{served} of 150 calls served across two replicas; the key allows 60 a minute"
    );
    // Both replicas refuse now, and say when to come back.
    for address in &both {
        let res = new_client()
            .get(format!("{address}/api/v1/points/balance"))
            .header("x-api-key", &secret)
            .send()
            .await
            .unwrap();
        assert!(res.headers().get("retry-after").is_some());
        assert_eq!(res.headers()["x-ratelimit-remaining"], "0");
        assert_error(res, 429, "rate_limited").await;
    }
}

#[tokio::test]
async fn the_per_address_limit_holds_across_two_replicas() {
    // 60 at once, then one a second, for one client address behind the trusted proxy.
    let app = app_with_shared_limits(|s| {
        s.trust_proxy = true;
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 60;
    })
    .await;
    let replica = app.spawn_replica().await;
    let both = [app.address.clone(), replica.address.clone()];

    let from = [("x-forwarded-for", "203.0.113.9")];
    let served = served_of(&both, 150, "/api/v1/packages", &from).await;
    assert!(
        (54..=66).contains(&served),
        "{served} of 150 requests served across two replicas; the address may make 60"
    );
    // Another address has its own allowance on either replica.
    let other = [("x-forwarded-for", "203.0.113.10")];
    assert_eq!(served_of(&both, 10, "/api/v1/packages", &other).await, 10);
}

#[tokio::test]
async fn without_redis_each_replica_limits_on_its_own() {
    // The documented single-replica mode: no Redis URL, buckets in each process.
    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 20;
    })
    .await;
    let from = [("x-forwarded-for", "203.0.113.11")];
    let served = served_of(
        std::slice::from_ref(&app.address),
        40,
        "/api/v1/packages",
        &from,
    )
    .await;
    assert!((20..=22).contains(&served), "{served}");
}

const PRODUCTION_SECRET: &str = "a-very-long-production-secret-for-tests-0123456789";

async fn production_app(trusted: &str) -> TestApp {
    let trusted = musabaqati::client_addr::parse_networks(trusted).unwrap();
    spawn_app_with(|s| {
        s.environment = musabaqati::config::Environment::Production;
        s.jwt_secret = musabaqati::config::Secret::new(PRODUCTION_SECRET);
        s.trust_proxy = true;
        s.trusted_proxies = trusted;
    })
    .await
}

#[tokio::test]
async fn in_production_plain_http_from_the_proxy_is_redirected_or_refused() {
    let app = production_app("127.0.0.0/8").await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let plain = |method: reqwest::Method, path: &str| {
        new_client()
            .request(method, app.url(path))
            .header("x-forwarded-proto", "http")
    };

    // GET and HEAD: 308 to the same URL on https, HSTS included.
    for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
        let res = plain(method.clone(), "/api/v1/packages?limit=5")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT, "{method}");
        assert_eq!(
            res.headers()["location"],
            format!("https://{host}/api/v1/packages?limit=5").as_str()
        );
        assert!(res.headers().get("strict-transport-security").is_some());
    }
    let res = plain(reqwest::Method::GET, "/").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);

    // Anything else: refused, never served (the body would have travelled in clear).
    let cases = [
        (
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(json!({"login": "someone", "password": "whatever-123"})),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/auth/register",
            Some(
                json!({"username": "plainuser", "email": "p@example.com", "password": "correct-horse-42", "display_name": "مستخدم"}),
            ),
        ),
        (
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"display_name": "x"})),
        ),
        (reqwest::Method::DELETE, "/api/v1/me/sessions/1", None),
    ];
    for (method, path, body) in cases {
        let mut req = plain(method.clone(), path);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let body = assert_error(res, 400, "https_required").await;
        assert!(
            body["error"]["message"].as_str().unwrap().contains("HTTPS"),
            "{method} {path}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username_lower = 'plainuser'")
            .await,
        0,
        "a refused registration created nothing"
    );

    // Over https (as the proxy says) everything is served, cookies Secure and HSTS on.
    let res = new_client()
        .post(app.url("/api/v1/auth/register"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": "tlsuser", "email": "t@example.com", "password": "correct-horse-42", "display_name": "مستخدم آمن"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("strict-transport-security").is_some());
    let cookies: Vec<_> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(!cookies.is_empty());
    for cookie in &cookies {
        assert!(cookie.contains("Secure"), "{cookie}");
    }

    // Health checks over plain HTTP inside the network still answer.
    let res = plain(reqwest::Method::GET, "/health/ready")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_forwarded_proto_counts_only_from_a_trusted_proxy_and_only_in_production() {
    // The test client (127.0.0.1) is not one of the trusted proxies: its header is ignored.
    let app = production_app("10.0.0.0/8").await;
    let res = new_client()
        .get(app.url("/api/v1/packages"))
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // In development (no TLS anywhere) the header changes nothing.
    let dev = spawn_app_with(|s| s.trust_proxy = true).await;
    let res = new_client()
        .post(dev.url("/api/v1/auth/login"))
        .header("x-forwarded-proto", "http")
        .json(&json!({"login": "nobody", "password": "whatever-123"}))
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn each_replica_names_itself_when_configured() {
    let app = spawn_app_with(|s| s.replica_id = Some("replica-a".into())).await;
    let res = app.get("/health/live", None).await;
    assert_eq!(res.headers()["x-musabaqati-replica"], "replica-a");
    let plain = spawn_app_with(|_| {}).await;
    let res = plain.get("/health/live", None).await;
    assert!(res.headers().get("x-musabaqati-replica").is_none());
}

/// What one shared check costs: `cargo test --release -p tests --test api shared_limiter_cost --
/// --ignored --nocapture` (figures in docs/SCALING.md).
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn shared_limiter_cost() {
    use musabaqati::middleware::rate_limit::{Limit, Limiter, Quota};
    let prefix = format!("mqbench:{}:", uuid::Uuid::new_v4().simple());
    let shared = Limiter::shared(&redis_url(), &prefix).unwrap();
    let local = Limiter::local();
    let quota = Quota::per_second(1_000_000, 1_000_000);
    for (name, limiter) in [("redis", &shared), ("local", &local)] {
        const N: u32 = 20_000;
        limiter.check(Limit::Address, "ip:api:warm", quota).await;
        let started = std::time::Instant::now();
        for i in 0..N {
            limiter
                .check(Limit::Address, &format!("ip:api:{}", i % 1000), quota)
                .await;
        }
        let per = started.elapsed() / N;
        println!("{name}: {per:?} per check, one at a time");
        // 64 callers at a time, as a busy server's requests are.
        let started = std::time::Instant::now();
        futures::stream::iter(0..N)
            .map(|i| {
                limiter
                    .check(Limit::Address, "ip:api:shared", quota)
                    .map(move |_| i)
            })
            .buffer_unordered(64)
            .collect::<Vec<_>>()
            .await;
        println!(
            "{name}: {:?} per check, 64 at a time",
            started.elapsed() / N
        );
    }
}
