//! API-key reports for the admin pages: the refused key attempts and a key's usage over time.

use std::collections::HashMap;

use chrono::{DateTime, Duration, DurationRound, NaiveDate, NaiveDateTime, Utc};
use domain::api_keys::{
    ApiKeyUsage, FailedAuthEntry, FailedAuthPage, FailedAuthReason, UsageBucket, UsageCall,
    UsagePoint, USAGE_HOURLY_MAX_DAYS, USAGE_RECENT,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::api_key_admin::get;
use crate::entities::{api_failed_auth, api_usage_log};
use crate::error::ApiError;

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
