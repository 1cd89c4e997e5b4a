//! Trust and safety for admins (issue 12): held transfers, flags, the investigation view of an
//! account, lifting locks and blocks, and the counts behind the badge. Every decision is
//! audit-logged in its own transaction; the rules live in `services::{risk, held_transfers,
//! investigation}`.

use actix_web::{delete, get, post, web, HttpResponse};
use domain::safety::{
    HeldTransfer, HeldTransferPage, HeldTransferStatus, RiskDecision, RiskFlag, RiskFlagPage,
    RiskRule, SafetySummary, UnblockAddressRequest, UserRisk,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, OptionalJson};
use crate::routes::pagination::PageParams;
use crate::services::{
    audit, held_transfers as held_svc, investigation, risk, sessions, throttle, users,
};
use crate::state::AppState;

/// Unread alerts, open flags, held transfers and flagged redemptions (the header badge polls
/// this).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 200, body = SafetySummary), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/safety/summary")]
#[tracing::instrument(skip_all)]
pub async fn safety_summary(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<SafetySummary>> {
    Ok(web::Json(investigation::summary(&state.db).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HeldQuery {
    /// `held`, `released` or `rejected`.
    #[param(value_type = Option<domain::safety::HeldTransferStatus>)]
    pub status: Option<String>,
    /// Sent or to be received by this user.
    pub user_id: Option<i64>,
}

/// Transfers held for review, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(HeldQuery, PageParams),
    responses((status = 200, body = HeldTransferPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/held-transfers")]
#[tracing::instrument(skip_all)]
pub async fn list_held_transfers(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<HeldQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<HeldTransferPage>> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(HeldTransferStatus::parse(s).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, "status", "حالة غير معروفة.")
        })?),
    };
    let filter = held_svc::Filter {
        status,
        user_id: query.user_id,
    };
    let (items, next_cursor) =
        held_svc::list(&state.db, filter, page.cursor_id()?, page.limit()?).await?;
    Ok(web::Json(HeldTransferPage { items, next_cursor }))
}

async fn decide_held(
    state: &AppState,
    admin: &AdminUser,
    client: &ClientInfo,
    id: i64,
    release: bool,
    note: Option<String>,
) -> ApiResult<web::Json<HeldTransfer>> {
    let note_ref = &note;
    let row = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let row = held_svc::decide(txn, id, admin.id, release, note_ref.clone()).await?;
        audit::Entry::by_user(
            admin.id,
            if release {
                "held_transfer.release"
            } else {
                "held_transfer.reject"
            },
        )
        .target("held_transfer", id)
        .ip(&client.ip)
        .details(json!({
            "note": note_ref,
            "amount": row.amount,
            "sender_id": row.sender_id,
            "recipient_id": row.recipient_id,
        }))
        .write(txn)
        .await?;
        Ok(row)
    })
    .await?;
    let mut dtos = held_svc::to_dtos(&state.db, vec![row]).await?;
    dtos.pop().map(web::Json).ok_or_else(ApiError::not_found)
}

/// Release a held transfer: the recipient is credited (once).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Held transfer id")),
    request_body(content = Option<RiskDecision>, description = "Optional note (kept in the audit log)"),
    responses((status = 200, body = HeldTransfer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`invalid_transition`: already released or rejected", body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/held-transfers/{id}/release")]
#[tracing::instrument(skip_all)]
pub async fn release_held_transfer(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<RiskDecision>,
) -> ApiResult<web::Json<HeldTransfer>> {
    let note = body
        .into_inner()
        .checked_note(false)
        .map_err(ApiError::Validation)?;
    decide_held(&state, &admin, &client, path.into_inner(), true, note).await
}

/// Reject a held transfer: the sender is refunded (once). The note is required.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Held transfer id")),
    request_body = RiskDecision,
    responses((status = 200, body = HeldTransfer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`invalid_transition`: already released or rejected", body = ErrorBody), (status = 422, description = "The note is required", body = ErrorBody))
)]
#[post("/held-transfers/{id}/reject")]
#[tracing::instrument(skip_all)]
pub async fn reject_held_transfer(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<RiskDecision>,
) -> ApiResult<web::Json<HeldTransfer>> {
    let note = body
        .into_inner()
        .checked_note(true)
        .map_err(ApiError::Validation)?;
    decide_held(&state, &admin, &client, path.into_inner(), false, note).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlagQuery {
    /// Only open (`true`) or only cleared (`false`) flags.
    pub open: Option<bool>,
    pub user_id: Option<i64>,
}

/// Flags on accounts, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(FlagQuery, PageParams),
    responses((status = 200, body = RiskFlagPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/risk-flags")]
#[tracing::instrument(skip_all)]
pub async fn list_risk_flags(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FlagQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RiskFlagPage>> {
    let (items, next_cursor) = investigation::list_flags(
        &state.db,
        query.open,
        query.user_id,
        page.cursor_id()?,
        page.limit()?,
    )
    .await?;
    Ok(web::Json(RiskFlagPage { items, next_cursor }))
}

/// Clear a flag (the note, why, is required): the account's operations are no longer held for it.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Flag id")),
    request_body = RiskDecision,
    responses((status = 200, body = RiskFlag), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`invalid_transition`: already cleared", body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/risk-flags/{id}/clear")]
#[tracing::instrument(skip_all)]
pub async fn clear_risk_flag(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<RiskDecision>,
) -> ApiResult<web::Json<RiskFlag>> {
    let note = body
        .into_inner()
        .checked_note(true)
        .map_err(ApiError::Validation)?
        .unwrap_or_default();
    let id = path.into_inner();
    let (note_ref, admin_ref, client_ref) = (&note, &admin, &client);
    let row = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let row = investigation::clear_flag(txn, id, admin_ref.id, note_ref.clone()).await?;
        audit::Entry::by_user(admin_ref.id, "risk_flag.clear")
            .target("user", row.user_id)
            .ip(&client_ref.ip)
            .details(json!({"flag_id": id, "rule": row.rule, "note": note_ref}))
            .write(txn)
            .await?;
        Ok(row)
    })
    .await?;
    let mut dtos = investigation::flag_dtos(&state.db, vec![row]).await?;
    dtos.pop().map(web::Json).ok_or_else(ApiError::not_found)
}

/// Flag an account by hand (the note, why, is required).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = RiskDecision,
    responses((status = 201, body = RiskFlag), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/users/{id}/flags")]
#[tracing::instrument(skip_all)]
pub async fn flag_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<RiskDecision>,
) -> ApiResult<HttpResponse> {
    let note = body
        .into_inner()
        .checked_note(true)
        .map_err(ApiError::Validation)?
        .unwrap_or_default();
    let id = path.into_inner();
    let (note_ref, admin_ref, client_ref) = (&note, &admin, &client);
    let row = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        users::get(txn, id).await?;
        let row = risk::flag(
            txn,
            id,
            RiskRule::Manual,
            note_ref.clone(),
            json!({"by": admin_ref.account.username}),
        )
        .await?;
        audit::Entry::by_user(admin_ref.id, "risk_flag.create")
            .target("user", id)
            .ip(&client_ref.ip)
            .details(json!({"flag_id": row.id, "note": note_ref}))
            .write(txn)
            .await?;
        Ok(row)
    })
    .await?;
    let mut dtos = investigation::flag_dtos(&state.db, vec![row]).await?;
    let dto = dtos.pop().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(dto))
}

/// Everything an investigator needs about one account.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserRisk), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/users/{id}/risk")]
#[tracing::instrument(skip_all)]
pub async fn user_risk(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<UserRisk>> {
    Ok(web::Json(
        investigation::user_risk(&state.db, &state.settings.rate_limits, path.into_inner()).await?,
    ))
}

/// Lift the sign-in locks on an account (its recorded failures are cleared).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body(content = Option<RiskDecision>, description = "Optional note (kept in the audit log)"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/users/{id}/unlock")]
#[tracing::instrument(skip_all)]
pub async fn unlock_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<RiskDecision>,
) -> ApiResult<HttpResponse> {
    let note = body
        .into_inner()
        .checked_note(false)
        .map_err(ApiError::Validation)?;
    let id = path.into_inner();
    let (note_ref, admin_ref, client_ref) = (&note, &admin, &client);
    db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        users::get(txn, id).await?;
        let cleared = throttle::unlock_account(txn, id).await?;
        audit::Entry::by_user(admin_ref.id, "user.unlock")
            .target("user", id)
            .ip(&client_ref.ip)
            .details(json!({"failures_cleared": cleared, "note": note_ref}))
            .write(txn)
            .await?;
        risk::resolve_alerts(txn, "user", id, admin_ref.id).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End one of the user's sessions (its refresh tokens and access tokens stop at once).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "User id"),
        ("session_id" = String, Path, description = "Session id (refresh-token family)"),
    ),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/users/{id}/sessions/{session_id}")]
#[tracing::instrument(skip_all)]
pub async fn end_user_session(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<(i64, String)>,
) -> ApiResult<HttpResponse> {
    let (id, session_id) = path.into_inner();
    let (session_ref, admin_ref, client_ref) = (&session_id, &admin, &client);
    db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        sessions::end_one(txn, id, session_ref, "admin").await?;
        audit::Entry::by_user(admin_ref.id, "user.session_end")
            .target("user", id)
            .ip(&client_ref.ip)
            .details(json!({"session": session_ref}))
            .write(txn)
            .await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lift the sign-in lock and the API-key block on an address.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = UnblockAddressRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/blocked-addresses/unblock")]
#[tracing::instrument(skip_all)]
pub async fn unblock_address(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<UnblockAddressRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let ip = body.ip.trim().to_owned();
    if ip.parse::<std::net::IpAddr>().is_err() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "ip",
            "اكتب عنوان IP صحيحًا.",
        ));
    }
    let note = RiskDecision { note: body.note }
        .checked_note(false)
        .map_err(ApiError::Validation)?;
    let (ip_ref, note_ref, admin_ref, client_ref) = (&ip, &note, &admin, &client);
    db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let (logins, keys) = investigation::unblock_address(txn, ip_ref).await?;
        audit::Entry::by_user(admin_ref.id, "address.unblock")
            .target("address", ip_ref)
            .ip(&client_ref.ip)
            .details(json!({"login_failures_cleared": logins, "api_key_failures_cleared": keys, "note": note_ref}))
            .write(txn)
            .await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
