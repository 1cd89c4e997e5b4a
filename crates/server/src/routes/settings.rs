//! /api/v1/settings/public: the settings the SPA needs before anyone signs in.

use actix_web::{get, web};
use domain::settings::PublicSettings;
use domain::ErrorBody;

use crate::error::ApiResult;
use crate::services::system_settings;
use crate::state::AppState;

/// Registration open, default digit style, week start and the admin contact. No sign-in needed.
#[utoipa::path(
    tag = "settings",
    responses((status = 200, body = PublicSettings), (status = 503, body = ErrorBody))
)]
#[get("/public")]
#[tracing::instrument(skip_all)]
pub async fn public_settings(state: web::Data<AppState>) -> ApiResult<web::Json<PublicSettings>> {
    Ok(web::Json(system_settings::public(&state.db).await?))
}
