//! Admin: manual awards and deductions, a user's ledger, and the ledger check.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::points::{
    AdjustRequest, AwardRequest, LedgerEntry, LedgerKind, LedgerPage, LedgerReport,
};
use domain::ErrorBody;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::routes::points::{parse_kind, KindQuery};
use crate::services::{audit, idempotency, ledger, ledger_verify, notify, users as user_svc};
use crate::state::AppState;

async fn adjust_balance(
    state: &AppState,
    admin: &AdminUser,
    client: &ClientInfo,
    req: &HttpRequest,
    user_id: i64,
    amount: i64,
    reason: &str,
) -> ApiResult<HttpResponse> {
    let key = idempotency::from_request(
        req,
        format!("user:{}", admin.id),
        &json!({"user_id": user_id, "amount": amount, "reason": reason}),
    )?;
    let target = user_svc::get(&state.db, user_id).await?;
    let reason = reason.trim().to_owned();
    let (key_ref, reason_ref, target_ref) = (&key, &reason, &target);
    idempotency::run(&state.db, key.clone(), StatusCode::CREATED, |txn| async move {
        let txn = &*txn;
        let row = ledger::apply(
            txn,
            ledger::Movement::new(user_id, amount, LedgerKind::AdminAdjustment)
                .reason(reason_ref.clone())
                .actor(admin.id)
                .idempotency_key(key_ref.as_ref().map(|k| k.key.clone())),
        )
        .await?;
        audit::Entry::by_user(admin.id, "points.adjust")
            .target("user", user_id)
            .ip(&client.ip)
            .details(json!({"amount": amount, "reason": reason_ref, "balance_after": row.balance_after, "ledger_id": row.id}))
            .write(txn)
            .await?;
        let (title, body) = if amount > 0 {
            ("أُضيفت إليك نقاط", format!("أضافت الإدارة {amount} كربتو إلى رصيدك: {reason_ref}"))
        } else {
            ("خُصمت من رصيدك نقاط", format!("خصمت الإدارة {} كربتو من رصيدك: {reason_ref}", -amount))
        };
        notify::user(txn, target_ref.id, "points_adjusted", title, &body, json!({"amount": amount, "reason": reason_ref})).await?;
        Ok(ledger::to_entry(&row, None))
    })
    .await
}

/// Award (positive) or deduct (negative) points, with a mandatory reason. Audit-logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AwardRequest,
    params(crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = LedgerEntry),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "A deduction larger than the balance", body = ErrorBody),
        (status = 422, body = ErrorBody),
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

/// Adjust one user's balance (same as award, with the user in the path).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AdjustRequest,
    params(("id" = i64, Path, description = "User id"), crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = LedgerEntry),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
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
