//! Per-IP request-rate limits (actix-governor), answered with the JSON error and Retry-After.

use std::net::IpAddr;

use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::governor::NotUntil;
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, HttpResponseBuilder};
use domain::{ErrorBody, ErrorCode};

/// Keys requests by client IP; behind a trusted proxy, by the forwarded client address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp {
    pub trust_proxy: bool,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        if self.trust_proxy {
            if let Some(ip) = req
                .connection_info()
                .realip_remote_addr()
                .and_then(parse_ip)
            {
                return Ok(ip);
            }
        }
        // Without a peer address (unit-test requests) everyone shares one bucket.
        Ok(req
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0])))
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

fn parse_ip(value: &str) -> Option<IpAddr> {
    value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
}

pub type Limiter = GovernorConfig<ClientIp, NoOpMiddleware<QuantaInstant>>;

/// `per_second` sustained with bursts of `burst`.
pub fn per_second(per_second: u64, burst: u32, trust_proxy: bool) -> anyhow::Result<Limiter> {
    let period_ns = (1_000_000_000 / per_second.max(1)).max(1);
    GovernorConfigBuilder::default()
        .nanoseconds_per_request(period_ns)
        .burst_size(burst.max(1))
        .key_extractor(ClientIp { trust_proxy })
        .finish()
        .ok_or_else(|| anyhow::anyhow!("invalid rate-limit settings"))
}

pub fn per_minute(per_minute: u64, burst: u32, trust_proxy: bool) -> anyhow::Result<Limiter> {
    let period_ms = (60_000 / per_minute.max(1)).max(1);
    GovernorConfigBuilder::default()
        .milliseconds_per_request(period_ms)
        .burst_size(burst.max(1))
        .key_extractor(ClientIp { trust_proxy })
        .finish()
        .ok_or_else(|| anyhow::anyhow!("invalid rate-limit settings"))
}
