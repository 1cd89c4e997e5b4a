//! System settings stored as JSON values by key; absent keys fall back to built-in defaults.

use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::Value;

use crate::entities::system_settings;
use crate::error::ApiError;

pub const REGISTRATION_OPEN: &str = "registration_open";
/// Points a user may send to others per UTC day.
pub const TRANSFER_DAILY_LIMIT: &str = "transfer_daily_limit";
/// First day of the leaderboard week: saturday | sunday | monday.
pub const WEEK_START: &str = "week_start";

pub fn default_value(key: &str) -> Option<Value> {
    Some(match key {
        REGISTRATION_OPEN => Value::Bool(true),
        TRANSFER_DAILY_LIMIT => Value::from(1000),
        WEEK_START => Value::from("saturday"),
        _ => return None,
    })
}

pub async fn get(conn: &impl ConnectionTrait, key: &str) -> Result<Option<Value>, ApiError> {
    let row = system_settings::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await?;
    Ok(row.map(|r| r.value).or_else(|| default_value(key)))
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

pub async fn get_string(conn: &impl ConnectionTrait, key: &str) -> Result<String, ApiError> {
    Ok(get(conn, key)
        .await?
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default())
}
