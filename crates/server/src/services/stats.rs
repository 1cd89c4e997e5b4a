//! The admin dashboard's numbers. Every query runs on PostgreSQL and SQLite; the only
//! backend-specific piece is how a timestamp becomes a UTC date for the sign-ups chart.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use domain::admin::{AdminStats, DailyCount, KindFlow, StatusCount};
use domain::packages::PurchaseStatus;
use domain::points::LedgerKind;
use domain::rewards::RedemptionStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QuerySelect, Statement,
};

use crate::entities::{points_transactions as tx, purchase_records, reward_redemptions, users};
use crate::error::ApiError;

#[derive(Debug, FromQueryResult)]
struct StatusRow {
    status: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct FlowRow {
    kind: String,
    credited: Option<i64>,
    debited: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct DayRow {
    day: String,
    n: i64,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub async fn collect(db: &DatabaseConnection) -> Result<AdminStats, ApiError> {
    let backend = db.get_database_backend();
    let now = super::now();
    let today = now.date_naive();
    let day_start = today.and_hms_opt(0, 0, 0).map_or(now, |d| d.and_utc());
    let first_day = today - Duration::days(29);
    let window_start = first_day.and_hms_opt(0, 0, 0).map_or(now, |d| d.and_utc());
    let since_30d = now - Duration::days(30);

    let users_total = count(users::Entity::find().count(db).await?);
    let users_suspended = count(
        users::Entity::find()
            .filter(users::Column::Status.eq("suspended"))
            .count(db)
            .await?,
    );
    let admins = count(
        users::Entity::find()
            .filter(users::Column::Role.eq("admin"))
            .count(db)
            .await?,
    );
    let active_today = count(
        users::Entity::find()
            .filter(users::Column::LastLoginAt.gte(day_start))
            .count(db)
            .await?,
    );
    let signups_today = count(
        users::Entity::find()
            .filter(users::Column::CreatedAt.gte(day_start))
            .count(db)
            .await?,
    );

    let competitions_by_status: Vec<StatusCount> = StatusRow::find_by_statement(
        Statement::from_string(
            backend,
            "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM competitions GROUP BY status ORDER BY status",
        ),
    )
    .all(db)
    .await?
    .into_iter()
    .map(|r| StatusCount {
        label: domain::competitions::CompetitionStatus::parse(&r.status)
            .map_or_else(|| r.status.clone(), |s| s.label_ar().to_owned()),
        status: r.status,
        count: r.n,
    })
    .collect();
    let competitions_total = competitions_by_status.iter().map(|s| s.count).sum();

    let pending_redemptions = count(
        reward_redemptions::Entity::find()
            .filter(reward_redemptions::Column::Status.eq(RedemptionStatus::Pending.as_str()))
            .count(db)
            .await?,
    );
    let requested_purchases = count(
        purchase_records::Entity::find()
            .filter(purchase_records::Column::Status.eq(PurchaseStatus::Requested.as_str()))
            .count(db)
            .await?,
    );
    let points_in_circulation: i64 = users::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(points_balance), 0) AS BIGINT)"),
            "total",
        )
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0);

    let flows: HashMap<String, FlowRow> = tx::Entity::find()
        .select_only()
        .column(tx::Column::Kind)
        .column_as(
            Expr::cust("CAST(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS BIGINT)"),
            "credited",
        )
        .column_as(
            Expr::cust("CAST(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END) AS BIGINT)"),
            "debited",
        )
        .filter(tx::Column::CreatedAt.gte(since_30d))
        .group_by(tx::Column::Kind)
        .into_model::<FlowRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.kind.clone(), r))
        .collect();
    let mut flows_30d = Vec::new();
    let (mut minted_30d, mut burned_30d, mut transferred_30d) = (0i64, 0i64, 0i64);
    for kind in LedgerKind::ALL {
        let Some(row) = flows.get(kind.as_str()) else {
            continue;
        };
        let (credited, debited) = (row.credited.unwrap_or(0), row.debited.unwrap_or(0));
        match kind {
            LedgerKind::TransferIn => transferred_30d += credited,
            // Points moving between users, or into and out of a review hold: neither minted
            // nor burned (a released hold is counted by its recipient's `transfer_in`).
            LedgerKind::TransferOut | LedgerKind::TransferHold | LedgerKind::TransferHoldRefund => {
            }
            _ => {
                minted_30d += credited;
                burned_30d += debited;
            }
        }
        flows_30d.push(KindFlow {
            kind,
            kind_label: kind.label_ar().to_owned(),
            credited,
            debited,
        });
    }

    // A timestamp's UTC date as text: PostgreSQL stores timestamptz, SQLite RFC 3339 text in UTC.
    let day_expr = match backend {
        DbBackend::Postgres => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        _ => "substr(created_at, 1, 10)",
    };
    let per_day: HashMap<NaiveDate, i64> = users::Entity::find()
        .select_only()
        .column_as(Expr::cust(day_expr), "day")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(users::Column::CreatedAt.gte(window_start))
        .group_by(Expr::cust(day_expr))
        .into_model::<DayRow>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            NaiveDate::parse_from_str(&r.day, "%Y-%m-%d")
                .ok()
                .map(|d| (d, r.n))
        })
        .collect();
    let daily_signups = (0..30)
        .map(|i| {
            let date = first_day + Duration::days(i);
            DailyCount {
                date,
                count: per_day.get(&date).copied().unwrap_or(0),
            }
        })
        .collect();

    Ok(AdminStats {
        users_total,
        users_suspended,
        admins,
        active_today,
        signups_today,
        competitions_total,
        competitions_by_status,
        pending_redemptions,
        requested_purchases,
        points_in_circulation,
        minted_30d,
        burned_30d,
        transferred_30d,
        flows_30d,
        daily_signups,
        generated_at: now,
    })
}
