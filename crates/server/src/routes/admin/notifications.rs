//! The admin inbox: security and fraud signals raised by the platform.

use actix_web::{get, post, web, HttpResponse};
use domain::admin::AdminNotificationPage;
use domain::{ErrorBody, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::AdminUser;
use crate::entities::admin_notifications as notes;
use crate::error::{ApiError, ApiResult};
use crate::routes::pagination::{split_page, PageParams};
use crate::services::alerts;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread ones (`true`) or only read ones (`false`).
    pub unread: Option<bool>,
    /// Only this kind (`transfer_held`, `account_farm`, `login_throttled_ip`, …).
    #[param(max_length = 64)]
    pub kind: Option<String>,
}

#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(NotificationQuery, PageParams),
    responses((status = 200, body = AdminNotificationPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/notifications")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<NotificationQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<AdminNotificationPage>> {
    let limit = page.limit()?;
    let mut q = notes::Entity::find();
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(notes::Column::Id.lt(cursor));
    }
    match query.unread {
        Some(true) => q = q.filter(notes::Column::ReadAt.is_null()),
        Some(false) => q = q.filter(notes::Column::ReadAt.is_not_null()),
        None => {}
    }
    if let Some(kind) = query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        if !alerts::KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "kind",
                "نوع التنبيه غير معروف.",
            ));
        }
        q = q.filter(notes::Column::Kind.eq(kind));
    }
    let rows = q
        .order_by_desc(notes::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    let unread = notes::Entity::find()
        .filter(notes::Column::ReadAt.is_null())
        .count(&state.db)
        .await?;
    let items = alerts::to_dtos(&state.db, rows).await?;
    Ok(web::Json(AdminNotificationPage {
        items,
        next_cursor,
        unread,
    }))
}

/// Mark one notification read.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/notifications/{id}/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_read(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    if notes::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    notes::Entity::update_many()
        .col_expr(notes::Column::ReadAt, Expr::value(crate::services::now()))
        .col_expr(notes::Column::ReadBy, Expr::value(admin.id))
        .filter(notes::Column::Id.eq(id))
        .filter(notes::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark every unread notification read.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[post("/notifications/read-all")]
#[tracing::instrument(skip_all)]
pub async fn mark_all_read(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> ApiResult<HttpResponse> {
    notes::Entity::update_many()
        .col_expr(notes::Column::ReadAt, Expr::value(crate::services::now()))
        .col_expr(notes::Column::ReadBy, Expr::value(admin.id))
        .filter(notes::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
