//! Entries of judged competitions: the participant's own (`/competitions/{id}/entry`) and the
//! judges' view (`/admin/competitions/{id}/entries`). Rules in `services::entries`.

use actix_web::{get, put, web};
use domain::entries::{AdminEntryList, Entry, EntryRequest};
use domain::ErrorBody;
use serde::Deserialize;

use crate::auth::{AdminUser, AuthUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::competitions as svc;
use crate::services::entries;
use crate::state::AppState;

/// Send or replace your entry in a judged competition (a text and an optional link), until it
/// ends.
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    request_body = EntryRequest,
    responses(
        (status = 200, body = Entry),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`not_participant`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`competition_not_running`: it has ended", body = ErrorBody),
        (status = 422, description = "Invalid fields, or not a judged competition", body = ErrorBody),
    )
)]
#[put("/{id}/entry")]
#[tracing::instrument(skip_all)]
pub async fn put_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<EntryRequest>,
) -> ApiResult<web::Json<Entry>> {
    body.validate().map_err(ApiError::Validation)?;
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, false)?;
    Ok(web::Json(
        entries::put(&state.db, &m, user.id, &body).await?,
    ))
}

/// Your entry in a judged competition (`null` until you send one).
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, description = "The entry, or null until one is sent", body = Option<Entry>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`not_participant`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Not a judged competition", body = ErrorBody),
    )
)]
#[get("/{id}/entry")]
#[tracing::instrument(skip_all)]
pub async fn get_entry(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Option<Entry>>> {
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, false)?;
    Ok(web::Json(entries::mine(&state.db, &m, user.id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// Leave the participants' names out (judge the work only).
    pub anonymous: Option<bool>,
}

/// Every entry of a judged competition, side by side for the judges.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id"), EntriesQuery),
    responses(
        (status = 200, body = AdminEntryList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Not a judged competition", body = ErrorBody),
    )
)]
#[get("/competitions/{id}/entries")]
#[tracing::instrument(skip_all)]
pub async fn list_entries(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    query: web::Query<EntriesQuery>,
) -> ApiResult<web::Json<AdminEntryList>> {
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    Ok(web::Json(
        entries::for_judges(&state.db, &m, query.anonymous == Some(true)).await?,
    ))
}
