//! Admin: the rewards catalogue (create, list, view, edit, retire).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::rewards::{clean_optional, Reward, RewardPage, RewardRequest, UpdateRewardRequest};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::routes::rewards::query_text;
use crate::services::rewards as svc;
use crate::state::AppState;

/// Create a reward. `stock: null` = unlimited, `per_user_limit: null` = no limit.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = RewardRequest,
    responses(
        (status = 201, body = Reward),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Invalid fields, each named with an Arabic message", body = ErrorBody),
    )
)]
#[post("/rewards")]
#[tracing::instrument(skip_all)]
pub async fn create_reward(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<RewardRequest>,
) -> ApiResult<HttpResponse> {
    let form = body.into_inner().normalized();
    form.validate().map_err(ApiError::Validation)?;
    let (form_ref, admin_id, ip) = (&form, admin.id, client.ip.as_str());
    let created = db::transaction(&state.db, |txn| async move {
        let m = svc::create(&*txn, admin_id, ip, form_ref).await?;
        Ok(svc::to_dto(&m, svc::Counts::default()))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminRewardQuery {
    /// Search (Arabic-normalized) in names, category and description.
    pub q: Option<String>,
    pub category: Option<String>,
    /// `active`, `inactive` or `retired`.
    #[param(pattern = "^(active|inactive|retired)$")]
    pub state: Option<String>,
}

/// Every reward (retired ones included), newest first, with stock and queue counts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AdminRewardQuery, PageParams),
    responses((status = 200, body = RewardPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/rewards")]
#[tracing::instrument(skip_all)]
pub async fn list_rewards(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AdminRewardQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RewardPage>> {
    let filter = svc::AdminFilter {
        q: query_text("q", query.q.as_deref(), 100)?,
        category: query_text("category", query.category.as_deref(), 100)?,
        state: clean_optional(query.state.as_deref()),
    };
    Ok(web::Json(
        svc::admin_list(&state.db, &filter, page.cursor_id()?, page.limit()?).await?,
    ))
}

/// One reward.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reward id")),
    responses((status = 200, body = Reward), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/rewards/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_reward(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Reward>> {
    Ok(web::Json(svc::get_dto(&state.db, path.into_inner()).await?))
}

/// Edit a reward: only the fields sent change (`null` clears a nullable one). Retired rewards
/// cannot be edited.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reward id")),
    request_body = UpdateRewardRequest,
    responses(
        (status = 200, body = Reward),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the reward is retired", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/rewards/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_reward(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<UpdateRewardRequest>,
) -> ApiResult<web::Json<Reward>> {
    let id = path.into_inner();
    let patch_body = body.into_inner();
    if patch_body.is_empty() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "body",
            "لم تُرسل أي حقول لتعديلها.",
        ));
    }
    let (patch_ref, admin_id, ip) = (&patch_body, admin.id, client.ip.as_str());
    let updated = db::transaction(&state.db, |txn| async move {
        svc::update(&*txn, admin_id, ip, id, patch_ref).await?;
        svc::get_dto(&*txn, id).await
    })
    .await?;
    Ok(web::Json(updated))
}

/// Retire a reward: it leaves the catalogue and can no longer be redeemed, but its history and
/// pending redemptions stay. Retiring twice changes nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reward id")),
    responses((status = 200, body = Reward), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/rewards/{id}")]
#[tracing::instrument(skip_all)]
pub async fn retire_reward(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Reward>> {
    let id = path.into_inner();
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    let retired = db::transaction(&state.db, |txn| async move {
        svc::retire(&*txn, admin_id, ip, id).await?;
        svc::get_dto(&*txn, id).await
    })
    .await?;
    Ok(web::Json(retired))
}
