//! "مسابقاتي": the competitions a participant has joined, with how they did in each
//! (GET /api/v1/me/competitions).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::competitions::{Competition, ParticipationStatus};

/// One competition the caller joined, and their part in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCompetition {
    pub competition: Competition,
    pub status: ParticipationStatus,
    /// The score once answers were submitted (quiz) or judged; `null` before.
    pub score: Option<i64>,
    /// The final rank once the results are approved; `null` before.
    pub rank: Option<i64>,
    /// Points credited at finalization (prize and participation points; 0 before).
    pub points_awarded: i64,
    /// The entry fee paid to join (0 for free competitions).
    pub fee_paid: i64,
    pub joined_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCompetitionPage {
    pub items: Vec<MyCompetition>,
    pub next_cursor: Option<String>,
}
