//! Point packages: what users can buy. Prices are integers in minor units.

use domain::packages::{format_price, Package, PackageRequest, UpdatePackageRequest};
use domain::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ActiveValue::Unchanged, ColumnTrait, ConnectionTrait,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::entities::{points_packages as packages, purchase_records};
use crate::error::ApiError;
use crate::services::audit;

pub fn to_dto(m: &packages::Model) -> Package {
    Package {
        id: m.id,
        name: m.name.clone(),
        name_en: m.name_en.clone(),
        points: m.points,
        bonus_points: m.bonus_points,
        total_points: m.points.saturating_add(m.bonus_points),
        price_minor: m.price_minor,
        currency: m.currency.clone(),
        price_display: format_price(m.price_minor, &m.currency),
        label: m.label.clone(),
        active: m.active,
        sort_order: i64::from(m.sort_order),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn form_of(m: &packages::Model) -> PackageRequest {
    PackageRequest {
        name: m.name.clone(),
        points: m.points,
        bonus_points: m.bonus_points,
        price_minor: m.price_minor,
        currency: m.currency.clone(),
        active: m.active,
        name_en: m.name_en.clone(),
        label: m.label.clone(),
        sort_order: i64::from(m.sort_order),
    }
}

fn sort_i32(v: i64) -> i32 {
    // Validation keeps sort_order within ±100000.
    i32::try_from(v).unwrap_or(0)
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<packages::Model, ApiError> {
    packages::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Every package (admin view), or only the active ones (the shop), in display order.
pub async fn list(
    conn: &impl ConnectionTrait,
    only_active: bool,
) -> Result<Vec<Package>, ApiError> {
    let mut q = packages::Entity::find();
    if only_active {
        q = q.filter(packages::Column::Active.eq(true));
    }
    Ok(q.order_by_asc(packages::Column::SortOrder)
        .order_by_asc(packages::Column::Id)
        .all(conn)
        .await?
        .iter()
        .map(to_dto)
        .collect())
}

pub async fn create(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    req: &PackageRequest,
) -> Result<packages::Model, ApiError> {
    let now = super::now();
    let m = packages::ActiveModel {
        name: Set(req.name.clone()),
        name_en: Set(req.name_en.clone()),
        points: Set(req.points),
        bonus_points: Set(req.bonus_points),
        price_minor: Set(req.price_minor),
        currency: Set(req.currency.clone()),
        label: Set(req.label.clone()),
        active: Set(req.active),
        sort_order: Set(sort_i32(req.sort_order)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::Entry::by_user(admin_id, "package.create")
        .target("package", m.id)
        .ip(ip)
        .details(json!({"name": m.name, "points": m.points, "bonus_points": m.bonus_points, "price_minor": m.price_minor, "currency": m.currency}))
        .write(conn)
        .await?;
    Ok(m)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    patch: &UpdatePackageRequest,
) -> Result<packages::Model, ApiError> {
    let current = get(conn, id).await?;
    let merged = patch.apply_to(&form_of(&current));
    merged.validate().map_err(ApiError::Validation)?;
    let updated = packages::ActiveModel {
        id: Unchanged(id),
        name: Set(merged.name),
        name_en: Set(merged.name_en),
        points: Set(merged.points),
        bonus_points: Set(merged.bonus_points),
        price_minor: Set(merged.price_minor),
        currency: Set(merged.currency),
        label: Set(merged.label),
        active: Set(merged.active),
        sort_order: Set(sort_i32(merged.sort_order)),
        updated_at: Set(super::now()),
        ..Default::default()
    }
    .update(conn)
    .await?;
    audit::Entry::by_user(admin_id, "package.update")
        .target("package", id)
        .ip(ip)
        .details(serde_json::to_value(patch).unwrap_or_default())
        .write(conn)
        .await?;
    Ok(updated)
}

/// Deletes a package nobody has bought; a package with purchases is kept for their history
/// (deactivate it instead).
pub async fn delete(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
) -> Result<(), ApiError> {
    let m = get(conn, id).await?;
    let bought = purchase_records::Entity::find()
        .filter(purchase_records::Column::PackageId.eq(id))
        .count(conn)
        .await?;
    if bought > 0 {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "لهذه الباقة مشتريات مسجّلة؛ أوقفها (active = false) بدلًا من حذفها.",
        ));
    }
    packages::Entity::delete_by_id(id).exec(conn).await?;
    audit::Entry::by_user(admin_id, "package.delete")
        .target("package", id)
        .ip(ip)
        .details(json!({"name": m.name}))
        .write(conn)
        .await?;
    Ok(())
}
