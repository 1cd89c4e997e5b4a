//! Refused bearer tokens: each is recorded with its reason and the client address (never the
//! token), and an address that passes the threshold within the window raises one admin
//! notification per window, as refused API keys do (`services::api_keys::record_refusal`).
//! Only refusals write: a valid token costs nothing here.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use sea_orm::{PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::auth::jwt::TokenFailure;
use crate::config::RateLimits;
use crate::entities::{admin_notifications, token_failed_auth};
use crate::error::ApiError;
use crate::services::notify;

/// The admin-inbox kind raised when an address passes the threshold.
pub const ALERT: &str = "bearer_token_failures";

/// Where a refused token came from.
#[derive(Debug, Clone)]
pub struct Origin {
    pub ip: String,
    pub method: String,
    pub path: String,
}

/// Records one refusal; alerts the admins when `origin.ip` passes the threshold.
pub async fn record(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    failure: TokenFailure,
    user_id: Option<i64>,
    origin: &Origin,
) -> Result<(), ApiError> {
    let now = super::now();
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    token_failed_auth::ActiveModel {
        user_id: Set(user_id),
        ip: Set(clip(&origin.ip, 64)),
        reason: Set(failure.as_str().to_owned()),
        method: Set(clip(&origin.method, 16)),
        path: Set(clip(&origin.path, 300)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if !failure.is_suspicious() {
        return Ok(());
    }
    let window = Duration::seconds(limits.token_failure_window_secs);
    let window_start = now - window;
    let failures = token_failed_auth::Entity::find()
        .filter(token_failed_auth::Column::Ip.eq(origin.ip.as_str()))
        .filter(token_failed_auth::Column::Reason.ne(TokenFailure::Expired.as_str()))
        .filter(token_failed_auth::Column::CreatedAt.gt(window_start))
        .count(conn)
        .await?;
    if failures < limits.token_failures_per_ip {
        return Ok(());
    }
    let already_told = admin_notifications::Entity::find()
        .filter(admin_notifications::Column::Kind.eq(ALERT))
        .filter(admin_notifications::Column::CreatedAt.gt(window_start))
        .all(conn)
        .await?
        .iter()
        .any(|n| n.payload.get("ip").and_then(Value::as_str) == Some(origin.ip.as_str()));
    if already_told {
        return Ok(());
    }
    let minutes = window.num_minutes();
    notify::admins(
        conn,
        ALERT,
        notify::Severity::Warning,
        "رموز دخول مرفوضة متكررة من عنوان واحد",
        &format!(
            "قدّم العنوان {} رموز دخول غير صالحة {failures} مرة خلال {minutes} دقيقة؛ قد تكون محاولة لتخمين الرموز أو استعمال رموز مسروقة.",
            origin.ip
        ),
        json!({
            "ip": origin.ip,
            "failures": failures,
            "window_minutes": minutes,
            "last_reason": failure.as_str(),
            "last_path": origin.path,
        }),
    )
    .await
}
