//! `session_step_ups`: when a session (refresh-token family) last confirmed its identity.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_step_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub family_id: String,
    pub user_id: i64,
    pub stepped_up_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
