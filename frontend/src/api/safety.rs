//! Trust and safety (issue 12): the admin alert inbox (/api/v1/admin/notifications), the counts
//! behind its badge and the dashboard cards (/admin/safety/summary), transfers held for review,
//! account flags, one user's risk record, and the actions the server attaches to each alert.

use domain::admin::AdminNotificationPage;
use domain::safety::{
    AlertAction, HeldTransfer, HeldTransferPage, HeldTransferStatus, RiskDecision, RiskFlag,
    RiskFlagPage, SafetySummary, UserRisk,
};
use gloo_net::http::Method;

use super::rewards::path;
use super::{call, call_keyed, empty, get, send, send_keyed, to_json, ApiError};

const PAGE: u32 = 25;

/// The decision body: the trimmed note, or none when blank.
fn decision(note: Option<String>) -> RiskDecision {
    let note = RiskDecision { note };
    RiskDecision { note: note.note() }
}

// ----- The inbox -----

/// Alerts, newest first; `unread_only` leaves out those already read, `kind` keeps one kind.
pub async fn alerts(
    unread_only: bool,
    kind: &str,
    cursor: Option<&str>,
) -> Result<AdminNotificationPage, ApiError> {
    let params = [
        ("unread", if unread_only { "true" } else { "" }),
        ("kind", kind),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path("/admin/notifications", PAGE, &params)).await
}

pub async fn mark_read(id: i64) -> Result<(), ApiError> {
    empty(
        send(
            Method::POST,
            &format!("/admin/notifications/{id}/read"),
            None,
        )
        .await?,
    )
    .await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    empty(send(Method::POST, "/admin/notifications/read-all", None).await?).await
}

/// Unread alerts, open flags, held transfers and held redemptions (one cheap call, polled).
pub async fn summary() -> Result<SafetySummary, ApiError> {
    get("/admin/safety/summary").await
}

/// Runs one of an alert's actions as the server described it: `method` to `path` (which
/// already starts with /api/v1) with `{"note": …}` and the action's own `body` fields. A blank
/// note is left out rather than sent as null, so an action whose body type refuses unknown
/// fields is not broken by it. The answer's body is not needed: the inbox re-reads the alert.
pub async fn run_action(
    action: &AlertAction,
    note: Option<String>,
    key: &str,
) -> Result<(), ApiError> {
    let route = action.path.strip_prefix(super::API).unwrap_or(&action.path);
    let method = match action.method.to_ascii_uppercase().as_str() {
        "PATCH" => Method::PATCH,
        "PUT" => Method::PUT,
        "DELETE" => Method::DELETE,
        _ => Method::POST,
    };
    let mut body = serde_json::Map::new();
    if let Some(note) = decision(note).note {
        body.insert("note".to_owned(), note.into());
    }
    if let Some(serde_json::Value::Object(extra)) = &action.body {
        body.extend(extra.clone());
    }
    let json = to_json(&body)?;
    empty(send_keyed(method, route, Some(json), Some(key)).await?).await
}

// ----- Held transfers -----

pub async fn held_transfers(
    status: Option<HeldTransferStatus>,
    user_id: Option<i64>,
    cursor: Option<&str>,
) -> Result<HeldTransferPage, ApiError> {
    let user = user_id.map(|u| u.to_string()).unwrap_or_default();
    let params = [
        (
            "status",
            status.map(HeldTransferStatus::as_str).unwrap_or_default(),
        ),
        ("user_id", user.as_str()),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path("/admin/held-transfers", PAGE, &params)).await
}

/// Releases (credits the recipient) or rejects (refunds the sender; a note is required) a held
/// transfer, with the `Idempotency-Key` of the decision so a retry cannot move points twice.
pub async fn decide_transfer(
    id: i64,
    release: bool,
    note: Option<String>,
    key: &str,
) -> Result<HeldTransfer, ApiError> {
    let action = if release { "release" } else { "reject" };
    let body = to_json(&decision(note))?;
    call_keyed(
        Method::POST,
        &format!("/admin/held-transfers/{id}/{action}"),
        Some(body),
        key,
    )
    .await
}

// ----- Flags -----

/// Flags, newest first: only the open ones, or all (`open=false` would mean only cleared ones).
pub async fn risk_flags(
    open_only: bool,
    user_id: Option<i64>,
    cursor: Option<&str>,
) -> Result<RiskFlagPage, ApiError> {
    let user = user_id.map(|u| u.to_string()).unwrap_or_default();
    let params = [
        ("open", if open_only { "true" } else { "" }),
        ("user_id", user.as_str()),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path("/admin/risk-flags", PAGE, &params)).await
}

/// Clears a flag; the note (why it is cleared) is required.
pub async fn clear_flag(id: i64, note: Option<String>) -> Result<RiskFlag, ApiError> {
    call(
        Method::POST,
        &format!("/admin/risk-flags/{id}/clear"),
        &decision(note),
    )
    .await
}

/// Flags an account by hand; the note is required.
pub async fn flag_user(user_id: i64, note: Option<String>) -> Result<RiskFlag, ApiError> {
    call(
        Method::POST,
        &format!("/admin/users/{user_id}/flags"),
        &decision(note),
    )
    .await
}

// ----- One account -----

pub async fn user_risk(user_id: i64) -> Result<UserRisk, ApiError> {
    get(&format!("/admin/users/{user_id}/risk")).await
}

/// Clears the sign-in throttling of the account.
pub async fn unlock(user_id: i64, note: Option<String>) -> Result<(), ApiError> {
    let body = to_json(&decision(note))?;
    empty(
        send(
            Method::POST,
            &format!("/admin/users/{user_id}/unlock"),
            Some(body),
        )
        .await?,
    )
    .await
}

/// Ends one of the account's sessions (its refresh-token family).
pub async fn end_session(user_id: i64, session_id: &str) -> Result<(), ApiError> {
    let session = super::enc(session_id);
    empty(
        send(
            Method::DELETE,
            &format!("/admin/users/{user_id}/sessions/{session}"),
            None,
        )
        .await?,
    )
    .await
}
