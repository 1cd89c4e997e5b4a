//! The audit log, newest first.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use domain::admin::{AuditEntry, AuditPage};
use domain::{ErrorBody, FieldErrors};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::AdminUser;
use crate::entities::{audit_log, users};
use crate::error::{ApiError, ApiResult};
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
    /// Only entries by the user with this username (none when there is no such user).
    pub actor: Option<String>,
    /// Only entries at or after this moment: RFC 3339 (`2026-12-07T08:00:00Z`) or a date
    /// (`2026-12-07`, from the start of that day, UTC).
    pub from: Option<String>,
    /// Only entries before this moment: RFC 3339, or a date (up to the end of that day, UTC).
    pub to: Option<String>,
}

/// A date range, either end open.
type Range = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `from`/`to` as instants; a bad value or `from` after `to` is 422 naming the field.
fn date_range(query: &AuditQuery) -> ApiResult<Range> {
    let mut fields = FieldErrors::new();
    let mut parse = |name: &str, value: Option<&str>, end_of_day: bool| {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        let parsed = DateTime::parse_from_rfc3339(value)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
                let day = if end_of_day { day.succ_opt()? } else { day };
                Some(day.and_hms_opt(0, 0, 0)?.and_utc())
            });
        if parsed.is_none() {
            fields.insert(
                name.to_owned(),
                "تاريخ غير صالح: استخدم الصيغة 2026-12-07 أو 2026-12-07T08:00:00Z.".to_owned(),
            );
        }
        parsed
    };
    let from = parse("from", query.from.as_deref(), false);
    let to = parse("to", query.to.as_deref(), true);
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            fields.insert(
                "to".to_owned(),
                "يجب أن تكون نهاية الفترة بعد بدايتها.".to_owned(),
            );
        }
    }
    if fields.is_empty() {
        Ok((from, to))
    } else {
        Err(ApiError::Validation(fields))
    }
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
    let (from, to) = date_range(&query)?;
    let mut q = audit_log::Entity::find();
    if let Some(from) = from {
        q = q.filter(audit_log::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(audit_log::Column::CreatedAt.lt(to));
    }
    if let Some(name) = query
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let id = crate::services::users::find_by_login(&state.db, name.trim_start_matches('@'))
            .await?
            .map(|u| u.id);
        // No such user: nothing matches (an impossible id keeps the one query shape).
        q = q.filter(audit_log::Column::ActorUserId.eq(id.unwrap_or(-1)));
    }
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
