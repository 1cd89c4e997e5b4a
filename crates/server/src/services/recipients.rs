//! Who a transfer would go to (`GET /points/recipients/{username}`): by username only, so no
//! one can learn which email belongs to which account (issue 11, finding 6), and at most
//! [`LOOKUPS_PER_MINUTE`] look-ups per user and minute, so the user list cannot be walked.
//!
//! The limit is kept in memory by each process (a governor GCRA bucket per user id): a person
//! confirming a transfer looks up one or two names, the check costs no database round trip, and
//! with N replicas a scraper gets N × the rate, which still makes walking 100k names take days.
//! A limit shared across replicas comes with the later shared-limits work.

use std::num::NonZeroU32;

use actix_governor::governor::clock::{Clock, DefaultClock};
use actix_governor::governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use domain::validation::validate_username;
use domain::ErrorCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::users;
use crate::error::ApiError;

/// Look-ups per user per minute; a burst of the whole minute's allowance is fine.
pub const LOOKUPS_PER_MINUTE: u32 = 10;

/// Beyond this many tracked users, idle buckets are dropped.
const TRACKED_USERS: usize = 10_000;

/// The per-user look-up limit of this process.
pub struct LookupLimiter(DefaultKeyedRateLimiter<i64>);

impl Default for LookupLimiter {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(LOOKUPS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Self(RateLimiter::keyed(Quota::per_minute(per_minute)))
    }
}

impl LookupLimiter {
    /// Takes one look-up from `user_id`'s allowance, or says how many seconds to wait.
    pub fn check(&self, user_id: i64) -> Result<(), ApiError> {
        if self.0.len() > TRACKED_USERS {
            self.0.retain_recent();
        }
        self.0.check_key(&user_id).map_err(|not_until| {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            ApiError::LimitedWith {
                code: ErrorCode::RateLimited,
                message: "بحثت عن مستلمين كثيرين في وقت قصير؛ حاول بعد دقيقة.".to_owned(),
                retry_after: wait,
            }
        })
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
    limiter: &LookupLimiter,
    user_id: i64,
    username: &str,
) -> Result<Recipient, ApiError> {
    limiter.check(user_id)?;
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
