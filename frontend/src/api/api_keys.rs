//! /api/v1/admin/api-keys: integrator keys, their usage and the refused key attempts.

use domain::api_keys::{
    ApiKey, ApiKeyPage, ApiKeyUsage, CreateApiKeyRequest, CreatedApiKey, FailedAuthPage,
    UpdateApiKeyRequest,
};
use gloo_net::http::Method;

use super::rewards::path;
use super::{call, decode, get, send, ApiError};

const PAGE: u32 = 25;
const BASE: &str = "/admin/api-keys";

/// `status`: "" (all), `active`, `revoked` or `expired`.
pub async fn list(status: &str, cursor: Option<&str>) -> Result<ApiKeyPage, ApiError> {
    let params = [("status", status), ("cursor", cursor.unwrap_or_default())];
    get(&path(BASE, PAGE, &params)).await
}

pub async fn one(id: i64) -> Result<ApiKey, ApiError> {
    get(&format!("{BASE}/{id}")).await
}

/// The answer carries the full key, the only time it is ever shown.
pub async fn create(req: &CreateApiKeyRequest) -> Result<CreatedApiKey, ApiError> {
    call(Method::POST, BASE, req).await
}

/// Name, per-minute limit and award ceilings; kind and scopes never change.
pub async fn update(id: i64, req: &UpdateApiKeyRequest) -> Result<ApiKey, ApiError> {
    call(Method::PATCH, &format!("{BASE}/{id}"), req).await
}

pub async fn revoke(id: i64) -> Result<ApiKey, ApiError> {
    decode(send(Method::DELETE, &format!("{BASE}/{id}"), None).await?).await
}

/// A new key with the same settings; the old one is revoked in the same moment.
pub async fn rotate(id: i64) -> Result<CreatedApiKey, ApiError> {
    decode(send(Method::POST, &format!("{BASE}/{id}/rotate"), None).await?).await
}

pub async fn usage(id: i64, days: u32) -> Result<ApiKeyUsage, ApiError> {
    get(&format!("{BASE}/{id}/usage?days={days}")).await
}

/// `reason`: "" (all) or a `FailedAuthReason` name.
pub async fn failed(
    ip: &str,
    reason: &str,
    cursor: Option<&str>,
) -> Result<FailedAuthPage, ApiError> {
    let params = [
        ("ip", ip),
        ("reason", reason),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path(&format!("{BASE}/failed-auth"), PAGE, &params)).await
}
