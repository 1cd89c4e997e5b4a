//! Operations: notifications, the audit log, settings and idempotency records.

use super::users::Users;
use super::*;

#[derive(DeriveIden, Clone, Copy)]
enum AdminNotifications {
    Table,
    Id,
    Kind,
    Severity,
    Title,
    Body,
    Payload,
    ReadAt,
    ReadBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    Payload,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    ActorUserId,
    ActorApiKeyId,
    Action,
    TargetType,
    TargetId,
    Ip,
    Details,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SystemSettings {
    Table,
    Key,
    Value,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IdempotencyKeys {
    Table,
    Id,
    Scope,
    Key,
    RequestHash,
    StatusCode,
    ResponseBody,
    CreatedAt,
    CompletedAt,
}

pub(super) fn tables() -> Vec<TableDef> {
    vec![
        admin_notifications(),
        notifications(),
        audit_log(),
        system_settings(),
        idempotency_keys(),
    ]
}

fn admin_notifications() -> TableDef {
    TableDef::new(
        Table::create()
            .table(AdminNotifications::Table)
            .col(id(AdminNotifications::Id))
            .col(text(AdminNotifications::Kind))
            .col(text(AdminNotifications::Severity).default("info"))
            .col(text(AdminNotifications::Title))
            .col(text(AdminNotifications::Body))
            .col(json_binary(AdminNotifications::Payload))
            .col(ts_null(AdminNotifications::ReadAt))
            .col(big_integer_null(AdminNotifications::ReadBy))
            .col(ts(AdminNotifications::CreatedAt))
            .foreign_key(&mut fk(
                AdminNotifications::Table,
                AdminNotifications::ReadBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            ))
            .check((
                "ck_admin_notifications_severity",
                one_of(
                    AdminNotifications::Severity,
                    &["info", "warning", "critical"],
                ),
            )),
        vec![
            index(AdminNotifications::Table, &[AdminNotifications::CreatedAt]),
            index(AdminNotifications::Table, &[AdminNotifications::ReadAt]),
        ],
    )
}

fn notifications() -> TableDef {
    TableDef::new(
        Table::create()
            .table(Notifications::Table)
            .col(id(Notifications::Id))
            .col(big_integer(Notifications::UserId))
            .col(text(Notifications::Kind))
            .col(text(Notifications::Title))
            .col(text(Notifications::Body))
            .col(json_binary(Notifications::Payload))
            .col(ts_null(Notifications::ReadAt))
            .col(ts(Notifications::CreatedAt))
            .foreign_key(&mut fk(
                Notifications::Table,
                Notifications::UserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::Cascade,
            )),
        vec![index(
            Notifications::Table,
            &[Notifications::UserId, Notifications::Id],
        )],
    )
}

fn audit_log() -> TableDef {
    TableDef::new(
        Table::create()
            .table(AuditLog::Table)
            .col(id(AuditLog::Id))
            .col(big_integer_null(AuditLog::ActorUserId))
            // No FK: audit rows must survive the deletion of the key that acted.
            .col(big_integer_null(AuditLog::ActorApiKeyId))
            .col(text(AuditLog::Action))
            .col(text_null(AuditLog::TargetType))
            // Text: targets include settings keys as well as numeric ids.
            .col(text_null(AuditLog::TargetId))
            .col(text_null(AuditLog::Ip))
            .col(json_binary(AuditLog::Details))
            .col(ts(AuditLog::CreatedAt))
            .foreign_key(&mut fk(
                AuditLog::Table,
                AuditLog::ActorUserId,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            )),
        vec![
            index(AuditLog::Table, &[AuditLog::CreatedAt]),
            index(
                AuditLog::Table,
                &[AuditLog::ActorUserId, AuditLog::CreatedAt],
            ),
            index(AuditLog::Table, &[AuditLog::Action, AuditLog::CreatedAt]),
        ],
    )
}

fn system_settings() -> TableDef {
    TableDef::new(
        Table::create()
            .table(SystemSettings::Table)
            .col(text(SystemSettings::Key).primary_key())
            .col(json_binary(SystemSettings::Value))
            .col(big_integer_null(SystemSettings::UpdatedBy))
            .col(ts(SystemSettings::UpdatedAt))
            .foreign_key(&mut fk(
                SystemSettings::Table,
                SystemSettings::UpdatedBy,
                Users::Table,
                Users::Id,
                ForeignKeyAction::SetNull,
            )),
        vec![],
    )
}

fn idempotency_keys() -> TableDef {
    TableDef::new(
        Table::create()
            .table(IdempotencyKeys::Table)
            .col(id(IdempotencyKeys::Id))
            // e.g. "user:5:POST /points/transfers": the same client key is independent per scope.
            .col(text(IdempotencyKeys::Scope))
            .col(text(IdempotencyKeys::Key))
            // Fingerprint of the request body: same key + different body -> 422.
            .col(text(IdempotencyKeys::RequestHash))
            // NULL until the first request completes; a concurrent retry sees it in flight.
            .col(integer_null(IdempotencyKeys::StatusCode))
            .col(text_null(IdempotencyKeys::ResponseBody))
            .col(ts(IdempotencyKeys::CreatedAt))
            .col(ts_null(IdempotencyKeys::CompletedAt))
            .index(&mut unique(
                IdempotencyKeys::Table,
                &[IdempotencyKeys::Scope, IdempotencyKeys::Key],
            )),
        // Expiry sweeps delete by age.
        vec![index(IdempotencyKeys::Table, &[IdempotencyKeys::CreatedAt])],
    )
}
