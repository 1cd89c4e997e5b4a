//! Checks the points-ledger invariants (docs/ARCHITECTURE.md §3) over the whole database and
//! reports every violation: balance = sum of ledger rows, no negative balance, each row's
//! balance_after equal to the running sum, held transfers' rows matching their status,
//! conservation of points.

use sea_orm::{DatabaseConnection, FromQueryResult, Statement};

use crate::error::ApiError;

pub use domain::points::{LedgerReport as Report, LedgerViolation as Violation};

#[derive(Debug, FromQueryResult)]
struct Mismatch {
    id: i64,
    points_balance: i64,
    ledger_sum: i64,
}

#[derive(Debug, FromQueryResult)]
struct Count {
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ChainBreak {
    id: i64,
    user_id: i64,
    balance_after: i64,
    running: i64,
}

/// A held transfer whose ledger rows do not match its status.
#[derive(Debug, FromQueryResult)]
struct HoldMismatch {
    id: i64,
    status: String,
    amount: i64,
    held: i64,
    released: i64,
    refunded: i64,
}

#[derive(Debug, FromQueryResult)]
struct Totals {
    balances: i64,
    ledger: i64,
}

async fn count(db: &DatabaseConnection, sql: &str) -> Result<i64, ApiError> {
    let backend = db.get_database_backend();
    Ok(
        Count::find_by_statement(Statement::from_string(backend, sql))
            .one(db)
            .await?
            .map_or(0, |c| c.n),
    )
}

pub async fn verify(db: &DatabaseConnection) -> Result<Report, ApiError> {
    let backend = db.get_database_backend();
    let mut violations = Vec::new();
    let users_checked = count(db, "SELECT COUNT(*) AS n FROM users").await?;
    let transactions_checked = count(db, "SELECT COUNT(*) AS n FROM points_transactions").await?;

    let mismatches = Mismatch::find_by_statement(Statement::from_string(
        backend,
        "SELECT u.id AS id, u.points_balance AS points_balance, CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) AS ledger_sum \
         FROM users u LEFT JOIN points_transactions t ON t.user_id = u.id \
         GROUP BY u.id, u.points_balance \
         HAVING u.points_balance <> COALESCE(SUM(t.amount), 0) ORDER BY u.id LIMIT 1000",
    ))
    .all(db)
    .await?;
    for m in mismatches {
        violations.push(Violation {
            invariant: "balance_equals_ledger".into(),
            detail: format!(
                "user {} has balance {} but its ledger sums to {}",
                m.id, m.points_balance, m.ledger_sum
            ),
        });
    }

    let negative = count(
        db,
        "SELECT COUNT(*) AS n FROM users WHERE points_balance < 0",
    )
    .await?;
    if negative > 0 {
        violations.push(Violation {
            invariant: "non_negative_balance".into(),
            detail: format!("{negative} user(s) have a negative balance"),
        });
    }

    // Window functions run on PostgreSQL and SQLite ≥ 3.25 alike.
    let breaks = ChainBreak::find_by_statement(Statement::from_string(
        backend,
        "SELECT id, user_id, balance_after, running FROM ( \
           SELECT id, user_id, balance_after, \
                  CAST(SUM(amount) OVER (PARTITION BY user_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS running \
           FROM points_transactions) r \
         WHERE balance_after <> running ORDER BY id LIMIT 1000",
    ))
    .all(db)
    .await?;
    for b in breaks {
        violations.push(Violation {
            invariant: "balance_after_chain".into(),
            detail: format!(
                "ledger row {} of user {} says balance_after {} but the running sum is {}",
                b.id, b.user_id, b.balance_after, b.running
            ),
        });
    }

    // Every held transfer: its amount in the hold, and then exactly one way out, or none yet.
    let holds = HoldMismatch::find_by_statement(Statement::from_string(
        backend,
        "SELECT id, status, amount, held, released, refunded FROM ( \
           SELECT h.id AS id, h.status AS status, h.amount AS amount, \
             CAST(COALESCE(SUM(CASE WHEN t.kind = 'transfer_hold' THEN -t.amount ELSE 0 END), 0) AS BIGINT) AS held, \
             CAST(COALESCE(SUM(CASE WHEN t.kind = 'transfer_in' THEN t.amount ELSE 0 END), 0) AS BIGINT) AS released, \
             CAST(COALESCE(SUM(CASE WHEN t.kind = 'transfer_hold_refund' THEN t.amount ELSE 0 END), 0) AS BIGINT) AS refunded \
           FROM held_transfers h LEFT JOIN points_transactions t \
             ON t.reference_type = 'held_transfer' AND t.reference_id = h.id \
           GROUP BY h.id, h.status, h.amount) s \
         WHERE NOT (held = amount AND ( \
           (status = 'held' AND released = 0 AND refunded = 0) \
           OR (status = 'released' AND released = amount AND refunded = 0) \
           OR (status = 'rejected' AND refunded = amount AND released = 0))) \
         ORDER BY id LIMIT 1000",
    ))
    .all(db)
    .await?;
    for h in holds {
        violations.push(Violation {
            invariant: "held_transfer_rows".into(),
            detail: format!(
                "held transfer {} ({}, {} points) has {} in the hold, {} released and {} refunded",
                h.id, h.status, h.amount, h.held, h.released, h.refunded
            ),
        });
    }
    let totals = Totals::find_by_statement(Statement::from_string(
        backend,
        "SELECT CAST((SELECT COALESCE(SUM(points_balance), 0) FROM users) AS BIGINT) AS balances, \
                CAST((SELECT COALESCE(SUM(amount), 0) FROM points_transactions) AS BIGINT) AS ledger",
    ))
    .one(db)
    .await?;
    if let Some(t) = totals {
        if t.balances != t.ledger {
            violations.push(Violation {
                invariant: "conservation".into(),
                detail: format!(
                    "balances sum to {} but minted − burned is {}",
                    t.balances, t.ledger
                ),
            });
        }
    }
    Ok(Report {
        users_checked,
        transactions_checked,
        violations,
    })
}
