//! The points economy: rewards and redemptions, the ledger, point packages and purchases.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum Rewards {
    Table,
    Id,
    Name,
    NameEn,
    Description,
    ImageUrl,
    Icon,
    Category,
    Cost,
    Stock,
    PerUserLimit,
    Active,
    AvailableFrom,
    AvailableUntil,
    SearchText,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    RetiredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RewardRedemptions {
    Table,
    Id,
    RewardId,
    UserId,
    Cost,
    Status,
    UserNote,
    AdminNote,
    DecidedBy,
    DecidedAt,
    FulfilledAt,
    CancelledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PointsTransactions {
    Table,
    Id,
    UserId,
    Amount,
    BalanceAfter,
    Kind,
    Reason,
    ReferenceType,
    ReferenceId,
    CounterpartyId,
    IdempotencyKey,
    ActorUserId,
    ActorApiKeyId,
    AwardKey,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PointsPackages {
    Table,
    Id,
    Name,
    NameEn,
    Points,
    BonusPoints,
    PriceMinor,
    Currency,
    Label,
    Active,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PurchaseRecords {
    Table,
    Id,
    Reference,
    UserId,
    PackageId,
    Points,
    BonusPoints,
    PriceMinor,
    Currency,
    Status,
    PaymentReference,
    RecordedBy,
    Note,
    PaidAt,
    CancelledAt,
    CreatedAt,
    UpdatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![
        rewards(),
        reward_redemptions(),
        points_transactions(),
        points_packages(),
        purchase_records(),
    ]
}

fn rewards() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Rewards::Table)
            .col(id(Rewards::Id))
            .col(text(Rewards::Name))
            .col(text_null(Rewards::NameEn))
            .col(text(Rewards::Description))
            .col(text_null(Rewards::ImageUrl))
            .col(text_null(Rewards::Icon))
            .col(text_null(Rewards::Category))
            .col(big_integer(Rewards::Cost))
            // NULL = unlimited; the stock hold is a conditional UPDATE guarded by this CHECK.
            .col(big_integer_null(Rewards::Stock))
            .col(integer_null(Rewards::PerUserLimit))
            .col(boolean(Rewards::Active).default(true))
            .col(ts_null(Rewards::AvailableFrom))
            .col(ts_null(Rewards::AvailableUntil))
            .col(text(Rewards::SearchText).default(""))
            .col(big_integer_null(Rewards::CreatedBy))
            .col(ts(Rewards::CreatedAt))
            .col(ts(Rewards::UpdatedAt))
            .col(ts_null(Rewards::RetiredAt))
            .foreign_key(&mut fk(
                Rewards::Table,
                Rewards::CreatedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check(("ck_rewards_cost", positive(Rewards::Cost)))
            .check((
                "ck_rewards_stock",
                null_or(Rewards::Stock, non_negative(Rewards::Stock)),
            ))
            .check((
                "ck_rewards_per_user_limit",
                null_or(Rewards::PerUserLimit, positive(Rewards::PerUserLimit)),
            )),
        vec![index(Rewards::Table, &[Rewards::Active, Rewards::Cost])],
    )
}

fn reward_redemptions() -> TableDef {
    TableDef::new(
        Table::create()
            .table(RewardRedemptions::Table)
            .col(id(RewardRedemptions::Id))
            .col(big_integer(RewardRedemptions::RewardId))
            .col(big_integer(RewardRedemptions::UserId))
            // Cost at request time: a refund returns what was debited, not the current price.
            .col(big_integer(RewardRedemptions::Cost))
            .col(text(RewardRedemptions::Status).default("pending"))
            .col(text_null(RewardRedemptions::UserNote))
            .col(text_null(RewardRedemptions::AdminNote))
            .col(big_integer_null(RewardRedemptions::DecidedBy))
            .col(ts_null(RewardRedemptions::DecidedAt))
            .col(ts_null(RewardRedemptions::FulfilledAt))
            .col(ts_null(RewardRedemptions::CancelledAt))
            .col(ts(RewardRedemptions::CreatedAt))
            .col(ts(RewardRedemptions::UpdatedAt))
            // RESTRICT: a reward with redemption history is retired (retired_at), never deleted.
            .foreign_key(&mut fk(
                RewardRedemptions::Table,
                RewardRedemptions::RewardId,
                Rewards::Table,
                Rewards::Id,
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                RewardRedemptions::Table,
                RewardRedemptions::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                RewardRedemptions::Table,
                RewardRedemptions::DecidedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_reward_redemptions_cost",
                positive(RewardRedemptions::Cost),
            ))
            .check((
                "ck_reward_redemptions_status",
                one_of(
                    RewardRedemptions::Status,
                    &["pending", "approved", "fulfilled", "rejected", "cancelled"],
                ),
            )),
        vec![
            index(
                RewardRedemptions::Table,
                &[RewardRedemptions::UserId, RewardRedemptions::CreatedAt],
            ),
            // The admin queue: pending redemptions, oldest first.
            index(
                RewardRedemptions::Table,
                &[RewardRedemptions::Status, RewardRedemptions::CreatedAt],
            ),
            // per_user_limit counts a user's redemptions of one reward.
            index(
                RewardRedemptions::Table,
                &[RewardRedemptions::RewardId, RewardRedemptions::UserId],
            ),
        ],
    )
}

fn points_transactions() -> TableDef {
    TableDef::new(
        Table::create()
            .table(PointsTransactions::Table)
            .col(id(PointsTransactions::Id))
            .col(big_integer(PointsTransactions::UserId))
            .col(big_integer(PointsTransactions::Amount))
            .col(big_integer(PointsTransactions::BalanceAfter))
            .col(text(PointsTransactions::Kind))
            .col(text_null(PointsTransactions::Reason))
            .col(text_null(PointsTransactions::ReferenceType))
            .col(big_integer_null(PointsTransactions::ReferenceId))
            .col(big_integer_null(PointsTransactions::CounterpartyId))
            .col(text_null(PointsTransactions::IdempotencyKey))
            .col(big_integer_null(PointsTransactions::ActorUserId))
            // No FK: the ledger must outlive a deleted API key; the audit trail keeps the id.
            .col(big_integer_null(PointsTransactions::ActorApiKeyId))
            // Ledger invariant 5: exactly-once awards are enforced by this UNIQUE, not by code.
            // NULLs are distinct on both backends, so ordinary rows never collide.
            .col(text_null(PointsTransactions::AwardKey))
            .col(ts(PointsTransactions::CreatedAt))
            .index(&mut unique(
                PointsTransactions::Table,
                &[PointsTransactions::AwardKey],
            ))
            .foreign_key(&mut fk(
                PointsTransactions::Table,
                PointsTransactions::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                PointsTransactions::Table,
                PointsTransactions::CounterpartyId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                PointsTransactions::Table,
                PointsTransactions::ActorUserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_points_transactions_amount",
                Expr::col(PointsTransactions::Amount).ne(0),
            ))
            .check((
                "ck_points_transactions_balance_after",
                non_negative(PointsTransactions::BalanceAfter),
            )),
        vec![
            // A user's history, keyset-paginated by (created_at, id).
            named_index(
                "idx_points_tx_user_time",
                PointsTransactions::Table,
                &[
                    PointsTransactions::UserId,
                    PointsTransactions::CreatedAt,
                    PointsTransactions::Id,
                ],
            ),
            // Weekly/monthly leaderboards sum earnings over a time range.
            index(PointsTransactions::Table, &[PointsTransactions::CreatedAt]),
            index(
                PointsTransactions::Table,
                &[PointsTransactions::Kind, PointsTransactions::CreatedAt],
            ),
            index(
                PointsTransactions::Table,
                &[
                    PointsTransactions::ReferenceType,
                    PointsTransactions::ReferenceId,
                ],
            ),
        ],
    )
}

fn points_packages() -> TableDef {
    TableDef::new(
        Table::create()
            .table(PointsPackages::Table)
            .col(id(PointsPackages::Id))
            .col(text(PointsPackages::Name))
            .col(text_null(PointsPackages::NameEn))
            .col(big_integer(PointsPackages::Points))
            .col(big_integer(PointsPackages::BonusPoints).default(0))
            .col(big_integer(PointsPackages::PriceMinor))
            .col(text(PointsPackages::Currency))
            .col(text_null(PointsPackages::Label))
            .col(boolean(PointsPackages::Active).default(true))
            .col(integer(PointsPackages::SortOrder).default(0))
            .col(ts(PointsPackages::CreatedAt))
            .col(ts(PointsPackages::UpdatedAt))
            .check((
                "ck_points_packages_points",
                positive(PointsPackages::Points),
            ))
            .check((
                "ck_points_packages_bonus_points",
                non_negative(PointsPackages::BonusPoints),
            ))
            .check((
                "ck_points_packages_price_minor",
                non_negative(PointsPackages::PriceMinor),
            )),
        vec![],
    )
}

fn purchase_records() -> TableDef {
    TableDef::new(
        Table::create()
            .table(PurchaseRecords::Table)
            .col(id(PurchaseRecords::Id))
            .col(text(PurchaseRecords::Reference))
            .col(big_integer(PurchaseRecords::UserId))
            .col(big_integer_null(PurchaseRecords::PackageId))
            // Copied from the package at request time; packages can be edited or deleted later.
            .col(big_integer(PurchaseRecords::Points))
            .col(big_integer(PurchaseRecords::BonusPoints).default(0))
            .col(big_integer(PurchaseRecords::PriceMinor))
            .col(text(PurchaseRecords::Currency))
            .col(text(PurchaseRecords::Status).default("requested"))
            .col(text_null(PurchaseRecords::PaymentReference))
            .col(big_integer_null(PurchaseRecords::RecordedBy))
            .col(text_null(PurchaseRecords::Note))
            .col(ts_null(PurchaseRecords::PaidAt))
            .col(ts_null(PurchaseRecords::CancelledAt))
            .col(ts(PurchaseRecords::CreatedAt))
            .col(ts(PurchaseRecords::UpdatedAt))
            .index(&mut unique(
                PurchaseRecords::Table,
                &[PurchaseRecords::Reference],
            ))
            .foreign_key(&mut fk(
                PurchaseRecords::Table,
                PurchaseRecords::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                PurchaseRecords::Table,
                PurchaseRecords::PackageId,
                PointsPackages::Table,
                PointsPackages::Id,
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                PurchaseRecords::Table,
                PurchaseRecords::RecordedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_purchase_records_points",
                positive(PurchaseRecords::Points),
            ))
            .check((
                "ck_purchase_records_bonus_points",
                non_negative(PurchaseRecords::BonusPoints),
            ))
            .check((
                "ck_purchase_records_price_minor",
                non_negative(PurchaseRecords::PriceMinor),
            ))
            .check((
                "ck_purchase_records_status",
                one_of(PurchaseRecords::Status, &["requested", "paid", "cancelled"]),
            )),
        vec![
            index(
                PurchaseRecords::Table,
                &[PurchaseRecords::Status, PurchaseRecords::CreatedAt],
            ),
            index(
                PurchaseRecords::Table,
                &[PurchaseRecords::UserId, PurchaseRecords::CreatedAt],
            ),
        ],
    )
}
