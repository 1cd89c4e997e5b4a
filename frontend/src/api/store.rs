//! /api/v1/packages, /api/v1/purchases and the admin's /api/v1/admin/packages and
//! /api/v1/admin/purchases.

use domain::packages::{
    CancelPurchaseRequest, MarkPaidRequest, MyPurchasePage, Package, PackageList, PackageRequest,
    Purchase, PurchaseCreated, PurchasePage, PurchasePaid, PurchaseRequest, RecordPurchaseRequest,
    UpdatePackageRequest,
};
use gloo_net::http::Method;

use super::{call, call_keyed, empty, enc, get, get_public, send, to_json, ApiError};

const PAGE: u32 = 25;

fn page_path(base: &str, params: &[(&str, &str)], cursor: Option<&str>) -> String {
    let mut p = format!("{base}?limit={PAGE}");
    for (k, v) in params
        .iter()
        .chain(&[("cursor", cursor.unwrap_or_default())])
    {
        if !v.trim().is_empty() {
            p.push_str(&format!("&{k}={}", enc(v.trim())));
        }
    }
    p
}

// ----- Participants -----

pub async fn packages() -> Result<PackageList, ApiError> {
    get_public("/packages").await
}

pub async fn request(package_id: i64, key: &str) -> Result<PurchaseCreated, ApiError> {
    let body = to_json(&PurchaseRequest { package_id })?;
    call_keyed(Method::POST, "/purchases", Some(body), key).await
}

/// The owner withdraws a request still waiting for payment.
pub async fn cancel_mine(id: i64, key: &str) -> Result<Purchase, ApiError> {
    call_keyed(Method::POST, &format!("/purchases/{id}/cancel"), None, key).await
}

pub async fn mine(cursor: Option<&str>) -> Result<MyPurchasePage, ApiError> {
    get(&page_path("/purchases", &[], cursor)).await
}

// ----- Admin: packages -----

pub async fn admin_packages() -> Result<PackageList, ApiError> {
    get("/admin/packages").await
}

pub async fn create_package(req: &PackageRequest) -> Result<Package, ApiError> {
    call(Method::POST, "/admin/packages", req).await
}

pub async fn update_package(id: i64, req: &UpdatePackageRequest) -> Result<Package, ApiError> {
    call(Method::PATCH, &format!("/admin/packages/{id}"), req).await
}

/// Refused (409) once a package has purchases: deactivate it instead.
pub async fn delete_package(id: i64) -> Result<(), ApiError> {
    empty(send(Method::DELETE, &format!("/admin/packages/{id}"), None).await?).await
}

// ----- Admin: purchases -----

/// `status`: "" (all), `requested`, `paid` or `cancelled`; `reference`: what the buyer quoted.
pub async fn queue(
    status: &str,
    reference: &str,
    cursor: Option<&str>,
) -> Result<PurchasePage, ApiError> {
    let params = [("status", status), ("reference", reference)];
    get(&page_path("/admin/purchases", &params, cursor)).await
}

/// Confirms the payment: the buyer's points are credited once.
pub async fn mark_paid(id: i64, reference: &str, key: &str) -> Result<PurchasePaid, ApiError> {
    let body = to_json(&MarkPaidRequest {
        payment_reference: reference.to_owned(),
    })?;
    let path = format!("/admin/purchases/{id}/mark-paid");
    call_keyed(Method::POST, &path, Some(body), key).await
}

pub async fn cancel(id: i64, req: &CancelPurchaseRequest) -> Result<Purchase, ApiError> {
    call(Method::POST, &format!("/admin/purchases/{id}/cancel"), req).await
}

/// A payment received directly: created as paid and credited at once.
pub async fn record(req: &RecordPurchaseRequest, key: &str) -> Result<PurchasePaid, ApiError> {
    call_keyed(Method::POST, "/admin/purchases", Some(to_json(req)?), key).await
}

pub async fn of_user(user_id: i64, cursor: Option<&str>) -> Result<PurchasePage, ApiError> {
    get(&page_path(
        &format!("/admin/users/{user_id}/purchases"),
        &[],
        cursor,
    ))
    .await
}
