//! What joining, withdrawing, results, finalization and the competition's board answer.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionResult {
    pub competition_id: i64,
    pub score: i64,
    /// The score with every answer correct.
    pub max_score: i64,
    pub correct_count: i64,
    pub answered_count: i64,
    pub question_count: i64,
    pub submitted_at: DateTime<Utc>,
}

/// The caller's participation after joining.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinResult {
    pub competition_id: i64,
    pub status: ParticipationStatus,
    pub fee_paid: i64,
    /// The caller's balance after paying the fee.
    pub points_balance: i64,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawResult {
    pub competition_id: i64,
    pub status: ParticipationStatus,
    pub refunded: i64,
    pub points_balance: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    pub user_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub score: i64,
}

/// PUT /admin/competitions/{id}/results: scores of a judged competition (listed users only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResultsRequest {
    /// One entry per user.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10_000))]
    pub results: Vec<ResultInput>,
}

impl ResultsRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.results.is_empty() {
            v.add("results", "أدخل نتيجة واحدة على الأقل.");
        } else if self.results.len() > RESULTS_MAX {
            v.add("results", "عدد النتائج أكبر من المسموح.");
        }
        let ids: BTreeSet<i64> = self.results.iter().map(|r| r.user_id).collect();
        if ids.len() != self.results.len() {
            v.add("results", "لكل مشارك نتيجة واحدة فقط.");
        }
        if self
            .results
            .iter()
            .any(|r| !(0..=SCORE_MAX).contains(&r.score))
        {
            v.add("results", "الدرجة يجب أن تكون صفرًا أو أكثر.");
        }
        v.finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsResponse {
    pub competition_id: i64,
    pub updated: i64,
}

/// What finalizing did.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinalizeReport {
    pub competition_id: i64,
    pub status: CompetitionStatus,
    /// Participants with a score (each got a rank).
    pub ranked: i64,
    /// Participants notified (everyone who had not withdrawn).
    pub participants: i64,
    pub prize_points: i64,
    pub participation_points: i64,
    pub finalized_at: DateTime<Utc>,
}

/// A participant, for admins.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub status: ParticipationStatus,
    pub score: Option<i64>,
    pub rank: Option<i64>,
    pub fee_paid: i64,
    pub points_awarded: i64,
    pub joined_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantPage {
    pub items: Vec<Participant>,
    pub next_cursor: Option<String>,
}

/// One line of a competition's board: score desc, then earliest submission, then user id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetitionRank {
    pub rank: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub score: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Points credited at finalization (0 before).
    pub points_awarded: i64,
}

/// The caller's own line, even outside the top N.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCompetitionRank {
    /// Null until the caller has a score.
    pub rank: Option<i64>,
    pub score: Option<i64>,
    pub status: ParticipationStatus,
    pub points_awarded: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetitionLeaderboard {
    pub competition_id: i64,
    pub status: CompetitionStatus,
    /// Participants with a score.
    pub ranked: i64,
    pub entries: Vec<CompetitionRank>,
    /// Null for anonymous callers and non-participants.
    pub me: Option<MyCompetitionRank>,
}
