//! Public profiles: a participant's name, their place on the all-time board and their finished
//! competitions — only what the boards already publish. Suspended and deleted accounts have none
//! (404, the same answer as an unknown name).

use std::sync::Arc;
use std::time::Duration;

use domain::competitions::ParticipationStatus;
use domain::profiles::{ProfileResult, PublicProfile, RECENT_RESULTS};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::{competitions as comp, participations as part, users};
use crate::error::ApiError;
use crate::services::leaderboard::{self, LeaderboardCache};

pub async fn public_profile(
    db: &DatabaseConnection,
    cache: &Arc<LeaderboardCache>,
    all_ttl: Duration,
    username: &str,
) -> Result<PublicProfile, ApiError> {
    let user = users::Entity::find()
        .filter(users::Column::UsernameLower.eq(username.trim().to_lowercase()))
        .one(db)
        .await?
        .filter(|u| u.status == "active" && u.deleted_at.is_none())
        .ok_or_else(ApiError::not_found)?;
    let completed = || {
        part::Entity::find()
            .filter(part::Column::UserId.eq(user.id))
            .filter(part::Column::Status.eq(ParticipationStatus::Completed.as_str()))
    };
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let competitions_completed = count(completed().count(db).await?);
    let wins = count(
        completed()
            .filter(part::Column::Rank.eq(1))
            .count(db)
            .await?,
    );
    let podiums = count(
        completed()
            .filter(part::Column::Rank.lte(3))
            .count(db)
            .await?,
    );
    let recent = completed()
        .find_also_related(comp::Entity)
        .order_by_desc(comp::Column::EndsAt)
        .order_by_desc(part::Column::Id)
        .limit(RECENT_RESULTS)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, c)| {
            let c = c?;
            Some(ProfileResult {
                competition_id: c.id,
                title: c.title,
                rank: p.rank.map(i64::from),
                score: p.score,
                points_awarded: p.points_awarded,
                ended_at: c.ends_at,
            })
        })
        .collect();
    let rank = if user.lifetime_earned > 0 {
        leaderboard::all_time_rank(db, cache, all_ttl, user.id).await?
    } else {
        None
    };
    Ok(PublicProfile {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        member_since: user.created_at,
        points_earned: user.lifetime_earned,
        rank,
        competitions_completed,
        wins,
        podiums,
        recent,
    })
}
