//! Database connection, migrations and the transaction-retry helper.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    TransactionTrait,
};

use crate::config::Settings;
use crate::error::{is_transient, ApiError};

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(settings.database_url.clone());
    opts.max_connections(settings.db_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if settings.is_sqlite() {
        // WAL lets readers proceed while one writer commits; the busy timeout turns lock
        // contention into waiting instead of errors; foreign keys are off by default in SQLite.
        // Writers queue one at a time, so a burst on a loaded machine waits longer than on
        // PostgreSQL: both waits are 30 s rather than 10 s (seen: 50 concurrent transfers while a
        // release build took both cores answered some with 503 at 10 s).
        opts.acquire_timeout(Duration::from_secs(30));
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    }
    Database::connect(opts).await.with_context(|| {
        format!(
            "connecting to the database ({})",
            redact(&settings.database_url)
        )
    })
}

/// Key of the PostgreSQL advisory lock held while migrations run ("mqmigrat" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d71_6d69_6772_6174;

/// Runs the pending migrations. On PostgreSQL several replicas may start at once: each takes an
/// advisory lock first (held by a transaction on its own connection), so the second waits for
/// the first to finish and then finds nothing left to do, instead of both creating the same
/// tables. SQLite has one process.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let lock = if is_postgres(db) {
        let txn = db.begin().await.context("starting the migration lock")?;
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            .await
            .context("waiting for another replica's migrations")?;
        Some(txn)
    } else {
        None
    };
    let outcome = Migrator::up(db, None)
        .await
        .context("running database migrations");
    if let Some(txn) = lock {
        txn.commit().await.context("releasing the migration lock")?;
    }
    outcome
}

/// `postgres://user:password@host/db` → `postgres://user:***@host/db` for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Runs `f` in a transaction, committing on `Ok` and rolling back on `Err`. Serialization
/// failures, deadlocks and SQLite lock timeouts roll back and run `f` again (up to 12 times, with
/// jittered backoff capped at ~340 ms, about 3 s in all), so callers never see them as 5xx. SQLite
/// answers a deferred transaction that must upgrade to a writer behind another writer with
/// SQLITE_BUSY at once (no busy wait), so a burst of writers on a loaded machine needs the room. `f` gets the transaction behind an `Arc`
/// (use `&*txn`) and must not keep it past its future.
pub async fn transaction<T, F, Fut>(db: &DatabaseConnection, f: F) -> Result<T, ApiError>
where
    F: Fn(Arc<DatabaseTransaction>) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    const ATTEMPTS: u32 = 12;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let txn = Arc::new(db.begin().await?);
        let outcome = f(Arc::clone(&txn)).await;
        let txn = Arc::try_unwrap(txn).map_err(|_| {
            ApiError::Unexpected(anyhow::anyhow!("a transaction outlived its closure"))
        })?;
        let result = match outcome {
            Ok(value) => txn.commit().await.map(|_| value).map_err(ApiError::from),
            Err(err) => {
                let _ = txn.rollback().await;
                Err(err)
            }
        };
        match result {
            Err(ApiError::Db(ref err)) if is_transient(err) && attempt < ATTEMPTS => {
                let backoff = 5u64 * (1 << attempt.min(6)) + rand::random::<u64>() % 20;
                tracing::debug!(
                    attempt,
                    backoff,
                    "retrying transaction after a transient error"
                );
                tokio::time::sleep(Duration::from_millis(backoff)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
