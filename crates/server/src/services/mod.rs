//! Business rules. Service functions take a connection or a transaction (`&impl ConnectionTrait`)
//! so several rules compose inside one database transaction.

pub mod audit;
pub mod idempotency;
pub mod ledger;
pub mod ledger_verify;
pub mod notify;
pub mod seed;
pub mod sessions;
pub mod system_settings;
pub mod throttle;
pub mod users;

/// Now, truncated to microseconds so values read back from either database compare equal.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}
