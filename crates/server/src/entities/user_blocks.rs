//! `user_blocks`: `blocker_id` blocks `blocked_id` (unique pair, never self).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_blocks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub blocker_id: i64,
    pub blocked_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::BlockerId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Blocker,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::BlockedId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Blocked,
}

impl ActiveModelBehavior for ActiveModel {}
