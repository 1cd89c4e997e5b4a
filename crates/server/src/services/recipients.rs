//! Who a transfer would go to (`GET /points/recipients/{username}`): by username only, so no
//! one can learn which email belongs to which account (issue 11, finding 6), and at most
//! [`LOOKUPS_PER_MINUTE`] look-ups per user and minute, so the user list cannot be walked.
//!
//! The limit is the shared request limiter's ([`crate::middleware::rate_limit`]): across all
//! replicas when Redis is configured, per process otherwise.

use domain::validation::validate_username;
use domain::ErrorCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::users;
use crate::error::ApiError;
use crate::middleware::rate_limit::{Decision, Limit, Limiter, Quota};

/// Look-ups per user per minute; a burst of the whole minute's allowance is fine.
pub const LOOKUPS_PER_MINUTE: u32 = 10;

/// Takes one look-up from `user_id`'s allowance, or says how many seconds to wait.
pub async fn check_allowance(limiter: &Limiter, user_id: i64) -> Result<(), ApiError> {
    let bucket = format!("lookup:{user_id}");
    let quota = Quota::per_minute(LOOKUPS_PER_MINUTE);
    match limiter.check(Limit::Lookup, &bucket, quota).await {
        Decision::Allowed { .. } => Ok(()),
        Decision::Limited { retry_after } => Err(ApiError::LimitedWith {
            code: ErrorCode::RateLimited,
            message: "بحثت عن مستلمين كثيرين في وقت قصير؛ حاول بعد دقيقة.".to_owned(),
            retry_after,
        }),
    }
}

/// A recipient as the confirmation step shows it.
pub struct Recipient {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

/// The active account with this username (case-insensitive). Anything that is not a username
/// (an email address, say) is not found, exactly like an unknown name.
pub async fn find(
    conn: &impl ConnectionTrait,
    limiter: &Limiter,
    user_id: i64,
    username: &str,
) -> Result<Recipient, ApiError> {
    check_allowance(limiter, user_id).await?;
    let username = username.trim();
    if validate_username(username).is_err() {
        return Err(ApiError::not_found());
    }
    let found: Option<(i64, String, String)> = users::Entity::find()
        .select_only()
        .columns([
            users::Column::Id,
            users::Column::Username,
            users::Column::DisplayName,
        ])
        .filter(users::Column::UsernameLower.eq(username.to_lowercase()))
        .filter(users::Column::Status.eq("active"))
        .into_tuple()
        .one(conn)
        .await?;
    let (id, username, display_name) = found.ok_or_else(ApiError::not_found)?;
    Ok(Recipient {
        id,
        username,
        display_name,
    })
}
