//! The points ledger (docs/ARCHITECTURE.md §3). Every balance change is one
//! `points_transactions` row written in the same database transaction as a conditional update
//! of `users.points_balance`: debits only succeed while the balance covers them, so concurrency
//! can never overspend, and the row records the balance it produced.

use domain::points::{LedgerEntry, LedgerKind};
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryTrait, Statement, Value,
};

use crate::entities::{points_transactions as tx, users};
use crate::error::ApiError;
use crate::services::notify;

/// One balance change to apply.
#[derive(Debug, Clone)]
pub struct Movement {
    pub user_id: i64,
    /// Signed and non-zero: credits positive, debits negative.
    pub amount: i64,
    pub kind: LedgerKind,
    pub reason: Option<String>,
    pub reference: Option<(&'static str, i64)>,
    pub counterparty_id: Option<i64>,
    pub idempotency_key: Option<String>,
    pub actor_user_id: Option<i64>,
    pub actor_api_key_id: Option<i64>,
    /// Unique across the ledger: a second movement with the same key can never be written
    /// (prizes, bonuses — "exactly once" is a unique index, not a check in code).
    pub award_key: Option<String>,
    /// A daily cap on this kind of debit (transfers): the points the user may send per UTC day.
    /// Checked and counted on the user's row in the same conditional update as the balance.
    pub daily_cap: Option<i64>,
}

impl Movement {
    pub fn new(user_id: i64, amount: i64, kind: LedgerKind) -> Self {
        Self {
            user_id,
            amount,
            kind,
            reason: None,
            reference: None,
            counterparty_id: None,
            idempotency_key: None,
            actor_user_id: None,
            actor_api_key_id: None,
            award_key: None,
            daily_cap: None,
        }
    }

    pub fn daily_cap(mut self, limit: i64) -> Self {
        self.daily_cap = Some(limit);
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn reference(mut self, kind: &'static str, id: i64) -> Self {
        self.reference = Some((kind, id));
        self
    }

    pub fn counterparty(mut self, user_id: i64) -> Self {
        self.counterparty_id = Some(user_id);
        self
    }

    pub fn actor(mut self, user_id: i64) -> Self {
        self.actor_user_id = Some(user_id);
        self
    }

    pub fn api_key(mut self, key_id: Option<i64>) -> Self {
        self.actor_api_key_id = key_id;
        self
    }

    pub fn idempotency_key(mut self, key: Option<String>) -> Self {
        self.idempotency_key = key;
        self
    }

    /// The API key acting: the one given, or inside a key-authenticated request that key.
    fn acting_key_id(&self) -> Option<i64> {
        self.actor_api_key_id
            .or_else(crate::auth::api_key::current_key_id)
    }

    pub fn award_key(mut self, key: impl Into<String>) -> Self {
        self.award_key = Some(key.into());
        self
    }
}

/// Applies one movement inside the caller's transaction and returns the ledger row.
/// A debit the balance cannot cover fails with 409 `insufficient_points` and changes nothing.
pub async fn apply(conn: &impl ConnectionTrait, m: Movement) -> Result<tx::Model, ApiError> {
    if m.amount == 0 {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "a ledger movement of zero points"
        )));
    }
    let day = utc_day();
    let update = balance_update(&m, day);
    if conn.get_database_backend() == DbBackend::Postgres {
        // One round trip on PostgreSQL: the conditional update feeds the ledger insert.
        let mut sql = PgSql::default();
        let update = sql.embed(update);
        let insert = sql.ledger_insert(&m, "u");
        let row = tx::Model::find_by_statement(sql.statement(format!(
            "WITH u AS ({update} RETURNING points_balance) {insert}"
        )))
        .one(conn)
        .await?;
        return match row {
            Some(row) => Ok(counted(row)),
            None => Err(refusal(conn, &m, day).await),
        };
    }
    let updated = update.exec_with_returning(conn).await?;
    let Some(user) = updated.into_iter().next() else {
        return Err(refusal(conn, &m, day).await);
    };
    let api_key_id = m.acting_key_id();
    let row = tx::ActiveModel {
        user_id: Set(m.user_id),
        amount: Set(m.amount),
        balance_after: Set(user.points_balance),
        kind: Set(m.kind.as_str().to_owned()),
        reason: Set(m.reason),
        reference_type: Set(m.reference.map(|(t, _)| t.to_owned())),
        reference_id: Set(m.reference.map(|(_, id)| id)),
        counterparty_id: Set(m.counterparty_id),
        idempotency_key: Set(m.idempotency_key),
        actor_user_id: Set(m.actor_user_id),
        actor_api_key_id: Set(api_key_id),
        award_key: Set(m.award_key),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(counted(row))
}

/// Counts a written ledger row in the metrics.
fn counted(row: tx::Model) -> tx::Model {
    crate::metrics::ledger_movement(&row.kind, row.amount);
    row
}

/// The conditional `UPDATE users` of one movement: the balance (and lifetime earnings for
/// earnings); for a debit, only while the balance and the daily cap, if any, allow it.
fn balance_update(m: &Movement, day: i64) -> sea_orm::UpdateMany<users::Entity> {
    let mut update = users::Entity::update_many()
        .col_expr(
            users::Column::PointsBalance,
            Expr::col(users::Column::PointsBalance).add(m.amount),
        )
        .filter(users::Column::Id.eq(m.user_id));
    // Earnings count with their sign: a reversal of a prize lowers what was earned.
    if m.kind.is_earning() {
        update = update.col_expr(
            users::Column::LifetimeEarned,
            Expr::col(users::Column::LifetimeEarned).add(m.amount),
        );
    }
    if m.amount < 0 {
        // The conditional debit: zero rows updated means the balance does not cover it.
        update = update.filter(users::Column::PointsBalance.gte(-m.amount));
        if let Some(limit) = m.daily_cap {
            // SET expressions all read the row as it was, so the day switch and the sum agree.
            let today = || Expr::col(users::Column::TransferDay).eq(day);
            let sent_before = Expr::case(today(), Expr::col(users::Column::TransferredToday))
                .finally(Expr::val(0i64));
            let sent_after = Expr::case(
                today(),
                Expr::col(users::Column::TransferredToday).add(-m.amount),
            )
            .finally(Expr::val(-m.amount));
            update = update
                .col_expr(users::Column::TransferredToday, sent_after.into())
                .col_expr(users::Column::TransferDay, Expr::val(day))
                .filter(Expr::expr(sent_before).add(-m.amount).lte(limit));
        }
    }
    update
}

/// A PostgreSQL statement put together from parts, numbering its placeholders as it goes.
#[derive(Default)]
struct PgSql {
    values: Vec<Value>,
}

impl PgSql {
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// The SQL of a statement built by sea-query, its placeholders renumbered after ours.
    /// (sea-query binds every value, so `$` only ever starts a placeholder in its output.)
    fn embed(&mut self, stmt: impl QueryTrait) -> String {
        let built = stmt.build(DbBackend::Postgres);
        let offset = self.values.len();
        self.values
            .extend(built.values.map(|v| v.0).unwrap_or_default());
        let mut out = String::with_capacity(built.sql.len() + 8);
        let mut chars = built.sql.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c != '$' {
                continue;
            }
            let mut n = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(*d);
                chars.next();
            }
            match n.parse::<usize>() {
                Ok(n) => out.push_str(&(n + offset).to_string()),
                Err(_) => out.push_str(&n),
            }
        }
        out
    }

    /// `INSERT INTO points_transactions … SELECT …` of movement `m`, its `balance_after` read
    /// from the `points_balance` that CTE `from` returned.
    fn ledger_insert(&mut self, m: &Movement, from: &str) -> String {
        let api_key_id = m.acting_key_id();
        let params = [
            self.bind(m.user_id),
            self.bind(m.amount),
            self.bind(m.kind.as_str()),
            self.bind(m.reason.clone()),
            self.bind(m.reference.map(|(t, _)| t.to_owned())),
            self.bind(m.reference.map(|(_, id)| id)),
            self.bind(m.counterparty_id),
            self.bind(m.idempotency_key.clone()),
            self.bind(m.actor_user_id),
            self.bind(api_key_id),
            self.bind(m.award_key.clone()),
            self.bind(super::now()),
        ];
        format!(
            "INSERT INTO points_transactions (user_id, amount, kind, reason, reference_type, \
             reference_id, counterparty_id, idempotency_key, actor_user_id, actor_api_key_id, \
             award_key, created_at, balance_after) \
             SELECT {}, {from}.points_balance FROM {from} RETURNING *",
            params.join(", ")
        )
    }

    fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, self.values)
    }
}

/// Why a conditional update changed no row: an unknown user, the daily cap, or the balance.
async fn refusal(conn: &impl ConnectionTrait, m: &Movement, day: i64) -> ApiError {
    let user = match users::Entity::find_by_id(m.user_id).one(conn).await {
        Ok(Some(user)) => user,
        Ok(None) => return ApiError::not_found(),
        Err(e) => return e.into(),
    };
    if let Some(limit) = m.daily_cap {
        let sent = if user.transfer_day == day {
            user.transferred_today
        } else {
            0
        };
        if sent - m.amount > limit {
            return ApiError::message(
                ErrorCode::TransferLimitExceeded,
                format!(
                    "تجاوزت الحد اليومي للتحويلات ({limit} كربتو)؛ المتبقي لك اليوم {}.",
                    std::cmp::Ord::max(limit - sent, 0)
                ),
            );
        }
    }
    ApiError::Code(ErrorCode::InsufficientPoints)
}

/// Today as days since 1970-01-01 in UTC: the day the daily transfer limit counts.
pub fn utc_day() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(86_400)
}

/// Whether a movement with this award key was ever written.
pub async fn awarded(conn: &impl ConnectionTrait, award_key: &str) -> Result<bool, ApiError> {
    Ok(tx::Entity::find()
        .filter(tx::Column::AwardKey.eq(award_key))
        .one(conn)
        .await?
        .is_some())
}

/// Applies an award unless its key was already used; `Ok(None)` when it was.
pub async fn award_once(
    conn: &impl ConnectionTrait,
    m: Movement,
) -> Result<Option<tx::Model>, ApiError> {
    match &m.award_key {
        Some(key) if awarded(conn, key).await? => Ok(None),
        Some(_) => apply(conn, m).await.map(Some),
        None => Err(ApiError::Unexpected(anyhow::anyhow!(
            "award_once without an award key"
        ))),
    }
}

/// Moves points between two users: two ledger rows, and a notification for the recipient, in
/// the caller's transaction. The two balance rows are locked in id order, so two opposite
/// transfers cannot deadlock. Returns (debit, credit).
#[allow(clippy::too_many_arguments)]
pub async fn transfer(
    conn: &impl ConnectionTrait,
    from: i64,
    to: i64,
    amount: i64,
    note: Option<String>,
    idempotency_key: Option<String>,
    daily_limit: i64,
    notice: notify::Notice,
) -> Result<(tx::Model, tx::Model), ApiError> {
    if amount <= 0 || from == to {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "a transfer of {amount} points from {from} to {to}"
        )));
    }
    let out = Movement::new(from, -amount, LedgerKind::TransferOut)
        .counterparty(to)
        .actor(from)
        .idempotency_key(idempotency_key)
        .daily_cap(daily_limit);
    let inn = Movement::new(to, amount, LedgerKind::TransferIn)
        .counterparty(from)
        .actor(from);
    let (out, inn) = match note {
        Some(n) => (out.reason(n.clone()), inn.reason(n)),
        None => (out, inn),
    };
    if conn.get_database_backend() == DbBackend::Postgres {
        return transfer_pg(conn, out, inn, notice).await;
    }
    let (debit, credit) = if from < to {
        let debit = apply(conn, out).await?;
        (debit, apply(conn, inn).await?)
    } else {
        let credit = apply(conn, inn).await?;
        (apply(conn, out).await?, credit)
    };
    notify::user(
        conn,
        to,
        notice.kind,
        &notice.title,
        &notice.body,
        notice.payload,
    )
    .await?;
    Ok((debit, credit))
}

/// The whole transfer as one PostgreSQL statement: `l` locks both rows in id order, `d` is
/// the conditional debit (it waits for `l`), `c` the credit (only after a debit), then the two
/// ledger rows and the notification. No row back means the debit was refused; one row back
/// means the recipient's row is gone, and the caller's transaction must not commit.
async fn transfer_pg(
    conn: &impl ConnectionTrait,
    out: Movement,
    inn: Movement,
    notice: notify::Notice,
) -> Result<(tx::Model, tx::Model), ApiError> {
    let day = utc_day();
    let mut sql = PgSql::default();
    let (from, to) = (sql.bind(out.user_id), sql.bind(inn.user_id));
    let debit =
        sql.embed(balance_update(&out, day).filter(Expr::cust("(SELECT count(*) FROM l) = 2")));
    let credit =
        sql.embed(balance_update(&inn, day).filter(Expr::cust("EXISTS (SELECT 1 FROM d)")));
    let debit_row = sql.ledger_insert(&out, "d");
    let credit_row = sql.ledger_insert(&inn, "c");
    let notification = format!(
        "INSERT INTO notifications (user_id, kind, title, body, payload, created_at) \
         SELECT {}, {}, {}, {}, {}, {} FROM c",
        sql.bind(inn.user_id),
        sql.bind(notice.kind),
        sql.bind(notice.title),
        sql.bind(notice.body),
        sql.bind(notice.payload),
        sql.bind(super::now()),
    );
    let statement = sql.statement(format!(
        "WITH l AS MATERIALIZED (SELECT id FROM users WHERE id IN ({from}, {to}) ORDER BY id FOR UPDATE), \
         d AS ({debit} RETURNING points_balance), \
         c AS ({credit} RETURNING points_balance), \
         td AS ({debit_row}), tc AS ({credit_row}), n AS ({notification}) \
         SELECT * FROM td UNION ALL SELECT * FROM tc"
    ));
    let rows = tx::Model::find_by_statement(statement).all(conn).await?;
    let (debits, credits): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.amount < 0);
    match (debits.into_iter().next(), credits.into_iter().next()) {
        (Some(debit), Some(credit)) => Ok((counted(debit), counted(credit))),
        (None, _) => match users::Entity::find_by_id(inn.user_id).one(conn).await? {
            Some(_) => Err(refusal(conn, &out, day).await),
            None => Err(ApiError::not_found()),
        },
        (Some(_), None) => Err(ApiError::not_found()),
    }
}

pub fn to_entry(row: &tx::Model, counterparty_username: Option<String>) -> LedgerEntry {
    let kind = LedgerKind::parse(&row.kind).unwrap_or(LedgerKind::AdminAdjustment);
    LedgerEntry {
        id: row.id,
        amount: row.amount,
        balance_after: row.balance_after,
        kind,
        kind_label: kind.label_ar().to_owned(),
        reason: row.reason.clone(),
        reference_type: row.reference_type.clone(),
        reference_id: row.reference_id,
        counterparty_username,
        created_at: row.created_at,
    }
}

/// A user's ledger, newest first, with counterparty usernames resolved.
pub async fn page(
    conn: &impl ConnectionTrait,
    user_id: i64,
    cursor: Option<i64>,
    limit: u64,
    kind: Option<LedgerKind>,
) -> Result<(Vec<LedgerEntry>, Option<String>), ApiError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut q = tx::Entity::find().filter(tx::Column::UserId.eq(user_id));
    if let Some(c) = cursor {
        q = q.filter(tx::Column::Id.lt(c));
    }
    if let Some(k) = kind {
        q = q.filter(tx::Column::Kind.eq(k.as_str()));
    }
    let rows = q
        .order_by_desc(tx::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next) = crate::routes::pagination::split_page(rows, limit, |r| r.id);
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.counterparty_id).collect();
    let names: std::collections::HashMap<i64, String> = if ids.is_empty() {
        Default::default()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.username))
            .collect()
    };
    let items = rows
        .iter()
        .map(|r| to_entry(r, r.counterparty_id.and_then(|id| names.get(&id).cloned())))
        .collect();
    Ok((items, next))
}
