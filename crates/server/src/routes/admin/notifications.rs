//! The admin inbox: security and fraud signals raised by the platform.

use actix_web::{get, post, web, HttpResponse};
use domain::admin::{AdminNotification, AdminNotificationPage};
use domain::ErrorBody;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::AdminUser;
use crate::entities::admin_notifications as notes;
use crate::error::{ApiError, ApiResult};
use crate::routes::pagination::{split_page, PageParams};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
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
    if query.unread == Some(true) {
        q = q.filter(notes::Column::ReadAt.is_null());
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
    let items = rows
        .into_iter()
        .map(|r| AdminNotification {
            id: r.id,
            kind: r.kind,
            severity: r.severity,
            title: r.title,
            body: r.body,
            payload: r.payload,
            read_at: r.read_at,
            created_at: r.created_at,
        })
        .collect();
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
