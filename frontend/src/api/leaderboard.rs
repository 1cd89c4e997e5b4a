//! /api/v1/leaderboard

use domain::leaderboard::{Leaderboard, LeaderboardPeriod};

use super::{get_public, ApiError};

/// The top earners of the period and, when signed in, the caller's own rank.
pub async fn global(period: LeaderboardPeriod, limit: u32) -> Result<Leaderboard, ApiError> {
    get_public(&format!(
        "/leaderboard?period={}&limit={limit}",
        period.as_str()
    ))
    .await
}
