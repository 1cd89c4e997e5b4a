//! API keys: creation, rotation and revocation (each audit-logged), authentication of a
//! presented key, the record of refused attempts with the per-IP block and its admin alert, and
//! the usage report.

use std::collections::HashMap;

use chrono::{DateTime, Duration, DurationRound, NaiveDate, NaiveDateTime, Utc};
use domain::api_keys::{
    ApiKey, ApiKeyPage, ApiKeyStatus, ApiKeyUsage, ApiScope, FailedAuthEntry, FailedAuthPage,
    FailedAuthReason, UsageBucket, UsageCall, UsagePoint, ValidApiKeyRequest,
    USAGE_HOURLY_MAX_DAYS, USAGE_RECENT,
};
use domain::settings as setting_keys;
use domain::users::Role;
use domain::{ErrorCode, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use crate::auth::api_key::{self, ApiKeyPrincipal};
use crate::auth::AuthUser;
use crate::entities::{admin_notifications, api_failed_auth, api_keys, api_usage_log, users};
use crate::error::ApiError;
use crate::services::{audit, notify, system_settings};

/// The admin-inbox kind raised when an address reaches the failure limit.
pub const IP_BLOCKED_NOTIFICATION: &str = "api_key_ip_blocked";

fn scopes_of(row: &api_keys::Model) -> Vec<ApiScope> {
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

// ---------------------------------------------------------------------------------------------
// Administration

/// The owner a new key acts for: the given user or the admin creating it. Must exist and be
/// active; admin-only scopes need an admin owner.
pub async fn owner_for(
    conn: &impl ConnectionTrait,
    req: &ValidApiKeyRequest,
    admin_id: i64,
) -> Result<users::Model, ApiError> {
    let owner_id = req.owner_id.unwrap_or(admin_id);
    let owner = users::Entity::find_by_id(owner_id).one(conn).await?;
    let mut fields = FieldErrors::new();
    match &owner {
        None => {
            fields.insert("owner_id".into(), "لا يوجد مستخدم بهذا المعرّف.".into());
        }
        Some(o) if o.status != "active" => {
            fields.insert(
                "owner_id".into(),
                "حساب المالك موقوف؛ لا يمكن إنشاء مفتاح له.".into(),
            );
        }
        Some(o) if o.role != Role::Admin.as_str() => {
            let admin_only: Vec<String> = req
                .scopes
                .iter()
                .filter(|s| s.admin_only())
                .map(|s| format!("«{}»", s.label_ar()))
                .collect();
            if !admin_only.is_empty() {
                fields.insert(
                    "scopes".into(),
                    format!(
                        "هذه النطاقات لمسارات الإدارة فقط ولا تعمل مع مالك ليس مشرفًا: {}.",
                        admin_only.join("، ")
                    ),
                );
            }
        }
        Some(_) => {}
    }
    match owner {
        Some(o) if fields.is_empty() => Ok(o),
        _ => Err(ApiError::Validation(fields)),
    }
}

/// The settings a new key is created with.
pub struct NewKey<'a> {
    pub name: &'a str,
    pub owner_id: i64,
    pub scopes: &'a [ApiScope],
    pub rate_limit_per_minute: i32,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotated_from_id: Option<i64>,
}

/// Inserts a key and returns the row with the full key (which exists only in this response).
async fn insert_key(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    new: &NewKey<'_>,
) -> Result<(api_keys::Model, String), ApiError> {
    // 36¹² public ids make a collision practically impossible; the unique index is the guard.
    let mut generated = api_key::generate();
    for _ in 0..3 {
        let taken = api_keys::Entity::find()
            .filter(api_keys::Column::Prefix.eq(generated.0.as_str()))
            .one(conn)
            .await?
            .is_some();
        if !taken {
            break;
        }
        generated = api_key::generate();
    }
    let (prefix, key) = generated;
    let now = super::now();
    let scopes: Vec<&str> = new.scopes.iter().map(|s| s.as_str()).collect();
    let row = api_keys::ActiveModel {
        name: Set(new.name.to_owned()),
        prefix: Set(prefix),
        key_hash: Set(api_key::hash(&key)),
        owner_id: Set(new.owner_id),
        scopes: Set(json!(scopes)),
        rate_limit_per_minute: Set(new.rate_limit_per_minute),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        rotated_from_id: Set(new.rotated_from_id),
        created_by: Set(Some(admin_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok((row, key))
}

fn key_details(row: &api_keys::Model) -> Value {
    json!({
        "name": row.name,
        "prefix": row.prefix,
        "owner_id": row.owner_id,
        "scopes": row.scopes,
        "rate_limit_per_minute": row.rate_limit_per_minute,
        "expires_at": row.expires_at,
    })
}

/// Creates a key (inside the caller's transaction) and audit-logs it without the secret.
pub async fn create(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    req: &ValidApiKeyRequest,
    owner: &users::Model,
) -> Result<(api_keys::Model, String), ApiError> {
    let (row, key) = insert_key(
        conn,
        admin_id,
        &NewKey {
            name: &req.name,
            owner_id: owner.id,
            scopes: &req.scopes,
            rate_limit_per_minute: req.rate_limit_per_minute,
            expires_at: req.expires_at,
            rotated_from_id: None,
        },
    )
    .await?;
    audit::Entry::by_user(admin_id, "api_key.create")
        .target("api_key", row.id)
        .ip(ip)
        .details(key_details(&row))
        .write(conn)
        .await?;
    Ok((row, key))
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<api_keys::Model, ApiError> {
    api_keys::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Revokes a key. Revoking a revoked key changes nothing (and logs nothing): the call is
/// idempotent. Returns whether this call revoked it.
pub async fn revoke(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
) -> Result<bool, ApiError> {
    let row = get(conn, id).await?;
    let now = super::now();
    let changed = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .col_expr(api_keys::Column::UpdatedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected
        > 0;
    if changed {
        audit::Entry::by_user(admin_id, "api_key.revoke")
            .target("api_key", id)
            .ip(ip)
            .details(json!({"name": row.name, "prefix": row.prefix}))
            .write(conn)
            .await?;
    }
    Ok(changed)
}

/// Replaces a key with a new one with the same settings and revokes it, in the caller's
/// transaction. Of two simultaneous rotations one wins; the other gets 409.
pub async fn rotate(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
) -> Result<(api_keys::Model, String), ApiError> {
    let old = get(conn, id).await?;
    match ApiKeyStatus::of(old.revoked_at, old.expires_at, super::now()) {
        ApiKeyStatus::Revoked => {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "هذا المفتاح ملغى؛ لا يمكن تدويره. أنشئ مفتاحًا جديدًا.",
            ))
        }
        ApiKeyStatus::Expired => {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "انتهت صلاحية هذا المفتاح؛ لا يمكن تدويره. أنشئ مفتاحًا جديدًا.",
            ))
        }
        ApiKeyStatus::Active => {}
    }
    let now = super::now();
    let revoked = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .col_expr(api_keys::Column::UpdatedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    if revoked == 0 {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "أُلغي هذا المفتاح أو دُوّر للتو.",
        ));
    }
    let scopes = scopes_of(&old);
    let (row, key) = insert_key(
        conn,
        admin_id,
        &NewKey {
            name: &old.name,
            owner_id: old.owner_id,
            scopes: &scopes,
            rate_limit_per_minute: old.rate_limit_per_minute,
            expires_at: old.expires_at,
            rotated_from_id: Some(old.id),
        },
    )
    .await?;
    audit::Entry::by_user(admin_id, "api_key.rotate")
        .target("api_key", row.id)
        .ip(ip)
        .details(json!({
            "from_id": old.id,
            "from_prefix": old.prefix,
            "prefix": row.prefix,
            "name": row.name,
        }))
        .write(conn)
        .await?;
    Ok((row, key))
}

/// Keys as the admin pages show them, with owner and creator names.
pub async fn to_dtos(
    conn: &impl ConnectionTrait,
    rows: &[api_keys::Model],
) -> Result<Vec<ApiKey>, ApiError> {
    let mut ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| std::iter::once(r.owner_id).chain(r.created_by))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<i64, users::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    let now = super::now();
    Ok(rows
        .iter()
        .map(|r| {
            let owner = people.get(&r.owner_id);
            let status = ApiKeyStatus::of(r.revoked_at, r.expires_at, now);
            ApiKey {
                id: r.id,
                name: r.name.clone(),
                prefix: r.prefix.clone(),
                owner_id: r.owner_id,
                owner_username: owner.map(|o| o.username.clone()).unwrap_or_default(),
                owner_display_name: owner.map(|o| o.display_name.clone()).unwrap_or_default(),
                owner_role: owner.map(|o| o.role.clone()).unwrap_or_default(),
                scopes: scopes_of(r),
                rate_limit_per_minute: r.rate_limit_per_minute,
                expires_at: r.expires_at,
                revoked_at: r.revoked_at,
                last_used_at: r.last_used_at,
                rotated_from_id: r.rotated_from_id,
                created_by: r.created_by,
                created_by_username: r
                    .created_by
                    .and_then(|id| people.get(&id))
                    .map(|u| u.username.clone()),
                created_at: r.created_at,
                status,
                status_label: status.label_ar().to_owned(),
            }
        })
        .collect())
}

pub async fn get_dto(conn: &impl ConnectionTrait, id: i64) -> Result<ApiKey, ApiError> {
    let row = get(conn, id).await?;
    to_dtos(conn, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)
}

pub struct ListFilter {
    pub status: Option<ApiKeyStatus>,
    pub owner_id: Option<i64>,
    pub cursor: Option<i64>,
    pub limit: u64,
}

/// Keys, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &ListFilter,
) -> Result<ApiKeyPage, ApiError> {
    let now = super::now();
    let mut q = api_keys::Entity::find();
    if let Some(cursor) = filter.cursor {
        q = q.filter(api_keys::Column::Id.lt(cursor));
    }
    if let Some(owner) = filter.owner_id {
        q = q.filter(api_keys::Column::OwnerId.eq(owner));
    }
    let not_expired = Condition::any()
        .add(api_keys::Column::ExpiresAt.is_null())
        .add(api_keys::Column::ExpiresAt.gt(now));
    q = match filter.status {
        None => q,
        Some(ApiKeyStatus::Active) => q
            .filter(api_keys::Column::RevokedAt.is_null())
            .filter(not_expired),
        Some(ApiKeyStatus::Revoked) => q.filter(api_keys::Column::RevokedAt.is_not_null()),
        Some(ApiKeyStatus::Expired) => q
            .filter(api_keys::Column::RevokedAt.is_null())
            .filter(api_keys::Column::ExpiresAt.lte(now)),
    };
    let rows = q
        .order_by_desc(api_keys::Column::Id)
        .limit(filter.limit + 1)
        .all(conn)
        .await?;
    let (rows, next_cursor) = crate::routes::pagination::split_page(rows, filter.limit, |r| r.id);
    Ok(ApiKeyPage {
        items: to_dtos(conn, &rows).await?,
        next_cursor,
    })
}

pub struct FailedAuthFilter {
    pub ip: Option<String>,
    pub reason: Option<FailedAuthReason>,
    pub cursor: Option<i64>,
    pub limit: u64,
}

/// Refused attempts, newest first.
pub async fn failed_auth(
    conn: &impl ConnectionTrait,
    filter: &FailedAuthFilter,
) -> Result<FailedAuthPage, ApiError> {
    let mut q = api_failed_auth::Entity::find();
    if let Some(cursor) = filter.cursor {
        q = q.filter(api_failed_auth::Column::Id.lt(cursor));
    }
    if let Some(ip) = &filter.ip {
        q = q.filter(api_failed_auth::Column::Ip.eq(ip.as_str()));
    }
    if let Some(reason) = filter.reason {
        q = q.filter(api_failed_auth::Column::Reason.eq(reason.as_str()));
    }
    let rows = q
        .order_by_desc(api_failed_auth::Column::Id)
        .limit(filter.limit + 1)
        .all(conn)
        .await?;
    let (rows, next_cursor) = crate::routes::pagination::split_page(rows, filter.limit, |r| r.id);
    Ok(FailedAuthPage {
        items: rows
            .into_iter()
            .map(|r| FailedAuthEntry {
                id: r.id,
                created_at: r.created_at,
                ip: r.ip,
                key_prefix: r.key_prefix,
                reason_label: FailedAuthReason::parse(&r.reason)
                    .map(FailedAuthReason::label_ar)
                    .unwrap_or_default()
                    .to_owned(),
                reason: r.reason,
                method: r.method,
                path: r.path,
            })
            .collect(),
        next_cursor,
    })
}

#[derive(Debug, FromQueryResult)]
struct BucketRow {
    bucket: String,
    calls: i64,
    errors: Option<i64>,
}

/// Calls and errors per hour (up to 2 days) or per day, every bucket listed, plus the latest calls.
pub async fn usage(
    conn: &impl ConnectionTrait,
    id: i64,
    days: u32,
) -> Result<ApiKeyUsage, ApiError> {
    get(conn, id).await?;
    let now = super::now();
    let hourly = days <= USAGE_HOURLY_MAX_DAYS;
    let (step, buckets) = if hourly {
        (Duration::hours(1), i64::from(days) * 24)
    } else {
        (Duration::days(1), i64::from(days))
    };
    let current = now
        .duration_trunc(step)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("rounding the usage period: {e}")))?;
    let from = current - step * i32::try_from(buckets - 1).unwrap_or(0);
    // A timestamp's UTC hour or date as text: PostgreSQL stores timestamptz, SQLite RFC 3339
    // text in UTC (`2026-11-27T14:05:09.123456+00:00`).
    let bucket_expr = match (conn.get_database_backend(), hourly) {
        (DbBackend::Postgres, true) => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
        (DbBackend::Postgres, false) => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        (_, true) => "substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 2)",
        (_, false) => "substr(created_at, 1, 10)",
    };
    let counted: HashMap<DateTime<Utc>, (i64, i64)> = api_usage_log::Entity::find()
        .select_only()
        .column_as(Expr::cust(bucket_expr), "bucket")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "calls")
        .column_as(
            Expr::cust("CAST(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS BIGINT)"),
            "errors",
        )
        .filter(api_usage_log::Column::ApiKeyId.eq(id))
        .filter(api_usage_log::Column::CreatedAt.gte(from))
        .group_by(Expr::cust(bucket_expr))
        .into_model::<BucketRow>()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|r| {
            let start = if hourly {
                NaiveDateTime::parse_from_str(&format!("{}:00", r.bucket), "%Y-%m-%d %H:%M").ok()?
            } else {
                NaiveDate::parse_from_str(&r.bucket, "%Y-%m-%d")
                    .ok()?
                    .and_hms_opt(0, 0, 0)?
            };
            Some((start.and_utc(), (r.calls, r.errors.unwrap_or(0))))
        })
        .collect();
    let series: Vec<UsagePoint> = (0..buckets)
        .map(|i| {
            let start = from + step * i32::try_from(i).unwrap_or(0);
            let (calls, errors) = counted.get(&start).copied().unwrap_or((0, 0));
            UsagePoint {
                start,
                calls,
                errors,
            }
        })
        .collect();
    // Newest first along the (api_key_id, created_at) index, however many calls the key made.
    let recent = api_usage_log::Entity::find()
        .filter(api_usage_log::Column::ApiKeyId.eq(id))
        .order_by_desc(api_usage_log::Column::CreatedAt)
        .order_by_desc(api_usage_log::Column::Id)
        .limit(USAGE_RECENT)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| UsageCall {
            created_at: r.created_at,
            method: r.method,
            route: r.route,
            status: r.status,
            latency_ms: r.latency_ms,
            ip: r.ip,
        })
        .collect();
    Ok(ApiKeyUsage {
        api_key_id: id,
        days,
        bucket: if hourly {
            UsageBucket::Hour
        } else {
            UsageBucket::Day
        },
        from,
        to: now,
        total_calls: series.iter().map(|p| p.calls).sum(),
        total_errors: series.iter().map(|p| p.errors).sum(),
        series,
        recent,
    })
}
