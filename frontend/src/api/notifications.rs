//! /api/v1/notifications (the bell)

use domain::notifications::NotificationPage;
use gloo_net::http::Method;

use super::{empty, get, send, ApiError};

/// The newest notifications; `unread_only` with `limit=1` is the cheap unread-count poll.
pub async fn list(unread_only: bool, limit: u32) -> Result<NotificationPage, ApiError> {
    let unread = if unread_only { "&unread=true" } else { "" };
    get(&format!("/notifications?limit={limit}{unread}")).await
}

pub async fn mark_read(id: i64) -> Result<(), ApiError> {
    empty(send(Method::POST, &format!("/notifications/{id}/read"), None).await?).await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    empty(send(Method::POST, "/notifications/read-all", None).await?).await
}
