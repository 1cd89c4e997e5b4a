//! The email outbox for admins: what was sent, what is waiting, what failed and why, and a
//! retry. Bodies are never shown (a reset link in one is a key to an account).

use actix_web::{get, post, web};
use domain::emails::{EmailStatus, OutboxEmail, OutboxEmailPage};
use domain::safety::RiskDecision;
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::OptionalJson;
use crate::routes::pagination::PageParams;
use crate::services::outbox_admin;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmailQuery {
    /// `queued`, `sending`, `sent`, `failed` or `logged`.
    #[param(value_type = Option<EmailStatus>)]
    pub status: Option<String>,
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
    let status = match query.status.as_deref() {
        None => None,
        Some(status) => Some(EmailStatus::parse(status).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون queued أو sending أو sent أو failed أو logged.",
            )
        })?),
    };
    let (items, next_cursor) =
        outbox_admin::list(&state.db, status, page.cursor_id()?, page.limit()?).await?;
    Ok(web::Json(OutboxEmailPage { items, next_cursor }))
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
    let email = db::transaction(&state.db, |txn| async move {
        outbox_admin::retry(&*txn, id, admin_ref.id, &client_ref.ip, note_ref.as_deref()).await
    })
    .await?;
    Ok(web::Json(email))
}
