//! Login brute-force protection, kept in the database so it holds across replicas: too many
//! failures for one account, or from one IP, within the window → 429 until the oldest counted
//! failure leaves the window.

use chrono::{DateTime, Duration, Utc};
use domain::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::json;

use crate::config::RateLimits;
use crate::entities::login_attempts;
use crate::error::ApiError;
use crate::services::notify;

/// An account is identified by its id when it exists (so username and email share one budget),
/// by the normalised login text otherwise.
pub struct Subject<'a> {
    pub login_key: &'a str,
    pub user_id: Option<i64>,
    pub ip: &'a str,
}

fn account_failures(subject: &Subject<'_>, since: DateTime<Utc>) -> Select<login_attempts::Entity> {
    let q = login_attempts::Entity::find()
        .filter(login_attempts::Column::Success.eq(false))
        .filter(login_attempts::Column::CreatedAt.gt(since));
    match subject.user_id {
        Some(id) => q.filter(login_attempts::Column::UserId.eq(id)),
        None => q.filter(login_attempts::Column::LoginKey.eq(subject.login_key)),
    }
}

fn ip_failures(ip: &str, since: DateTime<Utc>) -> Select<login_attempts::Entity> {
    login_attempts::Entity::find()
        .filter(login_attempts::Column::Success.eq(false))
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::CreatedAt.gt(since))
}

/// Failures for the account count only since its last successful sign-in.
async fn account_window_start(
    conn: &impl ConnectionTrait,
    subject: &Subject<'_>,
    window_start: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let Some(user_id) = subject.user_id else {
        return Ok(window_start);
    };
    let last_success = login_attempts::Entity::find()
        .filter(login_attempts::Column::UserId.eq(user_id))
        .filter(login_attempts::Column::Success.eq(true))
        .filter(login_attempts::Column::CreatedAt.gt(window_start))
        .order_by_desc(login_attempts::Column::CreatedAt)
        .one(conn)
        .await?;
    Ok(last_success.map_or(window_start, |a| a.created_at))
}

async fn retry_after(
    conn: &impl ConnectionTrait,
    q: Select<login_attempts::Entity>,
    limit: u64,
    window: Duration,
) -> Result<u64, ApiError> {
    // The failure that must age out before the count drops below the limit.
    let rows = q
        .order_by_desc(login_attempts::Column::CreatedAt)
        .offset(limit - 1)
        .one(conn)
        .await?;
    let until = rows
        .map(|a| a.created_at + window)
        .unwrap_or_else(super::now);
    Ok((until - super::now()).num_seconds().max(1) as u64)
}

pub async fn check(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    subject: &Subject<'_>,
) -> Result<(), ApiError> {
    let window = Duration::seconds(limits.login_window_secs);
    let window_start = super::now() - window;
    let since = account_window_start(conn, subject, window_start).await?;
    let per_account = account_failures(subject, since).count(conn).await?;
    if per_account >= limits.login_failures_per_account {
        let retry_after = retry_after(
            conn,
            account_failures(subject, since),
            limits.login_failures_per_account,
            window,
        )
        .await?;
        return Err(ApiError::RateLimited {
            code: ErrorCode::TooManyLoginAttempts,
            retry_after,
        });
    }
    let per_ip = ip_failures(subject.ip, window_start).count(conn).await?;
    if per_ip >= limits.login_failures_per_ip {
        let retry_after = retry_after(
            conn,
            ip_failures(subject.ip, window_start),
            limits.login_failures_per_ip,
            window,
        )
        .await?;
        return Err(ApiError::RateLimited {
            code: ErrorCode::TooManyLoginAttempts,
            retry_after,
        });
    }
    Ok(())
}

pub async fn record(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    subject: &Subject<'_>,
    success: bool,
) -> Result<(), ApiError> {
    login_attempts::ActiveModel {
        login_key: Set(subject.login_key.to_owned()),
        user_id: Set(subject.user_id),
        ip: Set(subject.ip.to_owned()),
        success: Set(success),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if success {
        return Ok(());
    }
    // Tell the admins once, when a counter reaches its limit.
    let window_start = super::now() - Duration::seconds(limits.login_window_secs);
    let since = account_window_start(conn, subject, window_start).await?;
    if account_failures(subject, since).count(conn).await? == limits.login_failures_per_account {
        notify::admins(
            conn,
            "login_throttled_account",
            notify::Severity::Warning,
            "محاولات دخول فاشلة متكررة لحساب",
            &format!(
                "بلغ الحساب «{}» حد المحاولات الفاشلة؛ أُوقف الدخول إليه مؤقتًا.",
                subject.login_key
            ),
            json!({"login": subject.login_key, "user_id": subject.user_id, "ip": subject.ip}),
        )
        .await?;
    }
    if ip_failures(subject.ip, window_start).count(conn).await? == limits.login_failures_per_ip {
        notify::admins(
            conn,
            "login_throttled_ip",
            notify::Severity::Warning,
            "محاولات دخول فاشلة كثيرة من عنوان واحد",
            &format!(
                "بلغ العنوان {} حد المحاولات الفاشلة؛ أُوقف الدخول منه مؤقتًا.",
                subject.ip
            ),
            json!({"ip": subject.ip}),
        )
        .await?;
    }
    Ok(())
}
