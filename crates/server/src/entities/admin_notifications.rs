//! `admin_notifications`: The admin inbox (fraud rules and other alerts).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    /// `info` | `warning` | `critical`
    pub severity: String,
    pub title: String,
    pub body: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    pub read_at: Option<DateTimeUtc>,
    pub read_by: Option<i64>,
    pub created_at: DateTimeUtc,
    /// What the alert is about (`user`, `held_transfer`, `referral`, `api_key`, `purchase`,
    /// `redemption`, `address`) and its id.
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    /// Unique: a rule that fires again for the same cluster does not alert twice.
    pub dedupe_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::ReadBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Reader,
}

impl ActiveModelBehavior for ActiveModel {}
