//! Global leaderboards by points EARNED (prizes, participation, referral bonuses, positive admin
//! awards), never by balance: spending does not drop anyone down.
//!
//! - all-time reads `users.lifetime_earned` through `idx_users_leaderboard`
//!   (`lifetime_earned DESC, id ASC`): one indexed query for the page, one for the caller.
//! - month/week sum the positive earning rows of the ledger since the period start (UTC; the
//!   week starts on the `week_start` setting). That aggregate is the expensive part, so one
//!   ranking per period is kept in memory for `Settings::leaderboard_cache_ms` (2 s by default)
//!   and serves both the page and the caller's rank. It is a per-replica, read-only copy that
//!   is at most that stale; nothing is ever decided from it.
//!
//! Equal points share a rank (1, 2, 2, 4); the order within a rank is by user id. Suspended
//! accounts are left out; users with no points are not listed, but a caller with none still
//! gets a rank (one below everyone who has points).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use domain::leaderboard::{
    competition_ranks, Leaderboard, LeaderboardEntry, LeaderboardMe, LeaderboardPeriod, WeekStart,
};
use domain::points::LedgerKind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use crate::entities::users;
use crate::error::ApiError;
use crate::services::system_settings;

/// One period's full ranking, shared by concurrent requests.
#[derive(Debug)]
struct Ranking {
    since: DateTime<Utc>,
    /// (user id, points), best first.
    rows: Vec<(i64, i64)>,
    ranks: Vec<i64>,
    position: HashMap<i64, usize>,
    /// Names of the top `MAX_LIMIT` users.
    names: HashMap<i64, (String, String)>,
}

/// The in-process cache of period rankings (see the module notes).
#[derive(Debug, Default)]
pub struct LeaderboardCache {
    entries: Mutex<HashMap<LeaderboardPeriod, (Instant, Arc<Ranking>)>>,
}

impl LeaderboardCache {
    fn get(&self, period: LeaderboardPeriod, ttl: Duration) -> Option<Arc<Ranking>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(&period)
            .filter(|(at, _)| at.elapsed() < ttl)
            .map(|(_, ranking)| Arc::clone(ranking))
    }

    fn put(&self, period: LeaderboardPeriod, ranking: Arc<Ranking>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.insert(period, (Instant::now(), ranking));
    }
}

pub async fn global(
    db: &DatabaseConnection,
    cache: &LeaderboardCache,
    ttl: Duration,
    period: LeaderboardPeriod,
    limit: u64,
    viewer: Option<i64>,
) -> Result<Leaderboard, ApiError> {
    if period == LeaderboardPeriod::All {
        return all_time(db, limit, viewer).await;
    }
    let ranking = match cache.get(period, ttl) {
        Some(r) => r,
        None => {
            let week_start = system_settings::get_string(db, system_settings::WEEK_START).await?;
            let week_start = WeekStart::parse(&week_start).unwrap_or_default();
            let since = period
                .start(crate::services::now(), week_start)
                .ok_or_else(|| {
                    ApiError::Unexpected(anyhow::anyhow!("no start for period {period:?}"))
                })?;
            let ranking = Arc::new(compute(db, since).await?);
            if !ttl.is_zero() {
                cache.put(period, Arc::clone(&ranking));
            }
            ranking
        }
    };
    let entries = ranking
        .rows
        .iter()
        .zip(&ranking.ranks)
        .take(limit as usize)
        .map(|(&(user_id, points), &rank)| {
            let (username, display_name) = ranking.names.get(&user_id).cloned().unwrap_or_default();
            LeaderboardEntry {
                rank,
                user_id,
                username,
                display_name,
                points,
            }
        })
        .collect();
    let me = viewer.map(|uid| match ranking.position.get(&uid) {
        Some(&i) => LeaderboardMe {
            rank: ranking.ranks[i],
            points: ranking.rows[i].1,
        },
        None => LeaderboardMe {
            rank: ranking.rows.len() as i64 + 1,
            points: 0,
        },
    });
    Ok(Leaderboard {
        period,
        since: Some(ranking.since),
        entries,
        me,
    })
}

async fn all_time(
    db: &DatabaseConnection,
    limit: u64,
    viewer: Option<i64>,
) -> Result<Leaderboard, ApiError> {
    let rows: Vec<(i64, String, String, i64)> = users::Entity::find()
        .select_only()
        .columns([
            users::Column::Id,
            users::Column::Username,
            users::Column::DisplayName,
            users::Column::LifetimeEarned,
        ])
        .filter(users::Column::LifetimeEarned.gt(0))
        .filter(users::Column::Status.eq("active"))
        .order_by_desc(users::Column::LifetimeEarned)
        .order_by_asc(users::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let ranks = competition_ranks(rows.iter().map(|r| r.3));
    let entries = rows
        .into_iter()
        .zip(ranks)
        .map(
            |((user_id, username, display_name, points), rank)| LeaderboardEntry {
                rank,
                user_id,
                username,
                display_name,
                points,
            },
        )
        .collect();
    let me = match viewer {
        None => None,
        Some(uid) => {
            let row: Option<(i64, i64)> = users::Entity::find()
                .select_only()
                .column(users::Column::LifetimeEarned)
                .column_as(
                    Expr::cust(
                        "(SELECT COUNT(*) FROM users o WHERE o.status = 'active' \
                         AND o.lifetime_earned > users.lifetime_earned)",
                    ),
                    "ahead",
                )
                .filter(users::Column::Id.eq(uid))
                .into_tuple()
                .one(db)
                .await?;
            row.map(|(points, ahead)| LeaderboardMe {
                rank: ahead + 1,
                points,
            })
        }
    };
    Ok(Leaderboard {
        period: LeaderboardPeriod::All,
        since: None,
        entries,
        me,
    })
}

#[derive(Debug, FromQueryResult)]
struct Earned {
    user_id: i64,
    points: i64,
}

async fn compute(db: &DatabaseConnection, since: DateTime<Utc>) -> Result<Ranking, ApiError> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    // The kind list is compiled in (no user input), so it is written into the SQL directly.
    let kinds = LedgerKind::ALL
        .into_iter()
        .filter(|k| k.is_earning())
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT t.user_id AS user_id, CAST(SUM(t.amount) AS BIGINT) AS points \
         FROM points_transactions t INNER JOIN users u ON u.id = t.user_id \
         WHERE t.created_at >= {placeholder} AND t.amount > 0 AND t.kind IN ({kinds}) AND u.status = 'active' \
         GROUP BY t.user_id ORDER BY points DESC, t.user_id ASC"
    );
    let rows: Vec<(i64, i64)> =
        Earned::find_by_statement(Statement::from_sql_and_values(backend, sql, [since.into()]))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.user_id, e.points))
            .collect();
    let ranks = competition_ranks(rows.iter().map(|r| r.1));
    let position = rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let top: Vec<i64> = rows
        .iter()
        .take(domain::pagination::MAX_LIMIT as usize)
        .map(|r| r.0)
        .collect();
    let names = if top.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::Username,
                users::Column::DisplayName,
            ])
            .filter(users::Column::Id.is_in(top))
            .into_tuple::<(i64, String, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, username, display_name)| (id, (username, display_name)))
            .collect()
    };
    Ok(Ranking {
        since,
        rows,
        ranks,
        position,
        names,
    })
}
