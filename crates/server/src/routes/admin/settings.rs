//! Admin: system settings.

use std::collections::BTreeMap;

use actix_web::{get, put, web};
use domain::settings::SettingsList;
use domain::ErrorBody;
use serde_json::Value;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::services::system_settings;
use crate::state::AppState;

/// Every known setting with its current value, default, type, range and Arabic label.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 200, body = SettingsList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/settings")]
#[tracing::instrument(skip_all)]
pub async fn get_settings(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<SettingsList>> {
    Ok(web::Json(system_settings::list(&state.db).await?))
}

/// Change settings: `{"key": value, …}`. Every key and value is checked first (errors are
/// named by key) and nothing is written unless all pass; each changed key gets one
/// `settings.update` audit entry with its old and new value.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = Object, description = "Setting key → new value, e.g. `{\"transfer_daily_limit\": 500, \"digits\": \"latn\"}`"),
    responses(
        (status = 200, body = SettingsList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Unknown key, or a value of the wrong type or out of range", body = ErrorBody),
    )
)]
#[put("/settings")]
#[tracing::instrument(skip_all)]
pub async fn put_settings(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<BTreeMap<String, Value>>,
) -> ApiResult<web::Json<SettingsList>> {
    let changes = system_settings::validate_changes(&body.into_inner())?;
    let (changes_ref, admin_id, ip) = (&changes, admin.id, client.ip.as_str());
    db::transaction(&state.db, |txn| async move {
        system_settings::update(&*txn, admin_id, ip, changes_ref).await
    })
    .await?;
    Ok(web::Json(system_settings::list(&state.db).await?))
}
