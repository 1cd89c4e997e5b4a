//! GET /api/v1/users/{username}: a participant's public profile.

use std::time::Duration;

use actix_web::{get, web};
use domain::profiles::PublicProfile;
use domain::ErrorBody;

use crate::error::ApiResult;
use crate::services::leaderboard::LeaderboardCache;
use crate::services::profiles;
use crate::state::AppState;

/// A participant's public profile: name, member since, points earned and all-time place, and
/// their finished competitions. No sign-in needed; 404 for unknown, suspended or deleted names.
#[utoipa::path(
    tag = "leaderboard",
    security((), ("bearer" = [])),
    params(("username" = String, Path, description = "The username (any letter case)", max_length = 30)),
    responses(
        (status = 200, body = PublicProfile),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[get("/{username}")]
#[tracing::instrument(skip_all)]
pub async fn public_profile(
    state: web::Data<AppState>,
    cache: web::Data<LeaderboardCache>,
    path: web::Path<String>,
) -> ApiResult<web::Json<PublicProfile>> {
    let all_ttl = Duration::from_millis(state.settings.leaderboard_all_cache_ms);
    Ok(web::Json(
        profiles::public_profile(&state.db, &cache.into_inner(), all_ttl, &path.into_inner())
            .await?,
    ))
}
