//! The home page's feed, read from the public answers (`/competitions`, `/leaderboard`,
//! `/points/transactions`) in brief: only the fields the cards show are decoded, so the home
//! page's WASM does not carry the decoders of the whole objects (the budget in
//! tests/e2e/app.test.js). No endpoint of its own: the feed is what the rest of the API says.

use chrono::{DateTime, Utc};
use domain::competitions::CompetitionStatus;
use serde::Deserialize;

use super::{get, get_public, ApiError};

#[derive(Debug, Clone, Deserialize)]
pub struct FeedCompetition {
    pub id: i64,
    pub title: String,
    pub status: CompetitionStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub registration_open: bool,
    pub participants_count: i64,
    #[serde(default)]
    pub joined: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
struct CompetitionList {
    items: Vec<FeedCompetition>,
}

/// Published competitions in `status` (`running` or `upcoming`), newest first.
pub async fn competitions(status: &str, limit: u32) -> Result<Vec<FeedCompetition>, ApiError> {
    get_public::<CompetitionList>(&format!("/competitions?status={status}&limit={limit}"))
        .await
        .map(|l| l.items)
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeedEarner {
    pub rank: i64,
    pub username: String,
    pub display_name: String,
    pub points: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct FeedRank {
    pub rank: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeedBoard {
    pub entries: Vec<FeedEarner>,
    /// The caller's own place (signed in and ranked in the period).
    pub me: Option<FeedRank>,
    #[serde(default)]
    pub total: i64,
}

/// The top `limit` of the period (`week`, `month` or `all`) and, signed in, the caller's place.
pub async fn board(period: &str, limit: u32) -> Result<FeedBoard, ApiError> {
    get_public(&format!("/leaderboard?period={period}&limit={limit}")).await
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeedActivity {
    pub id: i64,
    pub amount: i64,
    pub kind_label: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
struct ActivityList {
    items: Vec<FeedActivity>,
}

/// The caller's latest ledger movements.
pub async fn activity(limit: u32) -> Result<Vec<FeedActivity>, ApiError> {
    get::<ActivityList>(&format!("/points/transactions?limit={limit}"))
        .await
        .map(|l| l.items)
}
