//! Global leaderboards by points EARNED BY COMPETING (the ledger kinds for which
//! `LedgerKind::is_earning` holds: prizes and participation points), never by balance: spending
//! does not drop anyone down, and admin adjustments, transfers or bonuses lift nobody.
//!
//! - all-time reads `users.lifetime_earned` through `idx_users_leaderboard`
//!   (`lifetime_earned DESC, id ASC`).
//! - month/week sum the positive earning rows of the ledger since the period start (UTC; the
//!   week starts on the `week_start` setting).
//!
//! Each period's whole ranking (ids and points only: ~1.6 MB for 100k users) is kept in memory
//! and serves both the page and the caller's rank by lookup. It is refreshed after
//! `Settings::leaderboard_cache_ms` (week/month, 2 s by default) or
//! `Settings::leaderboard_all_cache_ms` (all-time, 1 s): one request recomputes while the others
//! keep being served the previous ranking (single flight in a background task, so under steady
//! traffic no request waits for the aggregate and the database sees one recomputation at a
//! time). A ranking older than twice its TTL (the board was idle) is recomputed before answering.
//! It is a per-replica, read-only copy at most twice the TTL stale; nothing is ever decided from
//! it. A TTL of 0 computes on every request.
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
    Window,
};
use domain::points::LedgerKind;
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
    /// One recomputation at a time per period.
    computing: Mutex<HashMap<LeaderboardPeriod, Arc<tokio::sync::Mutex<()>>>>,
}

impl LeaderboardCache {
    /// The cached ranking and how old it is.
    fn get(&self, period: LeaderboardPeriod) -> Option<(Arc<Ranking>, Duration)> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(&period)
            .map(|(at, ranking)| (Arc::clone(ranking), at.elapsed()))
    }

    fn put(&self, period: LeaderboardPeriod, ranking: Arc<Ranking>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.insert(period, (Instant::now(), ranking));
    }

    fn gate(&self, period: LeaderboardPeriod) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self
            .computing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(gates.entry(period).or_default())
    }
}

async fn compute_period(
    db: &DatabaseConnection,
    period: LeaderboardPeriod,
) -> Result<Ranking, ApiError> {
    if period == LeaderboardPeriod::All {
        return compute_all(db).await;
    }
    let week_start = system_settings::get_string(db, system_settings::WEEK_START).await?;
    let week_start = WeekStart::parse(&week_start).unwrap_or_default();
    let since = period
        .start(crate::services::now(), week_start)
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no start for period {period:?}")))?;
    compute(db, since).await
}

/// The ranking for `period`, never more than twice `ttl` old. A fresh cached one (younger than
/// `ttl`) is returned as is. One younger than `2 × ttl` is returned too, while exactly one
/// background task recomputes it: under steady traffic no request waits on the aggregate. An
/// older one (the board was idle) or none is recomputed before answering, one request computing
/// while the others wait for it, so the first visitor after a quiet spell never sees a ranking
/// from long ago.
async fn ranking(
    db: &DatabaseConnection,
    cache: &Arc<LeaderboardCache>,
    ttl: Duration,
    period: LeaderboardPeriod,
) -> Result<Arc<Ranking>, ApiError> {
    if ttl.is_zero() {
        return Ok(Arc::new(compute_period(db, period).await?));
    }
    let gate = cache.gate(period);
    match cache.get(period) {
        Some((ranking, age)) if age < ttl => Ok(ranking),
        Some((stale, age)) if age < ttl * 2 => {
            if let Ok(guard) = gate.try_lock_owned() {
                let (db, cache) = (db.clone(), Arc::clone(cache));
                tokio::spawn(async move {
                    match compute_period(&db, period).await {
                        Ok(fresh) => cache.put(period, Arc::new(fresh)),
                        Err(err) => {
                            tracing::warn!(error = %err, ?period, "refreshing a leaderboard failed")
                        }
                    }
                    drop(guard);
                });
            }
            Ok(stale)
        }
        _ => {
            let _guard = gate.lock().await;
            // Someone else may have recomputed it while this request waited.
            if let Some((ranking, age)) = cache.get(period) {
                if age < ttl {
                    return Ok(ranking);
                }
            }
            let fresh = Arc::new(compute_period(db, period).await?);
            cache.put(period, Arc::clone(&fresh));
            Ok(fresh)
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn global(
    db: &DatabaseConnection,
    cache: &Arc<LeaderboardCache>,
    ttl: Duration,
    all_ttl: Duration,
    period: LeaderboardPeriod,
    limit: u64,
    window: Window,
    viewer: Option<i64>,
) -> Result<Leaderboard, ApiError> {
    let ttl = if period == LeaderboardPeriod::All {
        all_ttl
    } else {
        ttl
    };
    let ranking = ranking(db, cache, ttl, period).await?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mine = viewer.and_then(|uid| ranking.position.get(&uid).copied());
    let start = window.start(ranking.rows.len(), mine, limit);
    let slice: Vec<(usize, (i64, i64))> = ranking
        .rows
        .iter()
        .copied()
        .enumerate()
        .skip(start)
        .take(limit)
        .collect();
    // Names are kept for the top of the board; deeper pages read theirs (one indexed query).
    let missing: Vec<i64> = slice
        .iter()
        .map(|(_, (id, _))| *id)
        .filter(|id| !ranking.names.contains_key(id))
        .collect();
    let extra = crate::services::users::display_names(db, missing).await?;
    let entries = slice
        .into_iter()
        .map(|(i, (user_id, points))| {
            let (username, display_name) = ranking
                .names
                .get(&user_id)
                .or_else(|| extra.get(&user_id))
                .cloned()
                .unwrap_or_default();
            LeaderboardEntry {
                rank: ranking.ranks[i],
                user_id,
                username,
                display_name,
                points,
            }
        })
        .collect();
    let me = viewer.map(|_| match mine {
        Some(i) => LeaderboardMe {
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
        since: (period != LeaderboardPeriod::All).then_some(ranking.since),
        entries,
        me,
        offset: i64::try_from(start).unwrap_or(i64::MAX),
        total: i64::try_from(ranking.rows.len()).unwrap_or(i64::MAX),
    })
}

/// A user's place on the all-time board (`None` with no points earned), from the same cached
/// ranking the board serves.
pub async fn all_time_rank(
    db: &DatabaseConnection,
    cache: &Arc<LeaderboardCache>,
    ttl: Duration,
    user_id: i64,
) -> Result<Option<i64>, ApiError> {
    let ranking = ranking(db, cache, ttl, LeaderboardPeriod::All).await?;
    Ok(ranking.position.get(&user_id).map(|&i| ranking.ranks[i]))
}

/// Every active user with earned points, best first (an index scan of idx_users_leaderboard).
async fn compute_all(db: &DatabaseConnection) -> Result<Ranking, ApiError> {
    let rows: Vec<(i64, i64)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::LifetimeEarned])
        .filter(users::Column::LifetimeEarned.gt(0))
        .filter(users::Column::Status.eq("active"))
        .order_by_desc(users::Column::LifetimeEarned)
        .order_by_asc(users::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    ranking_from(db, crate::services::now(), rows).await
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
         WHERE t.created_at >= {placeholder} AND t.kind IN ({kinds}) AND u.status = 'active' \
         GROUP BY t.user_id HAVING SUM(t.amount) > 0 ORDER BY points DESC, t.user_id ASC"
    );
    let rows: Vec<(i64, i64)> =
        Earned::find_by_statement(Statement::from_sql_and_values(backend, sql, [since.into()]))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.user_id, e.points))
            .collect();
    ranking_from(db, since, rows).await
}

/// Ranks, positions and the names of the top of `rows` (user id, points; best first).
async fn ranking_from(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
    rows: Vec<(i64, i64)>,
) -> Result<Ranking, ApiError> {
    let ranks = competition_ranks(rows.iter().map(|r| r.1));
    let position = rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let top: Vec<i64> = rows
        .iter()
        .take(domain::pagination::MAX_LIMIT as usize)
        .map(|r| r.0)
        .collect();
    let names = crate::services::users::display_names(db, top).await?;
    Ok(Ranking {
        since,
        rows,
        ranks,
        position,
        names,
    })
}
