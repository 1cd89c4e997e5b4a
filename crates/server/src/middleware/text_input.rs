//! Control characters in a URL under /api/v1 are refused before routing: in a query parameter
//! (`?q=%00`) with 422 `validation_failed` naming the parameter, in the path (`/users/a%0Ab`) with
//! 400 `bad_request` and `fields.path` — a path parameter that cannot be stored does not parse,
//! which is what every operation with path parameters documents as 400. PostgreSQL
//! cannot take a NUL in a parameter and SQLite can, so without this the same search answered
//! differently on the two. JSON bodies get the same rule in the `Json` extractor.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use domain::text::TextProblem;
use domain::{ErrorCode, FieldErrors};

use crate::error::ApiError;
use crate::text::url_has_control;

/// The query parameter (or `path`) that carries a control character, if any.
fn offending_part(path: &str, query: &str) -> Option<String> {
    if url_has_control(path) {
        return Some("path".to_owned());
    }
    query
        .split('&')
        .find(|pair| url_has_control(pair))
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            if name.is_empty() || url_has_control(name) || !name.is_ascii() {
                "query".to_owned()
            } else {
                name.to_owned()
            }
        })
}

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let uri = req.uri();
    if let Some(field) = offending_part(uri.path(), uri.query().unwrap_or_default()) {
        let code = if field == "path" {
            ErrorCode::BadRequest
        } else {
            ErrorCode::ValidationFailed
        };
        let mut fields = FieldErrors::new();
        fields.insert(field, TextProblem::Control.message(""));
        let err = ApiError::with_fields(code, fields);
        return Ok(req
            .into_response(err.error_response())
            .map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::offending_part;

    #[test]
    fn names_the_parameter_or_the_path() {
        assert_eq!(
            offending_part("/api/v1/x", "q=a%00&limit=5"),
            Some("q".into())
        );
        assert_eq!(
            offending_part("/api/v1/x", "limit=5&kind=%0D"),
            Some("kind".into())
        );
        assert_eq!(offending_part("/api/v1/x%00", "q=a"), Some("path".into()));
        assert_eq!(offending_part("/api/v1/x", "%00=1"), Some("query".into()));
        assert_eq!(offending_part("/api/v1/x", "q=%D9%85&limit=5"), None);
    }
}
