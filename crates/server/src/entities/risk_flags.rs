//! `risk_flags`: what a fraud rule (or an admin) noted about an account; open while
//! `cleared_at` is NULL.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_flags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// A `domain::safety::RiskRule` code.
    pub rule: String,
    /// What the rule saw, in Arabic.
    pub reason: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub details: Json,
    pub created_at: DateTimeUtc,
    pub cleared_at: Option<DateTimeUtc>,
    pub cleared_by: Option<i64>,
    pub clear_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
