//! Accounts and authentication: users, refresh_tokens, login_attempts.

use super::*;

#[derive(DeriveIden, Clone, Copy)]
pub(super) enum Users {
    Table,
    Id,
    Username,
    UsernameLower,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    Status,
    PointsBalance,
    LifetimeEarned,
    ReferralCode,
    ReferredBy,
    TokenVersion,
    LastLoginAt,
    LastLoginIp,
    RegistrationIp,
    DeviceId,
    Locale,
    Digits,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    FamilyCreatedAt,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
    ReplacedById,
    Ip,
    UserAgent,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginAttempts {
    Table,
    Id,
    LoginKey,
    UserId,
    Ip,
    Success,
    CreatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![users(), refresh_tokens(), login_attempts()]
}

fn users() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Users::Table)
            .col(id(Users::Id))
            .col(text(Users::Username))
            // Case-insensitive uniqueness that behaves the same on both backends (no citext).
            .col(text(Users::UsernameLower))
            .col(text(Users::Email))
            .col(text(Users::PasswordHash))
            .col(text(Users::DisplayName))
            .col(text(Users::Role).default("user"))
            .col(text(Users::Status).default("active"))
            .col(big_integer(Users::PointsBalance).default(0))
            .col(big_integer(Users::LifetimeEarned).default(0))
            .col(text(Users::ReferralCode))
            .col(big_integer_null(Users::ReferredBy))
            .col(integer(Users::TokenVersion).default(0))
            .col(ts_null(Users::LastLoginAt))
            .col(text_null(Users::LastLoginIp))
            .col(text_null(Users::RegistrationIp))
            .col(text_null(Users::DeviceId))
            .col(text(Users::Locale).default("ar"))
            .col(text(Users::Digits).default("arab"))
            .col(text(Users::SearchText).default(""))
            .col(ts(Users::CreatedAt))
            .col(ts(Users::UpdatedAt))
            .index(&mut unique(Users::Table, &[Users::UsernameLower]))
            .index(&mut unique(Users::Table, &[Users::Email]))
            .index(&mut unique(Users::Table, &[Users::ReferralCode]))
            .foreign_key(&mut fk(
                Users::Table,
                Users::ReferredBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check(("ck_users_role", one_of(Users::Role, &["user", "admin"])))
            .check((
                "ck_users_status",
                one_of(Users::Status, &["active", "suspended"]),
            ))
            // The last line of defence for ledger invariant 2: no balance is ever negative.
            .check((
                "ck_users_points_balance",
                non_negative(Users::PointsBalance),
            ))
            .check((
                "ck_users_lifetime_earned",
                non_negative(Users::LifetimeEarned),
            ))
            .check(("ck_users_digits", one_of(Users::Digits, &["arab", "latn"]))),
        vec![
            // All-time leaderboard: ORDER BY lifetime_earned DESC, id ASC LIMIT n.
            Index::create()
                .name("idx_users_leaderboard")
                .table(Users::Table)
                .col((Users::LifetimeEarned, IndexOrder::Desc))
                .col((Users::Id, IndexOrder::Asc))
                .take(),
            index(Users::Table, &[Users::ReferredBy]),
            // Fraud rule "many accounts from one IP" counts recent registrations per IP.
            index(Users::Table, &[Users::RegistrationIp, Users::CreatedAt]),
            index(Users::Table, &[Users::CreatedAt]),
        ],
    )
}

fn refresh_tokens() -> TableDef {
    TableDef::new(
        Table::create()
            .table(RefreshTokens::Table)
            .col(id(RefreshTokens::Id))
            .col(big_integer(RefreshTokens::UserId))
            .col(text(RefreshTokens::FamilyId))
            .col(text(RefreshTokens::TokenHash))
            .col(ts(RefreshTokens::FamilyCreatedAt))
            .col(ts(RefreshTokens::CreatedAt))
            .col(ts(RefreshTokens::LastUsedAt))
            .col(ts(RefreshTokens::ExpiresAt))
            .col(ts_null(RefreshTokens::RevokedAt))
            .col(text_null(RefreshTokens::RevokedReason))
            // No FK: expired tokens are pruned freely; this is only a breadcrumb for reuse detection.
            .col(big_integer_null(RefreshTokens::ReplacedById))
            .col(text_null(RefreshTokens::Ip))
            .col(text_null(RefreshTokens::UserAgent))
            .index(&mut unique(
                RefreshTokens::Table,
                &[RefreshTokens::TokenHash],
            ))
            .foreign_key(&mut fk(
                RefreshTokens::Table,
                RefreshTokens::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            )),
        vec![
            index(RefreshTokens::Table, &[RefreshTokens::UserId]),
            index(RefreshTokens::Table, &[RefreshTokens::FamilyId]),
        ],
    )
}

fn login_attempts() -> TableDef {
    TableDef::new(
        Table::create()
            .table(LoginAttempts::Table)
            .col(id(LoginAttempts::Id))
            .col(text(LoginAttempts::LoginKey))
            .col(big_integer_null(LoginAttempts::UserId))
            .col(text(LoginAttempts::Ip))
            .col(boolean(LoginAttempts::Success))
            .col(ts(LoginAttempts::CreatedAt))
            .foreign_key(&mut fk(
                LoginAttempts::Table,
                LoginAttempts::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            )),
        vec![
            // Throttling per account and per IP counts rows in a recent time window.
            index(
                LoginAttempts::Table,
                &[LoginAttempts::LoginKey, LoginAttempts::CreatedAt],
            ),
            index(
                LoginAttempts::Table,
                &[LoginAttempts::Ip, LoginAttempts::CreatedAt],
            ),
            index(
                LoginAttempts::Table,
                &[LoginAttempts::UserId, LoginAttempts::CreatedAt],
            ),
        ],
    )
}
