//! API keys get a kind (`personal` / `service`), point-award ceilings and a per-day award
//! counter; audit rows get the admin who created the acting key. Existing keys are made safe
//! (issue 11, finding 3 — the decision and why are in docs/INTEGRATORS.md and docs/DECISIONS.md):
//!
//! - a key whose owner is not its creator acted as another person: it is revoked (and keeps only
//!   participant scopes), with an `api_key.revoke` audit row;
//! - a key of an admin that carries scopes which used to open admin routes becomes a `service`
//!   key with the matching `admin:…` scopes next to its participant ones; its award ceilings stay
//!   unset, so it cannot award or deduct points until an admin sets them (`api_key.convert`);
//! - every other key keeps its participant scopes only (the old admin-only names, which never
//!   worked for a non-admin owner, are dropped; `api_key.convert` when that changed anything).
//!
//! `down` maps the scope names back and drops the columns; it does not re-enable the revoked keys
//! (a rollback must not silently bring back keys that acted for someone else).

use chrono::SubsecRound;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DbBackend, JsonValue, QueryResult, Statement, Value,
};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Kind,
    AwardMaxPerCall,
    AwardMaxPerDay,
    AwardDay,
    AwardedToday,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    ActorKeyCreatorId,
}

/// The participant scopes, whose names keep their meaning.
const PARTICIPANT: &[&str] = &[
    "competitions:read",
    "competitions:write",
    "points:read",
    "points:write",
    "rewards:read",
    "redemptions:read",
    "redemptions:write",
    "purchases:read",
    "purchases:write",
    "referrals:read",
    "chat:read",
    "chat:write",
    "notifications:read",
    "notifications:write",
];

/// Each old scope name that opened admin routes (for an admin owner), and the admin scopes that
/// open exactly those routes now.
const OPENED_ADMIN: &[(&str, &[&str])] = &[
    ("competitions:read", &["admin:competitions:read"]),
    ("competitions:write", &["admin:competitions:write"]),
    ("points:write", &["admin:points:write"]),
    ("rewards:read", &["admin:rewards:read"]),
    ("rewards:write", &["admin:rewards:write"]),
    ("redemptions:read", &["admin:redemptions:read"]),
    ("redemptions:write", &["admin:redemptions:write"]),
    (
        "purchases:read",
        &["admin:packages:read", "admin:purchases:read"],
    ),
    (
        "purchases:write",
        &["admin:packages:write", "admin:purchases:write"],
    ),
    ("referrals:read", &["admin:referrals:read"]),
    ("referrals:write", &["admin:referrals:write"]),
    ("chat:read", &["admin:chat:read"]),
    ("chat:write", &["admin:chat:write"]),
    ("notifications:read", &["admin:inbox:read"]),
    ("notifications:write", &["admin:inbox:write"]),
    ("users:read", &["admin:users:read"]),
    ("users:write", &["admin:users:write"]),
    ("settings:read", &["admin:settings:read"]),
    ("settings:write", &["admin:settings:write"]),
    ("stats:read", &["admin:stats:read"]),
    ("audit:read", &["admin:audit:read"]),
    ("ledger:read", &["admin:ledger:read"]),
    ("exports:read", &["admin:exports:read"]),
];

const NAME: &str = "m20261207_000201_api_key_kinds_and_ceilings";

struct KeyRow {
    id: i64,
    owner_id: i64,
    created_by: Option<i64>,
    scopes: Vec<String>,
    revoked: bool,
    owner_is_admin: bool,
}

impl KeyRow {
    fn read(row: &QueryResult) -> Result<Self, DbErr> {
        let scopes: JsonValue = row.try_get("", "scopes")?;
        let role: Option<String> = row.try_get("", "role")?;
        let revoked_at: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "revoked_at")?;
        Ok(Self {
            id: row.try_get("", "id")?,
            owner_id: row.try_get("", "owner_id")?,
            created_by: row.try_get("", "created_by")?,
            scopes: scopes
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            revoked: revoked_at.is_some(),
            owner_is_admin: role.as_deref() == Some("admin"),
        })
    }
}

/// What the migration does to one key: (kind, scopes, revoke?, audit action).
fn decide(key: &KeyRow) -> (&'static str, Vec<String>, bool, Option<&'static str>) {
    let mut participant: Vec<String> = key
        .scopes
        .iter()
        .filter(|s| PARTICIPANT.contains(&s.as_str()))
        .cloned()
        .collect();
    participant.dedup();
    // A key nobody can tie to its owner (created by someone else, or by an account since
    // deleted — an own key would have been deleted with its owner) acted as another person.
    if key.created_by != Some(key.owner_id) {
        let action = (!key.revoked).then_some("api_key.revoke");
        return ("personal", participant, !key.revoked, action);
    }
    let admin: Vec<String> = if key.owner_is_admin {
        OPENED_ADMIN
            .iter()
            .filter(|(old, _)| key.scopes.iter().any(|s| s == old))
            .flat_map(|(_, new)| new.iter().map(|s| (*s).to_owned()))
            .collect()
    } else {
        Vec::new()
    };
    let kind = if admin.is_empty() {
        "personal"
    } else {
        "service"
    };
    let mut scopes = participant;
    for s in admin {
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    let changed = scopes != key.scopes || kind == "service";
    (kind, scopes, false, changed.then_some("api_key.convert"))
}

fn placeholders(backend: DbBackend, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| match backend {
            DbBackend::Postgres => format!("${i}"),
            _ => "?".to_owned(),
        })
        .collect()
}

async fn execute(
    db: &SchemaManagerConnection<'_>,
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map(|_| ())
}

async fn keys(db: &SchemaManagerConnection<'_>, backend: DbBackend) -> Result<Vec<KeyRow>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT k.id, k.owner_id, k.created_by, k.scopes, k.revoked_at, u.role \
             FROM api_keys k LEFT JOIN users u ON u.id = k.owner_id ORDER BY k.id",
        ))
        .await?;
    rows.iter().map(KeyRow::read).collect()
}

fn json_list(items: &[String]) -> Value {
    JsonValue::Array(items.iter().cloned().map(JsonValue::String).collect()).into()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string(ApiKeys::Kind).default("personal").to_owned(),
            big_integer_null(ApiKeys::AwardMaxPerCall).to_owned(),
            big_integer_null(ApiKeys::AwardMaxPerDay).to_owned(),
            big_integer(ApiKeys::AwardDay).default(0).to_owned(),
            big_integer(ApiKeys::AwardedToday).default(0).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(ApiKeys::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(big_integer_null(AuditLog::ActorKeyCreatorId))
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let now = chrono::Utc::now().trunc_subsecs(6);
        for key in keys(db, backend).await? {
            let (kind, scopes, revoke, action) = decide(&key);
            let p = placeholders(backend, 4);
            let revoked = if revoke {
                format!(", revoked_at = {}", p[3])
            } else {
                String::new()
            };
            let mut values = vec![kind.into(), json_list(&scopes), now.into()];
            if revoke {
                values.push(now.into());
            }
            execute(
                db,
                backend,
                format!(
                    "UPDATE api_keys SET kind = {}, scopes = {}, updated_at = {}{revoked} WHERE id = {}",
                    p[0], p[1], p[2], key.id
                ),
                values,
            )
            .await?;
            let Some(action) = action else { continue };
            let details = details(&key, kind, &scopes, revoke);
            let p = placeholders(backend, 4);
            execute(
                db,
                backend,
                format!(
                    "INSERT INTO audit_log (actor_user_id, actor_api_key_id, action, target_type, \
                     target_id, ip, details, created_at) VALUES (NULL, NULL, {}, 'api_key', {}, NULL, {}, {})",
                    p[0], p[1], p[2], p[3]
                ),
                vec![
                    action.into(),
                    key.id.to_string().into(),
                    details.into(),
                    now.into(),
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for key in keys(db, backend).await? {
            let mut old: Vec<String> = Vec::new();
            for scope in &key.scopes {
                let name = OPENED_ADMIN
                    .iter()
                    .find(|(_, new)| new.contains(&scope.as_str()))
                    .map_or(scope.as_str(), |(old, _)| old);
                if !old.iter().any(|s| s == name) {
                    old.push(name.to_owned());
                }
            }
            let p = placeholders(backend, 1);
            execute(
                db,
                backend,
                format!(
                    "UPDATE api_keys SET scopes = {} WHERE id = {}",
                    p[0], key.id
                ),
                vec![json_list(&old)],
            )
            .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .drop_column(AuditLog::ActorKeyCreatorId)
                    .to_owned(),
            )
            .await?;
        for column in [
            ApiKeys::AwardedToday,
            ApiKeys::AwardDay,
            ApiKeys::AwardMaxPerDay,
            ApiKeys::AwardMaxPerCall,
            ApiKeys::Kind,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ApiKeys::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// The audit row's details: what the key was and what it became.
fn details(key: &KeyRow, kind: &str, scopes: &[String], revoked: bool) -> JsonValue {
    serde_json::json!({
        "migration": NAME,
        "reason": if revoked { "acted_for_another_user" } else { "scopes_split" },
        "owner_id": key.owner_id,
        "created_by": key.created_by,
        "from_scopes": key.scopes,
        "to_scopes": scopes,
        "kind": kind,
    })
}
