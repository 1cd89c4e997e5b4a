//! Email verification (issue 15, item 3). A link carries 32 random bytes; only their SHA-256 is
//! stored (`email_verifications`), it works for [`TOKEN_TTL`], once, and only for the address it
//! was sent to: a change of address clears `users.email_verified_at`, kills the open links and
//! sends a new one. Whether verification matters is the `email_verification_required` setting
//! (default off); with it on, [`require_verified`] refuses paid joins, redemptions and
//! transfers with 403 `email_not_verified`.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use domain::settings::EMAIL_VERIFICATION_REQUIRED;
use domain::ErrorCode;

use crate::config::RateLimits;
use crate::entities::{email_verifications as ev, users};
use crate::error::ApiError;
use crate::services::sessions::{hash_token, new_raw_token};

pub const TOKEN_TTL: Duration = Duration::hours(24);
/// The window of both resend limits.
pub const WINDOW: Duration = Duration::hours(1);
/// Advisory-lock namespace of counted verification emails ("mqve").
const LOCK_CLASS: i32 = 0x6d71_7665;

/// The page of the SPA the link opens.
pub fn link(public_url: &str, raw_token: &str) -> String {
    format!(
        "{}/verify-email?token={raw_token}",
        public_url.trim_end_matches('/')
    )
}

pub async fn required(conn: &impl ConnectionTrait) -> Result<bool, ApiError> {
    super::system_settings::get_bool(conn, EMAIL_VERIFICATION_REQUIRED).await
}

/// 403 `email_not_verified` when the setting is on and `account` has not verified its address.
/// A verified account costs no query.
pub async fn require_verified(
    conn: &impl ConnectionTrait,
    account: &users::Model,
) -> Result<(), ApiError> {
    if account.email_verified_at.is_some() || !required(conn).await? {
        return Ok(());
    }
    Err(ApiError::Code(ErrorCode::EmailNotVerified))
}

/// Issues a link to the account's current address and queues the email (caller's transaction).
async fn issue(
    conn: &impl ConnectionTrait,
    user: &users::Model,
    ip: Option<&str>,
    public_url: &str,
) -> Result<DateTime<Utc>, ApiError> {
    let now = super::now();
    let raw = new_raw_token();
    let row = ev::ActiveModel {
        user_id: Set(user.id),
        email: Set(user.email.clone()),
        token_hash: Set(hash_token(&raw)),
        ip: Set(ip.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + TOKEN_TTL),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    super::email::queue(
        conn,
        super::email::verify_email(
            user.id,
            &user.email,
            &user.display_name,
            &link(public_url, &raw),
            TOKEN_TTL.num_hours(),
        ),
    )
    .await?;
    Ok(row.expires_at)
}

/// Seconds until the oldest link counted in `rows` leaves the window.
fn retry_after(oldest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> u64 {
    oldest
        .map(|t| (t + WINDOW - now).num_seconds().max(1))
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(3600)
}

/// The links counted against `user_id` within the window, oldest first.
async fn sent_for_account(
    conn: &impl ConnectionTrait,
    user_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, ApiError> {
    Ok(ev::Entity::find()
        .filter(ev::Column::UserId.eq(user_id))
        .filter(ev::Column::CreatedAt.gt(since))
        .order_by_asc(ev::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.created_at)
        .collect())
}

/// `POST /me/email/verification`: a new link, within the per-account and per-address limits
/// (429 `rate_limited` with `Retry-After`). 409 when the address is already verified.
pub async fn resend(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    user: &users::Model,
    ip: &str,
    public_url: &str,
) -> Result<DateTime<Utc>, ApiError> {
    if user.email_verified_at.is_some() {
        return Err(ApiError::Code(ErrorCode::EmailAlreadyVerified));
    }
    let account_key = format!("user:{}", user.id);
    super::throttle::serialize_keys(conn, LOCK_CLASS, &[&account_key, ip]).await?;
    let now = super::now();
    let since = now - WINDOW;
    let mine = sent_for_account(conn, user.id, since).await?;
    if mine.len() as u64 >= limits.verification_emails_per_account {
        return Err(ApiError::LimitedWith {
            code: ErrorCode::RateLimited,
            message: "أرسلنا إليك عدة روابط خلال الساعة الأخيرة؛ افتح آخرها أو انتظر قليلًا ثم اطلب رابطًا جديدًا.".into(),
            retry_after: retry_after(mine.first().copied(), now),
        });
    }
    let from_ip = ev::Entity::find()
        .filter(ev::Column::Ip.eq(ip))
        .filter(ev::Column::CreatedAt.gt(since))
        .order_by_asc(ev::Column::CreatedAt)
        .all(conn)
        .await?;
    if from_ip.len() as u64 >= limits.verification_emails_per_ip {
        return Err(ApiError::RateLimited {
            code: ErrorCode::RateLimited,
            retry_after: retry_after(from_ip.first().map(|r| r.created_at), now),
        });
    }
    issue(conn, user, Some(ip), public_url).await
}

/// After registration (when the setting is on): the first link, never throttled.
pub async fn on_register(
    conn: &impl ConnectionTrait,
    user: &users::Model,
    ip: Option<&str>,
    public_url: &str,
) -> Result<(), ApiError> {
    if required(conn).await? {
        issue(conn, user, ip, public_url).await?;
    }
    Ok(())
}

/// The address of `user_id` changed (its owner or an admin): verification is cleared, the
/// open links die and a link goes to the new address, unless the account had its share of
/// links this hour (the owner resends later). Returns whether a link was sent.
pub async fn on_email_changed(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    user_id: i64,
    ip: Option<&str>,
    public_url: &str,
) -> Result<bool, ApiError> {
    let now = super::now();
    users::Entity::update_many()
        .col_expr(
            users::Column::EmailVerifiedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(users::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    end_open_links(conn, user_id, now).await?;
    let user = super::users::get(conn, user_id).await?;
    let account_key = format!("user:{user_id}");
    super::throttle::serialize_keys(conn, LOCK_CLASS, &[&account_key]).await?;
    let sent = sent_for_account(conn, user_id, now - WINDOW).await?;
    if sent.len() as u64 >= limits.verification_emails_per_account {
        return Ok(false);
    }
    issue(conn, &user, ip, public_url).await?;
    Ok(true)
}

/// Marks the account's current address confirmed without a link (an admin created on the
/// command line).
pub async fn mark_verified(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    users::Entity::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(super::now()))
        .filter(users::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks every unused link of the account used (an address change, a deletion).
pub async fn end_open_links(
    conn: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    Ok(ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::UserId.eq(user_id))
        .filter(ev::Column::UsedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected)
}

fn invalid(message: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidVerificationToken, "token", message)
}

/// `POST /auth/verify-email`: uses the link `raw` and marks its address verified; returns the
/// account. 422 `invalid_verification_token` (with a reason on `fields.token`) otherwise.
pub async fn confirm(conn: &impl ConnectionTrait, raw: &str) -> Result<users::Model, ApiError> {
    let default = ErrorCode::InvalidVerificationToken.message_ar();
    let row = ev::Entity::find()
        .filter(ev::Column::TokenHash.eq(hash_token(raw.trim())))
        .one(conn)
        .await?
        .ok_or_else(|| invalid(default))?;
    if row.used_at.is_some() {
        return Err(invalid(
            "استُخدم رابط التأكيد هذا من قبل (أو أُرسل بعده رابط أحدث)؛ افتح آخر رابط وصلك أو اطلب رابطًا جديدًا.",
        ));
    }
    let now = super::now();
    if row.expires_at <= now {
        return Err(invalid(
            "انتهت صلاحية رابط التأكيد (24 ساعة)؛ اطلب رابطًا جديدًا من صفحتك.",
        ));
    }
    let user = users::Entity::find_by_id(row.user_id)
        .one(conn)
        .await?
        .filter(|u| u.deleted_at.is_none() && u.email == row.email)
        .ok_or_else(|| invalid("هذا الرابط لعنوان لم يعد مرتبطًا بالحساب؛ اطلب رابطًا جديدًا."))?;
    let won = ev::Entity::update_many()
        .col_expr(ev::Column::UsedAt, Expr::value(now))
        .filter(ev::Column::Id.eq(row.id))
        .filter(ev::Column::UsedAt.is_null())
        .filter(ev::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?
        .rows_affected
        == 1;
    if !won {
        return Err(invalid(default));
    }
    // Conditional on the address, so a change committed meanwhile is not marked verified.
    let verified = users::Entity::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user.id))
        .filter(users::Column::Email.eq(row.email.clone()))
        .exec(conn)
        .await?
        .rows_affected;
    if verified != 1 {
        return Err(invalid(default));
    }
    end_open_links(conn, user.id, now).await?;
    super::users::get(conn, user.id).await
}
