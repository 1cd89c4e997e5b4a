//! Issue 15: the email outbox (every message is a row, written in the transaction that caused
//! it and sent by a background task with retries) and password-reset tokens (SHA-256 at rest,
//! single use, 30 minutes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    UserId,
    Recipient,
    Subject,
    BodyText,
    BodyHtml,
    Kind,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    Outcome,
    Ip,
    IssuedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const OUTBOX_DUE: &str = "idx_email_outbox_status_next_attempt_at";
const OUTBOX_BY_AGE: &str = "idx_email_outbox_created_at";
const RESET_TOKEN: &str = "idx_password_resets_token_hash";
const RESET_BY_USER: &str = "idx_password_resets_user_id_created_at";
const RESET_BY_IP: &str = "idx_password_resets_ip_created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .col(big_integer(EmailOutbox::Id).auto_increment().primary_key())
                    // The account the message is about, when there is one; no foreign key, so
                    // the record of what was sent outlives the account.
                    .col(big_integer_null(EmailOutbox::UserId))
                    .col(text(EmailOutbox::Recipient))
                    .col(text(EmailOutbox::Subject))
                    .col(text(EmailOutbox::BodyText))
                    .col(text(EmailOutbox::BodyHtml))
                    .col(text(EmailOutbox::Kind))
                    // queued | sending | sent | failed | logged
                    .col(text(EmailOutbox::Status))
                    .col(integer(EmailOutbox::Attempts).default(0))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .to_owned(),
            )
            .await?;
        // The sender's "what is due" query, and the admin list by age.
        manager
            .create_index(
                Index::create()
                    .name(OUTBOX_DUE)
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::Status)
                    .col(EmailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(OUTBOX_BY_AGE)
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(
                        big_integer(PasswordResets::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    // NULL for a request naming no account (kept for the per-address limit).
                    .col(big_integer_null(PasswordResets::UserId))
                    // NULL when no link was issued (unknown address, throttled account).
                    .col(text_null(PasswordResets::TokenHash))
                    // emailed | admin | unknown | throttled
                    .col(text(PasswordResets::Outcome))
                    .col(text_null(PasswordResets::Ip))
                    .col(big_integer_null(PasswordResets::IssuedBy))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResets::Table, PasswordResets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(RESET_TOKEN)
                    .table(PasswordResets::Table)
                    .col(PasswordResets::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(RESET_BY_USER)
                    .table(PasswordResets::Table)
                    .col(PasswordResets::UserId)
                    .col(PasswordResets::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(RESET_BY_IP)
                    .table(PasswordResets::Table)
                    .col(PasswordResets::Ip)
                    .col(PasswordResets::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordResets::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EmailOutbox::Table).to_owned())
            .await
    }
}
