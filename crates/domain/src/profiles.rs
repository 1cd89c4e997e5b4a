//! A participant's public profile (GET /api/v1/users/{username}): what the leaderboards and the
//! competition boards already show of them, gathered on one page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many recent results a profile lists.
pub const RECENT_RESULTS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicProfile {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub member_since: DateTime<Utc>,
    /// Points earned by competing, all time (what the all-time board counts).
    pub points_earned: i64,
    /// Place on the all-time board; `null` with no points earned.
    pub rank: Option<i64>,
    /// Competitions finished with a result.
    pub competitions_completed: i64,
    /// First places.
    pub wins: i64,
    /// Places 1 to 3.
    pub podiums: i64,
    /// The latest finished competitions, newest first.
    pub recent: Vec<ProfileResult>,
}

/// One finished competition on a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileResult {
    pub competition_id: i64,
    pub title: String,
    pub rank: Option<i64>,
    pub score: Option<i64>,
    pub points_awarded: i64,
    pub ended_at: DateTime<Utc>,
}
