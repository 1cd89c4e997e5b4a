//! API-key requests under /api/v1: refused while the client address is blocked (429
//! `ip_blocked`), authenticated against `api_keys` (a refusal is recorded in `api_failed_auth`
//! and answered 401), limited per key (429 `rate_limited`), checked against the route table
//! (403 `missing_scope` / `api_key_not_allowed`), then handed on with the key's principal in the
//! request extensions. Every call that got past authentication is queued for `api_usage_log`,
//! and its response carries `X-RateLimit-Limit` / `X-RateLimit-Remaining`.
//!
//! Requests without a key pass straight through, untouched.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, ResponseError};
use domain::ErrorCode;

use crate::auth::api_key::{self, ApiKeyPrincipal};
use crate::auth::extractors::client_ip;
use crate::auth::scopes;
use crate::error::ApiError;
use crate::middleware::rate_limit::{Decision, Limit, Quota};
use crate::services::api_keys::{self, Attempt};
use crate::services::api_usage::UsageRecord;
use crate::state::AppState;

pub const LIMIT_HEADER: &str = "x-ratelimit-limit";
pub const REMAINING_HEADER: &str = "x-ratelimit-remaining";

/// Answers `req` with `err` in the API's error format, without calling the inner service.
pub(crate) fn respond<B>(req: ServiceRequest, err: &ApiError) -> ServiceResponse<EitherBody<B>> {
    req.into_response(err.error_response())
        .map_into_right_body()
}

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let Some(presented) = api_key::credential(req.request()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        let err = ApiError::Unexpected(anyhow::anyhow!("AppState is not registered"));
        return Ok(respond(req, &err));
    };
    let started = Instant::now();
    let ip = client_ip(req.request());
    let principal = match admit(&state, &req, &presented, &ip).await {
        Ok(principal) => principal,
        Err(err) => return Ok(respond(req, &err)),
    };
    drop(presented);

    // Authenticated: from here on every answer is a logged call of this key.
    let key_id = principal.key_id;
    let acting = api_key::ActingKey::from(&principal);
    let limit = principal.rate_limit_per_minute;
    let method = req.method().to_string();
    let route = scopes::resolve(req.method(), req.path());
    // The limit is part of the bucket's name, so a changed limit starts afresh.
    let bucket = format!("key:{key_id}:{limit}");
    let decision = state
        .limiter
        .check(Limit::Key, &bucket, Quota::per_minute(limit))
        .await;
    let (remaining, refusal) = match decision {
        Decision::Limited { retry_after } => (
            0,
            Some(ApiError::RateLimited {
                code: ErrorCode::RateLimited,
                retry_after,
            }),
        ),
        // A path no route declares goes on to the router (404/405); if a handler does match it,
        // its extractor refuses the key because the table has no entry for it.
        Decision::Allowed { remaining } => (
            remaining,
            route.and_then(|r| api_key::check_access(&principal, Some(r)).err()),
        ),
    };
    let answered_here = refusal.is_some();
    let mut res = match refusal {
        Some(err) => respond(req, &err),
        None => {
            req.extensions_mut().insert::<ApiKeyPrincipal>(principal);
            api_key::with_current_key(acting, next.call(req))
                .await?
                .map_into_left_body()
        }
    };

    let headers = res.headers_mut();
    for (name, value) in [(LIMIT_HEADER, limit), (REMAINING_HEADER, remaining)] {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    // The router's pattern when a route answered; the table's when this layer did.
    let routed = (!answered_here)
        .then(|| res.request().match_pattern())
        .flatten();
    let pattern = routed
        .or_else(|| route.map(|r| r.pattern.to_owned()))
        .unwrap_or_else(|| "unmatched".to_owned());
    state.usage.record(UsageRecord {
        api_key_id: key_id,
        method,
        route: pattern,
        status: res.status().as_u16(),
        latency_ms: started.elapsed().as_millis() as u64,
        ip,
        at: crate::services::now(),
    });
    Ok(res)
}

/// The blocked-address check and authentication; a refusal is recorded before it is answered.
async fn admit(
    state: &AppState,
    req: &ServiceRequest,
    presented: &str,
    ip: &str,
) -> Result<ApiKeyPrincipal, ApiError> {
    let blocked = |retry_after| ApiError::RateLimited {
        code: ErrorCode::IpBlocked,
        retry_after,
    };
    if let Some(retry_after) = state.ip_blocks.remaining(ip) {
        return Err(blocked(retry_after));
    }
    let throttle = api_keys::throttle(&state.db).await?;
    if let Some(retry_after) = api_keys::blocked_for(&state.db, ip, throttle).await? {
        state.ip_blocks.block(ip, retry_after);
        return Err(blocked(retry_after));
    }
    match api_keys::authenticate(&state.db, presented).await? {
        Ok(principal) => Ok(principal),
        Err(refusal) => {
            let attempt = Attempt {
                ip,
                method: req.method().as_str(),
                path: req.path(),
            };
            api_keys::record_refusal(&state.db, throttle, &refusal, &attempt).await?;
            tracing::info!(
                reason = refusal.reason.as_str(),
                key_prefix = refusal.prefix.as_deref().unwrap_or("-"),
                %ip,
                "API key refused"
            );
            Err(refusal.error())
        }
    }
}
