//! Migration 000521: accounts that exist when it runs count as verified (their `created_at`);
//! accounts created after it start unverified.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database, Statement};

#[tokio::test]
async fn accounts_existing_at_the_migration_count_as_verified() {
    let path = std::env::temp_dir().join(format!("mq-mig-verified-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name().contains("000521"))
        .expect("migration 000521 is registered");
    Migrator::up(&db, Some(u32::try_from(before).unwrap()))
        .await
        .unwrap();
    let insert = |name: &str| {
        format!(
            "INSERT INTO users (username, username_lower, email, password_hash, display_name, \
             referral_code, created_at, updated_at) VALUES ('{name}', '{name}', '{name}@x.example', \
             'hash', '{name}', 'REF{name}', '2026-11-27T10:00:00+00:00', '2026-11-27T10:00:00+00:00')"
        )
    };
    db.execute_unprepared(&insert("old")).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    db.execute_unprepared(&insert("new")).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT username, email_verified_at FROM users ORDER BY id".to_owned(),
        ))
        .await
        .unwrap();
    let got: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "username").unwrap(),
                r.try_get::<Option<String>>("", "email_verified_at")
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "old".to_owned(),
                Some("2026-11-27T10:00:00+00:00".to_owned())
            ),
            ("new".to_owned(), None),
        ]
    );
    drop(db);
    let _ = std::fs::remove_file(&path);
}
