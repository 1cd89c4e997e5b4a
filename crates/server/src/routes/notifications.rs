//! /api/v1/notifications: the user's bell.

use actix_web::{get, post, web, HttpResponse};
use domain::notifications::{Notification, NotificationPage};
use domain::ErrorBody;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::entities::notifications as notes;
use crate::error::{ApiError, ApiResult};
use crate::routes::pagination::{split_page, PageParams};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnreadQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
}

#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(UnreadQuery, PageParams),
    responses((status = 200, body = NotificationPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<UnreadQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<NotificationPage>> {
    let limit = page.limit()?;
    let mut q = notes::Entity::find().filter(notes::Column::UserId.eq(user.id));
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
        .filter(notes::Column::UserId.eq(user.id))
        .filter(notes::Column::ReadAt.is_null())
        .count(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            payload: r.payload,
            read_at: r.read_at,
            created_at: r.created_at,
        })
        .collect();
    Ok(web::Json(NotificationPage {
        items,
        next_cursor,
        unread,
    }))
}

/// Mark one notification read.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/{id}/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let res = notes::Entity::update_many()
        .col_expr(notes::Column::ReadAt, Expr::value(crate::services::now()))
        .filter(notes::Column::Id.eq(id))
        .filter(notes::Column::UserId.eq(user.id))
        .filter(notes::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    if res.rows_affected == 0
        && notes::Entity::find_by_id(id)
            .filter(notes::Column::UserId.eq(user.id))
            .one(&state.db)
            .await?
            .is_none()
    {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Mark every notification read.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorBody)))]
#[post("/read-all")]
#[tracing::instrument(skip_all)]
pub async fn mark_all_read(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    notes::Entity::update_many()
        .col_expr(notes::Column::ReadAt, Expr::value(crate::services::now()))
        .filter(notes::Column::UserId.eq(user.id))
        .filter(notes::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
