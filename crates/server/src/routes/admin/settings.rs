//! Admin: system settings.

use std::collections::BTreeMap;

use actix_web::{get, put, web};
use domain::settings::{SettingType, SettingsList, SETTINGS};
use domain::ErrorBody;
use serde_json::Value;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::auth::{AdminUser, ClientInfo, SteppedUpAdmin};
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

/// The body of `PUT /admin/settings` as the OpenAPI document states it: an object of known
/// keys (at least one), each value typed and ranged as in [`domain::settings::SETTINGS`], the
/// same table [`system_settings::validate_changes`] checks against.
pub struct SettingsChanges;

impl utoipa::ToSchema for SettingsChanges {}

impl utoipa::PartialSchema for SettingsChanges {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .min_properties(Some(1))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        for def in SETTINGS {
            let value = match def.ty {
                SettingType::Bool => ObjectBuilder::new().schema_type(Type::Boolean),
                SettingType::Int { min, max } => ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(min))
                    .maximum(Some(max)),
                SettingType::Text { max_len, .. } => ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(max_len)),
                SettingType::Choice(choices) => ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(choices.iter().map(|(value, _)| *value))),
            };
            object = object.property(def.key, value.description(Some(def.label)));
        }
        object.build().into()
    }
}

/// Change settings: `{"key": value, …}`. Every key and value is checked first (errors are
/// named by key) and nothing is written unless all pass; each changed key gets one
/// `settings.update` audit entry with its old and new value.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = SettingsChanges, description = "Setting key → new value, e.g. `{\"transfer_daily_limit\": 500, \"digits\": \"latn\"}`"),
    responses(
        (status = 200, body = SettingsList),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required`: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 422, description = "Unknown key, or a value of the wrong type or out of range", body = ErrorBody),
    )
)]
#[put("/settings")]
#[tracing::instrument(skip_all)]
pub async fn put_settings(
    state: web::Data<AppState>,
    admin: SteppedUpAdmin,
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
