//! Admin: the dashboard's numbers.

use actix_web::{get, web};
use domain::admin::AdminStats;
use domain::ErrorBody;

use crate::auth::AdminUser;
use crate::error::ApiResult;
use crate::services::stats;
use crate::state::AppState;

/// Users, activity, competitions by status, the queues (pending redemptions, requested
/// purchases), points in circulation, points minted/burned by kind over 30 days and daily
/// sign-ups.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 200, body = AdminStats), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/stats")]
#[tracing::instrument(skip_all)]
pub async fn get_stats(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<AdminStats>> {
    Ok(web::Json(stats::collect(&state.db).await?))
}
