//! Issue 15, items 3 and 7: email verification (`users.email_verified_at`, and
//! `email_verifications`: one row per link, SHA-256 of the token at rest, single use) and
//! account deletion (`users.deleted_at`: the row stays, anonymised, so the ledger stays exact).
//! Accounts that exist when this runs count as verified (their `created_at`): the setting that
//! makes verification matter defaults to off, and nobody already using the platform is stopped.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    Id,
    UserId,
    Email,
    TokenHash,
    Ip,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

const TOKEN: &str = "idx_email_verifications_token_hash";
const BY_USER: &str = "idx_email_verifications_user_id_created_at";
const BY_IP: &str = "idx_email_verifications_ip_created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [Users::EmailVerifiedAt, Users::DeletedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("UPDATE users SET email_verified_at = created_at")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(
                        big_integer(EmailVerifications::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(EmailVerifications::UserId))
                    // The address the link was sent to: a link verifies only that address.
                    .col(text(EmailVerifications::Email))
                    .col(text(EmailVerifications::TokenHash))
                    .col(text_null(EmailVerifications::Ip))
                    .col(timestamp_with_time_zone(EmailVerifications::CreatedAt))
                    .col(timestamp_with_time_zone(EmailVerifications::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailVerifications::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailVerifications::Table, EmailVerifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (TOKEN, vec![EmailVerifications::TokenHash], true),
            (
                BY_USER,
                vec![EmailVerifications::UserId, EmailVerifications::CreatedAt],
                false,
            ),
            (
                BY_IP,
                vec![EmailVerifications::Ip, EmailVerifications::CreatedAt],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(EmailVerifications::Table);
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailVerifications::Table).to_owned())
            .await?;
        for column in [Users::DeletedAt, Users::EmailVerifiedAt] {
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
}
