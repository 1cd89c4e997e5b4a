//! Admin: integrator API keys (list, create, view, revoke, rotate, usage) and the refused key
//! attempts. Only people manage keys: every route here refuses API keys (`auth::scopes`).

use actix_web::{delete, get, post, web, HttpResponse};
use domain::api_keys::{
    ApiKey, ApiKeyPage, ApiKeyStatus, ApiKeyUsage, CreateApiKeyRequest, CreatedApiKey,
    FailedAuthPage, FailedAuthReason, USAGE_DAYS_DEFAULT, USAGE_DAYS_MAX,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::api_keys as svc;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiKeyQuery {
    /// `active`, `revoked` or `expired`.
    #[param(value_type = Option<domain::api_keys::ApiKeyStatus>)]
    pub status: Option<String>,
    /// Only keys acting for this user.
    pub owner_id: Option<i64>,
}

/// API keys, newest first. Never includes a secret or a hash.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ApiKeyQuery, PageParams),
    responses(
        (status = 200, body = ApiKeyPage),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin, or an API key (keys cannot manage keys)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/api-keys")]
#[tracing::instrument(skip_all)]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<ApiKeyQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<ApiKeyPage>> {
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(ApiKeyStatus::parse(s).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون active أو revoked أو expired.",
            )
        })?),
    };
    let filter = svc::ListFilter {
        status,
        owner_id: query.owner_id,
        cursor: page.cursor_id()?,
        limit: page.limit()?,
    };
    Ok(web::Json(svc::list(&state.db, &filter).await?))
}

/// Create a key. The response is the only time the full `key` is shown; only its hash is stored.
/// Audit-logged (without the secret).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin, or an API key", body = ErrorBody),
        (status = 422, description = "Invalid fields (unknown scope, rate limit out of 1–10000, expiry not in the future, unknown or suspended owner, admin-only scopes for a non-admin owner), each named", body = ErrorBody),
    )
)]
#[post("/api-keys")]
#[tracing::instrument(skip_all)]
pub async fn create_api_key(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let req = body
        .into_inner()
        .validate(crate::services::now())
        .map_err(ApiError::Validation)?;
    let (req_ref, admin_id, ip) = (&req, admin.id, client.ip.as_str());
    let (row, key) = db::transaction(&state.db, |txn| async move {
        let owner = svc::owner_for(&*txn, req_ref, admin_id).await?;
        svc::create(&*txn, admin_id, ip, req_ref, &owner).await
    })
    .await?;
    let api_key = svc::get_dto(&state.db, row.id).await?;
    Ok(HttpResponse::Created().json(CreatedApiKey { key, api_key }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FailedAuthQuery {
    /// Only attempts from this address.
    pub ip: Option<String>,
    /// `malformed`, `unknown_key`, `invalid_secret`, `revoked`, `expired` or `owner_suspended`.
    #[param(value_type = Option<domain::api_keys::FailedAuthReason>)]
    pub reason: Option<String>,
}

/// Refused API-key attempts, newest first: time, address, the key's public prefix when it could
/// be read (never the secret) and the reason.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(FailedAuthQuery, PageParams),
    responses(
        (status = 200, body = FailedAuthPage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/api-keys/failed-auth")]
#[tracing::instrument(skip_all)]
pub async fn list_failed_auth(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FailedAuthQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<FailedAuthPage>> {
    let ip = query.ip.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if ip.is_some_and(|ip| ip.chars().count() > 64 || ip.chars().any(char::is_control)) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "ip",
            "العنوان غير صالح.",
        ));
    }
    let reason = match query
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(r) => Some(FailedAuthReason::parse(r).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, "reason", "سبب غير معروف.")
        })?),
    };
    let filter = svc::FailedAuthFilter {
        ip: ip.map(str::to_owned),
        reason,
        cursor: page.cursor_id()?,
        limit: page.limit()?,
    };
    Ok(web::Json(svc::failed_auth(&state.db, &filter).await?))
}

/// One key.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 200, body = ApiKey), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/api-keys/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_api_key(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<ApiKey>> {
    Ok(web::Json(svc::get_dto(&state.db, path.into_inner()).await?))
}

/// Revoke a key: it stops working at once on every replica. Revoking a revoked key returns it
/// unchanged (idempotent). Audit-logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 200, body = ApiKey), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/api-keys/{id}")]
#[tracing::instrument(skip_all)]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<web::Json<ApiKey>> {
    let id = path.into_inner();
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    db::transaction(&state.db, |txn| async move {
        svc::revoke(&*txn, admin_id, ip, id).await
    })
    .await?;
    state.key_limits.forget(id);
    Ok(web::Json(svc::get_dto(&state.db, id).await?))
}

/// Rotate a key: a new key with the same name, owner, scopes, rate limit and expiry
/// (`rotated_from_id` = this one) is created and this one is revoked, in one transaction. The
/// new full key is shown only in this response. Audit-logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id")),
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the key is revoked or expired", body = ErrorBody),
    )
)]
#[post("/api-keys/{id}/rotate")]
#[tracing::instrument(skip_all)]
pub async fn rotate_api_key(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    let (row, key) = db::transaction(&state.db, |txn| async move {
        svc::rotate(&*txn, admin_id, ip, id).await
    })
    .await?;
    state.key_limits.forget(id);
    let api_key = svc::get_dto(&state.db, row.id).await?;
    Ok(HttpResponse::Created().json(CreatedApiKey { key, api_key }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// Period in days (1–90, default 7): per hour up to 2 days, per day beyond.
    #[param(minimum = 1, maximum = 90)]
    pub days: Option<u32>,
}

/// A key's calls and errors over time (every bucket of the period, empty ones as zeros) and its
/// latest 50 calls. Rows are written in batches about once a second.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id"), UsageQuery),
    responses(
        (status = 200, body = ApiKeyUsage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/api-keys/{id}/usage")]
#[tracing::instrument(skip_all)]
pub async fn api_key_usage(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    query: web::Query<UsageQuery>,
) -> ApiResult<web::Json<ApiKeyUsage>> {
    let days = query.days.unwrap_or(USAGE_DAYS_DEFAULT);
    if !(1..=USAGE_DAYS_MAX).contains(&days) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "days",
            format!("يجب أن تكون المدة بين 1 و{USAGE_DAYS_MAX} يومًا."),
        ));
    }
    Ok(web::Json(
        svc::usage(&state.db, path.into_inner(), days).await?,
    ))
}
