//! /api/v1/purchases: requesting a package (paid outside the platform) and the caller's history.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::packages::{
    MyPurchasePage, Purchase, PurchaseCreated, PurchaseRequest, PurchaseStatus,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::{idempotency, purchases as svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseStatusQuery {
    /// `requested`, `paid` or `cancelled`.
    #[param(value_type = Option<domain::packages::PurchaseStatus>)]
    pub status: Option<String>,
}

pub fn parse_status(status: Option<&str>) -> Result<Option<PurchaseStatus>, ApiError> {
    match status.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => PurchaseStatus::parse(s).map(Some).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون requested أو paid أو cancelled.",
            )
        }),
    }
}

/// Request a package. The answer carries the reference to quote with the payment and how to
/// pay; the points are credited when an admin records the payment. A user may have
/// `purchase_open_limit` requests waiting for payment (default 3) and send
/// `purchase_daily_limit` requests per 24 hours (default 10).
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    request_body = PurchaseRequest,
    params(crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = PurchaseCreated),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Account suspended", body = ErrorBody),
        (status = 409, description = "`limit_reached`: as many requests wait for payment as `purchase_open_limit` allows", body = ErrorBody),
        (status = 422, description = "Unknown or inactive package, or a reused Idempotency-Key", body = ErrorBody),
        (status = 429, description = "`rate_limited`: `purchase_daily_limit` requests in the last 24 hours; see Retry-After", body = ErrorBody),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn request_purchase(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: Json<PurchaseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let key = idempotency::from_request(&req, format!("user:{}", user.id), &body)?;
    let (user_ref, package_id) = (&user, body.package_id);
    idempotency::run(&state.db, key, StatusCode::CREATED, |txn| async move {
        svc::request(&*txn, user_ref.id, &user_ref.username, package_id).await
    })
    .await
}

/// Withdraw one of your requests still waiting for payment (nothing was credited, so nothing
/// is undone). Repeating it with the same Idempotency-Key answers the same.
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Purchase id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    responses(
        (status = 200, body = Purchase),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such purchase of yours", body = ErrorBody),
        (status = 409, description = "`invalid_transition`: already paid or cancelled", body = ErrorBody),
        (status = 422, description = "A reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/{id}/cancel")]
#[tracing::instrument(skip_all)]
pub async fn cancel_purchase(
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
        &serde_json::json!({"purchase_id": id}),
    )?;
    let (user_id, ip) = (user.id, client.ip.as_str());
    idempotency::run(&state.db, key, StatusCode::OK, |txn| async move {
        svc::cancel_own(&*txn, user_id, ip, id).await
    })
    .await
}

/// The caller's purchases, newest first, with the payment instructions for requested ones.
#[utoipa::path(
    tag = "purchases",
    security(("bearer" = [])),
    params(PurchaseStatusQuery, PageParams),
    responses((status = 200, body = MyPurchasePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn my_purchases(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PurchaseStatusQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<MyPurchasePage>> {
    let filter = svc::Filter {
        status: parse_status(query.status.as_deref())?,
        user_id: Some(user.id),
        ..Default::default()
    };
    let found = svc::list(&state.db, &filter, page.cursor_id()?, page.limit()?, false).await?;
    let (payment_instructions, admin_contact) = svc::instructions(&state.db).await?;
    Ok(web::Json(MyPurchasePage {
        items: found.items,
        next_cursor: found.next_cursor,
        payment_instructions,
        admin_contact,
    }))
}
