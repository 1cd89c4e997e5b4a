//! Admin: integrator API keys (list, create, view, edit, revoke, rotate, usage) and the refused
//! key attempts. Only people manage keys: every route here refuses API keys (`auth::scopes`). A
//! key always acts as the admin who creates it.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::api_keys::{
    ApiKey, ApiKeyPage, ApiKeyStatus, ApiKeyUsage, CreateApiKeyRequest, CreatedApiKey,
    FailedAuthPage, FailedAuthReason, UpdateApiKeyRequest, USAGE_DAYS_DEFAULT, USAGE_DAYS_MAX,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AdminUser, ClientInfo, SteppedUpAdmin};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::api_key_admin as svc;
use crate::services::api_key_reports as reports;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiKeyQuery {
    /// `active`, `revoked` or `expired`.
    #[param(value_type = Option<domain::api_keys::ApiKeyStatus>)]
    pub status: Option<String>,
    /// Only keys of this admin (a key's owner is the admin who created it).
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

/// Create a key acting as you (there is no way to create one for someone else). `personal`
/// keys carry participant scopes only; `service` keys carry admin scopes (`admin:…`) too, and
/// with `admin:points:write` need both award ceilings. The response is the only time the full
/// `key` is shown; only its hash is stored. Audit-logged (without the secret).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin, or an API key; `step_up_required`: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named: unknown or renamed scope, admin scopes on a personal key, a service key without admin scopes, missing or inconsistent award ceilings, rate limit out of 1–10000, expiry not in the future, any `owner_id`", body = ErrorBody),
    )
)]
#[post("/api-keys")]
#[tracing::instrument(skip_all)]
pub async fn create_api_key(
    state: web::Data<AppState>,
    admin: SteppedUpAdmin,
    client: ClientInfo,
    body: Json<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let req = body
        .into_inner()
        .validate(crate::services::now())
        .map_err(ApiError::Validation)?;
    let (req_ref, admin_id, ip) = (&req, admin.id, client.ip.as_str());
    let (row, key) = db::transaction(&state.db, |txn| async move {
        svc::create(&*txn, admin_id, ip, req_ref).await
    })
    .await?;
    let api_key = svc::get_dto(&state.db, row.id).await?;
    Ok(HttpResponse::Created().json(CreatedApiKey { key, api_key }))
}

/// Edit a live key: its name, its per-minute limit and (keys with `admin:points:write`) its
/// award ceilings. Kind, scopes and owner never change: create a new key for that. Audit-logged
/// with the values before and after.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id")),
    request_body = UpdateApiKeyRequest,
    responses(
        (status = 200, body = ApiKey),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin, or an API key", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the key is revoked or expired", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (ceilings on a key without `admin:points:write`, a daily ceiling below the per-call one, nothing to change)", body = ErrorBody),
    )
)]
#[patch("/api-keys/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_api_key(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<UpdateApiKeyRequest>,
) -> ApiResult<web::Json<ApiKey>> {
    let id = path.into_inner();
    let (req, admin_id, ip) = (&*body, admin.id, client.ip.as_str());
    // A new per-minute limit takes effect at the key's next call (its limiter is rebuilt when
    // the limit differs).
    db::transaction(&state.db, |txn| async move {
        svc::update(&*txn, admin_id, ip, id, req).await
    })
    .await?;
    Ok(web::Json(svc::get_dto(&state.db, id).await?))
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
    let filter = reports::FailedAuthFilter {
        ip: ip.map(str::to_owned),
        reason,
        cursor: page.cursor_id()?,
        limit: page.limit()?,
    };
    Ok(web::Json(reports::failed_auth(&state.db, &filter).await?))
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
    Ok(web::Json(svc::get_dto(&state.db, id).await?))
}

/// Rotate a key: a new key with the same name, kind, scopes, rate limit, ceilings (and today's
/// award count) and expiry (`rotated_from_id` = this one) is created and this one is revoked, in
/// one transaction. Like every new key it acts as the admin who makes it (you). The new full key
/// is shown only in this response. Audit-logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "API key id")),
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required`: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the key is revoked or expired", body = ErrorBody),
    )
)]
#[post("/api-keys/{id}/rotate")]
#[tracing::instrument(skip_all)]
pub async fn rotate_api_key(
    state: web::Data<AppState>,
    admin: SteppedUpAdmin,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    let (row, key) = db::transaction(&state.db, |txn| async move {
        svc::rotate(&*txn, admin_id, ip, id).await
    })
    .await?;
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
        reports::usage(&state.db, path.into_inner(), days).await?,
    ))
}
