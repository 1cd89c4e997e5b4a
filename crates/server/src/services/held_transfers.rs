//! Transfers held for review (issue 12). Holding debits the sender into the hold at once (a
//! `transfer_hold` ledger row), so the points cannot be spent twice; the recipient is credited
//! only when an admin releases it (`transfer_in`), and a rejection refunds the sender
//! (`transfer_hold_refund`). Each outcome happens exactly once: the status changes by a
//! conditional `UPDATE … WHERE status = 'held'` in the same transaction as the ledger row (the
//! loser of a race between two admins updates nothing and gets 409), and each ledger row has a
//! unique `award_key` (`held_transfer:{id}:hold|release|refund`). `verify-ledger` checks that
//! every held transfer has exactly the rows its status implies.

use domain::points::LedgerKind;
use domain::safety::{HeldTransfer, HeldTransferStatus, RiskRule};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::entities::{held_transfers as held, points_transactions as tx, users};
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::ledger::{self, Movement};
use crate::services::notify::{self, Severity};
use crate::services::risk::{self, Alert, Hold};

/// What the sender asked for.
pub struct Request<'a> {
    pub sender: &'a users::Model,
    pub recipient: (i64, &'a str),
    pub amount: i64,
    pub note: Option<String>,
    pub idempotency_key: Option<String>,
    pub daily_limit: i64,
}

/// Holds a transfer in the caller's transaction: the held row, the sender's debit into the
/// hold (within the daily cap, like any transfer), the admins' alert and the sender's notice.
/// Returns the held row and the debit.
pub async fn hold(
    conn: &impl ConnectionTrait,
    req: Request<'_>,
    why: Hold,
) -> Result<(held::Model, tx::Model), ApiError> {
    let codes: Vec<&str> = why.rules.iter().map(|r| r.as_str()).collect();
    let row = held::ActiveModel {
        sender_id: Set(req.sender.id),
        recipient_id: Set(req.recipient.0),
        amount: Set(req.amount),
        note: Set(req.note.clone()),
        rules: Set(codes.join(",")),
        reason: Set(why.reason.clone()),
        status: Set(HeldTransferStatus::Held.as_str().to_owned()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let mut debit = Movement::new(req.sender.id, -req.amount, LedgerKind::TransferHold)
        .counterparty(req.recipient.0)
        .actor(req.sender.id)
        .reference("held_transfer", row.id)
        .idempotency_key(req.idempotency_key)
        .award_key(format!("held_transfer:{}:hold", row.id))
        .daily_cap(req.daily_limit);
    if let Some(note) = &req.note {
        debit = debit.reason(note.clone());
    }
    let debit = ledger::apply(conn, debit).await?;
    risk::alert(
        conn,
        Alert {
            kind: "transfer_held",
            severity: Severity::Warning,
            title: "تحويل معلّق للمراجعة".to_owned(),
            body: format!(
                "علّقت قواعد الحماية تحويل {} كربتو من {} إلى {}: {}",
                req.amount, req.sender.username, req.recipient.1, why.reason
            ),
            payload: json!({
                "held_transfer_id": row.id,
                "sender_id": req.sender.id,
                "sender": req.sender.username,
                "recipient_id": req.recipient.0,
                "recipient": req.recipient.1,
                "amount": req.amount,
                "rules": codes,
                "details": why.details,
            }),
            subject: Some(("held_transfer", row.id)),
            dedupe_key: None,
        },
    )
    .await?;
    notify::user(
        conn,
        req.sender.id,
        "transfer_held",
        "تحويلك قيد المراجعة",
        &format!(
            "حُجزت {} كربتو من رصيدك لتحويلها إلى {} بعد مراجعة الإدارة؛ إن رُفض التحويل تعود إليك كاملة.",
            req.amount, req.recipient.1
        ),
        json!({"held_transfer_id": row.id, "amount": req.amount, "to": req.recipient.1}),
    )
    .await?;
    Ok((row, debit))
}

/// Releases (`release = true`) or rejects a held transfer, exactly once. A second decision, by
/// anyone, fails with 409 `invalid_transition` naming the outcome.
pub async fn decide(
    conn: &impl ConnectionTrait,
    id: i64,
    admin_id: i64,
    release: bool,
    note: Option<String>,
) -> Result<held::Model, ApiError> {
    let to = if release {
        HeldTransferStatus::Released
    } else {
        HeldTransferStatus::Rejected
    };
    let changed = held::Entity::update_many()
        .col_expr(held::Column::Status, Expr::value(to.as_str()))
        .col_expr(held::Column::DecidedAt, Expr::value(super::now()))
        .col_expr(held::Column::DecidedBy, Expr::value(admin_id))
        .col_expr(held::Column::DecisionNote, Expr::value(note.clone()))
        .filter(held::Column::Id.eq(id))
        .filter(held::Column::Status.eq(HeldTransferStatus::Held.as_str()))
        .exec(conn)
        .await?;
    let row = held::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if changed.rows_affected == 0 {
        let label = HeldTransferStatus::parse(&row.status).map_or("", |s| s.label_ar());
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            format!("سبق البت في هذا التحويل؛ حالته الآن «{label}»."),
        ));
    }
    let names = super::users::usernames(conn, [row.sender_id, row.recipient_id]).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    if release {
        let mut credit = Movement::new(row.recipient_id, row.amount, LedgerKind::TransferIn)
            .counterparty(row.sender_id)
            .actor(admin_id)
            .reference("held_transfer", row.id)
            .award_key(format!("held_transfer:{}:release", row.id));
        if let Some(n) = &row.note {
            credit = credit.reason(n.clone());
        }
        ledger::apply(conn, credit).await?;
        notify::user(
            conn,
            row.recipient_id,
            "points_received",
            "وصلتك نقاط",
            &format!("حوّل إليك {} ‏{} كربتو.", name(row.sender_id), row.amount),
            json!({"from": name(row.sender_id), "amount": row.amount, "note": row.note}),
        )
        .await?;
        notify::user(
            conn,
            row.sender_id,
            "transfer_released",
            "وصل تحويلك",
            &format!(
                "راجعت الإدارة تحويلك ({} كربتو) ووصل إلى {}.",
                row.amount,
                name(row.recipient_id)
            ),
            json!({"held_transfer_id": row.id, "amount": row.amount}),
        )
        .await?;
    } else {
        ledger::apply(
            conn,
            Movement::new(row.sender_id, row.amount, LedgerKind::TransferHoldRefund)
                .counterparty(row.recipient_id)
                .actor(admin_id)
                .reference("held_transfer", row.id)
                .award_key(format!("held_transfer:{}:refund", row.id))
                .reason(
                    note.clone()
                        .unwrap_or_else(|| "رفض التحويل بعد المراجعة".to_owned()),
                ),
        )
        .await?;
        notify::user(
            conn,
            row.sender_id,
            "transfer_rejected",
            "رُفض تحويلك واستُردت نقاطك",
            &format!(
                "لم توافق الإدارة على تحويل {} كربتو إلى {}، وأُعيدت النقاط إلى رصيدك.",
                row.amount,
                name(row.recipient_id)
            ),
            json!({"held_transfer_id": row.id, "amount": row.amount, "note": note}),
        )
        .await?;
    }
    risk::resolve_alerts(conn, "held_transfer", row.id, admin_id).await?;
    Ok(row)
}

/// Rows → DTOs, usernames resolved in one query.
pub async fn to_dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<held::Model>,
) -> Result<Vec<HeldTransfer>, ApiError> {
    let ids = rows.iter().flat_map(|r| {
        [r.sender_id, r.recipient_id]
            .into_iter()
            .chain(r.decided_by)
    });
    let names = super::users::usernames(conn, ids).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|r| {
            let rules: Vec<RiskRule> = r.rules.split(',').filter_map(RiskRule::parse).collect();
            let status = HeldTransferStatus::parse(&r.status).unwrap_or(HeldTransferStatus::Held);
            HeldTransfer {
                id: r.id,
                sender_username: name(r.sender_id),
                sender_id: r.sender_id,
                recipient_username: name(r.recipient_id),
                recipient_id: r.recipient_id,
                amount: r.amount,
                note: r.note,
                rule_labels: rules.iter().map(|r| r.label_ar().to_owned()).collect(),
                rules,
                reason: r.reason,
                status,
                status_label: status.label_ar().to_owned(),
                created_at: r.created_at,
                decided_at: r.decided_at,
                decided_by_username: r.decided_by.map(name),
                decision_note: r.decision_note,
            }
        })
        .collect())
}

/// Filters of the admin queue.
#[derive(Debug, Default, Clone, Copy)]
pub struct Filter {
    pub status: Option<HeldTransferStatus>,
    /// Sent or to be received by this user.
    pub user_id: Option<i64>,
}

/// A page of held transfers, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: Filter,
    cursor: Option<i64>,
    limit: u64,
) -> Result<(Vec<HeldTransfer>, Option<String>), ApiError> {
    let mut q = held::Entity::find();
    if let Some(status) = filter.status {
        q = q.filter(held::Column::Status.eq(status.as_str()));
    }
    if let Some(user) = filter.user_id {
        q = q.filter(
            sea_orm::Condition::any()
                .add(held::Column::SenderId.eq(user))
                .add(held::Column::RecipientId.eq(user)),
        );
    }
    if let Some(c) = cursor {
        q = q.filter(held::Column::Id.lt(c));
    }
    let rows = q
        .order_by_desc(held::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next) = split_page(rows, limit, |r| r.id);
    Ok((to_dtos(conn, rows).await?, next))
}
