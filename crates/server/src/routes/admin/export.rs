//! Admin: CSV exports, streamed.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use domain::ErrorBody;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::services::export::{self, ExportKind};
use crate::state::AppState;

/// Download users, the ledger (`transactions`), redemptions or purchases as CSV (UTF-8 with a
/// BOM so Excel shows Arabic; RFC 4180 quoting; streamed page by page). Audit-logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "`users`, `transactions`, `redemptions` or `purchases`")),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "Unknown export", body = ErrorBody),
    )
)]
#[get("/export/{kind}.csv")]
#[tracing::instrument(skip_all)]
pub async fn export_csv(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let kind = ExportKind::parse(&path.into_inner()).ok_or_else(ApiError::not_found)?;
    audit::Entry::by_user(admin.id, "export.download")
        .target("export", kind.as_str())
        .ip(&client.ip)
        .details(json!({"kind": kind.as_str()}))
        .write(&state.db)
        .await?;
    let filename = format!(
        "musabaqati-{}-{}.csv",
        kind.as_str(),
        crate::services::now().format("%Y%m%d-%H%M%S")
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(export::stream(state.db.clone(), kind)))
}
