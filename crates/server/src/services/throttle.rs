//! Login brute-force protection, kept in the database so it holds across replicas.
//!
//! An attempt is recorded *before* its password is checked and the limits are counted including
//! it, one attempt per account and per address at a time (PostgreSQL: transaction-scoped
//! advisory locks on both; SQLite has one writer anyway). Attempts still being verified count as
//! failures, so of any number of parallel guesses exactly the limit are verified and the rest are
//! refused. A refused attempt is rolled back, so hammering a lock does not extend it.
//!
//! Three limits within the window (`config::RateLimits`, 15 minutes):
//! - **one account from one address** (5): that address is refused for that account. Anyone can
//!   make five failures, so this must not lock the owner out: from elsewhere they still sign in.
//! - **one account from several addresses** (20 failures from at least 3 addresses): the whole
//!   account is refused. One address can add at most 5 failures to an account, so this takes a
//!   distributed attack; the owner is refused too until the failures age out.
//! - **one address across accounts** (20): that address is refused for every account.
//!
//! An account's failures count only since its last successful sign-in, and an address's
//! failures for an account only since the last success from that address. When a lock engages,
//! the owner gets a notification (once per window and kind of lock) and the admins get one too.

use chrono::{DateTime, Duration, Utc};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Statement, Value,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::config::RateLimits;
use crate::db;
use crate::entities::{admin_notifications, login_attempts, notifications, users};
use crate::error::ApiError;
use crate::services::notify;

/// The owner's notification kind when a lock engages on their account.
pub const USER_NOTIFICATION: &str = "login_attack";
/// The admins' notification kinds.
pub const ACCOUNT_NOTIFICATION: &str = "login_throttled_account";
pub const IP_NOTIFICATION: &str = "login_throttled_ip";

/// An account is identified by its id when it exists (so username and email share one budget),
/// by the normalised login text otherwise.
pub struct Subject<'a> {
    pub login_key: &'a str,
    pub user_id: Option<i64>,
    pub ip: &'a str,
}

/// Failures in the window, counting the attempt being made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    /// For the account, since its last success.
    account: u64,
    /// Distinct addresses among those.
    addresses: u64,
    /// For the account from this address, since the last success from it.
    pair: u64,
    /// From this address, any account.
    ip: u64,
}

/// Which lock refused, or engaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// This address, for this account.
    Address,
    /// The account, from everywhere.
    Account,
    /// This address, for every account.
    Ip,
}

impl Lock {
    fn as_str(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Account => "account",
            Self::Ip => "ip",
        }
    }
}

impl Counts {
    /// The locks this attempt's counts reach (`count >= limit`): with the attempt failing,
    /// the next one is refused.
    fn reached(&self, limits: &RateLimits) -> Vec<Lock> {
        let mut locks = Vec::new();
        if self.pair >= limits.login_failures_per_account_address {
            locks.push(Lock::Address);
        }
        if self.account >= limits.login_failures_per_account
            && self.addresses >= limits.login_lock_min_addresses
        {
            locks.push(Lock::Account);
        }
        if self.ip >= limits.login_failures_per_ip {
            locks.push(Lock::Ip);
        }
        locks
    }

    /// The lock that refuses this attempt: one that was already reached without it.
    fn refusal(&self, limits: &RateLimits) -> Option<Lock> {
        if self.pair > limits.login_failures_per_account_address {
            Some(Lock::Address)
        } else if self.account > limits.login_failures_per_account
            && self.addresses >= limits.login_lock_min_addresses
        {
            Some(Lock::Account)
        } else if self.ip > limits.login_failures_per_ip {
            Some(Lock::Ip)
        } else {
            None
        }
    }
}

/// A recorded attempt that passed the limits; its password may now be checked.
pub struct Attempt {
    id: i64,
    counts: Counts,
}

fn window(limits: &RateLimits) -> Duration {
    Duration::seconds(limits.login_window_secs)
}

/// Records the attempt (as a failure until [`succeeded`] says otherwise) and counts the limits
/// including it; refused (429 with the seconds until the lock lifts, nothing recorded) when one
/// is exceeded.
pub async fn begin(
    db: &DatabaseConnection,
    limits: &RateLimits,
    subject: &Subject<'_>,
) -> Result<Attempt, ApiError> {
    db::transaction(db, |txn| async move {
        let txn = &*txn;
        serialize(txn, subject).await?;
        let now = super::now();
        let row = login_attempts::ActiveModel {
            login_key: Set(subject.login_key.to_owned()),
            user_id: Set(subject.user_id),
            ip: Set(subject.ip.to_owned()),
            success: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let counts = count(txn, subject, now - window(limits)).await?;
        match counts.refusal(limits) {
            None => Ok(Attempt { id: row.id, counts }),
            // The error rolls the attempt back.
            Some(lock) => Err(ApiError::RateLimited {
                code: ErrorCode::TooManyLoginAttempts,
                retry_after: retry_after(txn, limits, subject, lock, row.id).await?,
            }),
        }
    })
    .await
}

/// Advisory-lock namespaces (the two-key form, apart from the one-key locks used elsewhere).
const ACCOUNT_LOCK_CLASS: i32 = 0x6d71_6c61; // "mqla"
const ADDRESS_LOCK_CLASS: i32 = 0x6d71_6c69; // "mqli"

/// One attempt per account and per address at a time until the transaction ends, always in
/// that order (so two attempts cannot wait on each other). SQLite needs nothing: the insert
/// that follows takes its single write lock.
async fn serialize(conn: &impl ConnectionTrait, subject: &Subject<'_>) -> Result<(), ApiError> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let account = match subject.user_id {
        Some(id) => format!("id:{id}"),
        None => format!("login:{}", subject.login_key),
    };
    for (class, key) in [
        (ACCOUNT_LOCK_CLASS, account.as_str()),
        (ADDRESS_LOCK_CLASS, subject.ip),
    ] {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [class.into(), lock_key(key).into()],
        ))
        .await?;
    }
    Ok(())
}

/// Serializes counted requests of one kind (e.g. verification emails) per `keys` (in the order
/// given) until the transaction ends, so parallel requests count each other and exactly the
/// limit passes: PostgreSQL advisory locks in `class`; SQLite's single writer needs nothing.
pub async fn serialize_keys(
    conn: &impl ConnectionTrait,
    class: i32,
    keys: &[&str],
) -> Result<(), ApiError> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for key in keys {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [class.into(), lock_key(key).into()],
        ))
        .await?;
    }
    Ok(())
}

fn lock_key(text: &str) -> i32 {
    let digest = Sha256::digest(text.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// The password was right: the attempt is a success (and resets the account's counts).
pub async fn succeeded(conn: &impl ConnectionTrait, attempt: &Attempt) -> Result<(), ApiError> {
    login_attempts::Entity::update_many()
        .col_expr(login_attempts::Column::Success, Expr::value(true))
        .filter(login_attempts::Column::Id.eq(attempt.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The password was wrong (the attempt already counts as a failure). When this failure engages
/// a lock, the owner and the admins are told, once per window and kind of lock.
pub async fn failed(
    db: &DatabaseConnection,
    limits: &RateLimits,
    subject: &Subject<'_>,
    attempt: &Attempt,
) -> Result<(), ApiError> {
    let counts = attempt.counts;
    let reached = counts.reached(limits);
    // As before: the admins hear about an address once, when it reaches the limit.
    if counts.ip == limits.login_failures_per_ip {
        notify::admins(
            db,
            IP_NOTIFICATION,
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
    let account_locks: Vec<Lock> = reached.into_iter().filter(|l| *l != Lock::Ip).collect();
    if account_locks.is_empty() {
        return Ok(());
    }
    let since = super::now() - window(limits);
    let minutes = window(limits).num_minutes();
    let locks_ref = &account_locks;
    db::transaction(db, |txn| async move {
        let txn = &*txn;
        if let Some(user_id) = subject.user_id {
            // Serialises concurrent failures of one account, so each is told once.
            users::Entity::update_many()
                .col_expr(
                    users::Column::TokenVersion,
                    Expr::col(users::Column::TokenVersion),
                )
                .filter(users::Column::Id.eq(user_id))
                .exec(txn)
                .await?;
        }
        for lock in locks_ref {
            tell_admins(txn, subject, *lock, counts, since, minutes).await?;
            if let Some(user_id) = subject.user_id {
                tell_owner(txn, user_id, subject, *lock, counts, since, minutes).await?;
            }
        }
        Ok(())
    })
    .await
}

async fn tell_admins(
    conn: &impl ConnectionTrait,
    subject: &Subject<'_>,
    lock: Lock,
    counts: Counts,
    since: DateTime<Utc>,
    minutes: i64,
) -> Result<(), ApiError> {
    let told = admin_notifications::Entity::find()
        .filter(admin_notifications::Column::Kind.eq(ACCOUNT_NOTIFICATION))
        .filter(admin_notifications::Column::CreatedAt.gt(since))
        .all(conn)
        .await?
        .iter()
        .any(|n| n.payload["login"] == subject.login_key && n.payload["scope"] == lock.as_str());
    if told {
        return Ok(());
    }
    let (title, body) = match lock {
        Lock::Account => (
            "محاولات دخول فاشلة لحساب من عدة عناوين".to_owned(),
            format!(
                "فشلت {} محاولة دخول إلى الحساب «{}» من {} عناوين خلال {minutes} دقيقة؛ أُوقف الدخول إلى الحساب مؤقتًا من كل العناوين.",
                counts.account, subject.login_key, counts.addresses
            ),
        ),
        _ => (
            "محاولات دخول فاشلة متكررة لحساب".to_owned(),
            format!(
                "بلغ الحساب «{}» حد المحاولات الفاشلة من العنوان {}؛ أُوقف الدخول إليه من هذا العنوان مؤقتًا.",
                subject.login_key, subject.ip
            ),
        ),
    };
    notify::admins(
        conn,
        ACCOUNT_NOTIFICATION,
        notify::Severity::Warning,
        &title,
        &body,
        json!({
            "login": subject.login_key,
            "user_id": subject.user_id,
            "ip": subject.ip,
            "scope": lock.as_str(),
            "failures": counts.account,
            "addresses": counts.addresses,
        }),
    )
    .await
}

async fn tell_owner(
    conn: &impl ConnectionTrait,
    user_id: i64,
    subject: &Subject<'_>,
    lock: Lock,
    counts: Counts,
    since: DateTime<Utc>,
    minutes: i64,
) -> Result<(), ApiError> {
    let told = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user_id))
        .filter(notifications::Column::Kind.eq(USER_NOTIFICATION))
        .filter(notifications::Column::CreatedAt.gt(since))
        .all(conn)
        .await?
        .iter()
        .any(|n| n.payload["scope"] == lock.as_str());
    if told {
        return Ok(());
    }
    let (title, body) = match lock {
        Lock::Account => (
            "أوقفنا الدخول إلى حسابك مؤقتًا".to_owned(),
            format!(
                "فشلت {} محاولة دخول إلى حسابك من {} عناوين مختلفة خلال {minutes} دقيقة، فأوقفنا الدخول إليه مؤقتًا حمايةً له. إن لم تكن أنت، فغيّر كلمة المرور بعد انتهاء الإيقاف.",
                counts.account, counts.addresses
            ),
        ),
        _ => (
            "محاولات دخول فاشلة إلى حسابك".to_owned(),
            format!(
                "فشلت عدة محاولات للدخول إلى حسابك من العنوان {}، فأوقفنا المحاولات منه مؤقتًا، ويبقى دخولك من أجهزتك الأخرى متاحًا. إن لم تكن أنت، فغيّر كلمة المرور.",
                subject.ip
            ),
        ),
    };
    notify::user(
        conn,
        user_id,
        USER_NOTIFICATION,
        &title,
        &body,
        json!({
            "scope": lock.as_str(),
            "ip": subject.ip,
            "failures": counts.account,
            "addresses": counts.addresses,
            "window_minutes": minutes,
        }),
    )
    .await
}

/// All four counts in one statement. A failure counts for the account unless the account has
/// signed in successfully after it, and for the account and address unless it did so from
/// that address.
async fn count(
    conn: &impl ConnectionTrait,
    subject: &Subject<'_>,
    since: DateTime<Utc>,
) -> Result<Counts, ApiError> {
    let backend = conn.get_database_backend();
    let p = |n: u8| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    };
    let (account_key, account, open, pair_open) = match subject.user_id {
        Some(id) => {
            let later_success = "SELECT 1 FROM login_attempts s WHERE s.user_id = f.user_id \
                 AND s.success = TRUE AND s.created_at > f.created_at";
            (
                Value::from(id),
                format!("f.user_id = {}", p(1)),
                format!("NOT EXISTS ({later_success})"),
                format!("NOT EXISTS ({later_success} AND s.ip = f.ip)"),
            )
        }
        // An unknown login never succeeds.
        None => (
            Value::from(subject.login_key.to_owned()),
            format!("f.login_key = {}", p(1)),
            "TRUE".to_owned(),
            "TRUE".to_owned(),
        ),
    };
    let (ip, since_p) = (p(2), p(3));
    let sql = format!(
        "SELECT \
           COALESCE(SUM(CASE WHEN {account} AND {open} THEN 1 ELSE 0 END), 0) AS account, \
           COUNT(DISTINCT CASE WHEN {account} AND {open} THEN f.ip END) AS addresses, \
           COALESCE(SUM(CASE WHEN {account} AND f.ip = {ip} AND {pair_open} THEN 1 ELSE 0 END), 0) AS pair, \
           COALESCE(SUM(CASE WHEN f.ip = {ip} THEN 1 ELSE 0 END), 0) AS per_ip \
         FROM login_attempts f \
         WHERE f.success = FALSE AND f.created_at > {since_p} AND ({account} OR f.ip = {ip})"
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [account_key, subject.ip.into(), since.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(Counts::default());
    };
    let get =
        |name: &str| -> Result<u64, ApiError> { Ok(row.try_get::<i64>("", name)?.max(0) as u64) };
    Ok(Counts {
        account: get("account")?,
        addresses: get("addresses")?,
        pair: get("pair")?,
        ip: get("per_ip")?,
    })
}

/// Seconds until `lock` lifts: when the failure that has to leave the window does.
async fn retry_after(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    subject: &Subject<'_>,
    lock: Lock,
    this_attempt: i64,
) -> Result<u64, ApiError> {
    let window = window(limits);
    let now = super::now();
    let failures = login_attempts::Entity::find()
        .filter(login_attempts::Column::Success.eq(false))
        .filter(login_attempts::Column::CreatedAt.gt(now - window))
        .filter(login_attempts::Column::Id.ne(this_attempt));
    let of_account = |q: Select<login_attempts::Entity>| match subject.user_id {
        Some(id) => q.filter(login_attempts::Column::UserId.eq(id)),
        None => q.filter(login_attempts::Column::LoginKey.eq(subject.login_key)),
    };
    let (q, limit) = match lock {
        Lock::Address => (
            of_account(failures).filter(login_attempts::Column::Ip.eq(subject.ip)),
            limits.login_failures_per_account_address,
        ),
        Lock::Account => (of_account(failures), limits.login_failures_per_account),
        Lock::Ip => (
            failures.filter(login_attempts::Column::Ip.eq(subject.ip)),
            limits.login_failures_per_ip,
        ),
    };
    let nth = q
        .order_by_desc(login_attempts::Column::CreatedAt)
        .offset(limit.saturating_sub(1))
        .one(conn)
        .await?;
    let until = nth.map_or(now, |a| a.created_at + window);
    Ok((until - now).num_seconds().max(1) as u64)
}

/// Whether sign-in to the account is refused right now from some address: the account-wide
/// lock, or the per-address lock from any one address.
pub async fn account_locked(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    user_id: i64,
) -> Result<bool, ApiError> {
    let subject = Subject {
        login_key: "",
        user_id: Some(user_id),
        ip: "",
    };
    let since = super::now() - window(limits);
    let counts = count(conn, &subject, since).await?;
    if counts.account >= limits.login_failures_per_account
        && counts.addresses >= limits.login_lock_min_addresses
    {
        return Ok(true);
    }
    // The busiest address's open failures for the account.
    let rows: Vec<(String, i64)> = login_attempts::Entity::find()
        .select_only()
        .column(login_attempts::Column::Ip)
        .column_as(login_attempts::Column::Id.count(), "n")
        .filter(login_attempts::Column::UserId.eq(user_id))
        .filter(login_attempts::Column::Success.eq(false))
        .filter(login_attempts::Column::CreatedAt.gt(since))
        .group_by(login_attempts::Column::Ip)
        .into_tuple()
        .all(conn)
        .await?;
    for (ip, _) in rows {
        let pair = count(
            conn,
            &Subject {
                login_key: "",
                user_id: Some(user_id),
                ip: &ip,
            },
            since,
        )
        .await?;
        if pair.pair >= limits.login_failures_per_account_address {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An admin lifts the sign-in locks on an account: its recorded failures are deleted (they are
/// throttling state; the alert and the audit entry keep the record). Returns how many.
pub async fn unlock_account(conn: &impl ConnectionTrait, user_id: i64) -> Result<u64, ApiError> {
    Ok(login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::UserId.eq(user_id))
        .filter(login_attempts::Column::Success.eq(false))
        .exec(conn)
        .await?
        .rows_affected)
}

/// An admin lifts the sign-in lock on an address (its failures for every account).
pub async fn unblock_address(conn: &impl ConnectionTrait, ip: &str) -> Result<u64, ApiError> {
    Ok(login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::Success.eq(false))
        .exec(conn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_reached_at_the_limit_and_refuses_past_it() {
        let limits = RateLimits::default();
        let at = |pair, account, addresses, ip| Counts {
            account,
            addresses,
            pair,
            ip,
        };
        assert_eq!(at(4, 4, 1, 4).reached(&limits), vec![]);
        assert_eq!(at(5, 5, 1, 5).reached(&limits), vec![Lock::Address]);
        assert_eq!(at(5, 5, 1, 5).refusal(&limits), None);
        assert_eq!(at(6, 6, 1, 6).refusal(&limits), Some(Lock::Address));
        // Many failures from too few addresses do not lock the account.
        assert_eq!(at(1, 40, 2, 1).refusal(&limits), None);
        assert_eq!(at(1, 20, 3, 1).reached(&limits), vec![Lock::Account]);
        assert_eq!(at(1, 21, 3, 1).refusal(&limits), Some(Lock::Account));
        assert_eq!(at(1, 1, 1, 21).refusal(&limits), Some(Lock::Ip));
    }
}
