//! /api/v1/packages: the point packages on sale.

use actix_web::{get, web};
use domain::packages::PackageList;
use domain::ErrorBody;

use crate::error::ApiResult;
use crate::services::packages as svc;
use crate::state::AppState;

/// Active point packages in display order. Public: the price list needs no sign-in.
#[utoipa::path(
    tag = "purchases",
    responses((status = 200, body = PackageList), (status = 503, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_packages(state: web::Data<AppState>) -> ApiResult<web::Json<PackageList>> {
    Ok(web::Json(PackageList {
        items: svc::list(&state.db, true).await?,
    }))
}
