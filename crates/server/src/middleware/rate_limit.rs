//! Request-rate limits answered with the JSON error and Retry-After: per client address for
//! people and anonymous callers (the whole API, and a tighter one on `/api/v1/auth`), per key for
//! API keys, per user for transfer-recipient look-ups.
//!
//! Every limit is a GCRA bucket ("one request per `interval`, bursts up to `burst`"). With
//! `MUSABAQATI_REDIS_URL` the buckets live in Redis and one Lua script checks and advances a
//! bucket atomically on Redis's clock, so all replicas share them: the deployment as a whole
//! allows the limit, not each process. Without Redis, or while Redis does not answer, each
//! process keeps its own buckets (governor, in memory): availability over strictness, because
//! these limits are fairness guards, while the limits that protect money and accounts (login
//! throttling, daily transfer limits, award ceilings, idempotency) live in the database and do not
//! depend on this. A fallback is logged (once per cool-down) and counted in
//! `musabaqati_rate_limit_fallbacks_total`. docs/DECISIONS.md explains the choice.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_governor::governor::clock::{Clock, DefaultClock};
use actix_governor::governor::middleware::StateInformationMiddleware;
use actix_governor::governor::state::keyed::DefaultKeyedStateStore;
use actix_governor::governor::{Quota as GovernorQuota, RateLimiter};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use anyhow::Context;
use domain::ErrorCode;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::auth::api_key::ApiKeyPrincipal;
use crate::client_addr::client_addr;
use crate::error::ApiError;
use crate::state::AppState;

/// A bucket's rule: one request per `interval`, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    pub interval: Duration,
    pub burst: u32,
}

impl Quota {
    /// `n` a minute with bursts of the whole minute's allowance (API keys, look-ups).
    pub fn per_minute(n: u32) -> Self {
        Self::per_minute_with_burst(u64::from(n), n)
    }

    pub fn per_minute_with_burst(n: u64, burst: u32) -> Self {
        Self {
            interval: Duration::from_micros((60_000_000 / n.max(1)).max(1)),
            burst: burst.max(1),
        }
    }

    pub fn per_second(n: u64, burst: u32) -> Self {
        Self {
            interval: Duration::from_micros((1_000_000 / n.max(1)).max(1)),
            burst: burst.max(1),
        }
    }
}

/// The outcome of one request against a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; this many requests remain in the current burst.
    Allowed { remaining: u32 },
    /// Refused; retry after this many seconds (at least 1).
    Limited { retry_after: u64 },
}

impl Decision {
    fn limited_after(wait: Duration) -> Self {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Self::Limited {
            retry_after: secs.max(1),
        }
    }
}

/// Which limit refused a request, for the refusal metric.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Address,
    Auth,
    Key,
    Lookup,
}

impl Limit {
    fn label(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Auth => "auth",
            Self::Key => "api_key",
            Self::Lookup => "recipient_lookup",
        }
    }
}

/// The limiter of one process: Redis when configured and answering, else its own memory.
pub struct Limiter {
    shared: Option<SharedBuckets>,
    local: LocalBuckets,
}

impl Limiter {
    /// Per-process buckets only (one replica, or no Redis configured).
    pub fn local() -> Self {
        Self {
            shared: None,
            local: LocalBuckets::default(),
        }
    }

    /// Buckets in the Redis at `url`, keys starting with `prefix`. Connects lazily: a Redis that
    /// is down at start-up does not stop the server (it falls back until Redis answers).
    pub fn shared(url: &str, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self {
            shared: Some(SharedBuckets::new(url, prefix)?),
            local: LocalBuckets::default(),
        })
    }

    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Takes one request from `bucket`'s allowance under `quota`. The bucket name carries the
    /// quota's size where it can change (a key's limit), so a changed limit starts afresh.
    pub async fn check(&self, limit: Limit, bucket: &str, quota: Quota) -> Decision {
        let decision = match &self.shared {
            Some(shared) => match shared.check(bucket, quota).await {
                Some(decision) => decision,
                None => self.local.check(bucket, quota),
            },
            None => self.local.check(bucket, quota),
        };
        if matches!(decision, Decision::Limited { .. }) {
            metrics::counter!("musabaqati_rate_limit_refusals_total", "limit" => limit.label())
                .increment(1);
        }
        decision
    }
}

/// GCRA on Redis's clock. KEYS[1] the bucket; ARGV[1] the interval and ARGV[2] the burst, in
/// microseconds and requests. Returns {1, remaining} or {0, microseconds to wait}. The
/// theoretical arrival time is stored as an integer string (Lua 5.1's `tostring` would write
/// 1.7e+15) and expires when the bucket is full again.
const GCRA: &str = r"
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local allow_at = tat + interval - interval * burst
if allow_at > now then
  return {0, allow_at - now}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((now - allow_at) / interval)}
";

/// How long one Redis check may take before the request is limited locally instead.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// After a failure, how long requests use the local buckets before Redis is tried again (so an
/// unreachable Redis costs one timeout per cool-down, not one per request).
const COOL_DOWN: Duration = Duration::from_secs(2);

struct SharedBuckets {
    conn: ConnectionManager,
    script: redis::Script,
    prefix: String,
    started: Instant,
    /// Milliseconds since `started` before which Redis is not tried (0: try it).
    skip_until_ms: AtomicU64,
}

impl SharedBuckets {
    fn new(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("MUSABAQATI_REDIS_URL is not a Redis URL")?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .context("setting up the Redis connection")?;
        metrics::gauge!("musabaqati_rate_limit_shared").set(1.0);
        Ok(Self {
            conn,
            script: redis::Script::new(GCRA),
            prefix: prefix.to_owned(),
            started: Instant::now(),
            skip_until_ms: AtomicU64::new(0),
        })
    }

    /// The shared decision, or `None` when Redis did not answer in time (the caller falls back).
    async fn check(&self, bucket: &str, quota: Quota) -> Option<Decision> {
        let now_ms = self.started.elapsed().as_millis() as u64;
        if now_ms < self.skip_until_ms.load(Ordering::Relaxed) {
            return None;
        }
        let mut conn = self.conn.clone();
        let mut call = self.script.key(format!("{}{bucket}", self.prefix));
        call.arg(quota.interval.as_micros() as u64).arg(quota.burst);
        let outcome =
            tokio::time::timeout(REDIS_TIMEOUT, call.invoke_async::<(i64, i64)>(&mut conn));
        let error = match outcome.await {
            Ok(Ok((1, remaining))) => {
                return Some(Decision::Allowed {
                    remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
                })
            }
            Ok(Ok((_, wait_us))) => {
                return Some(Decision::limited_after(Duration::from_micros(
                    wait_us.max(0) as u64,
                )))
            }
            Ok(Err(err)) => err.to_string(),
            Err(_) => format!("no answer within {} ms", REDIS_TIMEOUT.as_millis()),
        };
        metrics::counter!("musabaqati_rate_limit_fallbacks_total").increment(1);
        let until = now_ms + COOL_DOWN.as_millis() as u64;
        // Only the request that starts a cool-down logs it.
        if self.skip_until_ms.swap(until, Ordering::Relaxed) <= now_ms {
            tracing::warn!(
                %error,
                cool_down_secs = COOL_DOWN.as_secs(),
                "Redis did not answer the rate-limit check; limiting in this process meanwhile"
            );
        }
        None
    }
}

type KeyedLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// Per-process buckets: one governor keyed limiter per quota (there are only a few: the two
/// address limits, the look-up limit and each distinct key limit).
#[derive(Default)]
struct LocalBuckets {
    limiters: Mutex<HashMap<Quota, Arc<KeyedLimiter>>>,
    checks: AtomicU64,
}

/// Idle buckets are dropped every this many checks.
const PRUNE_EVERY: u64 = 4096;

impl LocalBuckets {
    fn check(&self, bucket: &str, quota: Quota) -> Decision {
        let limiter = self.limiter(quota);
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            limiter.retain_recent();
        }
        match limiter.check_key(&bucket.to_owned()) {
            Ok(snapshot) => Decision::Allowed {
                remaining: snapshot.remaining_burst_capacity(),
            },
            Err(negative) => {
                Decision::limited_after(negative.wait_time_from(DefaultClock::default().now()))
            }
        }
    }

    fn limiter(&self, quota: Quota) -> Arc<KeyedLimiter> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
        let mut map = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(map.entry(quota).or_insert_with(|| {
            let burst = NonZeroU32::new(quota.burst).unwrap_or(NonZeroU32::MIN);
            let rule = GovernorQuota::with_period(quota.interval)
                .unwrap_or_else(|| GovernorQuota::per_second(NonZeroU32::MIN))
                .allow_burst(burst);
            Arc::new(RateLimiter::keyed(rule).with_middleware::<StateInformationMiddleware>())
        }))
    }
}

/// The per-address limit on the whole API. Requests already authenticated by an API key are
/// exempt: their key's own limit applies.
pub async fn per_address<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    address_limit(req, next, Limit::Address).await
}

/// The tighter per-address limit on `/api/v1/auth`.
pub async fn per_address_auth<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    address_limit(req, next, Limit::Auth).await
}

async fn address_limit<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
    limit: Limit,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let exempt = req.extensions().contains::<ApiKeyPrincipal>();
    if let (Some(state), false) = (state, exempt) {
        let settings = &state.settings;
        let ip = client_addr(
            req.peer_addr().map(|a| a.ip()),
            req.headers(),
            settings.forwarded_from(),
        )
        // Without a peer address (unit-test requests) everyone shares one bucket.
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let limits = &settings.rate_limits;
        let (name, quota) = match limit {
            Limit::Auth => (
                "auth",
                Quota::per_minute_with_burst(limits.auth_per_minute, limits.auth_burst),
            ),
            _ => (
                "api",
                Quota::per_second(limits.api_per_second, limits.api_burst),
            ),
        };
        let bucket = format!("ip:{name}:{ip}");
        if let Decision::Limited { retry_after } = state.limiter.check(limit, &bucket, quota).await
        {
            let err = ApiError::RateLimited {
                code: ErrorCode::RateLimited,
                retry_after,
            };
            return Ok(super::api_key::respond(req, &err));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Addresses this process has seen blocked for refused API keys, until when. The database
/// (`api_failed_auth`) decides a block and holds it across replicas; this only spares the
/// database the checks while a blocked address keeps trying.
#[derive(Default)]
pub struct IpBlocks {
    until: Mutex<HashMap<String, std::time::Instant>>,
}

impl IpBlocks {
    /// Seconds left on a known block of `ip`.
    pub fn remaining(&self, ip: &str) -> Option<u64> {
        let now = std::time::Instant::now();
        let until = *self
            .until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(ip)?;
        let left = until.checked_duration_since(now)?;
        Some(left.as_secs().max(1))
    }

    pub fn block(&self, ip: &str, seconds: u64) {
        let now = std::time::Instant::now();
        let mut map = self.until.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, until| *until > now);
        map.insert(ip.to_owned(), now + std::time::Duration::from_secs(seconds));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_block_lasts_until_it_ends() {
        let blocks = IpBlocks::default();
        assert_eq!(blocks.remaining("10.0.0.1"), None);
        blocks.block("10.0.0.1", 30);
        assert!(matches!(blocks.remaining("10.0.0.1"), Some(29..=30)));
        assert_eq!(blocks.remaining("10.0.0.2"), None);
        blocks.block("10.0.0.2", 0);
        assert_eq!(blocks.remaining("10.0.0.2"), None);
    }

    #[tokio::test]
    async fn a_bucket_gets_its_own_allowance_and_then_a_retry_time() {
        let limiter = Limiter::local();
        let three = Quota::per_minute(3);
        for remaining in [2, 1, 0] {
            assert_eq!(
                limiter.check(Limit::Key, "key:1:3", three).await,
                Decision::Allowed { remaining }
            );
        }
        match limiter.check(Limit::Key, "key:1:3", three).await {
            Decision::Limited { retry_after } => assert!((1..=20).contains(&retry_after)),
            other => panic!("expected a limit, got {other:?}"),
        }
        // Another bucket is not affected; a changed limit (a new bucket name) starts afresh.
        assert_eq!(
            limiter.check(Limit::Key, "key:2:3", three).await,
            Decision::Allowed { remaining: 2 }
        );
        assert_eq!(
            limiter
                .check(Limit::Key, "key:1:10", Quota::per_minute(10))
                .await,
            Decision::Allowed { remaining: 9 }
        );
    }

    #[tokio::test]
    async fn an_unreachable_redis_falls_back_to_this_process() {
        // Port 1 on loopback refuses at once: every check is answered locally, in full.
        let limiter = match Limiter::shared("redis://127.0.0.1:1/", "t:") {
            Ok(limiter) => limiter,
            Err(err) => panic!("the limiter builds without connecting: {err}"),
        };
        let two = Quota::per_minute(2);
        let started = Instant::now();
        let mut allowed = 0;
        for _ in 0..5 {
            if let Decision::Allowed { .. } = limiter.check(Limit::Key, "k", two).await {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 2);
        // One failed attempt, then the cool-down: not one timeout per request.
        assert!(
            started.elapsed() < REDIS_TIMEOUT * 3,
            "{:?}",
            started.elapsed()
        );
    }
}
