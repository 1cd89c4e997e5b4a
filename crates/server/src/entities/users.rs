//! `users`: Accounts. `points_balance` is the ledger's running total (docs/ARCHITECTURE.md §3);
//! `username_lower` carries the case-insensitive uniqueness.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub username_lower: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    /// `user` | `admin`
    pub role: String,
    /// `active` | `suspended`
    pub status: String,
    pub points_balance: i64,
    pub lifetime_earned: i64,
    /// The UTC day (days since 1970-01-01) that `transferred_today` counts.
    pub transfer_day: i64,
    /// Points sent by transfer on `transfer_day` (the daily limit is checked against it).
    pub transferred_today: i64,
    pub referral_code: String,
    pub referred_by: Option<i64>,
    pub token_version: i32,
    pub last_login_at: Option<DateTimeUtc>,
    pub last_login_ip: Option<String>,
    pub registration_ip: Option<String>,
    pub device_id: Option<String>,
    pub locale: String,
    /// `arab` | `latn`
    pub digits: String,
    /// Arabic-normalized username + display name, for search.
    pub search_text: String,
    /// UTS #39 skeleton of the display name (`text::name_skeleton`), for the look-alike check.
    pub display_name_skeleton: Option<String>,
    /// UTS #39 skeleton of the username.
    pub username_skeleton: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the current email address was confirmed by a link sent to it; `None` until then
    /// (and again after the address changes).
    pub email_verified_at: Option<DateTimeUtc>,
    /// When the owner deleted the account: the row stays (the ledger points at it) with its
    /// personal fields replaced by a placeholder.
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ReferredBy",
        to = "Column::Id",
        on_delete = "SetNull"
    )]
    Referrer,
}

impl ActiveModelBehavior for ActiveModel {}
