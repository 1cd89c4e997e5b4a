//! Admin: manual awards and deductions, a user's ledger, and the ledger check.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::points::{AdjustRequest, AwardRequest, LedgerEntry, LedgerPage, LedgerReport};
use domain::ErrorBody;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::routes::points::{parse_kind, KindQuery};
use crate::services::{awards, idempotency, ledger, ledger_verify, users as user_svc};
use crate::state::AppState;

/// The idempotency scope and body of an award, then the service.
async fn adjust_balance(
    state: &AppState,
    admin: &AdminUser,
    client: &ClientInfo,
    req: &HttpRequest,
    user_id: i64,
    amount: i64,
    reason: &str,
) -> ApiResult<HttpResponse> {
    crate::services::totp::require_step_up_for_points(&state.db, admin, amount).await?;
    let key = idempotency::from_request(
        req,
        format!("user:{}", admin.id),
        &json!({"user_id": user_id, "amount": amount, "reason": reason}),
    )?;
    let adj = awards::Adjustment {
        user_id,
        amount,
        reason,
    };
    awards::adjust(&state.db, admin, &client.ip, key, adj).await
}

/// Award (positive) or deduct (negative) points, with a mandatory reason. Audit-logged. Through
/// an API key (`admin:points:write`, service keys only) the absolute amount is held to the key's
/// per-call and per-day ceilings: 422 `api_key_ceiling_exceeded` over either, changing nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AwardRequest,
    params(crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = LedgerEntry),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required` above the `step_up_points_threshold` setting: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "A deduction larger than the balance", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `api_key_ceiling_exceeded`: over the acting key's per-call or per-day award ceiling (or it has none set)", body = ErrorBody),
    )
)]
#[post("/points/award")]
#[tracing::instrument(skip_all)]
pub async fn award(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    body: Json<AwardRequest>,
) -> ApiResult<HttpResponse> {
    body.validate().map_err(ApiError::Validation)?;
    adjust_balance(
        &state,
        &admin,
        &client,
        &req,
        body.user_id,
        body.amount,
        &body.reason,
    )
    .await
}

/// Adjust one user's balance (same as award, with the user in the path; the same key ceilings).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AdjustRequest,
    params(("id" = i64, Path, description = "User id"), crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = LedgerEntry),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required` above the `step_up_points_threshold` setting: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/users/{id}/adjust")]
#[tracing::instrument(skip_all)]
pub async fn adjust(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
    body: Json<AdjustRequest>,
) -> ApiResult<HttpResponse> {
    body.validate().map_err(ApiError::Validation)?;
    adjust_balance(
        &state,
        &admin,
        &client,
        &req,
        path.into_inner(),
        body.amount,
        &body.reason,
    )
    .await
}

/// One user's ledger.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id"), KindQuery, PageParams),
    responses((status = 200, body = LedgerPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/users/{id}/transactions")]
#[tracing::instrument(skip_all)]
pub async fn user_transactions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    kind: web::Query<KindQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<LedgerPage>> {
    let user = user_svc::get(&state.db, path.into_inner()).await?;
    let kind = parse_kind(kind.kind.as_deref())?;
    let (items, next_cursor) =
        ledger::page(&state.db, user.id, page.cursor_id()?, page.limit()?, kind).await?;
    Ok(web::Json(LedgerPage { items, next_cursor }))
}

/// Check every ledger invariant now.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 200, body = LedgerReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/ledger/verify")]
#[tracing::instrument(skip_all)]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<LedgerReport>> {
    Ok(web::Json(ledger_verify::verify(&state.db).await?))
}
