//! The audit log, newest first.

use std::collections::HashMap;

use actix_web::{get, web};
use domain::admin::{AuditEntry, AuditPage};
use domain::ErrorBody;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::AdminUser;
use crate::entities::{audit_log, users};
use crate::error::ApiResult;
use crate::routes::pagination::{split_page, PageParams};
use crate::services::api_key_admin;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Exact action, e.g. `user.role_change`.
    pub action: Option<String>,
    /// Only entries by this user.
    pub actor_id: Option<i64>,
    /// Only entries about this target type (with `target_id`).
    pub target_type: Option<String>,
    pub target_id: Option<String>,
}

#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AuditQuery, PageParams),
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/audit-log")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AuditQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<AuditPage>> {
    let limit = page.limit()?;
    let mut q = audit_log::Entity::find();
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(audit_log::Column::Id.lt(cursor));
    }
    if let Some(action) = &query.action {
        q = q.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(actor) = query.actor_id {
        q = q.filter(audit_log::Column::ActorUserId.eq(actor));
    }
    if let Some(t) = &query.target_type {
        q = q.filter(audit_log::Column::TargetType.eq(t.as_str()));
    }
    if let Some(t) = &query.target_id {
        q = q.filter(audit_log::Column::TargetId.eq(t.as_str()));
    }
    let rows = q
        .order_by_desc(audit_log::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    let actor_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| r.actor_user_id.into_iter().chain(r.actor_key_creator_id))
        .collect();
    let key_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_api_key_id).collect();
    let prefixes = api_key_admin::prefixes(&state.db, key_ids).await?;
    let names: HashMap<i64, String> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(actor_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.username))
            .collect()
    };
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            actor_username: r.actor_user_id.and_then(|id| names.get(&id).cloned()),
            actor_user_id: r.actor_user_id,
            actor_api_key_id: r.actor_api_key_id,
            actor_api_key_prefix: r.actor_api_key_id.and_then(|id| prefixes.get(&id).cloned()),
            actor_key_creator_id: r.actor_key_creator_id,
            actor_key_creator_username: r
                .actor_key_creator_id
                .and_then(|id| names.get(&id).cloned()),
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            ip: r.ip,
            details: r.details,
            created_at: r.created_at,
        })
        .collect();
    Ok(web::Json(AuditPage { items, next_cursor }))
}
