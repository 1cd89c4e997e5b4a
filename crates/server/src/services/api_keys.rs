//! API keys at the door: authentication of a presented key, and the record of refused attempts
//! with the per-IP block and its admin alert. Managing keys is in `api_key_admin`, the reports
//! in `api_key_reports`.

use chrono::Duration;
use domain::api_keys::{ApiKeyKind, ApiKeyStatus, ApiScope, FailedAuthReason};
use domain::settings as setting_keys;
use domain::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use crate::auth::api_key::{self, ApiKeyPrincipal};
use crate::auth::AuthUser;
use crate::entities::{admin_notifications, api_failed_auth, api_keys, users};
use crate::error::ApiError;
use crate::services::{notify, system_settings};

/// The admin-inbox kind raised when an address reaches the failure limit.
pub const IP_BLOCKED_NOTIFICATION: &str = "api_key_ip_blocked";

/// A key's scopes as stored (names no longer known are left out), sorted.
pub fn scopes_of(row: &api_keys::Model) -> Vec<ApiScope> {
    let mut scopes: Vec<ApiScope> = row
        .scopes
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(ApiScope::parse)
        .collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// A key's kind as stored; anything unreadable counts as personal (no admin scope works).
pub fn kind_of(row: &api_keys::Model) -> ApiKeyKind {
    ApiKeyKind::parse(&row.kind).unwrap_or(ApiKeyKind::Personal)
}

// ---------------------------------------------------------------------------------------------
// Authentication

/// Refused-attempt limits, from system settings: `max_failures` refusals from one address within
/// `window` block further key attempts from it until the oldest counted one leaves the window.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    pub max_failures: u64,
    pub window: Duration,
}

pub async fn throttle(conn: &impl ConnectionTrait) -> Result<Throttle, ApiError> {
    let values = system_settings::get_i64_many(
        conn,
        &[
            setting_keys::API_KEY_FAILURES_PER_IP,
            setting_keys::API_KEY_FAILURE_WINDOW_MINUTES,
        ],
    )
    .await?;
    let max_failures = values.first().copied().unwrap_or(20).max(1);
    let minutes = values.get(1).copied().unwrap_or(10).max(1);
    Ok(Throttle {
        max_failures: max_failures as u64,
        window: Duration::minutes(minutes),
    })
}

/// Seconds until `ip` may try keys again, or `None` when it is not blocked.
pub async fn blocked_for(
    conn: &impl ConnectionTrait,
    ip: &str,
    throttle: Throttle,
) -> Result<Option<u64>, ApiError> {
    let now = super::now();
    // The failure that has to leave the window before the count drops below the limit.
    let nth = api_failed_auth::Entity::find()
        .filter(api_failed_auth::Column::Ip.eq(ip))
        .filter(api_failed_auth::Column::CreatedAt.gt(now - throttle.window))
        // An admin's unblock clears the failures before it.
        .filter(api_failed_auth::Column::ClearedAt.is_null())
        .order_by_desc(api_failed_auth::Column::CreatedAt)
        .offset(throttle.max_failures - 1)
        .one(conn)
        .await?;
    Ok(nth.map(|row| {
        let wait = (row.created_at + throttle.window - now).num_seconds();
        wait.max(1) as u64
    }))
}

/// Why a presented key was refused, and its public prefix when it could be read.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub reason: FailedAuthReason,
    pub prefix: Option<String>,
}

impl Refusal {
    fn new(reason: FailedAuthReason, prefix: Option<String>) -> Self {
        Self { reason, prefix }
    }

    /// The 401 the caller sees: a distinct code for revoked, expired and suspended-owner keys.
    pub fn error(&self) -> ApiError {
        ApiError::Code(match self.reason {
            FailedAuthReason::Malformed
            | FailedAuthReason::UnknownKey
            | FailedAuthReason::InvalidSecret => ErrorCode::InvalidApiKey,
            FailedAuthReason::Revoked => ErrorCode::ApiKeyRevoked,
            FailedAuthReason::Expired => ErrorCode::ApiKeyExpired,
            FailedAuthReason::OwnerSuspended => ErrorCode::ApiKeyOwnerSuspended,
        })
    }
}

/// Looks a presented key up by its prefix and checks its hash, state and owner.
pub async fn authenticate(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Result<ApiKeyPrincipal, Refusal>, ApiError> {
    let Some(prefix) = api_key::parse_prefix(key) else {
        return Ok(Err(Refusal::new(FailedAuthReason::Malformed, None)));
    };
    let found = api_keys::Entity::find()
        .filter(api_keys::Column::Prefix.eq(prefix.as_str()))
        .find_also_related(users::Entity)
        .one(conn)
        .await?;
    let Some((row, owner)) = found else {
        return Ok(Err(Refusal::new(
            FailedAuthReason::UnknownKey,
            Some(prefix),
        )));
    };
    // The secret is checked first, so a wrong secret learns nothing about the key's state.
    if !api_key::verify(key, &row.key_hash) {
        return Ok(Err(Refusal::new(
            FailedAuthReason::InvalidSecret,
            Some(prefix),
        )));
    }
    let refusal = match ApiKeyStatus::of(row.revoked_at, row.expires_at, super::now()) {
        ApiKeyStatus::Revoked => Some(FailedAuthReason::Revoked),
        // A key acting as someone other than its creator cannot be made any more; one left
        // from before (the migration revoked them) counts as revoked.
        _ if row.created_by != Some(row.owner_id) => Some(FailedAuthReason::Revoked),
        ApiKeyStatus::Expired => Some(FailedAuthReason::Expired),
        ApiKeyStatus::Active => None,
    };
    if let Some(reason) = refusal {
        return Ok(Err(Refusal::new(reason, Some(prefix))));
    }
    let Some(owner) = owner.filter(|o| o.status == "active") else {
        return Ok(Err(Refusal::new(
            FailedAuthReason::OwnerSuspended,
            Some(prefix),
        )));
    };
    Ok(Ok(ApiKeyPrincipal {
        key_id: row.id,
        kind: kind_of(&row),
        created_by: row.created_by,
        scopes: scopes_of(&row),
        rate_limit_per_minute: u32::try_from(row.rate_limit_per_minute).unwrap_or(1).max(1),
        prefix,
        user: AuthUser {
            id: owner.id,
            username: owner.username.clone(),
            role: owner.role.clone(),
            token_version: owner.token_version,
            session_id: String::new(),
            api_key_id: Some(row.id),
            account: std::sync::Arc::new(owner),
        },
    }))
}

/// Where a refused attempt came from.
pub struct Attempt<'a> {
    pub ip: &'a str,
    pub method: &'a str,
    pub path: &'a str,
}

/// Records a refused attempt (never the presented secret: only the prefix, when it parsed). When
/// the address reaches the limit, the admins get one inbox entry per window.
pub async fn record_refusal(
    conn: &impl ConnectionTrait,
    throttle: Throttle,
    refusal: &Refusal,
    attempt: &Attempt<'_>,
) -> Result<(), ApiError> {
    let now = super::now();
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    api_failed_auth::ActiveModel {
        key_prefix: Set(refusal.prefix.clone()),
        ip: Set(clip(attempt.ip, 64)),
        reason: Set(refusal.reason.as_str().to_owned()),
        method: Set(clip(attempt.method, 16)),
        path: Set(clip(attempt.path, 300)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let window_start = now - throttle.window;
    let failures = api_failed_auth::Entity::find()
        .filter(api_failed_auth::Column::Ip.eq(attempt.ip))
        .filter(api_failed_auth::Column::CreatedAt.gt(window_start))
        .filter(api_failed_auth::Column::ClearedAt.is_null())
        .count(conn)
        .await?;
    if failures < throttle.max_failures {
        return Ok(());
    }
    // Blocked attempts are refused before they are recorded, so this runs about once per
    // window; the check below keeps it to one alert even when attempts race.
    let already_told = admin_notifications::Entity::find()
        .filter(admin_notifications::Column::Kind.eq(IP_BLOCKED_NOTIFICATION))
        .filter(admin_notifications::Column::CreatedAt.gt(window_start))
        .all(conn)
        .await?
        .iter()
        .any(|n| n.payload.get("ip").and_then(Value::as_str) == Some(attempt.ip));
    if already_told {
        return Ok(());
    }
    let minutes = throttle.window.num_minutes();
    notify::admins(
        conn,
        IP_BLOCKED_NOTIFICATION,
        notify::Severity::Warning,
        "محاولات متكررة بمفاتيح ربط برمجي غير صالحة",
        &format!(
            "بلغ العنوان {} حد المحاولات الفاشلة بمفاتيح الربط البرمجي ({failures} خلال {minutes} دقيقة)؛ حُظرت محاولاته مؤقتًا.",
            attempt.ip
        ),
        json!({
            "ip": attempt.ip,
            "failures": failures,
            "window_minutes": minutes,
            "last_key_prefix": refusal.prefix,
            "last_reason": refusal.reason.as_str(),
        }),
    )
    .await
}
