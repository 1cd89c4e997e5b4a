//! Admin-section DTOs: user administration, the audit log and the admin inbox.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::users::User;

/// A page of users (keyset pagination by id, newest first).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub actor_user_id: Option<i64>,
    pub actor_username: Option<String>,
    /// The API key the action was done through, if any, and its public prefix.
    pub actor_api_key_id: Option<i64>,
    pub actor_api_key_prefix: Option<String>,
    /// The admin who created that key (recorded when the action was done).
    pub actor_key_creator_id: Option<i64>,
    pub actor_key_creator_username: Option<String>,
    /// e.g. `user.register`, `user.login`, `user.role_change`.
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminNotification {
    pub id: i64,
    pub kind: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    pub title: String,
    pub body: String,
    pub payload: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Arabic name of `kind`.
    #[serde(default)]
    pub kind_label: String,
    /// What the alert is about, linked by the SPA.
    #[serde(default)]
    pub subject: Option<crate::safety::AlertSubject>,
    /// What an admin can do about it now (empty once it was dealt with).
    #[serde(default)]
    pub actions: Vec<crate::safety::AlertAction>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminNotificationPage {
    pub items: Vec<AdminNotification>,
    pub next_cursor: Option<String>,
    /// Unread notifications in total.
    pub unread: u64,
}

/// A count per status (competitions by status on the dashboard).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: String,
    /// Arabic label of the status.
    pub label: String,
    pub count: i64,
}

/// Points credited and debited by one ledger kind over a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindFlow {
    pub kind: crate::points::LedgerKind,
    /// Arabic label of the kind.
    pub kind_label: String,
    /// Sum of the positive rows.
    pub credited: i64,
    /// Sum of the negative rows, as a positive number.
    pub debited: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCount {
    pub date: chrono::NaiveDate,
    pub count: i64,
}

/// GET /admin/stats: the dashboard's numbers. "Minted" is every credit other than a transfer
/// (awards, purchases, bonuses, refunds, positive adjustments); "burned" every debit other than a
/// transfer (redemptions, fees, negative adjustments).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminStats {
    pub users_total: i64,
    pub users_suspended: i64,
    pub admins: i64,
    /// Users who signed in since 00:00 UTC today.
    pub active_today: i64,
    pub signups_today: i64,
    pub competitions_total: i64,
    pub competitions_by_status: Vec<StatusCount>,
    pub pending_redemptions: i64,
    pub requested_purchases: i64,
    /// Sum of all balances.
    pub points_in_circulation: i64,
    pub minted_30d: i64,
    pub burned_30d: i64,
    /// Points moved between users (not minted or burned).
    pub transferred_30d: i64,
    pub flows_30d: Vec<KindFlow>,
    /// Sign-ups per UTC day, oldest first, 30 days ending today (zeros included).
    pub daily_signups: Vec<DailyCount>,
    pub generated_at: DateTime<Utc>,
}
