//! The API-key usage log, written off the request path: requests put a row on a bounded
//! channel (never waiting; when the channel is full the row is dropped and counted), and one
//! background task writes what has queued up with a single multi-row insert every flush interval
//! or every `batch` rows, then moves each key's `last_used_at` forward. Stopping the task flushes
//! what is left.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use tokio::sync::{mpsc, oneshot};

use crate::entities::{api_keys, api_usage_log};

/// Rows waiting in memory before new ones are dropped.
const CHANNEL_CAPACITY: usize = 10_000;

/// One key-authenticated call.
#[derive(Debug, Clone)]
pub struct UsageRecord {
    pub api_key_id: i64,
    pub method: String,
    /// The route pattern (`/api/v1/competitions/{id}`), never the raw path.
    pub route: String,
    pub status: u16,
    pub latency_ms: u64,
    pub ip: String,
    pub at: DateTime<Utc>,
}

/// The sending side, shared by every worker through `AppState`.
pub struct UsageLog {
    tx: mpsc::Sender<UsageRecord>,
    rx: Mutex<Option<mpsc::Receiver<UsageRecord>>>,
    dropped: AtomicU64,
}

impl Default for UsageLog {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        Self {
            tx,
            rx: Mutex::new(Some(rx)),
            dropped: AtomicU64::new(0),
        }
    }
}

impl UsageLog {
    /// Queues a row without waiting. A full channel (the database far behind) drops the row.
    pub fn record(&self, record: UsageRecord) {
        if self.tx.try_send(record).is_err() {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(dropped, "API usage log is full; rows were dropped");
            }
        }
    }

    /// Rows dropped because the writer could not keep up.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Starts the writer (once; later calls return `None`).
    pub fn start(
        &self,
        db: DatabaseConnection,
        every: Duration,
        batch: usize,
    ) -> Option<UsageWriter> {
        let rx = self
            .rx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let handle = tokio::spawn(run(db, rx, stop_rx, every, batch.max(1)));
        Some(UsageWriter {
            stop: Some(stop_tx),
            handle: Some(handle),
        })
    }
}

/// The running writer; [`UsageWriter::shutdown`] flushes and stops it.
pub struct UsageWriter {
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl UsageWriter {
    /// Writes every queued row, then stops (waiting at most `timeout`).
    pub async fn shutdown(mut self, timeout: Duration) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            if tokio::time::timeout(timeout, handle).await.is_err() {
                tracing::warn!("the API usage log did not finish flushing in time");
            }
        }
    }
}

impl Drop for UsageWriter {
    fn drop(&mut self) {
        // Dropped without a shutdown (tests, a failed start): stop the task; queued rows are lost.
        if let Some(handle) = self.handle.take() {
            handle.abort();
        }
    }
}

async fn run(
    db: DatabaseConnection,
    mut rx: mpsc::Receiver<UsageRecord>,
    mut stop: oneshot::Receiver<()>,
    every: Duration,
    batch: usize,
) {
    let mut buffer: Vec<UsageRecord> = Vec::with_capacity(batch);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            _ = &mut stop => {
                while let Ok(record) = rx.try_recv() {
                    buffer.push(record);
                }
                flush(&db, &mut buffer).await;
                return;
            }
            received = rx.recv() => match received {
                Some(record) => {
                    buffer.push(record);
                    if buffer.len() >= batch {
                        flush(&db, &mut buffer).await;
                    }
                }
                None => {
                    flush(&db, &mut buffer).await;
                    return;
                }
            },
            _ = tick.tick() => flush(&db, &mut buffer).await,
        }
    }
}

fn active_model(r: &UsageRecord) -> api_usage_log::ActiveModel {
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    api_usage_log::ActiveModel {
        api_key_id: Set(r.api_key_id),
        method: Set(clip(&r.method, 16)),
        route: Set(clip(&r.route, 300)),
        status: Set(i32::from(r.status)),
        latency_ms: Set(i32::try_from(r.latency_ms).unwrap_or(i32::MAX)),
        ip: Set(Some(clip(&r.ip, 64))),
        created_at: Set(r.at),
        ..Default::default()
    }
}

/// Writes the buffer: one multi-row insert; if that fails (say, a key deleted with its owner in
/// the meantime), row by row so one bad row does not lose the others.
async fn flush(db: &DatabaseConnection, buffer: &mut Vec<UsageRecord>) {
    if buffer.is_empty() {
        return;
    }
    let rows: Vec<UsageRecord> = std::mem::take(buffer);
    // `last_used_at` first: whoever sees the new usage rows also sees the key as used.
    let mut last_used: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for row in &rows {
        let entry = last_used.entry(row.api_key_id).or_insert(row.at);
        *entry = (*entry).max(row.at);
    }
    for (key_id, at) in last_used {
        // Only forwards: a slower replica's older batch never moves it back.
        let updated = api_keys::Entity::update_many()
            .col_expr(api_keys::Column::LastUsedAt, Expr::value(at))
            .filter(api_keys::Column::Id.eq(key_id))
            .filter(
                Condition::any()
                    .add(api_keys::Column::LastUsedAt.is_null())
                    .add(api_keys::Column::LastUsedAt.lt(at)),
            )
            .exec(db)
            .await;
        if let Err(err) = updated {
            tracing::warn!(error = %err, api_key_id = key_id, "last_used_at was not updated");
        }
    }
    let insert = api_usage_log::Entity::insert_many(rows.iter().map(active_model))
        .exec_without_returning(db)
        .await;
    if let Err(err) = insert {
        tracing::warn!(error = %err, rows = rows.len(), "batched API usage insert failed; writing rows one by one");
        for row in &rows {
            if let Err(err) = api_usage_log::Entity::insert(active_model(row))
                .exec_without_returning(db)
                .await
            {
                tracing::warn!(error = %err, api_key_id = row.api_key_id, "an API usage row was not written");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::api_keys::ApiScope;
    use domain::users::Role;
    use sea_orm::{Database, PaginatorTrait};

    use super::*;
    use crate::services::{api_key_admin as keys, users};

    fn record(api_key_id: i64, route: &str) -> UsageRecord {
        UsageRecord {
            api_key_id,
            method: "GET".into(),
            route: route.into(),
            status: 200,
            latency_ms: 3,
            ip: "127.0.0.1".into(),
            at: crate::services::now(),
        }
    }

    async fn database() -> (DatabaseConnection, i64, std::path::PathBuf) {
        let path =
            std::env::temp_dir().join(format!("mq-usage-{}.db", uuid::Uuid::new_v4().simple()));
        let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        crate::db::migrate(&db).await.unwrap();
        let owner = users::create(
            &db,
            users::NewUser {
                username: "owner",
                email: "owner@example.com",
                password_hash: "x".into(),
                display_name: "مالك",
                role: Role::Admin,
                referral_code: None,
                ip: None,
                device_id: None,
            },
        )
        .await
        .unwrap();
        let req = domain::api_keys::ValidApiKeyRequest {
            name: "k".into(),
            kind: domain::api_keys::ApiKeyKind::Personal,
            scopes: vec![ApiScope::PointsRead],
            rate_limit_per_minute: 10,
            expires_at: None,
            ceilings: None,
        };
        let (key, _) = keys::create(&db, owner.id, "127.0.0.1", &req)
            .await
            .unwrap();
        (db, key.id, path)
    }

    async fn remove(db: DatabaseConnection, path: &std::path::Path) {
        let _ = db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test]
    async fn queued_rows_are_written_on_shutdown_and_a_bad_row_does_not_lose_the_others() {
        let (db, key_id, path) = database().await;
        let log = UsageLog::default();
        // An interval far longer than the test: only the shutdown can write these rows.
        let writer = log
            .start(db.clone(), Duration::from_secs(3600), 1000)
            .unwrap();
        assert!(log.start(db.clone(), Duration::from_secs(1), 1).is_none());
        log.record(record(key_id, "/api/v1/points/balance"));
        // A key that does not exist (deleted meanwhile) fails its foreign key.
        log.record(record(key_id + 1000, "/api/v1/points/balance"));
        log.record(record(key_id, "/api/v1/competitions/{id}"));
        writer.shutdown(Duration::from_secs(10)).await;
        assert_eq!(api_usage_log::Entity::find().count(&db).await.unwrap(), 2);
        let key = keys::get(&db, key_id).await.unwrap();
        assert!(key.last_used_at.is_some());
        assert_eq!(log.dropped(), 0);
        remove(db, &path).await;
    }

    #[tokio::test]
    async fn a_full_batch_is_written_without_waiting_for_the_interval() {
        let (db, key_id, path) = database().await;
        let log = UsageLog::default();
        let writer = log.start(db.clone(), Duration::from_secs(3600), 2).unwrap();
        log.record(record(key_id, "/a"));
        log.record(record(key_id, "/b"));
        let mut written = 0;
        for _ in 0..100 {
            written = api_usage_log::Entity::find().count(&db).await.unwrap();
            if written == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(written, 2);
        writer.shutdown(Duration::from_secs(10)).await;
        remove(db, &path).await;
    }
}
