//! Admin: the Friend Challenge review queue.

use std::collections::HashMap;

use actix_web::{get, post, web};
use domain::referrals::{
    reason_label_ar, AdminReferral, AdminReferralPage, ReferralDecision, ReferralStatus,
};
use domain::{ErrorBody, ErrorCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::entities::{referrals, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::OptionalJson;
use crate::routes::pagination::{split_page, PageParams};
use crate::services::{audit, referrals as referral_svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// pending | qualified | rewarded | rejected | flagged
    #[param(value_type = Option<domain::referrals::ReferralStatus>)]
    pub status: Option<String>,
}

async fn to_dtos(state: &AppState, rows: Vec<referrals::Model>) -> ApiResult<Vec<AdminReferral>> {
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.referrer_id, r.referee_id])
        .collect();
    let names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Pending);
            let reasons: Vec<String> =
                serde_json::from_value(r.reasons.clone()).unwrap_or_default();
            AdminReferral {
                id: r.id,
                referrer_username: names.get(&r.referrer_id).cloned().unwrap_or_default(),
                referee_username: names.get(&r.referee_id).cloned().unwrap_or_default(),
                referrer_id: r.referrer_id,
                referee_id: r.referee_id,
                status,
                status_label: status.label_ar().to_owned(),
                reason_labels: reasons
                    .iter()
                    .map(|x| reason_label_ar(x).to_owned())
                    .collect(),
                reasons,
                ip: r.ip,
                referrer_bonus: r.referrer_bonus,
                referee_bonus: r.referee_bonus,
                created_at: r.created_at,
                qualified_at: r.qualified_at,
                decided_at: r.decided_at,
            }
        })
        .collect())
}

/// The referral queue, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ReferralQuery, PageParams),
    responses((status = 200, body = AdminReferralPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/referrals")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<ReferralQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<AdminReferralPage>> {
    let limit = page.limit()?;
    let mut q = referrals::Entity::find();
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        if ReferralStatus::parse(status).is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "حالة الدعوة غير معروفة.",
            ));
        }
        q = q.filter(referrals::Column::Status.eq(status));
    }
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(referrals::Column::Id.lt(cursor));
    }
    let rows = q
        .order_by_desc(referrals::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    Ok(web::Json(AdminReferralPage {
        items: to_dtos(&state, rows).await?,
        next_cursor,
    }))
}

async fn decide(
    state: &AppState,
    admin: &AdminUser,
    client: &ClientInfo,
    id: i64,
    approving: bool,
    note: Option<String>,
) -> ApiResult<web::Json<AdminReferral>> {
    let note_ref = &note;
    let row = crate::db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let row = if approving { referral_svc::approve(txn, id, admin.id).await? } else { referral_svc::reject(txn, id, admin.id).await? };
        audit::Entry::by_user(admin.id, if approving { "referral.approve" } else { "referral.reject" })
            .target("referral", id)
            .ip(&client.ip)
            .details(json!({"note": note_ref, "referrer_bonus": row.referrer_bonus, "referee_bonus": row.referee_bonus}))
            .write(txn)
            .await?;
        Ok(row)
    })
    .await?;
    let mut dtos = to_dtos(state, vec![row]).await?;
    dtos.pop().map(web::Json).ok_or_else(ApiError::not_found)
}

/// Approve: credits both bonuses once (also for flagged referrals after review).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Referral id")),
    request_body(content = ReferralDecision, description = "Optional note"),
    responses((status = 200, body = AdminReferral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Already rewarded or rejected", body = ErrorBody))
)]
#[post("/referrals/{id}/approve")]
#[tracing::instrument(skip_all)]
pub async fn approve(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<ReferralDecision>,
) -> ApiResult<web::Json<AdminReferral>> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    decide(&state, &admin, &client, path.into_inner(), true, body.note).await
}

/// Reject: no bonus is paid.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Referral id")),
    request_body(content = ReferralDecision, description = "Optional note"),
    responses((status = 200, body = AdminReferral), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/referrals/{id}/reject")]
#[tracing::instrument(skip_all)]
pub async fn reject(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<ReferralDecision>,
) -> ApiResult<web::Json<AdminReferral>> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    decide(&state, &admin, &client, path.into_inner(), false, body.note).await
}
