//! `ApiError`: every failure a handler can return, mapped once to a status and the JSON body.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use domain::{ErrorBody, ErrorCode, FieldErrors};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A documented error code with its default Arabic message.
    #[error("{0}")]
    Code(ErrorCode),
    /// A code with a more specific Arabic message.
    #[error("{code}: {message}")]
    Message { code: ErrorCode, message: String },
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// A conflict on specific fields (e.g. username taken).
    #[error("{code}: {fields:?}")]
    FieldConflict {
        code: ErrorCode,
        fields: FieldErrors,
    },
    #[error("rate limited, retry after {retry_after}s")]
    RateLimited { code: ErrorCode, retry_after: u64 },
    /// A limit with a more specific Arabic message (Retry-After as for `RateLimited`).
    #[error("{code}: {message} (retry after {retry_after}s)")]
    LimitedWith {
        code: ErrorCode,
        message: String,
        retry_after: u64,
    },
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn not_found() -> Self {
        Self::Code(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::Code(ErrorCode::Forbidden)
    }

    pub fn message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Message {
            code,
            message: message.into(),
        }
    }

    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), message.into());
        Self::with_fields(code, fields)
    }

    /// An error naming one or more fields: 422 `validation_failed`, or another code with fields.
    pub fn with_fields(code: ErrorCode, fields: FieldErrors) -> Self {
        if code == ErrorCode::ValidationFailed {
            Self::Validation(fields)
        } else {
            Self::FieldConflict { code, fields }
        }
    }

    /// The error code this error answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Code(code) | Self::Message { code, .. } | Self::FieldConflict { code, .. } => {
                *code
            }
            Self::RateLimited { code, .. } | Self::LimitedWith { code, .. } => *code,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::Db(err) => db_error_code(err),
            Self::Unexpected(_) => ErrorCode::Internal,
        }
    }

    pub fn body(&self) -> ErrorBody {
        match self {
            Self::Message { code, message } | Self::LimitedWith { code, message, .. } => {
                ErrorBody::with_message(*code, message.clone())
            }
            Self::Validation(fields) => {
                ErrorBody::with_fields(ErrorCode::ValidationFailed, fields.clone())
            }
            Self::FieldConflict { code, fields } => ErrorBody::with_fields(*code, fields.clone()),
            other => ErrorBody::new(other.code()),
        }
    }
}

/// Database errors that are the caller's fault or a passing condition get their own code;
/// everything else is a real fault (500).
fn db_error_code(err: &DbErr) -> ErrorCode {
    match err {
        DbErr::RecordNotFound(_) => ErrorCode::NotFound,
        DbErr::ConnectionAcquire(_) => ErrorCode::ServiceUnavailable,
        _ if is_transient(err) || is_database_unreachable(err) => ErrorCode::ServiceUnavailable,
        _ if is_bad_text(err) => ErrorCode::BadRequest,
        _ => match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => ErrorCode::Conflict,
            _ => ErrorCode::Internal,
        },
    }
}

/// PostgreSQL refuses text it cannot store (a NUL byte, invalid encoding): the caller's input,
/// not a server fault.
fn is_bad_text(err: &DbErr) -> bool {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match &**e {
                sea_orm::sqlx::Error::Database(db) => {
                    matches!(db.code().as_deref(), Some("22021" | "22P05"))
                }
                sea_orm::sqlx::Error::Encode(_) => true,
                _ => false,
            }
        }
        _ => false,
    }
}

/// The database went away (restarting, failing over, the connection cut): 503 with
/// `Retry-After`, which clients and the SPA retry, rather than 500. Not retried here: when the
/// connection broke during COMMIT nobody knows whether the transaction committed, so only a
/// request with an Idempotency-Key may be sent again (the client decides).
fn is_database_unreachable(err: &DbErr) -> bool {
    let sqlx_err = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match &**sqlx_err {
        // Class 08 connection exceptions; 57P01-57P03 the server shutting down or starting up.
        sea_orm::sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03")
        }
        sea_orm::sqlx::Error::Io(_)
        | sea_orm::sqlx::Error::PoolClosed
        | sea_orm::sqlx::Error::WorkerCrashed
        | sea_orm::sqlx::Error::Protocol(_) => true,
        _ => false,
    }
}

/// Serialization failures, deadlocks and SQLite's "database is locked": retry the transaction.
pub fn is_transient(err: &DbErr) -> bool {
    let sqlx_err = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match &**sqlx_err {
        sea_orm::sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // 40001 serialization_failure, 40P01 deadlock_detected (PostgreSQL);
            // 5 SQLITE_BUSY, 6 SQLITE_LOCKED, 517 SQLITE_BUSY_SNAPSHOT.
            matches!(&*code, "40001" | "40P01" | "5" | "6" | "517" | "261")
                || db.message().contains("database is locked")
        }
        sea_orm::sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let mut body = self.body();
        if status.is_server_error() {
            // The request id is attached by the request-id middleware; log the cause here.
            let request_id = crate::middleware::request_id::current();
            tracing::error!(error = ?self, request_id = %request_id, "request failed");
            body.error.request_id = Some(request_id);
        }
        let mut builder = HttpResponse::build(status);
        if let Self::RateLimited { retry_after, .. } | Self::LimitedWith { retry_after, .. } = self
        {
            builder.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            builder.insert_header((header::RETRY_AFTER, "1"));
        }
        builder.insert_header((header::CACHE_CONTROL, "no-store"));
        builder.json(body)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use actix_web::body::MessageBody;

    fn json_of(err: ApiError) -> (u16, serde_json::Value) {
        let resp = err.error_response();
        let status = resp.status().as_u16();
        let bytes = resp.into_body().try_into_bytes().unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[test]
    fn insufficient_points_is_409_with_arabic_message() {
        let (status, json) = json_of(ApiError::Code(ErrorCode::InsufficientPoints));
        assert_eq!(status, 409);
        assert_eq!(json["error"]["code"], "insufficient_points");
        assert_eq!(json["error"]["message"], "رصيدك من كربتو غير كافٍ.");
        assert_eq!(json["error"]["fields"], serde_json::json!({}));
    }

    #[test]
    fn validation_lists_fields_and_is_422() {
        let (status, json) = json_of(ApiError::field(ErrorCode::ValidationFailed, "email", "خطأ"));
        assert_eq!(status, 422);
        assert_eq!(json["error"]["fields"]["email"], "خطأ");
    }

    #[test]
    fn record_not_found_maps_to_404_and_unexpected_to_500_with_request_id() {
        assert_eq!(
            json_of(ApiError::Db(DbErr::RecordNotFound("x".into()))).0,
            404
        );
        let (status, json) = json_of(ApiError::Unexpected(anyhow::anyhow!("boom")));
        assert_eq!(status, 500);
        assert_eq!(json["error"]["code"], "internal_error");
        assert!(json["error"]["request_id"].is_string());
    }
}
