//! Redemptions (docs/ARCHITECTURE.md §3, invariant 6): the debit and the stock hold happen at
//! request time, in one transaction; rejection or cancellation refunds the points and restores
//! the stock exactly once.
//!
//! Concurrency, and why each rule holds:
//! - Overspending: the debit is the ledger's conditional `UPDATE … WHERE balance >= cost`.
//! - Stock: `UPDATE rewards SET stock = stock - 1 WHERE id = ? AND (stock IS NULL OR stock > 0)`
//!   — `NULL - 1` stays `NULL`, so unlimited rewards pass through the same statement, and zero
//!   rows updated means sold out. The row lock it takes serialises holds on one reward.
//! - Per-user limit: a redemption first takes the lock on the user's own row (a no-op update
//!   that also re-checks the account is active) and only then counts the user's redemptions.
//!   Two requests of one user therefore queue on that row, and under READ COMMITTED the second
//!   one's count (a new statement, a new snapshot) sees the first one's committed row. SQLite
//!   has a single writer, so the same order holds trivially.
//! - Exactly-once refunds: the status change is a conditional `UPDATE … WHERE status =
//!   'pending'` in the same transaction as the refund; the loser of a race updates zero rows
//!   and gets 409. The refund's `award_key` (`redemption:{id}:refund`) is unique as well.
//! - Deadlocks: every path locks user rows before reward rows (redeem: user → reward; reject
//!   and cancel: redemption → user → reward).

use std::collections::HashMap;

use domain::points::LedgerKind;
use domain::rewards::{RedeemResponse, Redemption, RedemptionPage, RedemptionStatus, RewardState};
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::entities::{reward_redemptions as redemptions, rewards, users};
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::{audit, ledger, notify};

/// Locks the user's row for the rest of the transaction and checks the account is active.
pub async fn lock_active_user(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    let res = users::Entity::update_many()
        .col_expr(
            users::Column::PointsBalance,
            Expr::col(users::Column::PointsBalance),
        )
        .filter(users::Column::Id.eq(user_id))
        .filter(users::Column::Status.eq("active"))
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ApiError::Code(ErrorCode::AccountSuspended));
    }
    Ok(())
}

fn unavailable(state: RewardState) -> ApiError {
    let message = match state {
        RewardState::Retired => "هذه المكافأة مؤرشفة ولم تعد متاحة للاستبدال.",
        RewardState::Inactive => "هذه المكافأة موقوفة حاليًا.",
        RewardState::Scheduled => "لم تبدأ إتاحة هذه المكافأة بعد.",
        RewardState::Expired => "انتهت مدة إتاحة هذه المكافأة.",
        RewardState::OutOfStock => return ApiError::Code(ErrorCode::OutOfStock),
        RewardState::Available => return ApiError::Code(ErrorCode::RewardUnavailable),
    };
    ApiError::message(ErrorCode::RewardUnavailable, message)
}

/// Redemptions of one reward by one user that count toward its per-user limit.
pub async fn held(
    conn: &impl ConnectionTrait,
    reward_id: i64,
    user_id: i64,
) -> Result<i64, ApiError> {
    let n = redemptions::Entity::find()
        .filter(redemptions::Column::RewardId.eq(reward_id))
        .filter(redemptions::Column::UserId.eq(user_id))
        .filter(redemptions::Column::Status.is_not_in([
            RedemptionStatus::Rejected.as_str(),
            RedemptionStatus::Cancelled.as_str(),
        ]))
        .count(conn)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Redeems one reward for `user_id` inside the caller's transaction.
pub async fn redeem(
    conn: &impl ConnectionTrait,
    user_id: i64,
    reward_id: i64,
    note: Option<String>,
    idempotency_key: Option<String>,
) -> Result<RedeemResponse, ApiError> {
    lock_active_user(conn, user_id).await?;
    // The fraud rules count this user's redemptions after the lock, so a burst in parallel
    // is counted in full.
    let settings = super::risk::RiskSettings::load(conn).await?;
    let risk = super::risk::check_redemption(conn, &settings, user_id).await?;
    let reward = super::rewards::get(conn, reward_id).await?;
    let now = super::now();
    let state = super::rewards::state_of(&reward, now);
    if state != RewardState::Available {
        return Err(unavailable(state));
    }
    if let Some(limit) = reward.per_user_limit {
        if held(conn, reward_id, user_id).await? >= i64::from(limit) {
            return Err(ApiError::message(
                ErrorCode::LimitReached,
                format!("بلغت الحد المسموح لهذه المكافأة ({limit} لكل مستخدم)."),
            ));
        }
    }
    // The stock hold (see the module comment); the availability conditions are repeated so an
    // admin retiring the reward meanwhile cannot be overtaken.
    let hold = rewards::Entity::update_many()
        .col_expr(
            rewards::Column::Stock,
            Expr::col(rewards::Column::Stock).sub(1),
        )
        .filter(rewards::Column::Id.eq(reward_id))
        .filter(rewards::Column::Active.eq(true))
        .filter(rewards::Column::RetiredAt.is_null())
        .filter(
            Condition::any()
                .add(rewards::Column::Stock.is_null())
                .add(rewards::Column::Stock.gt(0)),
        )
        .exec(conn)
        .await?;
    if hold.rows_affected == 0 {
        let now_state = super::rewards::state_of(&super::rewards::get(conn, reward_id).await?, now);
        return Err(match now_state {
            RewardState::Available | RewardState::OutOfStock => {
                ApiError::Code(ErrorCode::OutOfStock)
            }
            other => unavailable(other),
        });
    }
    let row = redemptions::ActiveModel {
        reward_id: Set(reward_id),
        user_id: Set(user_id),
        cost: Set(reward.cost),
        status: Set(RedemptionStatus::Pending.as_str().to_owned()),
        user_note: Set(note),
        created_at: Set(now),
        updated_at: Set(now),
        risk_reason: Set(risk.as_ref().map(|(_, reason)| reason.clone())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if let Some((rule, reason)) = &risk {
        let username = users::Entity::find_by_id(user_id)
            .select_only()
            .column(users::Column::Username)
            .into_tuple::<String>()
            .one(conn)
            .await?
            .unwrap_or_default();
        super::risk::alert_redemption(conn, row.id, (user_id, &username), *rule, reason).await?;
    }
    let debit = ledger::apply(
        conn,
        ledger::Movement::new(user_id, -reward.cost, LedgerKind::Redemption)
            .reason(format!("استبدال «{}»", reward.name))
            .reference("redemption", row.id)
            .actor(user_id)
            .idempotency_key(idempotency_key),
    )
    .await?;
    notify::user(
        conn,
        user_id,
        "redemption_created",
        "استلمنا طلب الاستبدال",
        &format!(
            "طلبك لاستبدال «{}» مقابل {} كربتو قيد المراجعة.",
            reward.name, reward.cost
        ),
        json!({"redemption_id": row.id, "reward_id": reward_id, "cost": reward.cost}),
    )
    .await?;
    let mut dtos = to_dtos(conn, vec![row], false).await?;
    let redemption = dtos
        .pop()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("redemption row vanished")))?;
    Ok(RedeemResponse {
        redemption,
        points_balance: debit.balance_after,
    })
}

/// An admin decision on a redemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Fulfill,
}

impl Decision {
    fn transition(self) -> (RedemptionStatus, RedemptionStatus) {
        match self {
            Self::Approve => (RedemptionStatus::Pending, RedemptionStatus::Approved),
            Self::Reject => (RedemptionStatus::Pending, RedemptionStatus::Rejected),
            Self::Fulfill => (RedemptionStatus::Approved, RedemptionStatus::Fulfilled),
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Approve => "redemption.approve",
            Self::Reject => "redemption.reject",
            Self::Fulfill => "redemption.fulfill",
        }
    }

    fn verb_ar(self) -> &'static str {
        match self {
            Self::Approve => "الموافقة على",
            Self::Reject => "رفض",
            Self::Fulfill => "تسليم",
        }
    }
}

/// After a conditional update matched nothing: 404 if the row is not there (or not the
/// caller's), otherwise 409 naming its current status.
async fn explain_no_transition(
    conn: &impl ConnectionTrait,
    id: i64,
    owner: Option<i64>,
    verb: &str,
) -> ApiError {
    let mut q = redemptions::Entity::find_by_id(id);
    if let Some(user_id) = owner {
        q = q.filter(redemptions::Column::UserId.eq(user_id));
    }
    match q.one(conn).await {
        Ok(Some(r)) => {
            let label = RedemptionStatus::parse(&r.status).map_or("", |s| s.label_ar());
            ApiError::message(
                ErrorCode::InvalidTransition,
                format!("لا يمكن {verb} هذا الطلب لأن حالته «{label}»."),
            )
        }
        Ok(None) => ApiError::not_found(),
        Err(e) => e.into(),
    }
}

/// Returns the points and the stock of a pending redemption that was just rejected/cancelled.
async fn refund(
    conn: &impl ConnectionTrait,
    r: &redemptions::Model,
    actor: i64,
    reward_name: &str,
) -> Result<i64, ApiError> {
    let credit = ledger::apply(
        conn,
        ledger::Movement::new(r.user_id, r.cost, LedgerKind::RedemptionRefund)
            .reason(format!("استرداد استبدال «{reward_name}»"))
            .reference("redemption", r.id)
            .actor(actor)
            .award_key(format!("redemption:{}:refund", r.id)),
    )
    .await?;
    // NULL + 1 stays NULL: unlimited stock needs no special case.
    rewards::Entity::update_many()
        .col_expr(
            rewards::Column::Stock,
            Expr::col(rewards::Column::Stock).add(1),
        )
        .filter(rewards::Column::Id.eq(r.reward_id))
        .filter(rewards::Column::Stock.is_not_null())
        .exec(conn)
        .await?;
    Ok(credit.balance_after)
}

fn clean_note(note: Option<&str>) -> Option<String> {
    domain::rewards::clean_optional(note)
}

/// Approve (pending → approved), reject (pending → rejected, refunded) or fulfil
/// (approved → fulfilled), inside the caller's transaction.
pub async fn decide(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    ip: &str,
    id: i64,
    decision: Decision,
    note: Option<&str>,
    bulk: bool,
) -> Result<Redemption, ApiError> {
    let now = super::now();
    let note = clean_note(note);
    let (from, to) = decision.transition();
    let mut update = redemptions::Entity::update_many()
        .col_expr(redemptions::Column::Status, Expr::value(to.as_str()))
        .col_expr(redemptions::Column::UpdatedAt, Expr::value(now))
        .filter(redemptions::Column::Id.eq(id))
        .filter(redemptions::Column::Status.eq(from.as_str()));
    match decision {
        Decision::Approve | Decision::Reject => {
            update = update
                .col_expr(redemptions::Column::DecidedBy, Expr::value(admin_id))
                .col_expr(redemptions::Column::DecidedAt, Expr::value(now))
                .col_expr(redemptions::Column::AdminNote, Expr::value(note.clone()));
        }
        Decision::Fulfill => {
            update = update.col_expr(redemptions::Column::FulfilledAt, Expr::value(now));
            if note.is_some() {
                update = update.col_expr(redemptions::Column::AdminNote, Expr::value(note.clone()));
            }
        }
    }
    let Some(row) = update.exec_with_returning(conn).await?.into_iter().next() else {
        return Err(explain_no_transition(conn, id, None, decision.verb_ar()).await);
    };
    let reward_name = rewards::Entity::find_by_id(row.reward_id)
        .one(conn)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let note_line = note
        .as_deref()
        .map(|n| format!(" ملاحظة الإدارة: {n}"))
        .unwrap_or_default();
    let (kind, title, body) = match decision {
        Decision::Approve => (
            "redemption_approved",
            "تمت الموافقة على طلبك",
            format!("وافقت الإدارة على استبدال «{reward_name}».{note_line}"),
        ),
        Decision::Reject => {
            refund(conn, &row, admin_id, &reward_name).await?;
            (
                "redemption_rejected",
                "رُفض طلب الاستبدال",
                format!(
                    "رُفض طلب استبدال «{reward_name}» وأُعيدت {} كربتو إلى رصيدك.{note_line}",
                    row.cost
                ),
            )
        }
        Decision::Fulfill => (
            "redemption_fulfilled",
            "سُلّمت مكافأتك",
            format!("سُلّمت مكافأة «{reward_name}». نتمنى أن تعجبك!{note_line}"),
        ),
    };
    notify::user(
        conn,
        row.user_id,
        kind,
        title,
        &body,
        json!({"redemption_id": row.id, "reward_id": row.reward_id, "status": to.as_str(), "note": note}),
    )
    .await?;
    audit::Entry::by_user(admin_id, decision.action())
        .target("redemption", id)
        .ip(ip)
        .details(json!({"from": from.as_str(), "to": to.as_str(), "note": note, "user_id": row.user_id, "cost": row.cost, "bulk": bulk}))
        .write(conn)
        .await?;
    let mut dtos = to_dtos(conn, vec![row], true).await?;
    dtos.pop()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("redemption row vanished")))
}

/// The owner cancels a pending redemption: refunded, stock restored.
pub async fn cancel(
    conn: &impl ConnectionTrait,
    user_id: i64,
    ip: &str,
    id: i64,
) -> Result<Redemption, ApiError> {
    let now = super::now();
    let Some(row) = redemptions::Entity::update_many()
        .col_expr(
            redemptions::Column::Status,
            Expr::value(RedemptionStatus::Cancelled.as_str()),
        )
        .col_expr(redemptions::Column::CancelledAt, Expr::value(now))
        .col_expr(redemptions::Column::UpdatedAt, Expr::value(now))
        .filter(redemptions::Column::Id.eq(id))
        .filter(redemptions::Column::UserId.eq(user_id))
        .filter(redemptions::Column::Status.eq(RedemptionStatus::Pending.as_str()))
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .next()
    else {
        return Err(explain_no_transition(conn, id, Some(user_id), "إلغاء").await);
    };
    let reward_name = rewards::Entity::find_by_id(row.reward_id)
        .one(conn)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    refund(conn, &row, user_id, &reward_name).await?;
    notify::user(
        conn,
        user_id,
        "redemption_cancelled",
        "أُلغي طلب الاستبدال",
        &format!(
            "ألغيت طلب استبدال «{reward_name}» وأُعيدت {} كربتو إلى رصيدك.",
            row.cost
        ),
        json!({"redemption_id": row.id, "reward_id": row.reward_id, "status": "cancelled"}),
    )
    .await?;
    audit::Entry::by_user(user_id, "redemption.cancel")
        .target("redemption", id)
        .ip(ip)
        .details(json!({"cost": row.cost}))
        .write(conn)
        .await?;
    let mut dtos = to_dtos(conn, vec![row], false).await?;
    dtos.pop()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("redemption row vanished")))
}

/// List filters (the user's own list sets `user_id`).
#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<RedemptionStatus>,
    pub reward_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Only those a fraud rule flagged.
    pub flagged: bool,
    /// Oldest first (the admin queue); newest first otherwise.
    pub oldest_first: bool,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &Filter,
    cursor: Option<i64>,
    limit: u64,
    admin_view: bool,
) -> Result<RedemptionPage, ApiError> {
    let mut q = redemptions::Entity::find();
    if let Some(s) = filter.status {
        q = q.filter(redemptions::Column::Status.eq(s.as_str()));
    }
    if let Some(r) = filter.reward_id {
        q = q.filter(redemptions::Column::RewardId.eq(r));
    }
    if let Some(u) = filter.user_id {
        q = q.filter(redemptions::Column::UserId.eq(u));
    }
    if filter.flagged {
        q = q.filter(redemptions::Column::RiskReason.is_not_null());
    }
    if filter.oldest_first {
        if let Some(c) = cursor {
            q = q.filter(redemptions::Column::Id.gt(c));
        }
        q = q.order_by_asc(redemptions::Column::Id);
    } else {
        if let Some(c) = cursor {
            q = q.filter(redemptions::Column::Id.lt(c));
        }
        q = q.order_by_desc(redemptions::Column::Id);
    }
    let rows = q.limit(limit + 1).all(conn).await?;
    let (rows, next_cursor) = split_page(rows, limit, |r| r.id);
    Ok(RedemptionPage {
        items: to_dtos(conn, rows, admin_view).await?,
        next_cursor,
    })
}

/// Rows → DTOs with reward and user names resolved in two queries.
pub async fn to_dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<redemptions::Model>,
    admin_view: bool,
) -> Result<Vec<Redemption>, ApiError> {
    let reward_ids: Vec<i64> = rows.iter().map(|r| r.reward_id).collect();
    let mut user_ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    user_ids.extend(rows.iter().filter_map(|r| r.decided_by));
    let rewards_by_id: HashMap<i64, rewards::Model> = if reward_ids.is_empty() {
        HashMap::new()
    } else {
        rewards::Entity::find()
            .filter(rewards::Column::Id.is_in(reward_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
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
            let reward = rewards_by_id.get(&r.reward_id);
            let owner = users_by_id.get(&r.user_id);
            let status = RedemptionStatus::parse(&r.status).unwrap_or(RedemptionStatus::Pending);
            let mut dto = Redemption {
                id: r.id,
                reward_id: r.reward_id,
                reward_name: reward.map(|x| x.name.clone()).unwrap_or_default(),
                reward_icon: reward.and_then(|x| x.icon.clone()),
                reward_image_url: reward.and_then(|x| x.image_url.clone()),
                user_id: r.user_id,
                username: owner.map(|u| u.username.clone()).unwrap_or_default(),
                display_name: owner.map(|u| u.display_name.clone()).unwrap_or_default(),
                cost: r.cost,
                status,
                status_label: status.label_ar().to_owned(),
                user_note: r.user_note,
                admin_note: r.admin_note,
                decided_by_username: if admin_view {
                    r.decided_by
                        .and_then(|id| users_by_id.get(&id))
                        .map(|u| u.username.clone())
                } else {
                    None
                },
                created_at: r.created_at,
                decided_at: r.decided_at,
                fulfilled_at: r.fulfilled_at,
                cancelled_at: r.cancelled_at,
                updated_at: r.updated_at,
                timeline: Vec::new(),
                can_cancel: status == RedemptionStatus::Pending,
                risk_reason: if admin_view { r.risk_reason } else { None },
            };
            dto.build_timeline();
            dto
        })
        .collect())
}
