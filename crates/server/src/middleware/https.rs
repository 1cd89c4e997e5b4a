//! HTTPS in production. TLS ends at the proxy in front (deploy/nginx.conf), which says in
//! `X-Forwarded-Proto` how the client reached it. A request that a *trusted* proxy says came over
//! plain HTTP is not served: GET and HEAD are redirected to the same URL on https (308, so
//! nothing about the request changes but the scheme), every other method is refused with 400
//! `https_required` — redirecting a POST would have the client send its body and credentials in
//! clear twice. Health checks (`/health/*`) are exempt: load balancers probe them over plain
//! HTTP inside the network and they carry nothing private.
//!
//! Only in production and only from a trusted proxy: the header of anyone else is never read.
//! A request without the header is served (a probe or scraper talking to the replica directly).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse, ResponseError};
use domain::ErrorCode;

use crate::client_addr::in_networks;
use crate::error::ApiError;
use crate::state::AppState;

const X_FORWARDED_PROTO: &str = "x-forwarded-proto";

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    if let Some(refusal) = plain_http_answer(&req) {
        return Ok(req.into_response(refusal).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The redirect or refusal for a plain-HTTP request, or `None` when it may be served.
fn plain_http_answer(req: &ServiceRequest) -> Option<HttpResponse> {
    let state = req.app_data::<web::Data<AppState>>()?;
    let settings = &state.settings;
    if !settings.is_production() || req.path().starts_with("/health/") {
        return None;
    }
    let trusted = settings.forwarded_from()?;
    let peer = req.peer_addr()?.ip();
    if !in_networks(trusted, peer) {
        return None;
    }
    // The proxy nearest to us writes the last value; a chain of proxies may have appended.
    let proto = req
        .headers()
        .get_all(X_FORWARDED_PROTO)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .next_back()?;
    if proto.eq_ignore_ascii_case("https") {
        return None;
    }
    let refused = || ApiError::Code(ErrorCode::HttpsRequired).error_response();
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Some(refused());
    }
    // The host the client asked for; a value that is not a plain host[:port] is not echoed.
    let Some(host) = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
    else {
        return Some(refused());
    };
    let target = match req.uri().path_and_query() {
        Some(pq) => format!("https://{host}{pq}"),
        None => format!("https://{host}/"),
    };
    Some(
        HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, target))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    )
}
