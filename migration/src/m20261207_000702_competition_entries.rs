//! `competition_entries`: what a participant of a judged competition submits — a text and an
//! optional link — one per participant, editable until the competition ends (issue 13).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CompetitionEntries {
    Table,
    Id,
    CompetitionId,
    UserId,
    Text,
    Link,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Competitions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const ONE_PER_PARTICIPANT: &str = "idx_competition_entries_competition_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompetitionEntries::Table)
                    .col(
                        big_integer(CompetitionEntries::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(CompetitionEntries::CompetitionId))
                    .col(big_integer(CompetitionEntries::UserId))
                    .col(text(CompetitionEntries::Text))
                    .col(text_null(CompetitionEntries::Link))
                    .col(timestamp_with_time_zone(CompetitionEntries::CreatedAt))
                    .col(timestamp_with_time_zone(CompetitionEntries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CompetitionEntries::Table, CompetitionEntries::CompetitionId)
                            .to(Competitions::Table, Competitions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CompetitionEntries::Table, CompetitionEntries::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(ONE_PER_PARTICIPANT)
                    .table(CompetitionEntries::Table)
                    .col(CompetitionEntries::CompetitionId)
                    .col(CompetitionEntries::UserId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompetitionEntries::Table).to_owned())
            .await
    }
}
