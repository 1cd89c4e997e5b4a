//! GET /api/v1/ws: the chat WebSocket (protocol in docs/CHAT.md).

use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::extractors::{authenticate_token, token_origin};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WsQuery {
    /// The access token (browsers cannot set headers on a WebSocket). Without it, the first
    /// frame must be `{"type":"auth","token":"…"}` within 5 seconds.
    pub token: Option<String>,
}

/// Live chat over WebSocket: JSON text frames (`message`, `message_updated`, `typing`, `read`,
/// `rooms_changed`, `resumed`, `pong`, `error` from the server; `auth`, `ping`, `typing`,
/// `resume` from the client). See docs/CHAT.md.
#[utoipa::path(
    tag = "chat",
    params(WsQuery),
    responses(
        (status = 101, description = "Switching Protocols: the chat WebSocket"),
        (status = 400, description = "Not a WebSocket upgrade request", body = ErrorBody),
        (status = 401, description = "`token` given but invalid, expired or revoked", body = ErrorBody),
        (status = 403, description = "Account suspended", body = ErrorBody),
    )
)]
#[get("/ws")]
#[tracing::instrument(skip_all)]
pub async fn websocket(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<WsQuery>,
) -> ApiResult<HttpResponse> {
    // A token in the URL is checked before the upgrade, so a bad one gets a plain 401.
    let origin = token_origin(&req);
    let user = match query
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(token) => Some(authenticate_token(&state, token, &origin).await?),
        None => None,
    };
    let (response, session, stream) = actix_ws::handle(&req, payload).map_err(|_| {
        ApiError::message(
            ErrorCode::BadRequest,
            "هذا المسار يُفتح باتصال WebSocket فقط.",
        )
    })?;
    actix_web::rt::spawn(crate::chat::ws::run(
        state.clone(),
        session,
        stream,
        user,
        origin,
    ));
    Ok(response)
}
