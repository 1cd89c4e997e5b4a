//! Request-rate limits answered with the JSON error and Retry-After: per client address
//! (actix-governor) for people and anonymous callers, per key ([`KeyLimiters`]) for API keys.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};

use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::{NoOpMiddleware, StateInformationMiddleware};
use actix_governor::governor::state::{InMemoryState, NotKeyed};
use actix_governor::governor::{NotUntil, Quota, RateLimiter};
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpMessage, HttpResponse, HttpResponseBuilder};
use domain::{ErrorBody, ErrorCode};
use ipnet::IpNet;

use crate::auth::api_key::ApiKeyPrincipal;
use crate::client_addr::client_addr;
use crate::config::Settings;

/// Keys requests by client address ([`crate::client_addr`]: the forwarded one only from a
/// trusted proxy). Requests already authenticated by an API key are exempt: their key's own
/// limit applies.
#[derive(Debug, Clone)]
pub struct ClientIp {
    /// The trusted proxies when forwarded headers are read at all.
    pub trusted: Option<Arc<[IpNet]>>,
}

impl ClientIp {
    pub fn new(settings: &Settings) -> Self {
        Self {
            trusted: settings.forwarded_from().map(Arc::from),
        }
    }
}

/// The per-IP bucket of a request, or the shared exempt marker for API-key requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateKey {
    Ip(IpAddr),
    ApiKey,
}

impl KeyExtractor for ClientIp {
    type Key = RateKey;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        if req.extensions().contains::<ApiKeyPrincipal>() {
            return Ok(RateKey::ApiKey);
        }
        let ip = client_addr(
            req.peer_addr().map(|a| a.ip()),
            req.headers(),
            self.trusted.as_deref(),
        );
        // Without a peer address (unit-test requests) everyone shares one bucket.
        Ok(RateKey::Ip(ip.unwrap_or(IpAddr::from([0, 0, 0, 0]))))
    }

    fn whitelisted_keys(&self) -> Vec<Self::Key> {
        vec![RateKey::ApiKey]
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        mut response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        response.insert_header(("retry-after", wait.to_string()));
        response.json(ErrorBody::new(ErrorCode::RateLimited))
    }
}

pub type Limiter = GovernorConfig<ClientIp, NoOpMiddleware<QuantaInstant>>;

/// `per_second` sustained with bursts of `burst`.
pub fn per_second(per_second: u64, burst: u32, key: ClientIp) -> anyhow::Result<Limiter> {
    let period_ns = (1_000_000_000 / per_second.max(1)).max(1);
    GovernorConfigBuilder::default()
        .nanoseconds_per_request(period_ns)
        .burst_size(burst.max(1))
        .key_extractor(key)
        .finish()
        .ok_or_else(|| anyhow::anyhow!("invalid rate-limit settings"))
}

pub fn per_minute(per_minute: u64, burst: u32, key: ClientIp) -> anyhow::Result<Limiter> {
    let period_ms = (60_000 / per_minute.max(1)).max(1);
    GovernorConfigBuilder::default()
        .milliseconds_per_request(period_ms)
        .burst_size(burst.max(1))
        .key_extractor(key)
        .finish()
        .ok_or_else(|| anyhow::anyhow!("invalid rate-limit settings"))
}

/// Per-API-key limits: every key gets its own GCRA limiter sized by its `rate_limit_per_minute`
/// (bursts up to the full minute's allowance). Held in memory, so each server process enforces
/// the limit separately: N replicas allow up to N × the limit.
#[derive(Default)]
pub struct KeyLimiters {
    limiters: Mutex<HashMap<i64, Arc<KeyLimiter>>>,
}

type DirectLimiter = RateLimiter<NotKeyed, InMemoryState, DefaultClock, StateInformationMiddleware>;

struct KeyLimiter {
    per_minute: u32,
    limiter: DirectLimiter,
}

/// The outcome of one call against a key's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDecision {
    /// Allowed; this many calls remain in the current burst.
    Allowed { remaining: u32 },
    /// Refused; retry after this many seconds (at least 1).
    Limited { retry_after: u64 },
}

impl KeyLimiters {
    pub fn check(&self, key_id: i64, per_minute: u32) -> KeyDecision {
        let limiter = self.limiter(key_id, per_minute);
        match limiter.limiter.check() {
            Ok(snapshot) => KeyDecision::Allowed {
                remaining: snapshot.remaining_burst_capacity(),
            },
            Err(negative) => {
                let wait = negative.wait_time_from(DefaultClock::default().now());
                KeyDecision::Limited {
                    retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                }
            }
        }
        .normalized()
    }

    fn limiter(&self, key_id: i64, per_minute: u32) -> Arc<KeyLimiter> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
        let mut map = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get(&key_id) {
            Some(existing) if existing.per_minute == per_minute => Arc::clone(existing),
            _ => {
                let quota =
                    Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
                let limiter = Arc::new(KeyLimiter {
                    per_minute,
                    limiter: RateLimiter::direct(quota)
                        .with_middleware::<StateInformationMiddleware>(),
                });
                map.insert(key_id, Arc::clone(&limiter));
                limiter
            }
        }
    }

    /// Forgets a key's limiter (after revocation).
    pub fn forget(&self, key_id: i64) {
        self.limiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&key_id);
    }
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

impl KeyDecision {
    fn normalized(self) -> Self {
        match self {
            Self::Limited { retry_after } => Self::Limited {
                retry_after: retry_after.max(1),
            },
            allowed => allowed,
        }
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

    #[test]
    fn a_key_gets_its_own_allowance_and_then_a_retry_time() {
        let limiters = KeyLimiters::default();
        assert_eq!(limiters.check(1, 3), KeyDecision::Allowed { remaining: 2 });
        assert_eq!(limiters.check(1, 3), KeyDecision::Allowed { remaining: 1 });
        assert_eq!(limiters.check(1, 3), KeyDecision::Allowed { remaining: 0 });
        match limiters.check(1, 3) {
            KeyDecision::Limited { retry_after } => assert!((1..=20).contains(&retry_after)),
            other => panic!("expected a limit, got {other:?}"),
        }
        // Another key is not affected; a changed limit starts afresh.
        assert_eq!(limiters.check(2, 3), KeyDecision::Allowed { remaining: 2 });
        assert_eq!(limiters.check(1, 10), KeyDecision::Allowed { remaining: 9 });
    }
}
