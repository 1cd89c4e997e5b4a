//! `chat_room_members`: Room membership; unread = messages with id > `last_read_message_id`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_room_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub user_id: i64,
    /// `owner` | `member`
    pub role: String,
    pub last_read_message_id: i64,
    pub muted: bool,
    pub invited_by: Option<i64>,
    pub joined_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::chat_rooms::Entity",
        from = "Column::RoomId",
        to = "super::chat_rooms::Column::Id",
        on_delete = "Cascade"
    )]
    Room,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::InvitedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Inviter,
}

impl Related<super::chat_rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Room.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
