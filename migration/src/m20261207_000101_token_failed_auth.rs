//! `token_failed_auth`: refused bearer (access) tokens, with the reason and the client address,
//! so an address trying tokens shows up and alerts the admins the way refused API keys do
//! (`api_failed_auth`). A separate table because these are not API keys: they must not count
//! towards the API-key address block, and the admins' refused-keys page stays about keys.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TokenFailedAuth {
    Table,
    Id,
    UserId,
    Ip,
    Reason,
    Method,
    Path,
    CreatedAt,
}

const BY_IP: &str = "idx_token_failed_auth_ip_created_at";
const BY_AGE: &str = "idx_token_failed_auth_created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TokenFailedAuth::Table)
                    .col(
                        big_integer(TokenFailedAuth::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    // The account the token claimed, when it could be read; no foreign key (the
                    // claim may name no account, and the record outlives deleted ones).
                    .col(big_integer_null(TokenFailedAuth::UserId))
                    .col(text(TokenFailedAuth::Ip))
                    .col(text(TokenFailedAuth::Reason))
                    .col(text(TokenFailedAuth::Method))
                    .col(text(TokenFailedAuth::Path))
                    .col(timestamp_with_time_zone(TokenFailedAuth::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The per-address count in the alert window, and pruning by age.
        manager
            .create_index(
                Index::create()
                    .name(BY_IP)
                    .table(TokenFailedAuth::Table)
                    .col(TokenFailedAuth::Ip)
                    .col(TokenFailedAuth::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_AGE)
                    .table(TokenFailedAuth::Table)
                    .col(TokenFailedAuth::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TokenFailedAuth::Table).to_owned())
            .await
    }
}
