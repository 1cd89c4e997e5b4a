//! The API's handlers, one module per URL prefix, and the extractor configurations they share.
//! Nothing is mounted here: `crate::startup` mounts every handler, in one place
//! (docs/ARCHITECTURE.md §1.3–§1.4).

pub mod account;
pub mod admin;
pub mod auth;
pub mod chat;
pub mod competitions;
pub mod entries;
pub mod health;
pub mod leaderboard;
pub mod me;
pub mod my_competitions;
pub mod notifications;
pub mod packages;
pub mod pagination;
pub mod points;
pub mod profiles;
pub mod purchases;
pub mod redemptions;
pub mod referrals;
pub mod rewards;
pub mod settings;
pub mod spa;
pub mod spa_compressed;
pub mod totp;
pub mod ws;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest, HttpResponse};
use domain::{ErrorBody, ErrorCode, FieldErrors};

use crate::error::ApiError;

/// JSON bodies: size limit, and every decoding failure as the API's JSON error.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::ContentType => ApiError::Code(ErrorCode::UnsupportedMediaType),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::Code(ErrorCode::PayloadTooLarge)
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            // Valid JSON of the wrong shape: name the field when serde tells us which.
            let text = e.to_string();
            let field = text
                .split('`')
                .nth(1)
                .filter(|f| !f.is_empty() && f.len() < 64)
                .unwrap_or("body")
                .to_owned();
            let message = if text.starts_with("missing field") {
                "هذا الحقل مطلوب."
            } else if text.starts_with("unknown field") {
                "حقل غير معروف."
            } else {
                "قيمة الحقل من نوع غير صحيح."
            };
            let mut fields = FieldErrors::new();
            fields.insert(field, message.to_owned());
            ApiError::Validation(fields)
        }
        JsonPayloadError::Deserialize(_) | JsonPayloadError::Payload(_) => {
            ApiError::Code(ErrorCode::InvalidJson)
        }
        _ => ApiError::Code(ErrorCode::BadRequest),
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req: &HttpRequest| {
        let text = err.to_string();
        let field = text.split('`').nth(1).unwrap_or("query").to_owned();
        ApiError::field(
            ErrorCode::ValidationFailed,
            &field,
            "قيمة غير صالحة في معاملات الاستعلام.",
        )
        .into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req: &HttpRequest| {
        ApiError::message(ErrorCode::BadRequest, "معرّف غير صالح في المسار.").into()
    })
}

/// Unknown paths and methods under the API answer with the JSON error.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let _ = req;
    HttpResponse::NotFound().json(ErrorBody::new(ErrorCode::NotFound))
}
