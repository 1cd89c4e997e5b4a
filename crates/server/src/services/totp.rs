//! Two-factor sign-in with TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits, one step of
//! clock skew either way), one-time recovery codes, the sign-in challenge between the password
//! and the code, and step-up confirmation of a session for sensitive admin operations.
//!
//! A code is accepted once: the step it matched is stored and a code of that step or an earlier
//! one is refused, with a conditional update so two parallel requests cannot both use it.
//! Recovery codes and challenges are stored as SHA-256 hashes only.

use chrono::Duration;
use domain::totp::{TotpSetup, RECOVERY_CODE_COUNT, STEP_UP_TTL_SECS};
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};
use totp_rs::{Builder, Secret, Totp};

use crate::auth::AuthUser;
use crate::entities::{login_challenges, session_step_ups, totp_recovery_codes, user_totp};
use crate::error::ApiError;
use crate::services::{sessions, system_settings};

pub const ISSUER: &str = "Musabaqati";
/// How long the second sign-in step may take.
pub const CHALLENGE_TTL_SECS: i64 = 300;
/// Wrong codes one challenge accepts before it is spent.
pub const CHALLENGE_MAX_ATTEMPTS: i32 = 5;
/// Wrong second-step codes for one account within [`CHALLENGE_WINDOW_MINUTES`] after which no new
/// challenge is issued (a password holder cannot loop through fresh challenges).
pub const ACCOUNT_MAX_FAILURES: i64 = 10;
pub const CHALLENGE_WINDOW_MINUTES: i64 = 15;

fn totp(secret_b32: &str) -> Result<Totp, ApiError> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("building TOTP: {e:?}")))
}

fn unix_now() -> u64 {
    u64::try_from(super::now().timestamp()).unwrap_or(0)
}

/// The `otpauth://` URI authenticator apps read from a QR code.
pub fn otpauth_uri(secret_b32: &str, account: &str) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_b32}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        issuer = enc(ISSUER),
        account = enc(account),
    )
}

pub fn hash(raw: &str) -> String {
    sessions::hash_token(raw)
}

/// Recovery codes are typed by people: case, spaces and dashes do not matter.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn new_recovery_code() -> String {
    let bytes: [u8; 5] = rand::random();
    let hex = hex::encode(bytes);
    format!("{}-{}", &hex[..5], &hex[5..])
}

pub async fn find(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<user_totp::Model>, ApiError> {
    Ok(user_totp::Entity::find_by_id(user_id).one(conn).await?)
}

pub async fn is_enabled(conn: &impl ConnectionTrait, user_id: i64) -> Result<bool, ApiError> {
    Ok(find(conn, user_id)
        .await?
        .is_some_and(|t| t.enabled_at.is_some()))
}

pub async fn recovery_codes_left(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<i64, ApiError> {
    let n = totp_recovery_codes::Entity::find()
        .filter(totp_recovery_codes::Column::UserId.eq(user_id))
        .filter(totp_recovery_codes::Column::UsedAt.is_null())
        .count(conn)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A new pending secret, replacing an earlier pending one. 409 when TOTP is already on.
pub async fn setup(
    conn: &impl ConnectionTrait,
    user_id: i64,
    username: &str,
) -> Result<TotpSetup, ApiError> {
    if is_enabled(conn, user_id).await? {
        return Err(ApiError::Code(ErrorCode::Conflict));
    }
    let bytes: [u8; 20] = rand::random();
    let secret = Secret::from(bytes).to_base32();
    user_totp::Entity::delete_by_id(user_id).exec(conn).await?;
    user_totp::ActiveModel {
        user_id: Set(user_id),
        secret: Set(secret.clone()),
        enabled_at: Set(None),
        last_step: Set(None),
        created_at: Set(super::now()),
    }
    .insert(conn)
    .await?;
    Ok(TotpSetup {
        otpauth_uri: otpauth_uri(&secret, username),
        secret,
    })
}

/// Accepts `code` for `row` if it matches a step later than the last one used, and records
/// that step (atomically: a parallel request with the same code loses).
async fn accept_totp(
    conn: &impl ConnectionTrait,
    row: &user_totp::Model,
    code: &str,
) -> Result<bool, ApiError> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    let Some(step) = totp(&row.secret)?.check(code, unix_now()) else {
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let res = user_totp::Entity::update_many()
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(row.user_id))
        .filter(
            user_totp::Column::LastStep
                .is_null()
                .or(user_totp::Column::LastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Confirms the pending secret with a code and returns the recovery codes (shown once).
pub async fn enable(
    conn: &impl ConnectionTrait,
    user_id: i64,
    code: &str,
) -> Result<Vec<String>, ApiError> {
    let row = find(conn, user_id).await?;
    let Some(row) = row.filter(|r| r.enabled_at.is_none()) else {
        return Err(ApiError::Code(ErrorCode::Conflict));
    };
    if !accept_totp(conn, &row, code).await? {
        return Err(invalid_code());
    }
    user_totp::Entity::update_many()
        .col_expr(user_totp::Column::EnabledAt, Expr::value(super::now()))
        .filter(user_totp::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    totp_recovery_codes::Entity::delete_many()
        .filter(totp_recovery_codes::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
        .map(|_| new_recovery_code())
        .collect();
    let now = super::now();
    totp_recovery_codes::Entity::insert_many(codes.iter().map(|c| {
        totp_recovery_codes::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(hash(&normalise_recovery(c))),
            created_at: Set(now),
            used_at: Set(None),
            ..Default::default()
        }
    }))
    .exec(conn)
    .await?;
    Ok(codes)
}

pub fn invalid_code() -> ApiError {
    ApiError::field(
        ErrorCode::InvalidTotpCode,
        "code",
        ErrorCode::InvalidTotpCode.message_ar(),
    )
}

/// Whether `code` is a current TOTP code or an unused recovery code of an account with TOTP on;
/// either is spent by this call.
pub async fn verify_code(
    conn: &impl ConnectionTrait,
    user_id: i64,
    code: &str,
) -> Result<bool, ApiError> {
    let Some(row) = find(conn, user_id)
        .await?
        .filter(|r| r.enabled_at.is_some())
    else {
        return Ok(false);
    };
    if accept_totp(conn, &row, code).await? {
        return Ok(true);
    }
    let normalised = normalise_recovery(code);
    if normalised.len() != 10 {
        return Ok(false);
    }
    let res = totp_recovery_codes::Entity::update_many()
        .col_expr(
            totp_recovery_codes::Column::UsedAt,
            Expr::value(super::now()),
        )
        .filter(totp_recovery_codes::Column::UserId.eq(user_id))
        .filter(totp_recovery_codes::Column::CodeHash.eq(hash(&normalised)))
        .filter(totp_recovery_codes::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Turns TOTP off: the secret and the recovery codes are deleted.
pub async fn disable(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    totp_recovery_codes::Entity::delete_many()
        .filter(totp_recovery_codes::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    user_totp::Entity::delete_by_id(user_id).exec(conn).await?;
    Ok(())
}

/// Starts the second sign-in step. 429 when the account had too many wrong codes recently.
pub async fn start_challenge(
    conn: &impl ConnectionTrait,
    user_id: i64,
    ip: &str,
) -> Result<String, ApiError> {
    let now = super::now();
    let since = now - Duration::minutes(CHALLENGE_WINDOW_MINUTES);
    let failures: i64 = login_challenges::Entity::find()
        .select_only()
        .column(login_challenges::Column::Attempts)
        .filter(login_challenges::Column::UserId.eq(user_id))
        .filter(login_challenges::Column::CreatedAt.gte(since))
        .into_tuple::<i32>()
        .all(conn)
        .await?
        .into_iter()
        .map(i64::from)
        .sum();
    if failures >= ACCOUNT_MAX_FAILURES {
        return Err(ApiError::RateLimited {
            code: ErrorCode::TooManyLoginAttempts,
            retry_after: u64::try_from(CHALLENGE_WINDOW_MINUTES * 60).unwrap_or(900),
        });
    }
    let raw = sessions::new_raw_token();
    login_challenges::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(hash(&raw)),
        attempts: Set(0),
        ip: Set(Some(ip.to_owned())),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(CHALLENGE_TTL_SECS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(raw)
}

/// A live challenge (unused, unexpired, attempts left).
pub async fn live_challenge(
    conn: &impl ConnectionTrait,
    raw: &str,
) -> Result<Option<login_challenges::Model>, ApiError> {
    Ok(login_challenges::Entity::find()
        .filter(login_challenges::Column::TokenHash.eq(hash(raw.trim())))
        .filter(login_challenges::Column::UsedAt.is_null())
        .filter(login_challenges::Column::ExpiresAt.gt(super::now()))
        .filter(login_challenges::Column::Attempts.lt(CHALLENGE_MAX_ATTEMPTS))
        .one(conn)
        .await?)
}

pub async fn challenge_failed(conn: &impl ConnectionTrait, id: i64) -> Result<(), ApiError> {
    login_challenges::Entity::update_many()
        .col_expr(
            login_challenges::Column::Attempts,
            Expr::col(login_challenges::Column::Attempts).add(1),
        )
        .filter(login_challenges::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Spends the challenge; false when a parallel request already did.
pub async fn challenge_used(conn: &impl ConnectionTrait, id: i64) -> Result<bool, ApiError> {
    let res = login_challenges::Entity::update_many()
        .col_expr(login_challenges::Column::UsedAt, Expr::value(super::now()))
        .filter(login_challenges::Column::Id.eq(id))
        .filter(login_challenges::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records that this session confirmed its identity now (sign-in, or `POST /auth/step-up`).
pub async fn record_step_up(
    conn: &impl ConnectionTrait,
    family_id: &str,
    user_id: i64,
) -> Result<(), ApiError> {
    session_step_ups::Entity::insert(session_step_ups::ActiveModel {
        family_id: Set(family_id.to_owned()),
        user_id: Set(user_id),
        stepped_up_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::column(session_step_ups::Column::FamilyId)
            .update_column(session_step_ups::Column::SteppedUpAt)
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The one step-up check of the sensitive admin operations: 403 `step_up_required` unless this
/// session confirmed its identity within [`STEP_UP_TTL_SECS`]. Requests made with an API key
/// pass: keys never step up, and what a key may do is its scopes' business (the integrator's
/// responsibility).
pub async fn require_step_up(conn: &impl ConnectionTrait, user: &AuthUser) -> Result<(), ApiError> {
    if user.api_key_id.is_some() {
        return Ok(());
    }
    let row = session_step_ups::Entity::find_by_id(user.session_id.clone())
        .one(conn)
        .await?;
    let fresh = row.is_some_and(|r| {
        r.user_id == user.id && super::now() - r.stepped_up_at < Duration::seconds(STEP_UP_TTL_SECS)
    });
    if fresh {
        Ok(())
    } else {
        Err(ApiError::Code(ErrorCode::StepUpRequired))
    }
}

/// [`require_step_up`] when `|amount|` is above the `step_up_points_threshold` setting.
pub async fn require_step_up_for_points(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    amount: i64,
) -> Result<(), ApiError> {
    let threshold =
        system_settings::get_i64(conn, domain::settings::STEP_UP_POINTS_THRESHOLD).await?;
    if amount.unsigned_abs() > threshold.unsigned_abs() {
        require_step_up(conn, user).await?;
    }
    Ok(())
}

/// With `admin_totp_required` on, an admin (signed in, not an API key) without TOTP is refused
/// with 403 `totp_enrolment_required` on every admin route.
pub async fn require_admin_enrolment(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
) -> Result<(), ApiError> {
    if user.api_key_id.is_some()
        || !system_settings::get_bool(conn, domain::settings::ADMIN_TOTP_REQUIRED).await?
    {
        return Ok(());
    }
    if is_enabled(conn, user.id).await? {
        Ok(())
    } else {
        Err(ApiError::Code(ErrorCode::TotpEnrolmentRequired))
    }
}
