//! Integrator API keys and their logs.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum ApiKeys {
    Table,
    Id,
    Name,
    Prefix,
    KeyHash,
    OwnerId,
    Scopes,
    RateLimitPerMinute,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
    RotatedFromId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiFailedAuth {
    Table,
    Id,
    KeyPrefix,
    Ip,
    Reason,
    Method,
    Path,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiUsageLog {
    Table,
    Id,
    ApiKeyId,
    Method,
    Route,
    Status,
    LatencyMs,
    Ip,
    CreatedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![api_keys(), api_failed_auth(), api_usage_log()]
}

fn api_keys() -> TableDef {
    TableDef::new(
        Table::create()
            .table(ApiKeys::Table)
            .col(id(ApiKeys::Id))
            .col(text(ApiKeys::Name))
            // The non-secret head of the key ("mk_xxxx"): the lookup key for authentication.
            .col(text(ApiKeys::Prefix))
            .col(text(ApiKeys::KeyHash))
            .col(big_integer(ApiKeys::OwnerId))
            .col(json_binary(ApiKeys::Scopes))
            .col(integer(ApiKeys::RateLimitPerMinute))
            .col(ts_null(ApiKeys::ExpiresAt))
            .col(ts_null(ApiKeys::RevokedAt))
            .col(ts_null(ApiKeys::LastUsedAt))
            // No FK: the key it replaced may be purged; this is informational.
            .col(big_integer_null(ApiKeys::RotatedFromId))
            .col(big_integer_null(ApiKeys::CreatedBy))
            .col(ts(ApiKeys::CreatedAt))
            .col(ts(ApiKeys::UpdatedAt))
            .index(&mut unique(ApiKeys::Table, &[ApiKeys::Prefix]))
            .foreign_key(&mut fk(
                ApiKeys::Table,
                ApiKeys::OwnerId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                ApiKeys::Table,
                ApiKeys::CreatedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_api_keys_rate_limit_per_minute",
                positive(ApiKeys::RateLimitPerMinute),
            )),
        vec![],
    )
}

fn api_failed_auth() -> TableDef {
    TableDef::new(
        Table::create()
            .table(ApiFailedAuth::Table)
            .col(id(ApiFailedAuth::Id))
            .col(text_null(ApiFailedAuth::KeyPrefix))
            .col(text(ApiFailedAuth::Ip))
            .col(text(ApiFailedAuth::Reason))
            .col(text(ApiFailedAuth::Method))
            .col(text(ApiFailedAuth::Path))
            .col(ts(ApiFailedAuth::CreatedAt)),
        vec![
            // Fraud rule "repeated API-key failures" per IP, and retention pruning.
            index(
                ApiFailedAuth::Table,
                &[ApiFailedAuth::Ip, ApiFailedAuth::CreatedAt],
            ),
            index(ApiFailedAuth::Table, &[ApiFailedAuth::CreatedAt]),
        ],
    )
}

fn api_usage_log() -> TableDef {
    TableDef::new(
        Table::create()
            .table(ApiUsageLog::Table)
            .col(id(ApiUsageLog::Id))
            .col(big_integer(ApiUsageLog::ApiKeyId))
            .col(text(ApiUsageLog::Method))
            .col(text(ApiUsageLog::Route))
            .col(integer(ApiUsageLog::Status))
            .col(integer(ApiUsageLog::LatencyMs))
            .col(text_null(ApiUsageLog::Ip))
            .col(ts(ApiUsageLog::CreatedAt))
            .foreign_key(&mut fk(
                ApiUsageLog::Table,
                ApiUsageLog::ApiKeyId,
                ApiKeys::Table,
                ApiKeys::Id,
                ForeignKeyAction::Cascade,
            )),
        vec![named_index(
            "idx_api_usage_key_time",
            ApiUsageLog::Table,
            &[ApiUsageLog::ApiKeyId, ApiUsageLog::CreatedAt],
        )],
    )
}
