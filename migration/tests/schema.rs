//! Runs the migrations up and down on SQLite and PostgreSQL and checks that the constraints the
//! ledger relies on are enforced by the database itself.
//!
//! PostgreSQL: `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) must
//! allow CREATE DATABASE; each run works in its own throwaway database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{SystemTime, UNIX_EPOCH};

use migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

/// Tables the initial migration creates (plus the migrator's own bookkeeping table).
const TABLE_COUNT: usize = 36;
const MIGRATIONS_TABLE: &str = "seaql_migrations";

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{}", std::process::id(), nanos)
}

fn insert_user(name: &str, email: &str, points_balance: i64) -> String {
    format!(
        "INSERT INTO users (username, username_lower, email, password_hash, display_name, \
         referral_code, points_balance, created_at, updated_at) \
         VALUES ('{name}', '{lower}', '{email}', 'hash', '{name}', 'ref-{email}', \
         {points_balance}, '2026-11-27T10:00:00+00:00', '2026-11-27T10:00:00+00:00')",
        lower = name.to_lowercase(),
    )
}

async fn user_tables(db: &DatabaseConnection) -> Result<Vec<String>, String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT tablename::text AS t FROM pg_tables \
             WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map_err(|e| format!("listing tables: {e}"))?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "t").map_err(|e| e.to_string()))
        .collect()
}

/// Expects `sql` to fail with an error that mentions `needle` (case-insensitive).
async fn expect_violation(
    db: &DatabaseConnection,
    what: &str,
    sql: &str,
    needle: &str,
) -> Result<(), String> {
    match db.execute_unprepared(sql).await {
        Ok(_) => Err(format!("{what}: statement unexpectedly succeeded: {sql}")),
        Err(e)
            if e.to_string()
                .to_lowercase()
                .contains(&needle.to_lowercase()) =>
        {
            Ok(())
        }
        Err(e) => Err(format!("{what}: failed, but not on `{needle}`: {e}")),
    }
}

async fn exercise(db: &DatabaseConnection) -> Result<(), String> {
    Migrator::up(db, None)
        .await
        .map_err(|e| format!("up: {e}"))?;
    let tables = user_tables(db).await?;
    if tables.len() != TABLE_COUNT + 1 || !tables.iter().any(|t| t == MIGRATIONS_TABLE) {
        return Err(format!("after up, unexpected tables: {tables:?}"));
    }

    let valid = insert_user("Ahmad", "ahmad@example.com", 10);
    db.execute_unprepared(&valid)
        .await
        .map_err(|e| format!("valid insert failed: {e}"))?;

    expect_violation(
        db,
        "negative balance",
        &insert_user("Layla", "layla@example.com", -1),
        "ck_users_points_balance",
    )
    .await?;
    // Differs only in case from "Ahmad": username_lower is what must collide.
    expect_violation(
        db,
        "duplicate username",
        &insert_user("AHMAD", "other@example.com", 0),
        "username_lower",
    )
    .await?;
    // SQLite only enforces foreign keys when the connection enables them; make sure it does.
    expect_violation(
        db,
        "dangling foreign key",
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, family_created_at, \
         created_at, last_used_at, expires_at) VALUES (999999, 'f', 'h', \
         '2026-11-27T10:00:00+00:00', '2026-11-27T10:00:00+00:00', \
         '2026-11-27T10:00:00+00:00', '2026-11-28T10:00:00+00:00')",
        "foreign key",
    )
    .await?;

    Migrator::down(db, None)
        .await
        .map_err(|e| format!("down: {e}"))?;
    let tables = user_tables(db).await?;
    if tables != [MIGRATIONS_TABLE] {
        return Err(format!("after down, tables left behind: {tables:?}"));
    }

    // Down must leave nothing (indexes, constraint names) that would trip a fresh up.
    Migrator::up(db, None)
        .await
        .map_err(|e| format!("second up: {e}"))?;
    Migrator::down(db, None)
        .await
        .map_err(|e| format!("second down: {e}"))?;
    Ok(())
}

#[tokio::test]
async fn sqlite_up_constraints_down() {
    let path = std::env::temp_dir().join(format!("mq_mig_{}.db", unique_suffix()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(&url).await.unwrap();

    let result = exercise(&db).await;

    db.close().await.unwrap();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result.unwrap();
}

#[tokio::test]
async fn postgres_up_constraints_down() {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = Database::connect(&admin_url)
        .await
        .expect("PostgreSQL not reachable; set TEST_DATABASE_URL");

    let name = format!("mq_mig_{}", unique_suffix());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();

    // Same server and credentials, other database: swap the last path segment.
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url.as_str(), None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').unwrap();
    let url = match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    };

    let result = match Database::connect(&url).await {
        Ok(db) => {
            let result = exercise(&db).await;
            db.close().await.unwrap();
            result
        }
        Err(e) => Err(format!("connect {url}: {e}")),
    };

    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    result.unwrap();
}
