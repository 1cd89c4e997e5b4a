//! Prometheus metrics, readable only by the scraper: from `MUSABAQATI_METRICS_ALLOW` addresses
//! (default loopback) or with `Authorization: Bearer <MUSABAQATI_METRICS_TOKEN>`. Route names and
//! request counts tell an outsider what is used and how much, so they are not public.
//!
//! Recorded with the `metrics` facade anywhere in the code (`metrics::counter!(…)`) and rendered
//! by `metrics-exporter-prometheus`; each replica keeps its own and is scraped on its own. What an
//! operator gets (deploy/grafana/ has a dashboard for it):
//! - `musabaqati_http_requests_total{method,route,status}` and
//!   `musabaqati_http_request_duration_seconds{method,route}` (histogram) per route pattern;
//! - `musabaqati_db_pool_connections{state="busy|idle"}`, `musabaqati_db_pool_max_connections`;
//! - `musabaqati_ledger_movements_total{kind}` and `musabaqati_ledger_points_total{kind}` (points
//!   moved, absolute): counted when the row is written, so a transaction rolled back after its
//!   movement (rare: a retried serialization failure) counts too — `verify-ledger` is the truth;
//! - `musabaqati_websocket_connections` (open chat sockets);
//! - `musabaqati_rate_limit_refusals_total{limit}`, `musabaqati_rate_limit_fallbacks_total` (Redis
//!   did not answer) and `musabaqati_rate_limit_shared`;
//! - `musabaqati_up` (the database answered) and `musabaqati_uptime_seconds`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;
use subtle::ConstantTimeEq;

use crate::client_addr::{client_addr, in_networks};
use crate::config::Settings;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

struct Exporter {
    handle: Option<PrometheusHandle>,
    started: Instant,
}

/// One recorder per process (the tests start many applications in one process).
static EXPORTER: OnceLock<Exporter> = OnceLock::new();

/// Whether a request may read the metrics: the configured token, or an allowed client address
/// (the real client's, so an outside request forwarded by a local proxy is not "local").
pub fn may_read(req: &HttpRequest, settings: &Settings) -> bool {
    let token_ok = settings.metrics_token.as_ref().is_some_and(|expected| {
        crate::auth::extractors::bearer(req).is_some_and(|presented| {
            bool::from(presented.as_bytes().ct_eq(expected.expose().as_bytes()))
        })
    });
    token_ok
        || client_addr(
            req.peer_addr().map(|a| a.ip()),
            req.headers(),
            settings.forwarded_from(),
        )
        .is_some_and(|ip| in_networks(&settings.metrics_allow, ip))
}

/// Installs the process's recorder (once; later calls do nothing).
pub fn init() {
    EXPORTER.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("musabaqati_http_request_duration_seconds".into()),
                &BUCKETS,
            )
            .and_then(PrometheusBuilder::install_recorder);
        if let Err(err) = &handle {
            // Another recorder is installed (an embedding program): metrics go there instead.
            tracing::warn!(error = %err, "the Prometheus recorder was not installed");
        }
        Exporter {
            handle: handle.ok(),
            started: Instant::now(),
        }
    });
}

pub fn record(method: &str, route: &str, status: u16, elapsed: Duration) {
    let (method, route) = (method.to_owned(), route.to_owned());
    metrics::counter!(
        "musabaqati_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!(
        "musabaqati_http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(elapsed.as_secs_f64());
}

/// Open chat WebSockets: +1 while one lives (the guard's drop takes it back).
pub struct SocketGauge(());

impl SocketGauge {
    pub fn open() -> Self {
        metrics::gauge!("musabaqati_websocket_connections").increment(1.0);
        Self(())
    }
}

impl Drop for SocketGauge {
    fn drop(&mut self) {
        metrics::gauge!("musabaqati_websocket_connections").decrement(1.0);
    }
}

/// A ledger row written (see the module documentation for what a rollback means here).
pub fn ledger_movement(kind: &str, amount: i64) {
    let kind = kind.to_owned();
    metrics::counter!("musabaqati_ledger_movements_total", "kind" => kind.clone()).increment(1);
    metrics::counter!("musabaqati_ledger_points_total", "kind" => kind)
        .increment(amount.unsigned_abs());
}

/// Renders all metrics; `db_up` comes from a live database check, the pool figures are read now.
pub fn render(db_up: bool, db: &DatabaseConnection) -> String {
    init();
    metrics::gauge!("musabaqati_up").set(f64::from(u8::from(db_up)));
    let (size, idle, max) = pool_use(db);
    metrics::gauge!("musabaqati_db_pool_connections", "state" => "busy")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("musabaqati_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("musabaqati_db_pool_max_connections").set(f64::from(max));
    let Some(exporter) = EXPORTER.get() else {
        return String::new();
    };
    metrics::gauge!("musabaqati_uptime_seconds")
        .set(exporter.started.elapsed().as_secs_f64().round());
    exporter
        .handle
        .as_ref()
        .map(PrometheusHandle::render)
        .unwrap_or_default()
}

/// (open connections, idle ones, the pool's maximum).
fn pool_use(db: &DatabaseConnection) -> (u32, u32, u32) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
            (pool.size(), idle, pool.options().get_max_connections())
        }
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
            (pool.size(), idle, pool.options().get_max_connections())
        }
        _ => (0, 0, 0),
    }
}
