//! `points_transactions`: The points ledger: one signed row per balance change
//! (docs/ARCHITECTURE.md §3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "points_transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// Signed, never 0.
    pub amount: i64,
    pub balance_after: i64,
    /// `competition_prize`, `participation`, `entry_fee`, `transfer_in`, ... (mapped by the app)
    pub kind: String,
    pub reason: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<i64>,
    pub counterparty_id: Option<i64>,
    pub idempotency_key: Option<String>,
    pub actor_user_id: Option<i64>,
    pub actor_api_key_id: Option<i64>,
    /// UNIQUE: makes an award exactly-once, e.g. `competition:12:user:5:prize`.
    pub award_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CounterpartyId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Counterparty,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::ActorUserId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    ActorUser,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
