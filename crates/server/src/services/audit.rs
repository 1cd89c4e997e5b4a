//! The audit log: who did what to which thing, from where.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::Value;

use crate::auth::api_key::current_key;
use crate::entities::audit_log;
use crate::error::ApiError;

pub struct Entry<'a> {
    pub actor_user_id: Option<i64>,
    pub actor_api_key_id: Option<i64>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub ip: Option<&'a str>,
    pub details: Value,
}

impl<'a> Entry<'a> {
    pub fn by_user(actor: i64, action: &'a str) -> Self {
        Self {
            actor_user_id: Some(actor),
            actor_api_key_id: None,
            action,
            target_type: None,
            target_id: None,
            ip: None,
            details: Value::Object(Default::default()),
        }
    }

    pub fn target(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.target_type = Some(kind);
        self.target_id = Some(id.to_string());
        self
    }

    pub fn ip(mut self, ip: &'a str) -> Self {
        self.ip = Some(ip);
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Inserts the entry. Inside a request authenticated by an API key the key and the admin
    /// who created it are recorded as well (`actor_api_key_id`, `actor_key_creator_id`),
    /// without the handler having to pass them.
    pub async fn write(self, conn: &impl ConnectionTrait) -> Result<(), ApiError> {
        let acting = current_key();
        let key_id = self.actor_api_key_id.or(acting.map(|k| k.id));
        let creator = acting
            .filter(|k| Some(k.id) == key_id)
            .and_then(|k| k.created_by);
        audit_log::ActiveModel {
            actor_user_id: Set(self.actor_user_id),
            actor_api_key_id: Set(key_id),
            actor_key_creator_id: Set(creator),
            action: Set(self.action.to_owned()),
            target_type: Set(self.target_type.map(str::to_owned)),
            target_id: Set(self.target_id),
            ip: Set(self.ip.map(str::to_owned)),
            details: Set(self.details),
            created_at: Set(super::now()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}
