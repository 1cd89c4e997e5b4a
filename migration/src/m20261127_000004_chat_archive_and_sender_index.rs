//! Chat additions: rooms can be archived (read-only) by admins, and the per-user send rate limit
//! counts a sender's recent messages through an index instead of scanning the table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChatRooms {
    Table,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    SenderId,
    Id,
}

const SENDER_INDEX: &str = "idx_messages_sender_id_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ChatRooms::Table)
                    .add_column(timestamp_with_time_zone_null(ChatRooms::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        // The rate limit reads "the sender's 10th newest message" and edit/delete windows look
        // up a sender's messages: (sender_id, id) answers both from the index.
        manager
            .create_index(
                Index::create()
                    .name(SENDER_INDEX)
                    .table(Messages::Table)
                    .col(Messages::SenderId)
                    .col(Messages::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(SENDER_INDEX)
                    .table(Messages::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ChatRooms::Table)
                    .drop_column(ChatRooms::ArchivedAt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
