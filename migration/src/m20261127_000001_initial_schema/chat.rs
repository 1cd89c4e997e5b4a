//! Chat: rooms, memberships, messages and user blocks.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum ChatRooms {
    Table,
    Id,
    Kind,
    Visibility,
    Name,
    Description,
    DirectKey,
    CreatedBy,
    LastMessageId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChatRoomMembers {
    Table,
    Id,
    RoomId,
    UserId,
    Role,
    LastReadMessageId,
    Muted,
    InvitedBy,
    JoinedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Messages {
    Table,
    Id,
    RoomId,
    SenderId,
    Body,
    CreatedAt,
    EditedAt,
    DeletedAt,
    DeletedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserBlocks {
    Table,
    Id,
    BlockerId,
    BlockedId,
    CreatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![chat_rooms(), chat_room_members(), messages(), user_blocks()]
}

fn chat_rooms() -> TableDef {
    TableDef::new(
        Table::create()
            .table(ChatRooms::Table)
            .col(id(ChatRooms::Id))
            .col(text(ChatRooms::Kind))
            .col(text(ChatRooms::Visibility).default("public"))
            .col(text_null(ChatRooms::Name))
            .col(text_null(ChatRooms::Description))
            // "<smaller id>:<larger id>" for direct rooms: the UNIQUE makes opening a DM
            // idempotent under concurrency. NULL for group rooms.
            .col(text_null(ChatRooms::DirectKey))
            .col(big_integer_null(ChatRooms::CreatedBy))
            // Denormalized for room lists; no FK because messages reference rooms (a cycle).
            .col(big_integer_null(ChatRooms::LastMessageId))
            .col(ts(ChatRooms::CreatedAt))
            .col(ts(ChatRooms::UpdatedAt))
            .index(&mut unique(ChatRooms::Table, &[ChatRooms::DirectKey]))
            .foreign_key(&mut fk(
                ChatRooms::Table,
                ChatRooms::CreatedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_chat_rooms_kind",
                one_of(ChatRooms::Kind, &["group", "direct"]),
            ))
            .check((
                "ck_chat_rooms_visibility",
                one_of(ChatRooms::Visibility, &["public", "private"]),
            )),
        vec![index(
            ChatRooms::Table,
            &[ChatRooms::Kind, ChatRooms::Visibility],
        )],
    )
}

fn chat_room_members() -> TableDef {
    TableDef::new(
        Table::create()
            .table(ChatRoomMembers::Table)
            .col(id(ChatRoomMembers::Id))
            .col(big_integer(ChatRoomMembers::RoomId))
            .col(big_integer(ChatRoomMembers::UserId))
            .col(text(ChatRoomMembers::Role).default("member"))
            // Unread count = messages in the room with id > this; 0 = nothing read yet.
            .col(big_integer(ChatRoomMembers::LastReadMessageId).default(0))
            .col(boolean(ChatRoomMembers::Muted).default(false))
            .col(big_integer_null(ChatRoomMembers::InvitedBy))
            .col(ts(ChatRoomMembers::JoinedAt))
            .index(&mut unique(
                ChatRoomMembers::Table,
                &[ChatRoomMembers::RoomId, ChatRoomMembers::UserId],
            ))
            .foreign_key(&mut fk(
                ChatRoomMembers::Table,
                ChatRoomMembers::RoomId,
                ChatRooms::Table,
                ChatRooms::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                ChatRoomMembers::Table,
                ChatRoomMembers::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                ChatRoomMembers::Table,
                ChatRoomMembers::InvitedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_chat_room_members_role",
                one_of(ChatRoomMembers::Role, &["owner", "member"]),
            )),
        vec![index(ChatRoomMembers::Table, &[ChatRoomMembers::UserId])],
    )
}

fn messages() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Messages::Table)
            .col(id(Messages::Id))
            .col(big_integer(Messages::RoomId))
            .col(big_integer(Messages::SenderId))
            .col(text(Messages::Body))
            .col(ts(Messages::CreatedAt))
            .col(ts_null(Messages::EditedAt))
            // Soft delete keeps keyset pagination and unread counts stable.
            .col(ts_null(Messages::DeletedAt))
            .col(big_integer_null(Messages::DeletedBy))
            .foreign_key(&mut fk(
                Messages::Table,
                Messages::RoomId,
                ChatRooms::Table,
                ChatRooms::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                Messages::Table,
                Messages::SenderId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            )),
        vec![
            // History pages (WHERE room_id = ? AND id < ? ORDER BY id DESC) and unread counts.
            named_index(
                "idx_messages_room_id",
                Messages::Table,
                &[Messages::RoomId, Messages::Id],
            ),
        ],
    )
}

fn user_blocks() -> TableDef {
    TableDef::new(
        Table::create()
            .table(UserBlocks::Table)
            .col(id(UserBlocks::Id))
            .col(big_integer(UserBlocks::BlockerId))
            .col(big_integer(UserBlocks::BlockedId))
            .col(ts(UserBlocks::CreatedAt))
            .index(&mut unique(
                UserBlocks::Table,
                &[UserBlocks::BlockerId, UserBlocks::BlockedId],
            ))
            .foreign_key(&mut fk(
                UserBlocks::Table,
                UserBlocks::BlockerId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                UserBlocks::Table,
                UserBlocks::BlockedId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .check((
                "ck_user_blocks_not_self",
                Expr::col(UserBlocks::BlockerId).ne(Expr::col(UserBlocks::BlockedId)),
            )),
        vec![],
    )
}
