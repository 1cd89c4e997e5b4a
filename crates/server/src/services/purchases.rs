//! Purchases with manual payment: the user requests a package and gets a reference to quote with
//! the payment; an admin records the payment, which credits the points exactly once — a
//! conditional `requested → paid` update in the same transaction as a ledger credit whose
//! `award_key` (`purchase:{id}`) is unique.

use std::collections::HashMap;

use domain::packages::{
    format_money, format_price, Purchase, PurchaseCreated, PurchasePage, PurchasePaid,
    PurchaseStatus, RecordPurchaseRequest,
};
use domain::points::LedgerKind;
use domain::settings as defs;
use domain::text::ltr;
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::entities::{points_packages as packages, purchase_records as purchases, users};
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::notify::Severity;
use crate::services::{audit, ledger, notify, system_settings};

/// Look-alike characters (0/O, 1/I/L) are left out: people read references out over the phone
/// and type them into bank transfer notes.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// `MQ-` and six characters: 31⁶ ≈ 887 million references.
pub fn new_reference() -> String {
    let tail: String = (0..6)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("MQ-{tail}")
}

/// A reference no purchase uses yet (the unique index is the final guard).
async fn fresh_reference(conn: &impl ConnectionTrait) -> Result<String, ApiError> {
    for _ in 0..8 {
        let candidate = new_reference();
        let taken = purchases::Entity::find()
            .filter(purchases::Column::Reference.eq(candidate.as_str()))
            .one(conn)
            .await?
            .is_some();
        if !taken {
            return Ok(candidate);
        }
    }
    Err(ApiError::Unexpected(anyhow::anyhow!(
        "could not find a free purchase reference"
    )))
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<purchases::Model, ApiError> {
    purchases::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Payment instructions and the admin contact, from the system settings.
pub async fn instructions(conn: &impl ConnectionTrait) -> Result<(String, String), ApiError> {
    Ok((
        system_settings::get_string(conn, system_settings::PAYMENT_INSTRUCTIONS).await?,
        system_settings::get_string(conn, system_settings::ADMIN_CONTACT).await?,
    ))
}

async fn one_dto(
    conn: &impl ConnectionTrait,
    row: purchases::Model,
    admin_view: bool,
) -> Result<Purchase, ApiError> {
    to_dtos(conn, vec![row], admin_view)
        .await?
        .pop()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("purchase row vanished")))
}

/// How long the daily request limit looks back.
const REQUEST_WINDOW_HOURS: i64 = 24;

/// The two limits on asking (issue 11, finding 10), checked after the user's row is locked so
/// concurrent requests by one person queue and each sees the ones before it: at most
/// `purchase_open_limit` requests waiting for payment (409 `limit_reached`), and at most
/// `purchase_daily_limit` requests in 24 hours whatever became of them (429 `rate_limited`
/// with `Retry-After` until the oldest counted one leaves the window). Both are settings; the
/// daily one is counted from `purchase_records`, so it is exact across replicas.
async fn check_request_limits(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    super::redemptions::lock_active_user(conn, user_id).await?;
    let limits = system_settings::get_i64_many(
        conn,
        &[defs::PURCHASE_OPEN_LIMIT, defs::PURCHASE_DAILY_LIMIT],
    )
    .await?;
    let (open_limit, daily_limit) = (limits[0], limits[1]);
    let open = purchases::Entity::find()
        .filter(purchases::Column::UserId.eq(user_id))
        .filter(purchases::Column::Status.eq(PurchaseStatus::Requested.as_str()))
        .count(conn)
        .await?;
    if open as i64 >= open_limit {
        return Err(ApiError::message(
            ErrorCode::LimitReached,
            format!(
                "بلغت الحد المسموح من طلبات الشراء بانتظار الدفع ({open})؛ ادفع أحدها أو انتظر مراجعة الإدارة قبل طلب باقة أخرى."
            ),
        ));
    }
    let now = super::now();
    let since = now - chrono::Duration::hours(REQUEST_WINDOW_HOURS);
    let recent: Vec<chrono::DateTime<chrono::Utc>> = purchases::Entity::find()
        .select_only()
        .column(purchases::Column::CreatedAt)
        .filter(purchases::Column::UserId.eq(user_id))
        // Requests only: a payment an admin recorded directly is paid the moment it is created.
        .filter(
            Condition::any()
                .add(purchases::Column::PaidAt.is_null())
                .add(
                    Expr::col(purchases::Column::PaidAt)
                        .gt(Expr::col(purchases::Column::CreatedAt)),
                ),
        )
        .filter(purchases::Column::CreatedAt.gt(since))
        .order_by_desc(purchases::Column::CreatedAt)
        .limit(u64::try_from(daily_limit).unwrap_or(u64::MAX))
        .into_tuple()
        .all(conn)
        .await?;
    if recent.len() as i64 >= daily_limit {
        // The oldest of the last `daily_limit` requests frees a place when it turns 24 hours old.
        let oldest = recent.last().copied().unwrap_or(now);
        let left = (oldest + chrono::Duration::hours(REQUEST_WINDOW_HOURS) - now).num_seconds();
        let retry_after = std::cmp::max(left, 1);
        return Err(ApiError::LimitedWith {
            code: ErrorCode::RateLimited,
            message: format!(
                "بلغت الحد اليومي لطلبات الشراء ({daily_limit} خلال 24 ساعة)؛ يمكنك الطلب مجددًا بعد نحو {} ساعة.",
                (retry_after + 3599) / 3600
            ),
            retry_after: u64::try_from(retry_after).unwrap_or(1),
        });
    }
    Ok(())
}

/// A user asks to buy a package.
pub async fn request(
    conn: &impl ConnectionTrait,
    user_id: i64,
    username: &str,
    package_id: i64,
) -> Result<PurchaseCreated, ApiError> {
    let package = packages::Entity::find_by_id(package_id)
        .one(conn)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "package_id",
                "الباقة غير موجودة أو غير متاحة للشراء.",
            )
        })?;
    check_request_limits(conn, user_id).await?;
    let reference = fresh_reference(conn).await?;
    let now = super::now();
    let row = purchases::ActiveModel {
        reference: Set(reference.clone()),
        user_id: Set(user_id),
        package_id: Set(Some(package.id)),
        points: Set(package.points),
        bonus_points: Set(package.bonus_points),
        price_minor: Set(package.price_minor),
        currency: Set(package.currency.clone()),
        status: Set(PurchaseStatus::Requested.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let (payment_instructions, admin_contact) = instructions(conn).await?;
    let price = format_money(package.price_minor, &package.currency);
    let quoted = ltr(&reference);
    notify::user(
        conn,
        user_id,
        "purchase_requested",
        "استلمنا طلب الشراء",
        &format!(
            "طلبت «{}» بسعر {price}. رقم الطلب {quoted}: اذكره مع الدفع، وستُضاف النقاط بعد تأكيد الإدارة.",
            package.name
        ),
        json!({"purchase_id": row.id, "reference": reference}),
    )
    .await?;
    notify::admins(
        conn,
        "purchase_requested",
        Severity::Info,
        "طلب شراء جديد",
        &format!(
            "طلب {username} «{}» ({} كربتو) بسعر {price}، رقم الطلب {quoted}.",
            package.name,
            package.points + package.bonus_points
        ),
        json!({"purchase_id": row.id, "reference": reference, "user_id": user_id}),
    )
    .await?;
    Ok(PurchaseCreated {
        purchase: one_dto(conn, row, false).await?,
        reference,
        payment_instructions,
        admin_contact,
    })
}

async fn explain_no_transition(conn: &impl ConnectionTrait, id: i64, verb: &str) -> ApiError {
    match purchases::Entity::find_by_id(id).one(conn).await {
        Ok(Some(p)) => {
            let label = PurchaseStatus::parse(&p.status).map_or("", |s| s.label_ar());
            ApiError::message(
                ErrorCode::InvalidTransition,
                format!("لا يمكن {verb} هذا الطلب لأن حالته «{label}»."),
            )
        }
        Ok(None) => ApiError::not_found(),
        Err(e) => e.into(),
    }
}

fn package_label(name: Option<&str>) -> String {
    name.map_or_else(|| "نقاط".to_owned(), |n| format!("«{n}»"))
}

/// Credits a paid purchase (once: the award key is unique) and tells the buyer.
async fn credit(
    conn: &impl ConnectionTrait,
    row: &purchases::Model,
    admin_id: i64,
    idempotency_key: Option<String>,
) -> Result<i64, ApiError> {
    let package_name = match row.package_id {
        Some(id) => packages::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|p| p.name),
        None => None,
    };
    let total = row.points + row.bonus_points;
    let entry = ledger::apply(
        conn,
        ledger::Movement::new(row.user_id, total, LedgerKind::Purchase)
            .reason(format!(
                "شراء {} — {}",
                package_label(package_name.as_deref()),
                ltr(&row.reference)
            ))
            .reference("purchase", row.id)
            .actor(admin_id)
            .idempotency_key(idempotency_key)
            .award_key(format!("purchase:{}", row.id)),
    )
    .await?;
    notify::user(
        conn,
        row.user_id,
        "purchase_paid",
        "أُضيفت نقاط الشراء",
        &format!(
            "تأكدنا من دفعك للطلب {} وأضفنا {total} كربتو إلى رصيدك.",
            ltr(&row.reference)
        ),
        json!({"purchase_id": row.id, "reference": row.reference, "points": total}),
    )
    .await?;
    Ok(entry.balance_after)
}

/// An admin confirms the payment of a requested purchase.
pub async fn mark_paid(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    payment_reference: &str,
    idempotency_key: Option<String>,
) -> Result<PurchasePaid, ApiError> {
    let now = super::now();
    let payment_reference = payment_reference.trim().to_owned();
    let Some(row) = purchases::Entity::update_many()
        .col_expr(
            purchases::Column::Status,
            Expr::value(PurchaseStatus::Paid.as_str()),
        )
        .col_expr(
            purchases::Column::PaymentReference,
            Expr::value(payment_reference.clone()),
        )
        .col_expr(purchases::Column::RecordedBy, Expr::value(admin_id))
        .col_expr(purchases::Column::PaidAt, Expr::value(now))
        .col_expr(purchases::Column::UpdatedAt, Expr::value(now))
        .filter(purchases::Column::Id.eq(id))
        .filter(purchases::Column::Status.eq(PurchaseStatus::Requested.as_str()))
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .next()
    else {
        return Err(explain_no_transition(conn, id, "تأكيد دفع").await);
    };
    let points_balance = credit(conn, &row, admin_id, idempotency_key).await?;
    audit::Entry::by_user(admin_id, "purchase.mark_paid")
        .target("purchase", id)
        .ip(ip)
        .details(json!({"reference": row.reference, "payment_reference": payment_reference, "user_id": row.user_id, "points": row.points + row.bonus_points}))
        .write(conn)
        .await?;
    Ok(PurchasePaid {
        purchase: one_dto(conn, row, true).await?,
        points_balance,
    })
}

/// The owner withdraws a request still waiting for payment (no points were credited, so
/// nothing to undo). Someone else's purchase is 404, as if it did not exist; a paid or already
/// cancelled one is 409 `invalid_transition` with its state named.
pub async fn cancel_own(
    conn: &impl ConnectionTrait,
    user_id: i64,
    ip: &str,
    id: i64,
) -> Result<Purchase, ApiError> {
    let owned = purchases::Entity::find_by_id(id)
        .filter(purchases::Column::UserId.eq(user_id))
        .one(conn)
        .await?;
    if owned.is_none() {
        return Err(ApiError::not_found());
    }
    let now = super::now();
    let Some(row) = purchases::Entity::update_many()
        .col_expr(
            purchases::Column::Status,
            Expr::value(PurchaseStatus::Cancelled.as_str()),
        )
        .col_expr(purchases::Column::CancelledAt, Expr::value(now))
        .col_expr(purchases::Column::UpdatedAt, Expr::value(now))
        .filter(purchases::Column::Id.eq(id))
        .filter(purchases::Column::UserId.eq(user_id))
        .filter(purchases::Column::Status.eq(PurchaseStatus::Requested.as_str()))
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .next()
    else {
        return Err(explain_no_transition(conn, id, "إلغاء").await);
    };
    audit::Entry::by_user(user_id, "purchase.cancel_by_owner")
        .target("purchase", id)
        .ip(ip)
        .details(json!({"reference": row.reference, "from": "requested", "to": "cancelled"}))
        .write(conn)
        .await?;
    one_dto(conn, row, false).await
}

/// An admin cancels a requested purchase (no points were credited, so nothing to undo).
pub async fn cancel(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    note: Option<String>,
) -> Result<Purchase, ApiError> {
    let now = super::now();
    let mut update = purchases::Entity::update_many()
        .col_expr(
            purchases::Column::Status,
            Expr::value(PurchaseStatus::Cancelled.as_str()),
        )
        .col_expr(purchases::Column::CancelledAt, Expr::value(now))
        .col_expr(purchases::Column::UpdatedAt, Expr::value(now))
        .col_expr(purchases::Column::RecordedBy, Expr::value(admin_id))
        .filter(purchases::Column::Id.eq(id))
        .filter(purchases::Column::Status.eq(PurchaseStatus::Requested.as_str()));
    if note.is_some() {
        update = update.col_expr(purchases::Column::Note, Expr::value(note.clone()));
    }
    let Some(row) = update.exec_with_returning(conn).await?.into_iter().next() else {
        return Err(explain_no_transition(conn, id, "إلغاء").await);
    };
    let reason = note
        .as_deref()
        .map(|n| format!(" السبب: {n}"))
        .unwrap_or_default();
    notify::user(
        conn,
        row.user_id,
        "purchase_cancelled",
        "أُلغي طلب الشراء",
        &format!("ألغت الإدارة طلب الشراء {}.{reason}", ltr(&row.reference)),
        json!({"purchase_id": row.id, "reference": row.reference, "note": note}),
    )
    .await?;
    audit::Entry::by_user(admin_id, "purchase.cancel")
        .target("purchase", id)
        .ip(ip)
        .details(json!({"reference": row.reference, "note": note, "user_id": row.user_id}))
        .write(conn)
        .await?;
    one_dto(conn, row, true).await
}

/// An admin records a payment received directly: created as paid and credited at once.
pub async fn record(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    req: &RecordPurchaseRequest,
    idempotency_key: Option<String>,
) -> Result<PurchasePaid, ApiError> {
    users::Entity::find_by_id(req.user_id)
        .one(conn)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "user_id",
                "لا يوجد مستخدم بهذا المعرّف.",
            )
        })?;
    let (package_id, points, bonus, price, currency) = match req.package_id {
        Some(id) => {
            let p = packages::Entity::find_by_id(id)
                .one(conn)
                .await?
                .ok_or_else(|| {
                    ApiError::field(
                        ErrorCode::ValidationFailed,
                        "package_id",
                        "الباقة غير موجودة.",
                    )
                })?;
            (
                Some(p.id),
                p.points,
                p.bonus_points,
                p.price_minor,
                p.currency,
            )
        }
        None => (
            None,
            req.points.unwrap_or(0),
            req.bonus_points.unwrap_or(0),
            req.price_minor.unwrap_or(0),
            req.currency
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_ascii_uppercase(),
        ),
    };
    let now = super::now();
    let payment_reference = req.payment_reference.trim().to_owned();
    let row = purchases::ActiveModel {
        reference: Set(fresh_reference(conn).await?),
        user_id: Set(req.user_id),
        package_id: Set(package_id),
        points: Set(points),
        bonus_points: Set(bonus),
        price_minor: Set(price),
        currency: Set(currency),
        status: Set(PurchaseStatus::Paid.as_str().to_owned()),
        payment_reference: Set(Some(payment_reference.clone())),
        recorded_by: Set(Some(admin_id)),
        note: Set(domain::rewards::clean_optional(req.note.as_deref())),
        paid_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let points_balance = credit(conn, &row, admin_id, idempotency_key).await?;
    audit::Entry::by_user(admin_id, "purchase.record")
        .target("purchase", row.id)
        .ip(ip)
        .details(json!({"reference": row.reference, "payment_reference": payment_reference, "user_id": row.user_id, "package_id": package_id, "points": points + bonus, "price_minor": price}))
        .write(conn)
        .await?;
    Ok(PurchasePaid {
        purchase: one_dto(conn, row, true).await?,
        points_balance,
    })
}

#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<PurchaseStatus>,
    pub user_id: Option<i64>,
    pub reference: Option<String>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &Filter,
    cursor: Option<i64>,
    limit: u64,
    admin_view: bool,
) -> Result<PurchasePage, ApiError> {
    let mut q = purchases::Entity::find();
    if let Some(s) = filter.status {
        q = q.filter(purchases::Column::Status.eq(s.as_str()));
    }
    if let Some(u) = filter.user_id {
        q = q.filter(purchases::Column::UserId.eq(u));
    }
    if let Some(r) = &filter.reference {
        q = q.filter(purchases::Column::Reference.eq(r.trim().to_ascii_uppercase()));
    }
    if let Some(c) = cursor {
        q = q.filter(purchases::Column::Id.lt(c));
    }
    let rows = q
        .order_by_desc(purchases::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    Ok(PurchasePage {
        items: to_dtos(conn, rows, admin_view).await?,
        next_cursor,
    })
}

pub async fn to_dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<purchases::Model>,
    admin_view: bool,
) -> Result<Vec<Purchase>, ApiError> {
    let package_ids: Vec<i64> = rows.iter().filter_map(|r| r.package_id).collect();
    let mut user_ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    user_ids.extend(rows.iter().filter_map(|r| r.recorded_by));
    let package_names: HashMap<i64, String> = if package_ids.is_empty() {
        HashMap::new()
    } else {
        packages::Entity::find()
            .filter(packages::Column::Id.is_in(package_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let users_by_id: HashMap<i64, users::Model> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = PurchaseStatus::parse(&r.status).unwrap_or(PurchaseStatus::Requested);
            let owner = users_by_id.get(&r.user_id);
            Purchase {
                id: r.id,
                user_id: r.user_id,
                username: owner.map(|u| u.username.clone()).unwrap_or_default(),
                display_name: owner.map(|u| u.display_name.clone()).unwrap_or_default(),
                package_id: r.package_id,
                package_name: r.package_id.and_then(|id| package_names.get(&id).cloned()),
                points: r.points,
                bonus_points: r.bonus_points,
                total_points: r.points.saturating_add(r.bonus_points),
                price_minor: r.price_minor,
                price_display: format_price(r.price_minor, &r.currency),
                currency: r.currency,
                status,
                status_label: status.label_ar().to_owned(),
                payment_reference: r.payment_reference,
                note: r.note,
                recorded_by_username: if admin_view {
                    r.recorded_by
                        .and_then(|id| users_by_id.get(&id))
                        .map(|u| u.username.clone())
                } else {
                    None
                },
                created_at: r.created_at,
                paid_at: r.paid_at,
                cancelled_at: r.cancelled_at,
                reference: r.reference,
            }
        })
        .collect())
}
