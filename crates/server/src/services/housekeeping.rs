//! Retention: rows that only matter for a while are deleted once an hour, so the tables that grow
//! with traffic stay bounded. Each replica runs it; deletes by age are idempotent, so replicas
//! racing only find fewer rows.
//!
//! | table | kept for | why that long |
//! |---|---|---|
//! | `idempotency_keys` | 24 h | a client retries within minutes; 24 h is the usual promise |
//! | `login_attempts` | 30 days | the lock-out looks back 15 min; the rest is for investigations |
//! | `refresh_tokens` | 7 days past expiry | an expired token is refused anyway |
//! | `api_usage_log` | 90 days | the usage report reads at most 90 days |
//! | `api_failed_auth` | 90 days | the same horizon for refused keys |
//! | `token_failed_auth` | 90 days | and for refused bearer tokens |
//! | `password_resets` | 30 days | links live 30 minutes and the limits look back an hour |
//! | `email_verifications` | 30 days | links live 24 hours and the limits look back an hour |
//! | `login_challenges` | 1 day | a challenge lives 5 minutes; the limit looks back 15 |
//! | `session_step_ups` | 1 day | a confirmation counts for 10 minutes |
//!
//! The ledger, audit log, notifications, the email outbox and chat are records and are never
//! pruned here.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::task::JoinHandle;

use crate::entities::{
    api_failed_auth, api_usage_log, email_verifications, idempotency_keys, token_failed_auth,
};
use crate::entities::{
    login_attempts, login_challenges, password_resets, refresh_tokens, session_step_ups,
};
use crate::error::ApiError;

pub const IDEMPOTENCY_KEYS_FOR: chrono::Duration = chrono::Duration::hours(24);
pub const LOGIN_ATTEMPTS_FOR: chrono::Duration = chrono::Duration::days(30);
pub const EXPIRED_REFRESH_TOKENS_FOR: chrono::Duration = chrono::Duration::days(7);
pub const API_LOGS_FOR: chrono::Duration = chrono::Duration::days(90);
pub const PASSWORD_RESETS_FOR: chrono::Duration = chrono::Duration::days(30);
pub const EMAIL_VERIFICATIONS_FOR: chrono::Duration = chrono::Duration::days(30);
pub const TOTP_ROWS_FOR: chrono::Duration = chrono::Duration::days(1);

/// Rows deleted by one pass, per table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PruneReport {
    pub idempotency_keys: u64,
    pub login_attempts: u64,
    pub refresh_tokens: u64,
    pub api_usage_log: u64,
    pub api_failed_auth: u64,
    pub token_failed_auth: u64,
    pub password_resets: u64,
    pub email_verifications: u64,
    pub login_challenges: u64,
    pub session_step_ups: u64,
}

pub fn spawn(db: DatabaseConnection, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match prune(&db, crate::services::now()).await {
                Ok(report) if report != PruneReport::default() => {
                    tracing::info!(?report, "housekeeping deleted expired rows");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = ?err, "housekeeping failed"),
            }
        }
    })
}

/// Deletes what has outlived its retention at `now`.
pub async fn prune(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<PruneReport, ApiError> {
    let idempotency_keys = idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::CreatedAt.lt(now - IDEMPOTENCY_KEYS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let login_attempts = login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::CreatedAt.lt(now - LOGIN_ATTEMPTS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let refresh_tokens = refresh_tokens::Entity::delete_many()
        .filter(refresh_tokens::Column::ExpiresAt.lt(now - EXPIRED_REFRESH_TOKENS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let api_usage_log = api_usage_log::Entity::delete_many()
        .filter(api_usage_log::Column::CreatedAt.lt(now - API_LOGS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let api_failed_auth = api_failed_auth::Entity::delete_many()
        .filter(api_failed_auth::Column::CreatedAt.lt(now - API_LOGS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let token_failed_auth = token_failed_auth::Entity::delete_many()
        .filter(token_failed_auth::Column::CreatedAt.lt(now - API_LOGS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let password_resets = password_resets::Entity::delete_many()
        .filter(password_resets::Column::CreatedAt.lt(now - PASSWORD_RESETS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let email_verifications = email_verifications::Entity::delete_many()
        .filter(email_verifications::Column::CreatedAt.lt(now - EMAIL_VERIFICATIONS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let login_challenges = login_challenges::Entity::delete_many()
        .filter(login_challenges::Column::CreatedAt.lt(now - TOTP_ROWS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    let session_step_ups = session_step_ups::Entity::delete_many()
        .filter(session_step_ups::Column::SteppedUpAt.lt(now - TOTP_ROWS_FOR))
        .exec(db)
        .await?
        .rows_affected;
    Ok(PruneReport {
        password_resets,
        email_verifications,
        login_challenges,
        session_step_ups,
        idempotency_keys,
        login_attempts,
        refresh_tokens,
        api_usage_log,
        api_failed_auth,
        token_failed_auth,
    })
}
