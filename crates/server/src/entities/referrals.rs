//! `referrals`: Friend Challenge referrals; `reasons` is a JSON array of strings explaining a
//! flag.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub referrer_id: i64,
    pub referee_id: i64,
    pub code: String,
    /// `pending` | `qualified` | `rewarded` | `rejected` | `flagged`
    pub status: String,
    pub ip: Option<String>,
    pub device_id: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub reasons: Json,
    pub referrer_bonus: i64,
    pub referee_bonus: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub qualified_at: Option<DateTimeUtc>,
    pub rewarded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::ReferrerId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Referrer,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::RefereeId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Referee,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::DecidedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Decider,
}

impl ActiveModelBehavior for ActiveModel {}
