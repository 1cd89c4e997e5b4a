//! Managing API keys: creation, editing, rotation and revocation (each audit-logged), the lists
//! the admin pages show, and the point-award ceilings of service keys, counted in the database.
//!
//! A key always acts as the admin who creates it (`owner_id` = `created_by`): there is no way to
//! make a key for someone else.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::api_keys::{
    ApiKey, ApiKeyKind, ApiKeyPage, ApiKeyStatus, ApiScope, UpdateApiKeyRequest, ValidApiKeyRequest,
};
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use super::api_keys::{kind_of, scopes_of};
use crate::auth::api_key;
use crate::entities::{api_keys, users};
use crate::error::ApiError;
use crate::services::{audit, ledger};

/// The settings a new key is created with.
struct NewKey<'a> {
    name: &'a str,
    kind: ApiKeyKind,
    scopes: &'a [ApiScope],
    rate_limit_per_minute: i32,
    expires_at: Option<DateTime<Utc>>,
    ceilings: (Option<i64>, Option<i64>),
    /// A rotated key carries on today's award count, so rotating does not reset the ceiling.
    award_day: i64,
    awarded_today: i64,
    rotated_from_id: Option<i64>,
}

/// Inserts a key owned by (and acting as) `admin_id` and returns the row with the full key
/// (which exists only in this response).
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
        owner_id: Set(admin_id),
        scopes: Set(json!(scopes)),
        rate_limit_per_minute: Set(new.rate_limit_per_minute),
        kind: Set(new.kind.as_str().to_owned()),
        award_max_per_call: Set(new.ceilings.0),
        award_max_per_day: Set(new.ceilings.1),
        award_day: Set(new.award_day),
        awarded_today: Set(new.awarded_today),
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
        "kind": row.kind,
        "owner_id": row.owner_id,
        "scopes": row.scopes,
        "rate_limit_per_minute": row.rate_limit_per_minute,
        "award_max_per_call": row.award_max_per_call,
        "award_max_per_day": row.award_max_per_day,
        "expires_at": row.expires_at,
    })
}

/// Creates a key acting as `admin_id` (inside the caller's transaction) and audit-logs it
/// without the secret.
pub async fn create(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    req: &ValidApiKeyRequest,
) -> Result<(api_keys::Model, String), ApiError> {
    let (row, key) = insert_key(
        conn,
        admin_id,
        &NewKey {
            name: &req.name,
            kind: req.kind,
            scopes: &req.scopes,
            rate_limit_per_minute: req.rate_limit_per_minute,
            expires_at: req.expires_at,
            ceilings: (
                req.ceilings.map(|c| c.per_call),
                req.ceilings.map(|c| c.per_day),
            ),
            award_day: 0,
            awarded_today: 0,
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

/// 409 unless the key can still be used (edit and rotate need a live key).
fn require_active(row: &api_keys::Model, what: &str) -> Result<(), ApiError> {
    let message = match ApiKeyStatus::of(row.revoked_at, row.expires_at, super::now()) {
        ApiKeyStatus::Active => return Ok(()),
        ApiKeyStatus::Revoked => format!("هذا المفتاح ملغى؛ لا يمكن {what}. أنشئ مفتاحًا جديدًا."),
        ApiKeyStatus::Expired => {
            format!("انتهت صلاحية هذا المفتاح؛ لا يمكن {what}. أنشئ مفتاحًا جديدًا.")
        }
    };
    Err(ApiError::message(ErrorCode::InvalidTransition, message))
}

/// Changes a live key's name, rate limit or award ceilings (its kind, scopes and owner never
/// change), in the caller's transaction, audit-logged with the values before and after.
pub async fn update(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    req: &UpdateApiKeyRequest,
) -> Result<api_keys::Model, ApiError> {
    let row = get(conn, id).await?;
    require_active(&row, "تعديله")?;
    let current = to_dto(&row, None, None, super::now()).settings();
    let valid = req
        .validate(&scopes_of(&row), &current)
        .map_err(ApiError::Validation)?;
    let mut model: api_keys::ActiveModel = row.clone().into();
    model.name = Set(valid.name.clone());
    model.rate_limit_per_minute = Set(valid.rate_limit_per_minute);
    model.award_max_per_call = Set(valid.ceilings.map(|c| c.per_call));
    model.award_max_per_day = Set(valid.ceilings.map(|c| c.per_day));
    model.updated_at = Set(super::now());
    let updated = model.update(conn).await?;
    audit::Entry::by_user(admin_id, "api_key.update")
        .target("api_key", id)
        .ip(ip)
        .details(json!({
            "prefix": row.prefix,
            "before": key_details(&row),
            "after": key_details(&updated),
        }))
        .write(conn)
        .await?;
    Ok(updated)
}

/// Sets `revoked_at` unless it is set; whether this call did (of two racing calls, one does).
async fn mark_revoked(conn: &impl ConnectionTrait, id: i64) -> Result<bool, ApiError> {
    let now = super::now();
    Ok(api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .col_expr(api_keys::Column::UpdatedAt, Expr::value(now))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected
        > 0)
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
    let changed = mark_revoked(conn, id).await?;
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
/// transaction. Of two simultaneous rotations one wins; the other gets 409. The new key acts as
/// the admin rotating it, like any new key; rotating someone else's key makes it yours.
pub async fn rotate(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
) -> Result<(api_keys::Model, String), ApiError> {
    let old = get(conn, id).await?;
    require_active(&old, "تدويره")?;
    if !mark_revoked(conn, id).await? {
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
            kind: kind_of(&old),
            scopes: &scopes,
            rate_limit_per_minute: old.rate_limit_per_minute,
            expires_at: old.expires_at,
            ceilings: (old.award_max_per_call, old.award_max_per_day),
            award_day: old.award_day,
            awarded_today: old.awarded_today,
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
            "from_owner_id": old.owner_id,
            "prefix": row.prefix,
            "name": row.name,
        }))
        .write(conn)
        .await?;
    Ok((row, key))
}

// ---------------------------------------------------------------------------------------------
// Point-award ceilings

fn ceiling_error(message: String) -> ApiError {
    ApiError::field(ErrorCode::ApiKeyCeilingExceeded, "amount", message)
}

/// Counts an award or deduction of `amount` points (its absolute value) against the ceilings of
/// key `key_id`, inside the caller's transaction: one conditional update checks the per-call and
/// the per-day ceiling and raises today's count, so concurrent calls can never pass the daily
/// ceiling together (PostgreSQL locks the row until the transaction ends; SQLite has one
/// writer). If the award then fails, the transaction's rollback takes the count back. A key
/// without ceilings (a converted key nobody has set them on) is refused.
pub async fn charge_award(
    conn: &impl ConnectionTrait,
    key_id: i64,
    amount: i64,
) -> Result<(), ApiError> {
    let amount = amount.saturating_abs();
    let day = ledger::utc_day();
    let today = || Expr::col(api_keys::Column::AwardDay).eq(day);
    let before =
        Expr::case(today(), Expr::col(api_keys::Column::AwardedToday)).finally(Expr::val(0i64));
    let after = Expr::case(
        today(),
        Expr::col(api_keys::Column::AwardedToday).add(amount),
    )
    .finally(Expr::val(amount));
    let charged = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::AwardedToday, after.into())
        .col_expr(api_keys::Column::AwardDay, Expr::val(day))
        .filter(api_keys::Column::Id.eq(key_id))
        .filter(api_keys::Column::AwardMaxPerCall.gte(amount))
        .filter(
            Expr::expr(before)
                .add(amount)
                .lte(Expr::col(api_keys::Column::AwardMaxPerDay)),
        )
        .exec(conn)
        .await?
        .rows_affected;
    if charged > 0 {
        return Ok(());
    }
    // Refused: say which ceiling (read after the refusal, for the message only).
    let row = get(conn, key_id).await?;
    let used = if row.award_day == day {
        row.awarded_today
    } else {
        0
    };
    Err(match (row.award_max_per_call, row.award_max_per_day) {
        (Some(per_call), _) if amount > per_call => ceiling_error(format!(
            "يتجاوز المبلغ ({amount} كربتو) سقف هذا المفتاح للطلب الواحد ({per_call} كربتو)."
        )),
        (Some(_), Some(per_day)) => ceiling_error(format!(
            "يتجاوز المبلغ ({amount} كربتو) ما تبقّى من سقف هذا المفتاح اليومي: المتبقي اليوم {} من {per_day} كربتو.",
            std::cmp::Ord::max(per_day - used, 0)
        )),
        _ => ceiling_error(
            "لم تُحدَّد لهذا المفتاح سقوف لمنح النقاط، فالمنح به موقوف. حدّدها في صفحة «مفاتيح API» أولًا."
                .to_owned(),
        ),
    })
}

// ---------------------------------------------------------------------------------------------
// Lists

fn to_dto(
    r: &api_keys::Model,
    owner: Option<&users::Model>,
    creator: Option<&users::Model>,
    now: DateTime<Utc>,
) -> ApiKey {
    let status = ApiKeyStatus::of(r.revoked_at, r.expires_at, now);
    let kind = kind_of(r);
    ApiKey {
        id: r.id,
        name: r.name.clone(),
        prefix: r.prefix.clone(),
        kind,
        kind_label: kind.label_ar().to_owned(),
        owner_id: r.owner_id,
        owner_username: owner.map(|o| o.username.clone()).unwrap_or_default(),
        owner_display_name: owner.map(|o| o.display_name.clone()).unwrap_or_default(),
        owner_role: owner.map(|o| o.role.clone()).unwrap_or_default(),
        scopes: scopes_of(r),
        rate_limit_per_minute: r.rate_limit_per_minute,
        award_max_per_call: r.award_max_per_call,
        award_max_per_day: r.award_max_per_day,
        awarded_today: if r.award_day == ledger::utc_day() {
            r.awarded_today
        } else {
            0
        },
        expires_at: r.expires_at,
        revoked_at: r.revoked_at,
        last_used_at: r.last_used_at,
        rotated_from_id: r.rotated_from_id,
        created_by: r.created_by,
        created_by_username: creator.map(|u| u.username.clone()),
        created_at: r.created_at,
        status,
        status_label: status.label_ar().to_owned(),
    }
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
            let creator = r.created_by.and_then(|id| people.get(&id));
            to_dto(r, people.get(&r.owner_id), creator, now)
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

/// The public prefixes of these keys (for the audit log, which names the acting key).
pub async fn prefixes(
    conn: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|k| (k.id, k.prefix))
        .collect())
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
