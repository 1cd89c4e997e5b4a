//! What the server logs: an API key's secret never appears in any log line, even at trace level,
//! whether the key is accepted, refused for a scope, rate limited, revoked or wrong. This binary
//! captures every log line of the server process (the API tests print logs only with TEST_LOG).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn captured() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        // Everything the server side logs, at every level; the test's own HTTP client libraries
        // (which log what they send and receive) are left out.
        let filter = tracing_subscriber::EnvFilter::new(
            "trace,reqwest=off,hyper=off,hyper_util=off,h2=off,rustls=off,cookie_store=off",
        );
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        capture
    })
}

fn secret_of(key: &str) -> String {
    key[domain::api_keys::KEY_PREFIX.len() + domain::api_keys::PUBLIC_ID_LEN + 1..].to_owned()
}

#[tokio::test]
async fn api_keys_never_leak_their_secret_into_the_logs() {
    let capture = captured();
    let app = helpers::spawn_app_with(|s| s.usage_flush_ms = 50).await;
    let admin = app.admin("logwatch").await;
    let res = app
        .post(
            "/api/v1/admin/api-keys",
            Some(&admin.token),
            json!({"name": "سجلات", "scopes": ["points:read"], "rate_limit_per_minute": 2}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    let prefix = created["prefix"].as_str().unwrap().to_owned();
    let wrong = format!("{prefix}_{}", "LoggedSecretLoggedSecretLoggedSecretLogge");
    let get = |path: &'static str, key: String| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            client
                .get(url)
                .header("X-API-Key", key)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(get("/api/v1/points/balance", key.clone()).await, 200);
    assert_eq!(get("/api/v1/admin/users", key.clone()).await, 403);
    assert_eq!(get("/api/v1/points/balance", key.clone()).await, 429);
    assert_eq!(get("/api/v1/points/balance", wrong.clone()).await, 401);
    let res = app
        .client
        .get(app.url("/api/v1/points/balance"))
        .bearer_auth(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .delete(
            &format!("/api/v1/admin/api-keys/{}", created["id"]),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(get("/api/v1/points/balance", key.clone()).await, 401);
    // Let the usage writer flush so its log lines (if any) are in too.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let text = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    assert!(
        text.contains("API key refused") && text.contains(&prefix),
        "the capture works and refusals are logged with the public prefix"
    );
    for secret in [secret_of(&key), secret_of(&wrong)] {
        assert!(
            !text.contains(&secret),
            "a key secret was logged:\n{}",
            text.lines()
                .filter(|l| l.contains(&secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
