//! /api/v1/admin/settings and the CSV exports (/api/v1/admin/export/{kind}.csv).

use std::collections::BTreeMap;

use domain::settings::SettingsList;
use gloo_net::http::Method;
use serde_json::Value;

use super::{call, error_of, get, send, ApiError};

pub async fn list() -> Result<SettingsList, ApiError> {
    get("/admin/settings").await
}

/// Saves the changed keys only; the answer is the whole list again.
pub async fn save(changes: &BTreeMap<String, Value>) -> Result<SettingsList, ApiError> {
    call(Method::PUT, "/admin/settings", changes).await
}

/// Downloads `/admin/export/{kind}.csv`. A plain link cannot carry the Bearer token, so the file
/// is fetched here and handed to the browser as a Blob URL on a temporary `<a download>`.
pub async fn export_csv(kind: &str) -> Result<(), ApiError> {
    let resp = send(Method::GET, &format!("/admin/export/{kind}.csv"), None).await?;
    if !resp.ok() {
        return Err(error_of(resp).await);
    }
    super::save_download(resp, &format!("musabaqati-{kind}.csv")).await
}
