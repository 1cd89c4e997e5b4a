//! /api/v1/admin/settings and the CSV exports (/api/v1/admin/export/{kind}.csv).

use std::collections::BTreeMap;

use domain::settings::SettingsList;
use gloo_net::http::Method;
use serde_json::Value;
use wasm_bindgen::JsCast;

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
    // `attachment; filename="musabaqati-users-20251112-101500.csv"`
    let name = resp
        .headers()
        .get("content-disposition")
        .and_then(|v| {
            v.split("filename=")
                .nth(1)
                .map(|n| n.trim_matches('"').to_owned())
        })
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
        .unwrap_or_else(|| format!("musabaqati-{kind}.csv"));
    let bytes = resp.binary().await.map_err(|_| ApiError::Network)?;
    let fail = |_| ApiError::Network;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let doc = leptos::prelude::document();
    let link = doc
        .create_element("a")
        .map_err(fail)?
        .unchecked_into::<web_sys::HtmlElement>();
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", &name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&link);
        link.click();
        link.remove();
    }
    // The browser has taken the file by the next tick; the URL can go.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(1),
    );
    Ok(())
}
