//! A request id per request: taken from a sane incoming `X-Request-Id` or generated, echoed in the
//! response, attached to the tracing span, and readable anywhere in the request via [`current`].

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error};
use tracing::Instrument;

use crate::state::AppState;

pub const HEADER: &str = "x-request-id";
/// Names the replica that served the response (`MUSABAQATI_REPLICA_ID`).
pub const REPLICA_HEADER: &str = "x-musabaqati-replica";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served ("-" outside a request).
pub fn current() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".to_owned())
}

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| value.to_owned())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let result = REQUEST_ID
        .scope(id.clone(), next.call(req).instrument(span.clone()))
        .await;
    let elapsed = started.elapsed();
    match result {
        Ok(mut res) => {
            let status = res.status().as_u16();
            let route = res
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            crate::metrics::record(&method, &route, status, elapsed);
            if let Ok(value) = HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(HeaderName::from_static(HEADER), value);
            }
            // Which replica answered (behind a load balancer), when it has a name.
            let replica = res
                .request()
                .app_data::<web::Data<AppState>>()
                .and_then(|state| state.settings.replica_id.as_deref())
                .and_then(|name| HeaderValue::from_str(name).ok());
            if let Some(value) = replica {
                res.headers_mut()
                    .insert(HeaderName::from_static(REPLICA_HEADER), value);
            }
            span.in_scope(|| {
                if status >= 500 {
                    tracing::error!(status, latency_ms = elapsed.as_millis() as u64, "served");
                } else {
                    tracing::info!(status, latency_ms = elapsed.as_millis() as u64, "served");
                }
            });
            Ok(res)
        }
        Err(err) => {
            span.in_scope(|| tracing::error!(error = %err, "request failed before a response"));
            Err(err)
        }
    }
}
