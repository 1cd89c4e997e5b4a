//! "مسابقاتي": the competitions a participant joined, with their score, rank and points won.
//! The list is the public competition list narrowed to the caller's active participations, so
//! the status filters mean the same on both.

use domain::competitions::ParticipationStatus;
use domain::my_competitions::MyCompetition;
use sea_orm::DatabaseConnection;

use crate::error::ApiError;
use crate::services::competitions::{self as comps, ListFilter, ListStatus};

/// A page of the user's competitions (newest first), each with their participation.
pub async fn list(
    db: &DatabaseConnection,
    user_id: i64,
    status: Option<ListStatus>,
    cursor: Option<i64>,
    limit: u64,
) -> Result<(Vec<MyCompetition>, Option<String>), ApiError> {
    let filter = ListFilter {
        status,
        kind: None,
        q: None,
        include_drafts: false,
        participant: Some(user_id),
        cursor,
        limit,
    };
    let (rows, next) = comps::list(db, filter).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mine = comps::my_participations(db, user_id, &ids).await?;
    let dtos = comps::page_dtos(db, &rows, Some(user_id)).await?;
    let items = dtos
        .into_iter()
        .filter_map(|competition| {
            let p = mine.get(&competition.id)?;
            Some(MyCompetition {
                status: ParticipationStatus::parse(&p.status)?,
                score: p.score,
                rank: p.rank.map(i64::from),
                points_awarded: p.points_awarded,
                fee_paid: p.fee_paid,
                joined_at: p.joined_at,
                submitted_at: p.submitted_at,
                competition,
            })
        })
        .collect();
    Ok((items, next))
}
