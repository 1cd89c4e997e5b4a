//! /api/v1/leaderboard: points earned, all-time / this month / this week.

use std::time::Duration;

use actix_web::{get, web};
use domain::leaderboard::{Leaderboard, LeaderboardPeriod, Window, OFFSET_MAX};
use domain::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::extractors::OptionalAuthUser;
use crate::error::{ApiError, ApiResult};
use crate::services::leaderboard::{self as svc, LeaderboardCache};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// `all` (default), `month` or `week` (UTC; the week starts on the `week_start` setting).
    #[param(value_type = Option<domain::leaderboard::LeaderboardPeriod>)]
    pub period: Option<String>,
    /// Entries (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// Start at this position of the ranking (0, the default, is the top): the pages after the
    /// first. The answer's `offset` and `total` say where the page is.
    #[param(minimum = 0, maximum = 10000000)]
    pub offset: Option<u64>,
    /// `me`: the page centred on the caller (Bearer token needed); overrides `offset`.
    #[param(pattern = "^me$")]
    pub around: Option<String>,
}

/// The top earners (or a later page, or the page around the caller) and, with a Bearer token,
/// the caller's own rank even outside the page.
/// Equal points share a rank (1, 2, 2, 4).
#[utoipa::path(
    tag = "leaderboard",
    security((), ("bearer" = [])),
    params(LeaderboardQuery),
    responses((status = 200, body = Leaderboard), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn global_leaderboard(
    state: web::Data<AppState>,
    cache: web::Data<LeaderboardCache>,
    viewer: OptionalAuthUser,
    query: web::Query<LeaderboardQuery>,
) -> ApiResult<web::Json<Leaderboard>> {
    let period = match query.period.as_deref().filter(|p| !p.is_empty()) {
        None => LeaderboardPeriod::All,
        Some(p) => LeaderboardPeriod::parse(p).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "period",
                "الفترة يجب أن تكون all أو month أو week.",
            )
        })?,
    };
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "limit",
                "يجب أن يكون الحد بين 1 و200.",
            ))
        }
    };
    let window = match (
        query.around.as_deref().filter(|a| !a.is_empty()),
        query.offset,
    ) {
        (Some("me"), _) if viewer.id().is_none() => {
            return Err(ApiError::message(
                ErrorCode::Unauthorized,
                "سجّل الدخول لترى موقعك في الترتيب.",
            ))
        }
        (Some("me"), _) => Window::AroundMe,
        (Some(_), _) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "around",
                "القيمة الوحيدة المقبولة هي me.",
            ))
        }
        (None, Some(n)) if n > OFFSET_MAX => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "offset",
                "الموضع كبير جدًا.",
            ))
        }
        (None, n) => Window::From(n.unwrap_or(0)),
    };
    let ttl = Duration::from_millis(state.settings.leaderboard_cache_ms);
    let all_ttl = Duration::from_millis(state.settings.leaderboard_all_cache_ms);
    Ok(web::Json(
        svc::global(
            &state.db,
            &cache.into_inner(),
            ttl,
            all_ttl,
            period,
            limit,
            window,
            viewer.id(),
        )
        .await?,
    ))
}
