//! Admin: purchases — the requests queue, recording payments (credits once) and cancelling.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::packages::{
    CancelPurchaseRequest, MarkPaidRequest, Purchase, PurchasePage, PurchasePaid,
    RecordPurchaseRequest,
};
use domain::rewards::clean_optional;
use domain::ErrorBody;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo, SteppedUpAdmin};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, OptionalJson};
use crate::routes::pagination::PageParams;
use crate::routes::purchases::{parse_status, PurchaseStatusQuery};
use crate::routes::rewards::query_text;
use crate::services::{idempotency, purchases as svc, users as user_svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminPurchaseQuery {
    /// `requested`, `paid` or `cancelled`.
    #[param(value_type = Option<domain::packages::PurchaseStatus>)]
    pub status: Option<String>,
    pub user_id: Option<i64>,
    /// The purchase reference the buyer quoted (e.g. `MQ-7F3K2A`, any case).
    pub reference: Option<String>,
}

/// Purchases, newest first, filterable by status, user and reference.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AdminPurchaseQuery, PageParams),
    responses((status = 200, body = PurchasePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/purchases")]
#[tracing::instrument(skip_all)]
pub async fn list_purchases(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AdminPurchaseQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<PurchasePage>> {
    let reference = query_text("reference", query.reference.as_deref(), 64)?;
    let filter = svc::Filter {
        status: parse_status(query.status.as_deref())?,
        user_id: query.user_id,
        reference,
    };
    Ok(web::Json(
        svc::list(&state.db, &filter, page.cursor_id()?, page.limit()?, true).await?,
    ))
}

/// Record a payment received directly (a package or a custom amount): created as paid and
/// credited at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = RecordPurchaseRequest,
    params(crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = PurchasePaid),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Invalid fields, unknown user or package, or a reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/purchases")]
#[tracing::instrument(skip_all)]
pub async fn record_purchase(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    body: Json<RecordPurchaseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let key = idempotency::from_request(&req, format!("user:{}", admin.id), &body)?;
    let (body_ref, key_ref, admin_id, ip) = (&body, &key, admin.id, client.ip.as_str());
    idempotency::run(
        &state.db,
        key.clone(),
        StatusCode::CREATED,
        |txn| async move {
            svc::record(
                &*txn,
                admin_id,
                ip,
                body_ref,
                key_ref.as_ref().map(|k| k.key.clone()),
            )
            .await
        },
    )
    .await
}

/// Confirm the payment of a requested purchase: the points (plus bonus) are credited exactly
/// once — a second confirmation answers 409 and credits nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Purchase id"), crate::services::idempotency::IdempotencyHeader),
    request_body = MarkPaidRequest,
    responses(
        (status = 200, body = PurchasePaid),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required`: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: already paid or cancelled", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/purchases/{id}/mark-paid")]
#[tracing::instrument(skip_all)]
pub async fn mark_purchase_paid(
    state: web::Data<AppState>,
    admin: SteppedUpAdmin,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
    body: Json<MarkPaidRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let key = idempotency::from_request(
        &req,
        format!("user:{}", admin.id),
        &json!({"purchase_id": id, "payment_reference": body.payment_reference}),
    )?;
    let (reference, key_ref, admin_id, ip) = (
        body.payment_reference.as_str(),
        &key,
        admin.id,
        client.ip.as_str(),
    );
    idempotency::run(&state.db, key.clone(), StatusCode::OK, |txn| async move {
        svc::mark_paid(
            &*txn,
            admin_id,
            ip,
            id,
            reference,
            key_ref.as_ref().map(|k| k.key.clone()),
        )
        .await
    })
    .await
}

/// Cancel a requested purchase (optional note shown to the user).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Purchase id")),
    request_body(content = Option<CancelPurchaseRequest>, description = "Optional note"),
    responses(
        (status = 200, body = Purchase),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: already paid or cancelled", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/purchases/{id}/cancel")]
#[tracing::instrument(skip_all)]
pub async fn cancel_purchase(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<CancelPurchaseRequest>,
) -> ApiResult<web::Json<Purchase>> {
    let id = path.into_inner();
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let note = clean_optional(body.note.as_deref());
    let (note_ref, admin_id, ip) = (&note, admin.id, client.ip.as_str());
    let done = db::transaction(&state.db, |txn| async move {
        svc::cancel(&*txn, admin_id, ip, id, note_ref.clone()).await
    })
    .await?;
    Ok(web::Json(done))
}

/// One user's purchases (user administration).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id"), PurchaseStatusQuery, PageParams),
    responses((status = 200, body = PurchasePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/users/{id}/purchases")]
#[tracing::instrument(skip_all)]
pub async fn user_purchases(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    query: web::Query<PurchaseStatusQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<PurchasePage>> {
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
