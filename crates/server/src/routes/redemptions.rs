//! /api/v1/redemptions: the caller's redemption requests and cancelling a pending one.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::rewards::{Redemption, RedemptionPage, RedemptionStatus};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::routes::pagination::PageParams;
use crate::services::{idempotency, redemptions as svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// `pending`, `approved`, `fulfilled`, `rejected` or `cancelled`.
    #[param(value_type = Option<domain::rewards::RedemptionStatus>)]
    pub status: Option<String>,
}

pub fn parse_status(status: Option<&str>) -> Result<Option<RedemptionStatus>, ApiError> {
    match status.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => RedemptionStatus::parse(s).map(Some).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون pending أو approved أو fulfilled أو rejected أو cancelled.",
            )
        }),
    }
}

/// The caller's redemptions, newest first, each with its status timeline.
#[utoipa::path(
    tag = "rewards",
    security(("bearer" = [])),
    params(StatusQuery, PageParams),
    responses((status = 200, body = RedemptionPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn my_redemptions(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StatusQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RedemptionPage>> {
    let filter = svc::Filter {
        status: parse_status(query.status.as_deref())?,
        user_id: Some(user.id),
        ..Default::default()
    };
    Ok(web::Json(
        svc::list(&state.db, &filter, page.cursor_id()?, page.limit()?, false).await?,
    ))
}

/// Cancel one of your pending redemptions: the points come back and the item returns to stock.
#[utoipa::path(
    tag = "rewards",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Redemption id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    responses(
        (status = 200, body = Redemption),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such redemption of yours", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: no longer pending", body = ErrorBody),
        (status = 422, description = "A reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/{id}/cancel")]
#[tracing::instrument(skip_all)]
pub async fn cancel_redemption(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let key = idempotency::from_request(
        &req,
        format!("user:{}", user.id),
        &json!({"redemption_id": id}),
    )?;
    let (user_id, ip) = (user.id, client.ip.as_str());
    idempotency::run(&state.db, key, StatusCode::OK, |txn| async move {
        svc::cancel(&*txn, user_id, ip, id).await
    })
    .await
}
