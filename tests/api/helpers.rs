//! `spawn_app()` and typed helpers.

use std::sync::Once;

use musabaqati::config::{RateLimits, Settings};
use musabaqati::startup::Application;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct-horse-42";

static TRACING: Once = Once::new();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("TEST_BACKEND").as_deref() {
        Ok("postgres") | Ok("pg") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Drops the test database when the test ends (even when it fails).
pub struct DbGuard {
    backend: Backend,
    name: String,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        match self.backend {
            Backend::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
            }
            Backend::Postgres => {
                let name = self.name.clone();
                // Drop runs inside the test's runtime; use a separate thread and runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        if let Ok(admin) = Database::connect(pg_admin_url()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A fresh, empty database URL for this test.
pub async fn fresh_database() -> (String, DbGuard) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match backend() {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("mq-test-{id}.db"));
            let path = path.display().to_string();
            (
                format!("sqlite://{path}?mode=rwc"),
                DbGuard {
                    backend: Backend::Sqlite,
                    name: path,
                },
            )
        }
        Backend::Postgres => {
            let name = format!("mq_test_{id}");
            let admin = Database::connect(pg_admin_url()).await.unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is not reachable at {} ({e}); start it or set TEST_DATABASE_URL",
                    pg_admin_url()
                )
            });
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            let base = pg_admin_url();
            let url = match base.rfind('/') {
                Some(i) if base[..i].contains("://") && i > base.find("://").unwrap() + 2 => {
                    format!("{}/{name}", &base[..i])
                }
                _ => format!("{base}/{name}"),
            };
            (
                url,
                DbGuard {
                    backend: Backend::Postgres,
                    name,
                },
            )
        }
    }
}

pub fn test_settings(database_url: String) -> Settings {
    let mut s = Settings::development();
    s.bind = "127.0.0.1:0".into();
    s.database_url = database_url;
    s.db_max_connections = 5;
    s.workers = Some(2);
    s.static_dir = std::env::temp_dir().join("mq-no-spa");
    // Housekeeping prunes at start-up and then hourly; tests call `prune` themselves (a
    // background pass racing a test's own rows made the housekeeping test flaky).
    s.housekeeping_interval_secs = 0;
    // Boards computed on every request, so tests see their own writes at once.
    s.leaderboard_cache_ms = 0;
    s.leaderboard_all_cache_ms = 0;
    s.rate_limits = RateLimits {
        api_per_second: 100_000,
        api_burst: 100_000,
        auth_per_minute: 1_000_000,
        auth_burst: 100_000,
        ..RateLimits::default()
    };
    s
}

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    /// A client with its own cookie jar (one browser).
    pub client: reqwest::Client,
    pub settings: Settings,
    _guard: DbGuard,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Every test's app registers all its users from 127.0.0.1 and sends large transfers from
/// accounts a second old, which the fraud rules (issue 12) rightly flag and hold; so they are
/// switched off here, and `tests/api/safety.rs` switches them on with
/// [`spawn_app_with_risk_rules`].
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let app = spawn_app_with_risk_rules(configure).await;
    for key in [
        "risk_farm_enabled",
        "risk_transfer_enabled",
        "risk_redemption_enabled",
    ] {
        app.sql(&format!(
            "INSERT INTO system_settings (key, value, updated_at) VALUES ('{key}', 'false', '2026-12-07T00:00:00+00:00')"
        ))
        .await;
    }
    app
}

/// An app with the fraud rules at their defaults (on).
pub async fn spawn_app_with_risk_rules(configure: impl FnOnce(&mut Settings)) -> TestApp {
    TRACING.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            musabaqati::telemetry::init(false);
        }
    });
    let (url, guard) = fresh_database().await;
    let mut settings = test_settings(url);
    configure(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .expect("the application builds");
    let port = app.port();
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db,
        client: new_client(),
        settings,
        _guard: guard,
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A registered user as the tests see it.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub token: String,
    /// The client holding this user's refresh cookie.
    pub client: reqwest::Client,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn request(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(&self.client, Method::GET, path, token, None)
            .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(&self.client, Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(&self.client, Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn register(&self, username: &str) -> TestUser {
        let client = new_client();
        let email = format!("{}@example.com", username.to_lowercase());
        let res = self
            .request(
                &client,
                Method::POST,
                "/api/v1/auth/register",
                None,
                Some(json!({"username": username, "email": email, "password": PASSWORD, "display_name": format!("مستخدم {username}")})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "register {username}");
        let body: Value = res.json().await.unwrap();
        TestUser {
            id: body["user"]["id"].as_i64().unwrap(),
            username: username.to_owned(),
            email,
            token: body["access_token"].as_str().unwrap().to_owned(),
            client,
        }
    }

    /// Logs in with a fresh client (a new device).
    pub async fn login(&self, login: &str, password: &str) -> Response {
        let client = new_client();
        self.request(
            &client,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": login, "password": password})),
        )
        .await
    }

    pub async fn login_ok(&self, login: &str, password: &str) -> TestUser {
        let client = new_client();
        let res = self
            .request(
                &client,
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login": login, "password": password})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login {login}");
        let body: Value = res.json().await.unwrap();
        TestUser {
            id: body["user"]["id"].as_i64().unwrap(),
            username: body["user"]["username"].as_str().unwrap().to_owned(),
            email: body["user"]["email"].as_str().unwrap().to_owned(),
            token: body["access_token"].as_str().unwrap().to_owned(),
            client,
        }
    }

    /// Registers a user and promotes it to admin directly in the database, then signs in again
    /// so the token carries the admin role.
    pub async fn admin(&self, username: &str) -> TestUser {
        let user = self.register(username).await;
        self.sql(&format!(
            "UPDATE users SET role = 'admin' WHERE id = {}",
            user.id
        ))
        .await;
        self.login_ok(username, PASSWORD).await
    }

    pub async fn sql(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.unwrap();
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(backend, sql.to_owned()))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// The first column of the first row, as text (`None` when NULL or no row).
    pub async fn text(&self, sql: &str) -> Option<String> {
        let backend = self.db.get_database_backend();
        self.db
            .query_one_raw(Statement::from_string(backend, sql.to_owned()))
            .await
            .unwrap()
            .and_then(|row| row.try_get_by_index::<Option<String>>(0).unwrap())
    }
}

/// A sign-in sending `X-Forwarded-For: xff` from a fresh client. The test server's peer is
/// 127.0.0.1, a trusted proxy by default, so with `trust_proxy` on the header counts.
pub async fn login_from(app: &TestApp, xff: &str, login: &str, password: &str) -> Response {
    new_client()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", xff)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
}

/// Reads a response as the API error format and checks its code.
pub async fn assert_error(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(
        res.status().as_u16(),
        status,
        "status for expected code {code}"
    );
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "content-type was {ct:?}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
        "message is Arabic: {body}"
    );
    assert!(
        body["error"]["fields"].is_object(),
        "fields is an object: {body}"
    );
    body
}

/// A second server process (another replica behind the load balancer) on the same database as
/// a [`TestApp`]; it lives until the test ends.
pub struct Replica {
    pub address: String,
}

impl TestApp {
    /// Starts another `Application` on this app's database URL (migrations already ran).
    pub async fn spawn_replica(&self) -> Replica {
        let mut settings = self.settings.clone();
        settings.run_migrations = false;
        let app = Application::build(settings)
            .await
            .expect("the replica builds");
        let port = app.port();
        tokio::spawn(app.run_until_stopped());
        Replica {
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(&self.client, Method::DELETE, path, token, None)
            .await
    }
}

/// An admin credits `amount` points to a user with a given reason (asserts 201).
pub async fn award_for(app: &TestApp, admin: &TestUser, user_id: i64, amount: i64, reason: &str) {
    let res = app
        .post(
            "/api/v1/admin/points/award",
            Some(&admin.token),
            json!({"user_id": user_id, "amount": amount, "reason": reason}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "award");
}

pub async fn award(app: &TestApp, admin: &TestUser, user_id: i64, amount: i64) {
    award_for(app, admin, user_id, amount, "رصيد للاختبار").await;
}

pub async fn balance(app: &TestApp, user: &TestUser) -> i64 {
    let b: Value = app
        .get("/api/v1/points/balance", Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    b["points_balance"].as_i64().unwrap()
}

/// The ledger check endpoint reports no violation.
pub async fn assert_ledger_clean(app: &TestApp, admin: &TestUser) {
    let report: Value = app
        .get("/api/v1/admin/ledger/verify", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["violations"], json!([]), "{report}");
}
