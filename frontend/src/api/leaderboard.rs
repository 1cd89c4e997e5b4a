//! /api/v1/leaderboard

use domain::leaderboard::{Leaderboard, LeaderboardPeriod, Window};
use domain::profiles::PublicProfile;

use super::{enc, get_public, ApiError};

/// A page of the period's earners (from a position, or around the caller) and, when signed in,
/// the caller's own rank.
pub async fn global(
    period: LeaderboardPeriod,
    limit: u32,
    window: Window,
) -> Result<Leaderboard, ApiError> {
    let at = match window {
        Window::From(0) => String::new(),
        Window::From(n) => format!("&offset={n}"),
        Window::AroundMe => "&around=me".to_owned(),
    };
    get_public(&format!(
        "/leaderboard?period={}&limit={limit}{at}",
        period.as_str()
    ))
    .await
}

/// A participant's public profile.
pub async fn profile(username: &str) -> Result<PublicProfile, ApiError> {
    get_public(&format!("/users/{}", enc(username))).await
}
