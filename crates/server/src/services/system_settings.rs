//! System settings stored as JSON values by key; absent keys fall back to built-in defaults.

use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::Value;

use crate::entities::system_settings;
use crate::error::ApiError;

pub const REGISTRATION_OPEN: &str = "registration_open";

pub fn default_value(key: &str) -> Option<Value> {
    Some(match key {
        REGISTRATION_OPEN => Value::Bool(true),
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
