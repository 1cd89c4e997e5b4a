//! Password reset by emailed link (or a link an admin hands over). A link carries 32 random
//! bytes; only their SHA-256 is stored, it works for [`TOKEN_TTL`] and once: a conditional
//! update that sets `used_at` is what consumes it, so two tabs submitting the same link cannot
//! both set a password. Every request is answered alike whether or not the address has an
//! account: both paths look the address up, count, make and hash a token and insert one row;
//! only an account with a link to send adds its outbox row.

use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use domain::ErrorCode;

use crate::config::RateLimits;
use crate::entities::{password_resets, users};
use crate::error::ApiError;
use crate::services::sessions::{hash_token, new_raw_token};

pub const TOKEN_TTL: Duration = Duration::minutes(30);
/// The window of both request limits.
pub const WINDOW: Duration = Duration::hours(1);

/// The page of the SPA the link opens.
pub fn link(public_url: &str, raw_token: &str) -> String {
    format!(
        "{}/reset-password?token={raw_token}",
        public_url.trim_end_matches('/')
    )
}

/// What a request led to (recorded in `password_resets.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Emailed,
    /// No active account has this address.
    Unknown,
    /// The account had its share of links this hour: nothing is sent, the answer is the same.
    Throttled,
}

impl Requested {
    fn as_str(self) -> &'static str {
        match self {
            Self::Emailed => "emailed",
            Self::Unknown => "unknown",
            Self::Throttled => "throttled",
        }
    }
}

/// Handles `POST /auth/password-reset` inside the caller's transaction. 429 only for the
/// per-address limit, which treats known and unknown addresses alike.
pub async fn request(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    email: &str,
    ip: &str,
    public_url: &str,
) -> Result<Requested, ApiError> {
    let now = super::now();
    let since = now - WINDOW;
    let from_ip = password_resets::Entity::find()
        .filter(password_resets::Column::Ip.eq(ip))
        .filter(password_resets::Column::CreatedAt.gt(since))
        .count(conn)
        .await?;
    if from_ip >= limits.password_resets_per_ip {
        return Err(ApiError::RateLimited {
            code: ErrorCode::RateLimited,
            retry_after: u64::try_from(WINDOW.num_seconds()).unwrap_or(3600),
        });
    }
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_lowercase()))
        .filter(users::Column::Status.eq("active"))
        .one(conn)
        .await?;
    // Counted for unknown addresses too (an id no account has), so both paths cost the same.
    let for_account = password_resets::Entity::find()
        .filter(password_resets::Column::UserId.eq(user.as_ref().map_or(0, |u| u.id)))
        .filter(password_resets::Column::Outcome.eq(Requested::Emailed.as_str()))
        .filter(password_resets::Column::CreatedAt.gt(since))
        .count(conn)
        .await?;
    let raw = new_raw_token();
    let hash = hash_token(&raw);
    let outcome = match &user {
        None => Requested::Unknown,
        Some(_) if for_account >= limits.password_resets_per_account => Requested::Throttled,
        Some(_) => Requested::Emailed,
    };
    password_resets::ActiveModel {
        user_id: Set(user.as_ref().map(|u| u.id)),
        token_hash: Set((outcome == Requested::Emailed).then_some(hash)),
        outcome: Set(outcome.as_str().to_owned()),
        ip: Set(Some(ip.to_owned())),
        issued_by: Set(None),
        created_at: Set(now),
        expires_at: Set(now + TOKEN_TTL),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if let (Some(user), Requested::Emailed) = (&user, outcome) {
        super::email::queue(
            conn,
            super::email::password_reset(
                user.id,
                &user.email,
                &user.display_name,
                &link(public_url, &raw),
                TOKEN_TTL.num_minutes(),
            ),
        )
        .await?;
    }
    Ok(outcome)
}

/// An admin's link for `user_id` (shown to the admin once); returns the raw token and expiry.
pub async fn issue_by_admin(
    conn: &impl ConnectionTrait,
    user_id: i64,
    admin_id: i64,
    ip: &str,
) -> Result<(String, chrono::DateTime<chrono::Utc>), ApiError> {
    let now = super::now();
    let raw = new_raw_token();
    let row = password_resets::ActiveModel {
        user_id: Set(Some(user_id)),
        token_hash: Set(Some(hash_token(&raw))),
        outcome: Set("admin".into()),
        ip: Set(Some(ip.to_owned())),
        issued_by: Set(Some(admin_id)),
        created_at: Set(now),
        expires_at: Set(now + TOKEN_TTL),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok((raw, row.expires_at))
}

fn invalid(message: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidResetToken, "token", message)
}

/// The unused, unexpired link `raw` and its active account, or 422 `invalid_reset_token`.
pub async fn find_valid(
    conn: &impl ConnectionTrait,
    raw: &str,
) -> Result<(password_resets::Model, users::Model), ApiError> {
    let default = ErrorCode::InvalidResetToken.message_ar();
    let reset = password_resets::Entity::find()
        .filter(password_resets::Column::TokenHash.eq(hash_token(raw.trim())))
        .one(conn)
        .await?
        .ok_or_else(|| invalid(default))?;
    if reset.used_at.is_some() {
        return Err(invalid(
            "استُخدم رابط إعادة التعيين هذا من قبل؛ اطلب رابطًا جديدًا إن احتجت.",
        ));
    }
    if reset.expires_at <= super::now() {
        return Err(invalid(
            "انتهت صلاحية رابط إعادة التعيين (30 دقيقة)؛ اطلب رابطًا جديدًا.",
        ));
    }
    let user = match reset.user_id {
        Some(id) => users::Entity::find_by_id(id).one(conn).await?,
        None => None,
    }
    .ok_or_else(|| invalid(default))?;
    if user.status != "active" {
        return Err(super::users::suspended_error(conn, user.id).await);
    }
    Ok((reset, user))
}

/// Uses the link: true for exactly one caller. The account's other open links die with it.
pub async fn consume(
    conn: &impl ConnectionTrait,
    reset: &password_resets::Model,
) -> Result<bool, ApiError> {
    let now = super::now();
    let won = password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::Id.eq(reset.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .filter(password_resets::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?
        .rows_affected
        == 1;
    if won {
        password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::UserId.eq(reset.user_id))
            .filter(password_resets::Column::TokenHash.is_not_null())
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(conn)
            .await?;
    }
    Ok(won)
}
