//! Admin: point packages (create, list, view, edit, delete).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::packages::{Package, PackageList, PackageRequest, UpdatePackageRequest};
use domain::{ErrorBody, ErrorCode};

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::packages as svc;
use crate::state::AppState;

/// Create a point package. Prices are integers in minor units (2500 = 25.00 SAR).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = PackageRequest,
    responses(
        (status = 201, body = Package),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/packages")]
#[tracing::instrument(skip_all)]
pub async fn create_package(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<PackageRequest>,
) -> ApiResult<HttpResponse> {
    let form = body.into_inner().normalized();
    form.validate().map_err(ApiError::Validation)?;
    let (form_ref, admin_id, ip) = (&form, admin.id, client.ip.as_str());
    let created = db::transaction(&state.db, |txn| async move {
        svc::create(&*txn, admin_id, ip, form_ref).await
    })
    .await?;
    Ok(HttpResponse::Created().json(svc::to_dto(&created)))
}

/// Every package, active or not, in display order.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses((status = 200, body = PackageList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/packages")]
#[tracing::instrument(skip_all)]
pub async fn list_all_packages(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<PackageList>> {
    Ok(web::Json(PackageList {
        items: svc::list(&state.db, false).await?,
    }))
}

/// One package.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Package id")),
    responses((status = 200, body = Package), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/packages/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_package(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Package>> {
    Ok(web::Json(svc::to_dto(
        &svc::get(&state.db, path.into_inner()).await?,
    )))
}

/// Edit a package: only the fields sent change. Requests already made keep their price.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Package id")),
    request_body = UpdatePackageRequest,
    responses((status = 200, body = Package), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/packages/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_package(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<UpdatePackageRequest>,
) -> ApiResult<web::Json<Package>> {
    let id = path.into_inner();
    let patch_body = body.into_inner();
    if patch_body.is_empty() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "body",
            "لم تُرسل أي حقول لتعديلها.",
        ));
    }
    let (patch_ref, admin_id, ip) = (&patch_body, admin.id, client.ip.as_str());
    let updated = db::transaction(&state.db, |txn| async move {
        svc::update(&*txn, admin_id, ip, id, patch_ref).await
    })
    .await?;
    Ok(web::Json(svc::to_dto(&updated)))
}

/// Delete a package nobody has bought. A package with purchases answers 409: deactivate it
/// (`active: false`) so the purchase history keeps its name.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Package id")),
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The package has purchases", body = ErrorBody),
    )
)]
#[delete("/packages/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_package(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (admin_id, ip) = (admin.id, client.ip.as_str());
    db::transaction(&state.db, |txn| async move {
        svc::delete(&*txn, admin_id, ip, id).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
