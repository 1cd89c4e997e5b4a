//! System settings stored as JSON values by key; absent keys fall back to built-in defaults.
//! The known keys, their types, ranges, defaults and Arabic labels live in
//! `domain::settings::SETTINGS`, shared with the SPA's settings form.

use std::collections::{BTreeMap, HashMap};

use domain::settings::{self as defs, PublicSettings, SettingItem, SettingsList};
use domain::FieldErrors;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::{json, Value};

use crate::entities::{system_settings, users};
use crate::error::ApiError;
use crate::services::audit;

pub const REGISTRATION_OPEN: &str = defs::REGISTRATION_OPEN;
/// Points a user may send to others per UTC day.
pub const TRANSFER_DAILY_LIMIT: &str = defs::TRANSFER_DAILY_LIMIT;
/// First day of the leaderboard week: saturday | sunday | monday.
pub const WEEK_START: &str = defs::WEEK_START;
pub const PAYMENT_INSTRUCTIONS: &str = defs::PAYMENT_INSTRUCTIONS;
pub const ADMIN_CONTACT: &str = defs::ADMIN_CONTACT;
pub const REFERRAL_REFERRER_BONUS: &str = defs::REFERRAL_REFERRER_BONUS;
pub const REFERRAL_REFEREE_BONUS: &str = defs::REFERRAL_REFEREE_BONUS;
pub const REFERRAL_DAILY_CAP: &str = defs::REFERRAL_DAILY_CAP;
/// Default digit style of the SPA: arab | latn.
pub const DIGITS: &str = defs::DIGITS;

pub fn default_value(key: &str) -> Option<Value> {
    defs::find(key).map(defs::SettingDef::default_value)
}

pub async fn get(conn: &impl ConnectionTrait, key: &str) -> Result<Option<Value>, ApiError> {
    let row = system_settings::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await?;
    Ok(row.map(|r| r.value).or_else(|| default_value(key)))
}

/// `(SELECT value FROM system_settings WHERE key = …)`: reads a setting inside another query,
/// so a request that needs a row and a setting makes one round trip. Resolve the value read
/// with [`i64_or_default`].
pub fn value_subquery(key: &str) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, Query, QueryStatementBuilder};
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column(system_settings::Column::Value)
                .from(system_settings::Entity)
                .and_where(system_settings::Column::Key.eq(key))
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

/// An integer setting read by [`value_subquery`] (`None` when the key is not stored).
pub fn i64_or_default(key: &str, stored: Option<Value>) -> i64 {
    stored
        .or_else(|| default_value(key))
        .and_then(|v| v.as_i64())
        .unwrap_or(0)
}

pub async fn get_bool(conn: &impl ConnectionTrait, key: &str) -> Result<bool, ApiError> {
    Ok(get(conn, key)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

pub async fn get_i64(conn: &impl ConnectionTrait, key: &str) -> Result<i64, ApiError> {
    Ok(get(conn, key).await?.and_then(|v| v.as_i64()).unwrap_or(0))
}

/// Several integer settings in one query, in the order asked (defaults for absent keys).
pub async fn get_i64_many(
    conn: &impl ConnectionTrait,
    keys: &[&str],
) -> Result<Vec<i64>, ApiError> {
    let stored: HashMap<String, Value> = system_settings::Entity::find()
        .filter(system_settings::Column::Key.is_in(keys.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect();
    Ok(keys
        .iter()
        .map(|key| {
            stored
                .get(*key)
                .cloned()
                .or_else(|| default_value(key))
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        })
        .collect())
}

pub async fn get_string(conn: &impl ConnectionTrait, key: &str) -> Result<String, ApiError> {
    Ok(get(conn, key)
        .await?
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default())
}

/// Every known key with its stored value (or the default), in the registry's order.
pub async fn list(conn: &impl ConnectionTrait) -> Result<SettingsList, ApiError> {
    let keys: Vec<&str> = defs::SETTINGS.iter().map(|d| d.key).collect();
    let rows: HashMap<String, system_settings::Model> = system_settings::Entity::find()
        .filter(system_settings::Column::Key.is_in(keys))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    let editor_ids: Vec<i64> = rows.values().filter_map(|r| r.updated_by).collect();
    let editors: HashMap<i64, String> = if editor_ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(editor_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.username))
            .collect()
    };
    let items = defs::SETTINGS
        .iter()
        .map(|def| {
            let row = rows.get(def.key);
            // A stored value that no longer passes the rules (edited by hand) shows the default.
            let current = row.and_then(|r| def.validate(&r.value).ok());
            let mut item = SettingItem::new(def, current);
            if let Some(r) = row {
                item.updated_at = Some(r.updated_at);
                item.updated_by_username = r.updated_by.and_then(|id| editors.get(&id).cloned());
            }
            item
        })
        .collect();
    Ok(SettingsList { items })
}

/// Checks every key and value of a PUT body; errors are keyed by the setting's key.
pub fn validate_changes(body: &BTreeMap<String, Value>) -> Result<Vec<(String, Value)>, ApiError> {
    let mut fields = FieldErrors::new();
    let mut valid = Vec::new();
    if body.is_empty() {
        fields.insert("body".into(), "لم تُرسل أي إعدادات لتغييرها.".into());
    }
    for (key, value) in body {
        match defs::find(key) {
            None => {
                fields.insert(key.clone(), "إعداد غير معروف.".into());
            }
            Some(def) => match def.validate(value) {
                Ok(v) => valid.push((key.clone(), v)),
                Err(message) => {
                    fields.insert(key.clone(), message);
                }
            },
        }
    }
    if fields.is_empty() {
        Ok(valid)
    } else {
        Err(ApiError::Validation(fields))
    }
}

/// Writes the changed values (inside the caller's transaction), one `settings.update` audit
/// entry per key whose value actually changed. Returns how many changed.
pub async fn update(
    conn: &impl ConnectionTrait,
    actor: i64,
    ip: &str,
    changes: &[(String, Value)],
) -> Result<usize, ApiError> {
    let mut changed = 0;
    for (key, value) in changes {
        let from = get(conn, key).await?;
        if from.as_ref() == Some(value) {
            continue;
        }
        let now = super::now();
        system_settings::Entity::insert(system_settings::ActiveModel {
            key: Set(key.clone()),
            value: Set(value.clone()),
            updated_by: Set(Some(actor)),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(system_settings::Column::Key)
                .update_columns([
                    system_settings::Column::Value,
                    system_settings::Column::UpdatedBy,
                    system_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(conn)
        .await?;
        audit::Entry::by_user(actor, "settings.update")
            .target("setting", key)
            .ip(ip)
            .details(json!({"key": key, "from": from, "to": value}))
            .write(conn)
            .await?;
        changed += 1;
    }
    Ok(changed)
}

/// The settings the SPA needs before anyone signs in.
pub async fn public(db: &DatabaseConnection) -> Result<PublicSettings, ApiError> {
    Ok(PublicSettings {
        registration_open: get_bool(db, REGISTRATION_OPEN).await?,
        digits: get_string(db, DIGITS).await?,
        week_start: get_string(db, WEEK_START).await?,
        admin_contact: get_string(db, ADMIN_CONTACT).await?,
        email_verification_required: get_bool(db, defs::EMAIL_VERIFICATION_REQUIRED).await?,
    })
}
