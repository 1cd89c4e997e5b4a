//! User administration: search, view, change role or status.

use actix_web::{get, patch, web};
use domain::admin::UserPage;
use domain::text::normalize_arabic;
use domain::users::{AdminUpdateUserRequest, User, UserStatus};
use domain::{ErrorBody, ErrorCode};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::entities::users;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::{split_page, PageParams};
use crate::services::{audit, sessions, users as user_svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Search in username, display name (Arabic-normalized) and email.
    pub q: Option<String>,
    /// `user` or `admin`.
    #[param(value_type = Option<domain::users::Role>)]
    pub role: Option<String>,
    /// `active` or `suspended`.
    #[param(value_type = Option<domain::users::UserStatus>)]
    pub status: Option<String>,
}

/// Search users, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(UserQuery, PageParams),
    responses((status = 200, body = UserPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/users")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<UserQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<UserPage>> {
    let limit = page.limit()?;
    let mut q = users::Entity::find();
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(users::Column::Id.lt(cursor));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > 100 {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "q",
                "نص البحث طويل جدًا.",
            ));
        }
        let needle = normalize_arabic(text);
        q = q.filter(
            Condition::any()
                .add(users::Column::SearchText.contains(needle.as_str()))
                .add(users::Column::Email.contains(text.to_lowercase().as_str())),
        );
    }
    if let Some(role) = query.role.as_deref() {
        if domain::users::Role::parse(role).is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "role",
                "الدور يجب أن يكون user أو admin.",
            ));
        }
        q = q.filter(users::Column::Role.eq(role));
    }
    if let Some(status) = query.status.as_deref() {
        if UserStatus::parse(status).is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون active أو suspended.",
            ));
        }
        q = q.filter(users::Column::Status.eq(status));
    }
    let rows = q
        .order_by_desc(users::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |u| u.id);
    Ok(web::Json(UserPage {
        items: rows.iter().map(user_svc::to_dto).collect(),
        next_cursor,
    }))
}

/// One user.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_one(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(user_svc::to_dto(
        &user_svc::get(&state.db, path.into_inner()).await?,
    )))
}

/// Change a user's role or status. Suspension and role changes end the user's sessions at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = AdminUpdateUserRequest,
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Admins cannot demote or suspend themselves", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<AdminUpdateUserRequest>,
) -> ApiResult<web::Json<User>> {
    let id = path.into_inner();
    let mut req = body.into_inner();
    req.note = domain::safety::RiskDecision { note: req.note }
        .checked_note(false)
        .map_err(ApiError::Validation)?;
    if req.role.is_none() && req.status.is_none() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "role",
            "حدّد الدور أو الحالة المطلوب تغييرها.",
        ));
    }
    if id == admin.id {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "لا يمكنك تغيير دورك أو حالتك بنفسك.",
        ));
    }
    let (req_ref, client_ref, admin_ref) = (&req, &client, &admin);
    let updated = db::transaction(&state.db, |txn| async move {
        let (req, client, admin, txn) = (req_ref, client_ref, admin_ref, &*txn);
        let current = user_svc::get(txn, id).await?;
        let mut update = users::Entity::update_many().filter(users::Column::Id.eq(id));
        let mut changed = false;
        if let Some(role) = req.role {
            if role.as_str() != current.role {
                update = update.col_expr(users::Column::Role, Expr::value(role.as_str()));
                audit::Entry::by_user(admin.id, "user.role_change")
                    .target("user", id)
                    .ip(&client.ip)
                    .details(json!({"from": current.role, "to": role.as_str(), "note": req.note}))
                    .write(txn)
                    .await?;
                changed = true;
            }
        }
        if let Some(status) = req.status {
            if status.as_str() != current.status {
                update = update.col_expr(users::Column::Status, Expr::value(status.as_str()));
                audit::Entry::by_user(admin.id, "user.status_change")
                    .target("user", id)
                    .ip(&client.ip)
                    .details(
                        json!({"from": current.status, "to": status.as_str(), "note": req.note}),
                    )
                    .write(txn)
                    .await?;
                changed = true;
            }
        }
        if changed {
            // Tokens carry the role, so any change re-issues them: bump the version, end sessions.
            update
                .col_expr(
                    users::Column::TokenVersion,
                    Expr::col(users::Column::TokenVersion).add(1),
                )
                .col_expr(
                    users::Column::UpdatedAt,
                    Expr::value(crate::services::now()),
                )
                .exec(txn)
                .await?;
            sessions::revoke_all(txn, id, None, "admin_change").await?;
        }
        user_svc::get(txn, id).await
    })
    .await?;
    Ok(web::Json(user_svc::to_dto(&updated)))
}
