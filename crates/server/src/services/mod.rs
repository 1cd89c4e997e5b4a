//! Business rules. Service functions take a connection or a transaction (`&impl ConnectionTrait`)
//! so several rules compose inside one database transaction.

pub mod alerts;
pub mod api_key_admin;
pub mod api_key_reports;
pub mod api_keys;
pub mod api_usage;
pub mod audit;
pub mod awards;
pub mod chat;
pub mod competitions;
pub mod data_rights;
pub mod email;
pub mod entries;
pub mod export;
pub mod finalize;
pub mod held_transfers;
pub mod housekeeping;
pub mod idempotency;
pub mod investigation;
pub mod leaderboard;
pub mod ledger;
pub mod ledger_verify;
pub mod mailer;
pub mod my_competitions;
pub mod names;
pub mod notify;
pub mod outbox_admin;
pub mod packages;
pub mod participation;
pub mod password_reset;
pub mod profiles;
pub mod purchases;
pub mod questions;
pub mod recipients;
pub mod redemptions;
pub mod referrals;
pub mod rewards;
pub mod risk;
pub mod scheduler;
pub mod seed;
pub mod sessions;
pub mod stats;
pub mod system_settings;
pub mod throttle;
pub mod token_failures;
pub mod totp;
pub mod users;
pub mod verification;

/// Now, truncated to microseconds so values read back from either database compare equal.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}
