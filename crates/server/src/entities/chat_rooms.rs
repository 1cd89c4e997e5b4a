//! `chat_rooms`: Chat rooms. Direct rooms have `direct_key` = "<smaller id>:<larger id>"
//! (unique).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `group` | `direct`
    pub kind: String,
    /// `public` | `private`
    pub visibility: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub direct_key: Option<String>,
    pub created_by: Option<i64>,
    pub last_message_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set by an admin: the room is read-only (migration m20261127_000004).
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Creator,
}

impl ActiveModelBehavior for ActiveModel {}
