//! Friend Challenge referrals.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum Referrals {
    Table,
    Id,
    ReferrerId,
    RefereeId,
    Code,
    Status,
    Ip,
    DeviceId,
    Reasons,
    ReferrerBonus,
    RefereeBonus,
    DecidedBy,
    DecidedAt,
    QualifiedAt,
    RewardedAt,
    CreatedAt,
    UpdatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![referrals()]
}

fn referrals() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Referrals::Table)
            .col(id(Referrals::Id))
            .col(big_integer(Referrals::ReferrerId))
            .col(big_integer(Referrals::RefereeId))
            .col(text(Referrals::Code))
            .col(text(Referrals::Status).default("pending"))
            .col(text_null(Referrals::Ip))
            .col(text_null(Referrals::DeviceId))
            // Why a referral was flagged (self-referral, same IP/device, daily cap...).
            .col(json_binary(Referrals::Reasons))
            .col(big_integer(Referrals::ReferrerBonus).default(0))
            .col(big_integer(Referrals::RefereeBonus).default(0))
            .col(big_integer_null(Referrals::DecidedBy))
            .col(ts_null(Referrals::DecidedAt))
            .col(ts_null(Referrals::QualifiedAt))
            .col(ts_null(Referrals::RewardedAt))
            .col(ts(Referrals::CreatedAt))
            .col(ts(Referrals::UpdatedAt))
            // A user can be referred only once.
            .index(&mut unique(Referrals::Table, &[Referrals::RefereeId]))
            .foreign_key(&mut fk(
                Referrals::Table,
                Referrals::ReferrerId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                Referrals::Table,
                Referrals::RefereeId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                Referrals::Table,
                Referrals::DecidedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_referrals_status",
                one_of(
                    Referrals::Status,
                    &["pending", "qualified", "rewarded", "rejected", "flagged"],
                ),
            ))
            .check((
                "ck_referrals_not_self",
                Expr::col(Referrals::ReferrerId).ne(Expr::col(Referrals::RefereeId)),
            )),
        vec![
            // The referrer's list and the daily-cap count.
            index(
                Referrals::Table,
                &[Referrals::ReferrerId, Referrals::CreatedAt],
            ),
            index(Referrals::Table, &[Referrals::Status, Referrals::CreatedAt]),
        ],
    )
}
