//! Issue 15 item 5: two-factor sign-in (TOTP) and step-up confirmation. The secret lives in its
//! own table, not in `users`: the account row is read on every authenticated request and
//! returned by many queries, and a pending (set up, not yet confirmed) secret must not touch it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserTotp {
    Table,
    UserId,
    Secret,
    EnabledAt,
    LastStep,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TotpRecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginChallenges {
    Table,
    Id,
    UserId,
    TokenHash,
    Attempts,
    Ip,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SessionStepUps {
    Table,
    FamilyId,
    UserId,
    SteppedUpAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const RECOVERY_BY_USER: &str = "idx_totp_recovery_codes_user_id";
const CHALLENGE_TOKEN: &str = "idx_login_challenges_token_hash";

fn user_fk<T: IntoIden + 'static, C: IntoIden + 'static>(
    table: T,
    col: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserTotp::Table)
                    .col(big_integer(UserTotp::UserId).primary_key())
                    // base32; NULL enabled_at while set up but not yet confirmed.
                    .col(text(UserTotp::Secret))
                    .col(timestamp_with_time_zone_null(UserTotp::EnabledAt))
                    // The last accepted time step: a code of that step or earlier is refused.
                    .col(big_integer_null(UserTotp::LastStep))
                    .col(timestamp_with_time_zone(UserTotp::CreatedAt))
                    .foreign_key(&mut user_fk(UserTotp::Table, UserTotp::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TotpRecoveryCodes::Table)
                    .col(
                        big_integer(TotpRecoveryCodes::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(TotpRecoveryCodes::UserId))
                    // SHA-256 hex of the normalised code.
                    .col(text(TotpRecoveryCodes::CodeHash))
                    .col(timestamp_with_time_zone(TotpRecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(TotpRecoveryCodes::UsedAt))
                    .foreign_key(&mut user_fk(
                        TotpRecoveryCodes::Table,
                        TotpRecoveryCodes::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(RECOVERY_BY_USER)
                    .table(TotpRecoveryCodes::Table)
                    .col(TotpRecoveryCodes::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginChallenges::Table)
                    .col(
                        big_integer(LoginChallenges::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(LoginChallenges::UserId))
                    .col(text(LoginChallenges::TokenHash))
                    .col(integer(LoginChallenges::Attempts).default(0))
                    .col(text_null(LoginChallenges::Ip))
                    .col(timestamp_with_time_zone(LoginChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(LoginChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginChallenges::UsedAt))
                    .foreign_key(&mut user_fk(
                        LoginChallenges::Table,
                        LoginChallenges::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(CHALLENGE_TOKEN)
                    .table(LoginChallenges::Table)
                    .col(LoginChallenges::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SessionStepUps::Table)
                    // The refresh-token family (session) that confirmed.
                    .col(text(SessionStepUps::FamilyId).primary_key())
                    .col(big_integer(SessionStepUps::UserId))
                    .col(timestamp_with_time_zone(SessionStepUps::SteppedUpAt))
                    .foreign_key(&mut user_fk(SessionStepUps::Table, SessionStepUps::UserId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SessionStepUps::Table.into_iden(),
            LoginChallenges::Table.into_iden(),
            TotpRecoveryCodes::Table.into_iden(),
            UserTotp::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
