//! `held_transfers`: transfers a fraud rule held for review (the sender's points are in the
//! hold until an admin releases or rejects them).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "held_transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub recipient_id: i64,
    pub amount: i64,
    pub note: Option<String>,
    /// `domain::safety::RiskRule` codes, comma-separated, the main one first.
    pub rules: String,
    pub reason: String,
    /// `held` | `released` | `rejected`
    pub status: String,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
