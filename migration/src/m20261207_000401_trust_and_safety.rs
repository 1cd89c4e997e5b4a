//! Trust and safety (issue 12):
//! - `risk_flags`: what a fraud rule (or an admin) noted about an account, open until an admin
//!   clears it with a note;
//! - `held_transfers`: a transfer a rule held for review. The sender's points are already in the
//!   hold (a `transfer_hold` ledger row); releasing credits the recipient, rejecting refunds the
//!   sender, each exactly once (a conditional status change plus a unique `award_key`);
//! - `admin_notifications` gains its subject (what the inbox links and acts on) and a
//!   `dedupe_key`, unique, so a rule that fires many times for one cluster alerts once;
//! - `reward_redemptions.risk_reason`: why a rule flagged a pending redemption;
//! - `api_failed_auth.cleared_at`: an admin unblocked the address; cleared failures no longer
//!   count towards the block but stay in the report.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RiskFlags {
    Table,
    Id,
    UserId,
    Rule,
    Reason,
    Details,
    CreatedAt,
    ClearedAt,
    ClearedBy,
    ClearNote,
}

#[derive(DeriveIden)]
enum HeldTransfers {
    Table,
    Id,
    SenderId,
    RecipientId,
    Amount,
    Note,
    Rules,
    Reason,
    Status,
    CreatedAt,
    DecidedAt,
    DecidedBy,
    DecisionNote,
}

#[derive(DeriveIden)]
enum AdminNotifications {
    Table,
    SubjectType,
    SubjectId,
    DedupeKey,
}

#[derive(DeriveIden)]
enum RewardRedemptions {
    Table,
    RiskReason,
}

#[derive(DeriveIden)]
enum ApiFailedAuth {
    Table,
    ClearedAt,
}

fn fk_user(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(Users::Table, Users::Id)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RiskFlags::Table)
                    .col(big_integer(RiskFlags::Id).auto_increment().primary_key())
                    .col(big_integer(RiskFlags::UserId))
                    .col(text(RiskFlags::Rule))
                    .col(text(RiskFlags::Reason))
                    .col(json_binary(RiskFlags::Details))
                    .col(timestamp_with_time_zone(RiskFlags::CreatedAt))
                    .col(timestamp_with_time_zone_null(RiskFlags::ClearedAt))
                    .col(big_integer_null(RiskFlags::ClearedBy))
                    .col(text_null(RiskFlags::ClearNote))
                    .foreign_key(&mut fk_user(
                        RiskFlags::Table,
                        RiskFlags::UserId,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk_user(
                        RiskFlags::Table,
                        RiskFlags::ClearedBy,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_risk_flags_user_id")
                    .table(RiskFlags::Table)
                    .col(RiskFlags::UserId)
                    .col(RiskFlags::ClearedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(HeldTransfers::Table)
                    .col(
                        big_integer(HeldTransfers::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(HeldTransfers::SenderId))
                    .col(big_integer(HeldTransfers::RecipientId))
                    .col(
                        big_integer(HeldTransfers::Amount)
                            .check(Expr::col(HeldTransfers::Amount).gt(0)),
                    )
                    .col(text_null(HeldTransfers::Note))
                    // Rule codes, comma-separated, the main one first.
                    .col(text(HeldTransfers::Rules))
                    .col(text(HeldTransfers::Reason))
                    .col(text(HeldTransfers::Status).default("held").check(
                        Expr::col(HeldTransfers::Status).is_in(["held", "released", "rejected"]),
                    ))
                    .col(timestamp_with_time_zone(HeldTransfers::CreatedAt))
                    .col(timestamp_with_time_zone_null(HeldTransfers::DecidedAt))
                    .col(big_integer_null(HeldTransfers::DecidedBy))
                    .col(text_null(HeldTransfers::DecisionNote))
                    .foreign_key(&mut fk_user(
                        HeldTransfers::Table,
                        HeldTransfers::SenderId,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk_user(
                        HeldTransfers::Table,
                        HeldTransfers::RecipientId,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk_user(
                        HeldTransfers::Table,
                        HeldTransfers::DecidedBy,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_held_transfers_status",
                [HeldTransfers::Status, HeldTransfers::Id],
            ),
            (
                "idx_held_transfers_sender",
                [HeldTransfers::SenderId, HeldTransfers::CreatedAt],
            ),
            (
                "idx_held_transfers_recipient",
                [HeldTransfers::RecipientId, HeldTransfers::CreatedAt],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(HeldTransfers::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        // SQLite alters one column per statement.
        for column in [
            text_null(AdminNotifications::SubjectType),
            big_integer_null(AdminNotifications::SubjectId),
            text_null(AdminNotifications::DedupeKey),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AdminNotifications::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_admin_notifications_dedupe_key")
                    .table(AdminNotifications::Table)
                    .col(AdminNotifications::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RewardRedemptions::Table)
                    .add_column(text_null(RewardRedemptions::RiskReason))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiFailedAuth::Table)
                    .add_column(timestamp_with_time_zone_null(ApiFailedAuth::ClearedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiFailedAuth::Table)
                    .drop_column(ApiFailedAuth::ClearedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RewardRedemptions::Table)
                    .drop_column(RewardRedemptions::RiskReason)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_admin_notifications_dedupe_key")
                    .table(AdminNotifications::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            AdminNotifications::DedupeKey,
            AdminNotifications::SubjectId,
            AdminNotifications::SubjectType,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AdminNotifications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(HeldTransfers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RiskFlags::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
