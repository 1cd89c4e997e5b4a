//! `messages`: Chat messages; deletion is soft (`deleted_at`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub sender_id: i64,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<i64>,
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
        from = "Column::SenderId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Sender,
}

impl Related<super::chat_rooms::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Room.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
