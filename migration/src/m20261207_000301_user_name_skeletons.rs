//! Confusable display names (issue 11, finding 8): each account keeps the UTS #39 skeleton of its
//! display name and of its username, indexed, so a new or changed display name is compared with
//! every other account's names by one indexed look-up. The server computes the skeletons
//! (`musabaqati::text::name_skeleton`, which needs Unicode tables this crate does not carry) and
//! fills rows where they are NULL when it starts, so accounts created before this migration are
//! covered too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    DisplayNameSkeleton,
    UsernameSkeleton,
}

const INDEXES: [(&str, Users); 2] = [
    (
        "idx_users_display_name_skeleton",
        Users::DisplayNameSkeleton,
    ),
    ("idx_users_username_skeleton", Users::UsernameSkeleton),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in INDEXES {
            // SQLite alters one column per statement.
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Users::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Users::Table).to_owned())
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
