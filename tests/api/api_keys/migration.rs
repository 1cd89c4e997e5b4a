//! The migration that split the scopes keeps existing keys safe: keys acting for someone else
//! are revoked, admins' keys that opened admin routes become service keys with the matching
//! admin scopes and no award ceilings (so they cannot award until an admin sets them), the rest
//! keep their participant scopes. `down` restores the old names.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value};
use serde_json::json;

use crate::helpers::fresh_database;

const MIGRATION: &str = "m20261207_000201_api_key_kinds_and_ceilings";

fn sql(db: &DatabaseConnection, text: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    // `$n` placeholders in the text; SQLite wants `?`.
    let mut text = text.to_owned();
    if backend != DbBackend::Postgres {
        for n in (1..=values.len()).rev() {
            text = text.replace(&format!("${n}"), "?");
        }
    }
    Statement::from_sql_and_values(backend, text, values)
}

async fn execute(db: &DatabaseConnection, text: &str, values: Vec<Value>) {
    db.execute_raw(sql(db, text, values)).await.unwrap();
}

async fn insert_user(db: &DatabaseConnection, name: &str, role: &str) -> i64 {
    let now = chrono::Utc::now();
    execute(
        db,
        "INSERT INTO users (username, username_lower, email, password_hash, display_name, role, \
         referral_code, created_at, updated_at) VALUES ($1, $2, $3, 'x', $4, $5, $6, $7, $8)",
        vec![
            name.into(),
            name.into(),
            format!("{name}@example.com").into(),
            name.into(),
            role.into(),
            format!("ref{name}").into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
    scalar(
        db,
        &format!("SELECT id FROM users WHERE username = '{name}'"),
    )
    .await
}

async fn insert_key(
    db: &DatabaseConnection,
    owner: i64,
    creator: Option<i64>,
    scopes: &[&str],
) -> i64 {
    let now = chrono::Utc::now();
    let prefix = format!("mk_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    execute(
        db,
        "INSERT INTO api_keys (name, prefix, key_hash, owner_id, scopes, rate_limit_per_minute, \
         created_by, created_at, updated_at) VALUES ('k', $1, 'h', $2, $3, 60, $4, $5, $6)",
        vec![
            prefix.clone().into(),
            owner.into(),
            json!(scopes).into(),
            creator.into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
    scalar(
        db,
        &format!("SELECT id FROM api_keys WHERE prefix = '{prefix}'"),
    )
    .await
}

async fn scalar(db: &DatabaseConnection, text: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), text))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0)
        .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
        .unwrap()
}

struct Key {
    kind: Option<String>,
    scopes: Vec<String>,
    revoked: bool,
    ceilings: (Option<i64>, Option<i64>),
}

async fn key(db: &DatabaseConnection, id: i64, migrated: bool) -> Key {
    let columns = if migrated {
        "kind, award_max_per_call, award_max_per_day, "
    } else {
        ""
    };
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT {columns}scopes, revoked_at FROM api_keys WHERE id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap();
    let scopes: serde_json::Value = row.try_get("", "scopes").unwrap();
    let revoked: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "revoked_at").unwrap();
    let mut scopes: Vec<String> = serde_json::from_value(scopes).unwrap();
    scopes.sort();
    Key {
        kind: migrated.then(|| row.try_get("", "kind").unwrap()),
        scopes,
        revoked: revoked.is_some(),
        ceilings: if migrated {
            (
                row.try_get("", "award_max_per_call").unwrap(),
                row.try_get("", "award_max_per_day").unwrap(),
            )
        } else {
            (None, None)
        },
    }
}

fn sorted(scopes: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn existing_keys_are_revoked_converted_or_trimmed_and_down_restores_the_old_names() {
    let (url, _guard) = fresh_database().await;
    let db = Database::connect(url).await.unwrap();
    let position = Migrator::migrations()
        .iter()
        .position(|m| m.name() == MIGRATION)
        .expect("the migration is listed");
    Migrator::up(&db, Some(position as u32)).await.unwrap();

    let admin = insert_user(&db, "oldadmin", "admin").await;
    let user = insert_user(&db, "olduser", "user").await;
    // The probe's finding: an admin's key whose participant-looking scopes opened admin routes.
    let admins = insert_key(
        &db,
        admin,
        Some(admin),
        &[
            "points:write",
            "competitions:read",
            "users:read",
            "purchases:write",
        ],
    )
    .await;
    // A key an admin made to act as a participant (it could read their messages).
    let for_user = insert_key(&db, user, Some(admin), &["chat:read", "points:write"]).await;
    // Its creator since deleted: nobody can say it acted for its owner.
    let orphan = insert_key(&db, user, None, &["points:read"]).await;
    // An admin's key that never touched an admin route.
    let plain = insert_key(&db, admin, Some(admin), &["points:read"]).await;
    // A former admin's own key with an admin-only name (it no longer worked anyway).
    let demoted = insert_key(&db, user, Some(user), &["points:read", "stats:read"]).await;

    Migrator::up(&db, Some(1)).await.unwrap();

    let k = key(&db, admins, true).await;
    assert_eq!(k.kind.as_deref(), Some("service"));
    assert!(!k.revoked);
    assert_eq!(
        k.scopes,
        sorted(&[
            "points:write",
            "competitions:read",
            "purchases:write",
            "admin:points:write",
            "admin:competitions:read",
            "admin:users:read",
            "admin:packages:write",
            "admin:purchases:write",
        ])
    );
    assert_eq!(
        k.ceilings,
        (None, None),
        "no awards until an admin sets ceilings"
    );

    for id in [for_user, orphan] {
        let k = key(&db, id, true).await;
        assert!(k.revoked, "key {id} acted for someone else");
        assert_eq!(k.kind.as_deref(), Some("personal"));
    }
    assert_eq!(
        key(&db, for_user, true).await.scopes,
        sorted(&["chat:read", "points:write"])
    );
    let k = key(&db, plain, true).await;
    assert_eq!((k.kind.as_deref(), k.revoked), (Some("personal"), false));
    assert_eq!(k.scopes, sorted(&["points:read"]));
    let k = key(&db, demoted, true).await;
    assert_eq!((k.kind.as_deref(), k.revoked), (Some("personal"), false));
    assert_eq!(k.scopes, sorted(&["points:read"]));

    // Each change is in the audit log, by nobody (the migration), naming the key.
    for (action, id) in [
        ("api_key.convert", admins),
        ("api_key.revoke", for_user),
        ("api_key.revoke", orphan),
        ("api_key.convert", demoted),
    ] {
        let n = scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target_type = 'api_key' \
                 AND target_id = '{id}' AND actor_user_id IS NULL"
            ),
        )
        .await;
        assert_eq!(n, 1, "{action} {id}");
    }
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM audit_log").await,
        4,
        "the untouched key is not logged"
    );

    // Down: the old names come back, the new columns go; revocations stay.
    Migrator::down(&db, Some(1)).await.unwrap();
    let k = key(&db, admins, false).await;
    assert_eq!(
        k.scopes,
        sorted(&[
            "points:write",
            "competitions:read",
            "purchases:write",
            "users:read"
        ])
    );
    assert!(key(&db, for_user, false).await.revoked);
    // And up again.
    Migrator::up(&db, None).await.unwrap();
    let k = key(&db, admins, true).await;
    assert_eq!(k.kind.as_deref(), Some("service"));
    db.close().await.unwrap();
}
