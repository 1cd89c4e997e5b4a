//! Admin: the redemption queue — approve, reject (refund), fulfil, in bulk too.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::rewards::{
    BulkAction, BulkDecisionRequest, BulkDecisionResponse, BulkItemResult, DecisionRequest,
    Redemption, RedemptionPage,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, OptionalJson};
use crate::routes::pagination::PageParams;
use crate::routes::redemptions::{parse_status, StatusQuery};
use crate::services::redemptions::{self as svc, Decision};
use crate::services::{idempotency, users as user_svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminRedemptionQuery {
    /// `pending`, `approved`, `fulfilled`, `rejected` or `cancelled`.
    #[param(value_type = Option<domain::rewards::RedemptionStatus>)]
    pub status: Option<String>,
    pub reward_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Only redemptions a fraud rule flagged (`risk_reason` set).
    pub flagged: Option<bool>,
    /// `newest` (default) or `oldest` (work the queue first-come, first-served).
    #[param(pattern = "^(newest|oldest)?$")]
    pub sort: Option<String>,
}

/// The redemption queue, filterable by status, reward and user.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AdminRedemptionQuery, PageParams),
    responses((status = 200, body = RedemptionPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/redemptions")]
#[tracing::instrument(skip_all)]
pub async fn list_redemptions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AdminRedemptionQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RedemptionPage>> {
    let oldest_first = match query.sort.as_deref() {
        None | Some("") | Some("newest") => false,
        Some("oldest") => true,
        Some(_) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "sort",
                "الترتيب يجب أن يكون newest أو oldest.",
            ))
        }
    };
    let filter = svc::Filter {
        status: parse_status(query.status.as_deref())?,
        reward_id: query.reward_id,
        user_id: query.user_id,
        flagged: query.flagged == Some(true),
        oldest_first,
    };
    Ok(web::Json(
        svc::list(&state.db, &filter, page.cursor_id()?, page.limit()?, true).await?,
    ))
}

/// One decision in one transaction; with an `Idempotency-Key` a retry replays the first answer
/// instead of failing with 409.
async fn decide_one(
    state: &AppState,
    admin: &AdminUser,
    client: &ClientInfo,
    req: &HttpRequest,
    id: i64,
    decision: Decision,
    note: Option<&str>,
) -> ApiResult<HttpResponse> {
    let key = idempotency::from_request(
        req,
        format!("user:{}", admin.id),
        &json!({"redemption_id": id, "decision": format!("{decision:?}"), "note": note}),
    )?;
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    idempotency::run(&state.db, key, StatusCode::OK, |txn| async move {
        svc::decide(&*txn, admin_id, ip, id, decision, note, false).await
    })
    .await
}

/// Approve a pending redemption (the note is optional). The user is notified.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Redemption id"), crate::services::idempotency::IdempotencyHeader),
    request_body(content = Option<DecisionRequest>, description = "Optional note shown to the user"),
    responses(
        (status = 200, body = Redemption),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not pending", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/redemptions/{id}/approve")]
#[tracing::instrument(skip_all)]
pub async fn approve_redemption(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
    body: OptionalJson<DecisionRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate(false).map_err(ApiError::Validation)?;
    let id = path.into_inner();
    decide_one(
        &state,
        &admin,
        &client,
        &req,
        id,
        Decision::Approve,
        body.note.as_deref(),
    )
    .await
}

/// Reject a pending redemption with a reason: the points are refunded and the item returns to
/// stock, exactly once even when two admins act at the same moment.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Redemption id"), crate::services::idempotency::IdempotencyHeader),
    request_body = DecisionRequest,
    responses(
        (status = 200, body = Redemption),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not pending", body = ErrorBody),
        (status = 422, description = "The note (reason) is required", body = ErrorBody),
    )
)]
#[post("/redemptions/{id}/reject")]
#[tracing::instrument(skip_all)]
pub async fn reject_redemption(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
    body: Json<DecisionRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate(true).map_err(ApiError::Validation)?;
    let id = path.into_inner();
    decide_one(
        &state,
        &admin,
        &client,
        &req,
        id,
        Decision::Reject,
        body.note.as_deref(),
    )
    .await
}

/// Mark an approved redemption as delivered.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Redemption id"), crate::services::idempotency::IdempotencyHeader),
    request_body(content = Option<DecisionRequest>, description = "Optional note (e.g. a voucher code or tracking number)"),
    responses(
        (status = 200, body = Redemption),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not approved", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/redemptions/{id}/fulfill")]
#[tracing::instrument(skip_all)]
pub async fn fulfill_redemption(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
    body: OptionalJson<DecisionRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate(false).map_err(ApiError::Validation)?;
    let id = path.into_inner();
    decide_one(
        &state,
        &admin,
        &client,
        &req,
        id,
        Decision::Fulfill,
        body.note.as_deref(),
    )
    .await
}

/// Approve or reject several pending redemptions. Each one is decided in its own transaction,
/// so one that was already decided does not block the rest; the answer lists every outcome.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = BulkDecisionRequest,
    responses(
        (status = 200, body = BulkDecisionResponse),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "No ids, too many, duplicates, or a rejection without a note", body = ErrorBody),
    )
)]
#[post("/redemptions/bulk")]
#[tracing::instrument(skip_all)]
pub async fn bulk_decide_redemptions(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<BulkDecisionRequest>,
) -> ApiResult<web::Json<BulkDecisionResponse>> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let decision = match body.action {
        BulkAction::Approve => Decision::Approve,
        BulkAction::Reject => Decision::Reject,
    };
    let (admin_id, ip, note) = (admin.id, client.ip.as_str(), body.note.as_deref());
    let mut results = Vec::with_capacity(body.ids.len());
    for &id in &body.ids {
        let outcome = db::transaction(&state.db, |txn| async move {
            svc::decide(&*txn, admin_id, ip, id, decision, note, true).await
        })
        .await;
        results.push(match outcome {
            Ok(r) => BulkItemResult {
                id,
                ok: true,
                status: Some(r.status),
                error_code: None,
                error_message: None,
            },
            Err(err) => {
                if err.code().http_status() >= 500 {
                    tracing::error!(error = ?err, id, "bulk redemption decision failed");
                }
                let body = err.body();
                BulkItemResult {
                    id,
                    ok: false,
                    status: None,
                    error_code: Some(body.error.code),
                    error_message: Some(body.error.message),
                }
            }
        });
    }
    let succeeded = results.iter().filter(|r| r.ok).count();
    Ok(web::Json(BulkDecisionResponse {
        succeeded,
        failed: results.len() - succeeded,
        results,
    }))
}

/// One user's redemptions (user administration).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id"), StatusQuery, PageParams),
    responses((status = 200, body = RedemptionPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/users/{id}/redemptions")]
#[tracing::instrument(skip_all)]
pub async fn user_redemptions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    query: web::Query<StatusQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RedemptionPage>> {
    let owner = user_svc::get(&state.db, path.into_inner()).await?;
    let filter = svc::Filter {
        status: parse_status(query.status.as_deref())?,
        user_id: Some(owner.id),
        ..Default::default()
    };
    Ok(web::Json(
        svc::list(&state.db, &filter, page.cursor_id()?, page.limit()?, true).await?,
    ))
}
