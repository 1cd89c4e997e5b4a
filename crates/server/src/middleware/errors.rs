//! Error responses produced outside our handlers (unknown methods, the rate limiter, payload
//! errors the framework raises itself) arrive as plain text or empty bodies. This layer rewrites
//! every such 4xx/5xx into the API's JSON error, so no route ever answers with plain text.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::HttpResponse;
use domain::{ErrorBody, ErrorCode};

pub fn json_errors<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(rewrite)
}

fn code_for(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::Unprocessable,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::ServiceUnavailable,
        s if s >= 500 => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

fn rewrite<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/json") || v.starts_with("application/problem+json")
        });
    let status = res.status();
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let mut body = ErrorBody::new(code_for(status));
    if status.is_server_error() {
        body.error.request_id = Some(super::request_id::current());
    }
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    // Keep headers such as Retry-After, Allow and the rate-limit ones.
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    if status == StatusCode::TOO_MANY_REQUESTS && !old.headers().contains_key(header::RETRY_AFTER) {
        new.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
    }
    let new: HttpResponse<BoxBody> = new.json(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}
