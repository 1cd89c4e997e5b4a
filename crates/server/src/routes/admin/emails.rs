//! The email outbox for admins: what was sent, what is waiting, what failed and why, and a
//! retry. Bodies are never shown (a reset link in one is a key to an account).

use actix_web::{get, post, web};
use domain::emails::{EmailStatus, OutboxEmail, OutboxEmailPage};
use domain::safety::RiskDecision;
use domain::{ErrorBody, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::entities::email_outbox;
use crate::error::{ApiError, ApiResult};
use crate::extract::OptionalJson;
use crate::routes::pagination::{split_page, PageParams};
use crate::services::audit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmailQuery {
    /// `queued`, `sending`, `sent`, `failed` or `logged`.
    #[param(value_type = Option<EmailStatus>)]
    pub status: Option<String>,
}

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

/// The outbox, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(EmailQuery, PageParams),
    responses((status = 200, body = OutboxEmailPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/emails")]
#[tracing::instrument(skip_all)]
pub async fn list_emails(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<EmailQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<OutboxEmailPage>> {
    let limit = page.limit()?;
    let mut q = email_outbox::Entity::find();
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(email_outbox::Column::Id.lt(cursor));
    }
    if let Some(status) = query.status.as_deref() {
        let Some(status) = EmailStatus::parse(status) else {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون queued أو sending أو sent أو failed أو logged.",
            ));
        };
        q = q.filter(email_outbox::Column::Status.eq(status.as_str()));
    }
    let rows = q
        .order_by_desc(email_outbox::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |m| m.id);
    Ok(web::Json(OutboxEmailPage {
        items: rows.iter().map(to_dto).collect(),
        next_cursor,
    }))
}

/// Send a failed (or only logged) message again now, with a fresh set of attempts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Outbox message id")),
    request_body(content = Option<RiskDecision>, description = "Optional note (kept in the audit log)"),
    responses(
        (status = 200, body = OutboxEmail),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already sent, or waiting for its next attempt", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/emails/{id}/retry")]
#[tracing::instrument(skip_all)]
pub async fn retry_email(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<RiskDecision>,
) -> ApiResult<web::Json<OutboxEmail>> {
    let note = body
        .into_inner()
        .checked_note(false)
        .map_err(ApiError::Validation)?;
    let id = path.into_inner();
    let (note_ref, admin_ref, client_ref) = (&note, &admin, &client);
    let row = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let current = email_outbox::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(ApiError::not_found)?;
        // Conditional: a message the sender is handling, or has sent, is left alone.
        let res = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Status, Expr::value("queued"))
            .col_expr(email_outbox::Column::Attempts, Expr::value(0))
            .col_expr(
                email_outbox::Column::NextAttemptAt,
                Expr::value(crate::services::now()),
            )
            .filter(email_outbox::Column::Id.eq(id))
            .filter(email_outbox::Column::Status.is_in(["failed", "logged"]))
            .exec(txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "لا تُعاد إلا الرسائل الفاشلة أو المسجّلة دون إرسال؛ هذه الرسالة أُرسلت أو في طريقها.",
            ));
        }
        audit::Entry::by_user(admin_ref.id, "email.retry")
            .target("email", id)
            .ip(&client_ref.ip)
            .details(json!({
                "from": current.status,
                "attempts": current.attempts,
                "last_error": current.last_error,
                "note": note_ref,
            }))
            .write(txn)
            .await?;
        email_outbox::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(ApiError::not_found)
    })
    .await?;
    Ok(web::Json(to_dto(&row)))
}
