//! The competition scheduler: every few seconds (`Settings::scheduler_interval_ms`) it moves
//! published competitions to running and running ones to ended as their times pass, and
//! finalizes ended quizzes (judged competitions wait for their scores and an admin).
//!
//! Every replica runs one. That is safe because each step is a conditional update and every
//! award has a unique key: two schedulers racing on one competition both try, one wins, the
//! other finds zero rows and moves on.

use std::time::Duration;

use domain::ErrorCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::task::JoinHandle;

use crate::entities::competitions as comp;
use crate::error::ApiError;
use crate::services::competitions::{step, Actor};
use crate::services::finalize::finalize;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub started: u64,
    pub ended: u64,
    pub finalized: u64,
}

/// Finalizations per tick: a backlog is worked off over several ticks instead of one long one.
const FINALIZE_BATCH: u64 = 20;

pub fn spawn(db: DatabaseConnection, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match tick(&db).await {
                Ok(report) if report != TickReport::default() => {
                    tracing::info!(?report, "competition scheduler moved competitions");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = ?err, "competition scheduler tick failed"),
            }
        }
    })
}

pub async fn tick(db: &DatabaseConnection) -> Result<TickReport, ApiError> {
    let now = crate::services::now();
    let (started, ended) =
        crate::db::transaction(db, |txn| async move { step(&*txn, None, now).await }).await?;
    let due: Vec<i64> = comp::Entity::find()
        .select_only()
        .column(comp::Column::Id)
        .filter(comp::Column::Status.eq("ended"))
        .filter(comp::Column::Kind.eq("quiz"))
        .order_by_asc(comp::Column::EndsAt)
        .limit(FINALIZE_BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let mut finalized = 0;
    let scheduler = Actor {
        user_id: None,
        ip: None,
    };
    for id in due {
        match crate::db::transaction(db, |txn| async move {
            finalize(&*txn, id, scheduler, now).await
        })
        .await
        {
            Ok(_) => finalized += 1,
            // Another replica (or an admin) got there first.
            Err(err) if err.code() == ErrorCode::InvalidTransition => {}
            Err(err) => {
                tracing::warn!(competition_id = id, error = ?err, "automatic finalization failed")
            }
        }
    }
    Ok(TickReport {
        started,
        ended,
        finalized,
    })
}
