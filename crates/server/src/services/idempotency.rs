//! `Idempotency-Key` for point-moving POSTs, kept in the database so every replica shares it
//! (docs/ARCHITECTURE.md §4).
//!
//! The operation and the record of its response are written in ONE transaction, after the
//! operation. Two concurrent requests with the same key both run the operation, but only one
//! can insert the record (unique scope+key): the other's transaction fails and rolls back its
//! operation, and it answers with the stored response instead. A retry after success gets the
//! first response; the same key with a different body gets 422 `idempotency_key_reused`.

use std::future::Future;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use domain::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, SqlErr,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entities::idempotency_keys as keys;
use crate::error::ApiError;

pub const HEADER: &str = "Idempotency-Key";

#[derive(Debug, Clone)]
pub struct Key {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
    /// The caller already looked the key up (with [`unused_subquery`], inside a query it needed
    /// anyway) and found no record, so [`run`] need not look again. Not a guarantee: a
    /// concurrent request may still record it first, which the unique index settles as before.
    pub known_unused: bool,
}

/// Longest accepted `Idempotency-Key` (bytes; printable ASCII only).
pub const KEY_MAX: usize = 128;

/// The header as the OpenAPI document states it (the same rule as [`from_request`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only describes the header; `from_request` reads it
pub struct IdempotencyHeader {
    /// Makes retries safe: the same key returns the first response (1–128 printable ASCII
    /// characters, kept for 24 hours).
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 128,
        pattern = r"^[\x21-\x7E]+$"
    )]
    idempotency_key: Option<String>,
}

/// Reads and validates the header; `scope` separates callers and routes.
pub fn from_request(
    req: &HttpRequest,
    scope: String,
    body: &impl Serialize,
) -> Result<Option<Key>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim().to_owned();
    if key.is_empty() || key.len() > KEY_MAX || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            HEADER,
            "مفتاح عدم التكرار يجب أن يكون من 1 إلى 128 حرفًا لاتينيًا.",
        ));
    }
    let canonical = serde_json::to_string(body).map_err(|e| ApiError::Unexpected(e.into()))?;
    let request_hash = hex::encode(Sha256::digest(
        format!("{} {}\n{canonical}", req.method(), req.path()).as_bytes(),
    ));
    Ok(Some(Key {
        scope,
        key,
        request_hash,
        known_unused: false,
    }))
}

/// `TRUE` when no response is recorded under `key` yet (always `TRUE` without a key): a column
/// to add to a query the handler makes anyway, saving [`run`] its own look-up.
pub fn unused_subquery(key: Option<&Key>) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let Some(key) = key else {
        return Expr::val(true);
    };
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(keys::Entity)
            .and_where(keys::Column::Scope.eq(key.scope.as_str()))
            .and_where(keys::Column::Key.eq(key.key.as_str()))
            .to_owned(),
    )
    .not()
}

async fn stored(conn: &impl ConnectionTrait, key: &Key) -> Result<Option<HttpResponse>, ApiError> {
    let Some(row) = keys::Entity::find()
        .filter(keys::Column::Scope.eq(key.scope.as_str()))
        .filter(keys::Column::Key.eq(key.key.as_str()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if row.request_hash != key.request_hash {
        return Err(ApiError::Code(ErrorCode::IdempotencyKeyReused));
    }
    let (Some(status), Some(body)) = (row.status_code, row.response_body) else {
        return Err(ApiError::Code(ErrorCode::IdempotencyInProgress));
    };
    let status =
        StatusCode::from_u16(u16::try_from(status).unwrap_or(200)).unwrap_or(StatusCode::OK);
    Ok(Some(
        HttpResponse::build(status)
            .insert_header(("Idempotent-Replayed", "true"))
            .content_type("application/json")
            .body(body),
    ))
}

/// Runs `op` in a transaction (with retries), remembering its successful response under `key`.
pub async fn run<T, F, Fut>(
    db: &DatabaseConnection,
    key: Option<Key>,
    status: StatusCode,
    op: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    F: Fn(Arc<DatabaseTransaction>) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let key_ref = &key;
    let op_ref = &op;
    let result = crate::db::transaction(db, |txn| async move {
        if let Some(key) = key_ref.as_ref().filter(|k| !k.known_unused) {
            if let Some(replay) = stored(&*txn, key).await? {
                return Ok(Err(replay));
            }
        }
        let value = op_ref(Arc::clone(&txn)).await?;
        let body = serde_json::to_string(&value).map_err(|e| ApiError::Unexpected(e.into()))?;
        if let Some(key) = key_ref {
            let now = super::now();
            keys::ActiveModel {
                scope: Set(key.scope.clone()),
                key: Set(key.key.clone()),
                request_hash: Set(key.request_hash.clone()),
                status_code: Set(Some(i32::from(status.as_u16()))),
                response_body: Set(Some(body.clone())),
                created_at: Set(now),
                completed_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        Ok(Ok(body))
    })
    .await;
    match result {
        Ok(Ok(body)) => Ok(HttpResponse::build(status)
            .content_type("application/json")
            .body(body)),
        Ok(Err(replay)) => Ok(replay),
        // A concurrent request with the same key committed first: answer as it did.
        Err(ApiError::Db(err))
            if key.is_some()
                && matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            match &key {
                Some(k) => match stored(db, k).await? {
                    Some(replay) => Ok(replay),
                    None => Err(ApiError::Db(err)),
                },
                None => Err(ApiError::Db(err)),
            }
        }
        Err(err) => Err(err),
    }
}
