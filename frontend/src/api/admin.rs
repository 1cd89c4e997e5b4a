//! /api/v1/admin/*

use domain::admin::{AuditPage, UserPage};

use super::{enc, get, ApiError};

const PAGE: u32 = 25;

pub async fn users(query: &str, cursor: Option<&str>) -> Result<UserPage, ApiError> {
    let mut path = format!("/admin/users?limit={PAGE}");
    if !query.trim().is_empty() {
        path.push_str(&format!("&q={}", enc(query.trim())));
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    get(&path).await
}

/// `filters`: (query parameter, value) pairs for GET /admin/audit-log (`action`, `actor`,
/// `target_type`, `target_id`, `from`, `to`); empty values are left out.
pub async fn audit_log(
    filters: &[(&str, String)],
    cursor: Option<&str>,
) -> Result<AuditPage, ApiError> {
    let mut path = format!("/admin/audit-log?limit={PAGE}");
    for (name, value) in filters {
        if !value.trim().is_empty() {
            path.push_str(&format!("&{name}={}", enc(value.trim())));
        }
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    get(&path).await
}

// ----- One user (rewards & administration issue) -----

pub async fn user(id: i64) -> Result<domain::users::User, ApiError> {
    get(&format!("/admin/users/{id}")).await
}

/// Changes a user's role and/or status.
pub async fn update_user(
    id: i64,
    req: &domain::users::AdminUpdateUserRequest,
) -> Result<domain::users::User, ApiError> {
    super::call(
        gloo_net::http::Method::PATCH,
        &format!("/admin/users/{id}"),
        req,
    )
    .await
}

// ----- Email outbox and account recovery (issue 15) -----

pub async fn emails(
    status: Option<&str>,
    cursor: Option<&str>,
) -> Result<domain::emails::OutboxEmailPage, ApiError> {
    let mut path = format!("/admin/emails?limit={PAGE}");
    if let Some(s) = status {
        path.push_str(&format!("&status={}", enc(s)));
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    get(&path).await
}

pub async fn retry_email(id: i64) -> Result<domain::emails::OutboxEmail, ApiError> {
    super::call(
        gloo_net::http::Method::POST,
        &format!("/admin/emails/{id}/retry"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn issue_reset_link(
    id: i64,
    note: &str,
) -> Result<domain::users::AdminResetLink, ApiError> {
    super::call(
        gloo_net::http::Method::POST,
        &format!("/admin/users/{id}/password-reset"),
        &serde_json::json!({ "note": note }),
    )
    .await
}
