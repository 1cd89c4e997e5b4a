//! The admins' view of the email outbox: listing it and sending a failed or logged message again.
//! (The sending itself is `services::mailer`.)

use domain::emails::{EmailStatus, OutboxEmail};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::entities::email_outbox;
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::audit;

fn to_dto(m: &email_outbox::Model) -> OutboxEmail {
    OutboxEmail {
        id: m.id,
        recipient: m.recipient.clone(),
        subject: m.subject.clone(),
        kind: m.kind.clone(),
        status: EmailStatus::parse(&m.status).unwrap_or(EmailStatus::Queued),
        attempts: m.attempts,
        last_error: m.last_error.clone(),
        next_attempt_at: m.next_attempt_at,
        created_at: m.created_at,
        sent_at: m.sent_at,
    }
}

/// A page of the outbox, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    status: Option<EmailStatus>,
    cursor: Option<i64>,
    limit: u64,
) -> Result<(Vec<OutboxEmail>, Option<String>), ApiError> {
    let mut q = email_outbox::Entity::find();
    if let Some(cursor) = cursor {
        q = q.filter(email_outbox::Column::Id.lt(cursor));
    }
    if let Some(status) = status {
        q = q.filter(email_outbox::Column::Status.eq(status.as_str()));
    }
    let rows = q
        .order_by_desc(email_outbox::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next) = split_page(rows, limit, |m| m.id);
    Ok((rows.iter().map(to_dto).collect(), next))
}

/// Queues a failed or logged message again with a fresh set of attempts, audit-logged; a message
/// the sender is handling, or has sent, is left alone (409).
pub async fn retry(
    conn: &impl ConnectionTrait,
    id: i64,
    admin_id: i64,
    ip: &str,
    note: Option<&str>,
) -> Result<OutboxEmail, ApiError> {
    let current = email_outbox::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let res = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Status, Expr::value("queued"))
        .col_expr(email_outbox::Column::Attempts, Expr::value(0))
        .col_expr(
            email_outbox::Column::NextAttemptAt,
            Expr::value(super::now()),
        )
        .filter(email_outbox::Column::Id.eq(id))
        .filter(email_outbox::Column::Status.is_in(["failed", "logged"]))
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "لا تُعاد إلا الرسائل الفاشلة أو المسجّلة دون إرسال؛ هذه الرسالة أُرسلت أو في طريقها.",
        ));
    }
    audit::Entry::by_user(admin_id, "email.retry")
        .target("email", id)
        .ip(ip)
        .details(json!({
            "from": current.status,
            "attempts": current.attempts,
            "last_error": current.last_error,
            "note": note,
        }))
        .write(conn)
        .await?;
    let row = email_outbox::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(to_dto(&row))
}
