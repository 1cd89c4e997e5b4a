//! Prometheus text metrics kept in process memory (each replica is scraped on its own), readable
//! only by the scraper: from `MUSABAQATI_METRICS_ALLOW` addresses (default loopback) or with
//! `Authorization: Bearer <MUSABAQATI_METRICS_TOKEN>`. Route names and request counts tell an
//! outsider what is used and how much, so they are not public.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use subtle::ConstantTimeEq;

use crate::client_addr::{client_addr, in_networks};
use crate::config::Settings;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);
static LATENCY: LazyLock<Histogram> = LazyLock::new(|| Histogram {
    buckets: std::array::from_fn(|_| AtomicU64::new(0)),
    count: AtomicU64::new(0),
    sum_micros: AtomicU64::new(0),
});
/// (method, route pattern, status) → count. Route patterns keep the label set small.
type RequestCounts = BTreeMap<(String, String, u16), u64>;
static REQUESTS: LazyLock<Mutex<RequestCounts>> = LazyLock::new(Default::default);

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

pub fn init() {
    LazyLock::force(&STARTED);
}

pub fn record(method: &str, route: &str, status: u16, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    for (i, upper) in BUCKETS.iter().enumerate() {
        if secs <= *upper {
            LATENCY.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }
    LATENCY.count.fetch_add(1, Ordering::Relaxed);
    LATENCY
        .sum_micros
        .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    if let Ok(mut map) = REQUESTS.lock() {
        *map.entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Renders all metrics; `db_up` comes from a live database check.
pub fn render(db_up: bool) -> String {
    let mut out = String::with_capacity(4096);
    let _ = writeln!(out, "# HELP musabaqati_up Whether the database answered the last check.\n# TYPE musabaqati_up gauge\nmusabaqati_up {}", u8::from(db_up));
    let _ = writeln!(out, "# HELP musabaqati_uptime_seconds Seconds since the process started.\n# TYPE musabaqati_uptime_seconds gauge\nmusabaqati_uptime_seconds {:.0}", STARTED.elapsed().as_secs_f64());
    let _ = writeln!(out, "# HELP musabaqati_http_requests_total HTTP requests served.\n# TYPE musabaqati_http_requests_total counter");
    if let Ok(map) = REQUESTS.lock() {
        for ((method, route, status), count) in map.iter() {
            let _ = writeln!(
                out,
                "musabaqati_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}",
                escape(method),
                escape(route),
                status,
                count
            );
        }
    }
    let _ = writeln!(out, "# HELP musabaqati_http_request_duration_seconds Request latency.\n# TYPE musabaqati_http_request_duration_seconds histogram");
    for (i, upper) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            out,
            "musabaqati_http_request_duration_seconds_bucket{{le=\"{}\"}} {}",
            upper,
            LATENCY.buckets[i].load(Ordering::Relaxed)
        );
    }
    let count = LATENCY.count.load(Ordering::Relaxed);
    let _ = writeln!(
        out,
        "musabaqati_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
    );
    let _ = writeln!(
        out,
        "musabaqati_http_request_duration_seconds_sum {:.6}",
        LATENCY.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "musabaqati_http_request_duration_seconds_count {count}"
    );
    out
}
