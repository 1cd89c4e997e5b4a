//! The rewards catalogue: admin CRUD (retire instead of delete, so history stays intact) and the
//! public catalogue with the caller's affordability and per-user allowance.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::rewards::{
    CatalogueItem, CataloguePage, RedemptionStatus, Reward, RewardPage, RewardRequest, RewardState,
    UpdateRewardRequest,
};
use domain::text::normalize_arabic;
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ActiveValue::Unchanged, ColumnTrait, Condition,
    ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde_json::json;

use crate::entities::{reward_redemptions as redemptions, rewards, users};
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::audit;

/// What catalogue search matches against: name, English name, category and description, folded.
pub fn search_text(r: &RewardRequest) -> String {
    [
        Some(r.name.as_str()),
        r.name_en.as_deref(),
        r.category.as_deref(),
        Some(r.description.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(normalize_arabic)
    .collect::<Vec<_>>()
    .join(" ")
}

/// The stored reward as the admin form.
pub fn form_of(m: &rewards::Model) -> RewardRequest {
    RewardRequest {
        name: m.name.clone(),
        description: m.description.clone(),
        cost: m.cost,
        stock: m.stock,
        per_user_limit: m.per_user_limit.map(i64::from),
        active: m.active,
        name_en: m.name_en.clone(),
        image_url: m.image_url.clone(),
        icon: m.icon.clone(),
        category: m.category.clone(),
        available_from: m.available_from,
        available_until: m.available_until,
    }
}

pub fn state_of(m: &rewards::Model, now: DateTime<Utc>) -> RewardState {
    RewardState::of(
        m.active,
        m.retired_at.is_some(),
        m.stock,
        m.available_from,
        m.available_until,
        now,
    )
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pending: i64,
    pub approved: i64,
}

pub fn to_dto(m: &rewards::Model, counts: Counts) -> Reward {
    let state = state_of(m, super::now());
    Reward {
        id: m.id,
        name: m.name.clone(),
        name_en: m.name_en.clone(),
        description: m.description.clone(),
        image_url: m.image_url.clone(),
        icon: m.icon.clone(),
        category: m.category.clone(),
        cost: m.cost,
        stock: m.stock,
        per_user_limit: m.per_user_limit.map(i64::from),
        active: m.active,
        available_from: m.available_from,
        available_until: m.available_until,
        retired_at: m.retired_at,
        state,
        state_label: state.label_ar().to_owned(),
        pending_count: counts.pending,
        approved_count: counts.approved,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

#[derive(Debug, FromQueryResult)]
struct StatusCountRow {
    reward_id: i64,
    status: String,
    n: i64,
}

/// Redemption counts per reward (pending; approved or fulfilled).
pub async fn counts(
    conn: &impl ConnectionTrait,
    reward_ids: &[i64],
) -> Result<HashMap<i64, Counts>, ApiError> {
    let mut out: HashMap<i64, Counts> = HashMap::new();
    if reward_ids.is_empty() {
        return Ok(out);
    }
    let rows = redemptions::Entity::find()
        .select_only()
        .column(redemptions::Column::RewardId)
        .column(redemptions::Column::Status)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(redemptions::Column::RewardId.is_in(reward_ids.to_vec()))
        .group_by(redemptions::Column::RewardId)
        .group_by(redemptions::Column::Status)
        .into_model::<StatusCountRow>()
        .all(conn)
        .await?;
    for r in rows {
        let c = out.entry(r.reward_id).or_default();
        match RedemptionStatus::parse(&r.status) {
            Some(RedemptionStatus::Pending) => c.pending += r.n,
            Some(RedemptionStatus::Approved | RedemptionStatus::Fulfilled) => c.approved += r.n,
            _ => {}
        }
    }
    Ok(out)
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<rewards::Model, ApiError> {
    rewards::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub async fn get_dto(conn: &impl ConnectionTrait, id: i64) -> Result<Reward, ApiError> {
    let m = get(conn, id).await?;
    let c = counts(conn, &[id]).await?;
    Ok(to_dto(&m, c.get(&id).copied().unwrap_or_default()))
}

fn limit_i32(limit: Option<i64>) -> Option<i32> {
    // Validation caps the limit at 1000, so the conversion cannot fail for valid input.
    limit.and_then(|l| i32::try_from(l).ok())
}

pub async fn create(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    req: &RewardRequest,
) -> Result<rewards::Model, ApiError> {
    let now = super::now();
    let m = rewards::ActiveModel {
        name: Set(req.name.clone()),
        name_en: Set(req.name_en.clone()),
        description: Set(req.description.clone()),
        image_url: Set(req.image_url.clone()),
        icon: Set(req.icon.clone()),
        category: Set(req.category.clone()),
        cost: Set(req.cost),
        stock: Set(req.stock),
        per_user_limit: Set(limit_i32(req.per_user_limit)),
        active: Set(req.active),
        available_from: Set(req.available_from),
        available_until: Set(req.available_until),
        search_text: Set(search_text(req)),
        created_by: Set(Some(admin_id)),
        created_at: Set(now),
        updated_at: Set(now),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::Entry::by_user(admin_id, "reward.create")
        .target("reward", m.id)
        .ip(ip)
        .details(json!({"name": m.name, "cost": m.cost, "stock": m.stock}))
        .write(conn)
        .await?;
    Ok(m)
}

/// Applies a PATCH: only the fields present are written, so a concurrent redemption's stock
/// decrement is never overwritten by an edit that did not touch the stock.
pub async fn update(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    patch: &UpdateRewardRequest,
) -> Result<rewards::Model, ApiError> {
    let current = get(conn, id).await?;
    if current.retired_at.is_some() {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "هذه المكافأة مؤرشفة ولا يمكن تعديلها؛ أنشئ مكافأة جديدة بدلًا منها.",
        ));
    }
    let merged = patch.apply_to(&form_of(&current));
    merged.validate().map_err(ApiError::Validation)?;
    let mut am = rewards::ActiveModel {
        id: Unchanged(id),
        ..Default::default()
    };
    if patch.name.is_some() {
        am.name = Set(merged.name.clone());
    }
    if patch.description.is_some() {
        am.description = Set(merged.description.clone());
    }
    if patch.cost.is_some() {
        am.cost = Set(merged.cost);
    }
    if patch.stock.is_some() {
        am.stock = Set(merged.stock);
    }
    if patch.per_user_limit.is_some() {
        am.per_user_limit = Set(limit_i32(merged.per_user_limit));
    }
    if patch.active.is_some() {
        am.active = Set(merged.active);
    }
    if patch.name_en.is_some() {
        am.name_en = Set(merged.name_en.clone());
    }
    if patch.image_url.is_some() {
        am.image_url = Set(merged.image_url.clone());
    }
    if patch.icon.is_some() {
        am.icon = Set(merged.icon.clone());
    }
    if patch.category.is_some() {
        am.category = Set(merged.category.clone());
    }
    if patch.available_from.is_some() {
        am.available_from = Set(merged.available_from);
    }
    if patch.available_until.is_some() {
        am.available_until = Set(merged.available_until);
    }
    am.search_text = Set(search_text(&merged));
    am.updated_at = Set(super::now());
    let updated = am.update(conn).await?;
    audit::Entry::by_user(admin_id, "reward.update")
        .target("reward", id)
        .ip(ip)
        .details(serde_json::to_value(patch).unwrap_or_default())
        .write(conn)
        .await?;
    Ok(updated)
}

/// DELETE: deactivates and stamps `retired_at`. Pending redemptions can still be decided; the
/// reward can no longer be redeemed or edited. Retiring twice changes nothing.
pub async fn retire(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
) -> Result<rewards::Model, ApiError> {
    let now = super::now();
    let res = rewards::Entity::update_many()
        .col_expr(rewards::Column::Active, Expr::value(false))
        .col_expr(rewards::Column::RetiredAt, Expr::value(now))
        .col_expr(rewards::Column::UpdatedAt, Expr::value(now))
        .filter(rewards::Column::Id.eq(id))
        .filter(rewards::Column::RetiredAt.is_null())
        .exec(conn)
        .await?;
    let m = get(conn, id).await?;
    if res.rows_affected > 0 {
        audit::Entry::by_user(admin_id, "reward.retire")
            .target("reward", id)
            .ip(ip)
            .details(json!({"name": m.name}))
            .write(conn)
            .await?;
    }
    Ok(m)
}

/// Admin list filters.
#[derive(Debug, Default)]
pub struct AdminFilter {
    pub q: Option<String>,
    pub category: Option<String>,
    /// `active` (not retired and active), `inactive` (not retired, inactive), `retired`.
    pub state: Option<String>,
}

pub async fn admin_list(
    conn: &impl ConnectionTrait,
    filter: &AdminFilter,
    cursor: Option<i64>,
    limit: u64,
) -> Result<RewardPage, ApiError> {
    let mut q = rewards::Entity::find();
    if let Some(c) = cursor {
        q = q.filter(rewards::Column::Id.lt(c));
    }
    if let Some(text) = &filter.q {
        q = q.filter(rewards::Column::SearchText.contains(normalize_arabic(text).as_str()));
    }
    if let Some(cat) = &filter.category {
        q = q.filter(rewards::Column::Category.eq(cat.as_str()));
    }
    match filter.state.as_deref() {
        None => {}
        Some("active") => {
            q = q
                .filter(rewards::Column::RetiredAt.is_null())
                .filter(rewards::Column::Active.eq(true));
        }
        Some("inactive") => {
            q = q
                .filter(rewards::Column::RetiredAt.is_null())
                .filter(rewards::Column::Active.eq(false));
        }
        Some("retired") => q = q.filter(rewards::Column::RetiredAt.is_not_null()),
        Some(_) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "state",
                "الحالة يجب أن تكون active أو inactive أو retired.",
            ))
        }
    }
    let rows = q
        .order_by_desc(rewards::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let c = counts(conn, &ids).await?;
    Ok(RewardPage {
        items: rows
            .iter()
            .map(|r| to_dto(r, c.get(&r.id).copied().unwrap_or_default()))
            .collect(),
        next_cursor,
    })
}

/// Only active, non-retired rewards inside their availability window.
fn catalogue_base(now: DateTime<Utc>) -> Select<rewards::Entity> {
    rewards::Entity::find()
        .filter(rewards::Column::Active.eq(true))
        .filter(rewards::Column::RetiredAt.is_null())
        .filter(
            Condition::any()
                .add(rewards::Column::AvailableFrom.is_null())
                .add(rewards::Column::AvailableFrom.lte(now)),
        )
        .filter(
            Condition::any()
                .add(rewards::Column::AvailableUntil.is_null())
                .add(rewards::Column::AvailableUntil.gt(now)),
        )
}

/// Catalogue cursors are `cost:id` (the catalogue is ordered cheapest first).
pub fn parse_catalogue_cursor(cursor: Option<&str>) -> Result<Option<(i64, i64)>, ApiError> {
    let Some(c) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    c.split_once(':')
        .and_then(|(cost, id)| Some((cost.parse().ok()?, id.parse().ok()?)))
        .map(Some)
        .ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "cursor",
                "مؤشر الصفحة غير صالح.",
            )
        })
}

#[derive(Debug, Default)]
pub struct CatalogueQuery {
    pub category: Option<String>,
    pub q: Option<String>,
    pub affordable: bool,
    pub cursor: Option<(i64, i64)>,
    pub limit: u64,
}

#[derive(Debug, FromQueryResult)]
struct HeldRow {
    reward_id: i64,
    n: i64,
}

/// How many redemptions of each reward this user holds (pending, approved or fulfilled).
pub async fn held_by_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    reward_ids: &[i64],
) -> Result<HashMap<i64, i64>, ApiError> {
    if reward_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(redemptions::Entity::find()
        .select_only()
        .column(redemptions::Column::RewardId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(redemptions::Column::UserId.eq(user_id))
        .filter(redemptions::Column::RewardId.is_in(reward_ids.to_vec()))
        .filter(redemptions::Column::Status.is_not_in([
            RedemptionStatus::Rejected.as_str(),
            RedemptionStatus::Cancelled.as_str(),
        ]))
        .group_by(redemptions::Column::RewardId)
        .into_model::<HeldRow>()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.reward_id, r.n))
        .collect())
}

pub async fn catalogue(
    conn: &impl ConnectionTrait,
    viewer: Option<&users::Model>,
    query: &CatalogueQuery,
) -> Result<CataloguePage, ApiError> {
    let now = super::now();
    let mut q = catalogue_base(now);
    if let Some(cat) = &query.category {
        q = q.filter(rewards::Column::Category.eq(cat.as_str()));
    }
    if let Some(text) = &query.q {
        q = q.filter(rewards::Column::SearchText.contains(normalize_arabic(text).as_str()));
    }
    if query.affordable {
        let Some(user) = viewer else {
            return Err(ApiError::message(
                ErrorCode::Unauthorized,
                "سجّل الدخول لعرض المكافآت التي يكفيها رصيدك.",
            ));
        };
        q = q.filter(rewards::Column::Cost.lte(user.points_balance));
    }
    if let Some((cost, id)) = query.cursor {
        q = q.filter(
            Condition::any().add(rewards::Column::Cost.gt(cost)).add(
                Condition::all()
                    .add(rewards::Column::Cost.eq(cost))
                    .add(rewards::Column::Id.gt(id)),
            ),
        );
    }
    let rows = q
        .order_by_asc(rewards::Column::Cost)
        .order_by_asc(rewards::Column::Id)
        .limit(query.limit + 1)
        .all(conn)
        .await?;
    let has_more = rows.len() as u64 > query.limit;
    let rows: Vec<_> = rows.into_iter().take(query.limit as usize).collect();
    let next_cursor = if has_more {
        rows.last().map(|r| format!("{}:{}", r.cost, r.id))
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let held = match viewer {
        Some(u) => held_by_user(conn, u.id, &ids).await?,
        None => HashMap::new(),
    };
    let items = rows
        .iter()
        .map(|r| catalogue_item(r, viewer, held.get(&r.id).copied().unwrap_or(0)))
        .collect();
    let mut categories: Vec<String> = catalogue_base(now)
        .select_only()
        .column(rewards::Column::Category)
        .distinct()
        .filter(rewards::Column::Category.is_not_null())
        .into_tuple::<Option<String>>()
        .all(conn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    categories.sort();
    Ok(CataloguePage {
        items,
        next_cursor,
        points_balance: viewer.map(|u| u.points_balance),
        categories,
    })
}

fn catalogue_item(r: &rewards::Model, viewer: Option<&users::Model>, held: i64) -> CatalogueItem {
    let in_stock = r.stock.is_none_or(|s| s > 0);
    let limit = r.per_user_limit.map(i64::from);
    let mut item = CatalogueItem {
        id: r.id,
        name: r.name.clone(),
        name_en: r.name_en.clone(),
        description: r.description.clone(),
        image_url: r.image_url.clone(),
        icon: r.icon.clone(),
        category: r.category.clone(),
        cost: r.cost,
        stock: r.stock,
        in_stock,
        per_user_limit: limit,
        available_until: r.available_until,
        affordable: None,
        points_needed: None,
        my_redemptions: None,
        remaining_allowance: None,
        can_redeem: None,
        blocked_reason: None,
    };
    if let Some(u) = viewer {
        let affordable = u.points_balance >= r.cost;
        let remaining = limit.map(|l| (l - held).max(0));
        let blocked = if !in_stock {
            Some("نفدت الكمية")
        } else if remaining == Some(0) {
            Some("بلغت الحد المسموح لهذه المكافأة")
        } else if !affordable {
            Some("رصيدك لا يكفي")
        } else {
            None
        };
        item.affordable = Some(affordable);
        item.points_needed = Some((r.cost - u.points_balance).max(0));
        item.my_redemptions = Some(held);
        item.remaining_allowance = remaining;
        item.can_redeem = Some(blocked.is_none());
        item.blocked_reason = blocked.map(str::to_owned);
    }
    item
}
