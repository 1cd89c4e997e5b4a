//! Notifications for admins (the admin inbox) and for users.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::Value;

use crate::entities::{admin_notifications, notifications};
use crate::error::ApiError;

#[derive(Debug, Clone, Copy)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

pub async fn admins(
    conn: &impl ConnectionTrait,
    kind: &str,
    severity: Severity,
    title: &str,
    body: &str,
    payload: Value,
) -> Result<(), ApiError> {
    admin_notifications::ActiveModel {
        kind: Set(kind.to_owned()),
        severity: Set(severity.as_str().to_owned()),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        payload: Set(payload),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A notification for a user's bell, to be written with another change (see
/// [`crate::services::ledger::transfer`]).
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub payload: Value,
}

/// A notification in the user's bell.
pub async fn user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    kind: &str,
    title: &str,
    body: &str,
    payload: Value,
) -> Result<(), ApiError> {
    notifications::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        payload: Set(payload),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
