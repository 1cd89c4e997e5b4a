//! `reward_redemptions`: Redemption requests; `cost` is the price debited at request time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reward_redemptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reward_id: i64,
    pub user_id: i64,
    pub cost: i64,
    /// `pending` | `approved` | `fulfilled` | `rejected` | `cancelled`
    pub status: String,
    pub user_note: Option<String>,
    pub admin_note: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub fulfilled_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Why a fraud rule flagged it for a closer look.
    pub risk_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rewards::Entity",
        from = "Column::RewardId",
        to = "super::rewards::Column::Id",
        on_delete = "Restrict"
    )]
    Reward,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::DecidedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Decider,
}

impl Related<super::rewards::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Reward.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
