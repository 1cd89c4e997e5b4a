//! Manual awards and deductions by an admin (`POST /admin/points/award`,
//! `POST /admin/users/{id}/adjust`): the ledger row, the audit entry and the user's notification
//! in one transaction. Through an API key the amount is first counted against the key's
//! ceilings (`api_key_admin::charge_award`), in the same transaction, so a refused or failed
//! award counts nothing.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use domain::points::LedgerKind;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::{api_key_admin, audit, idempotency, ledger, notify, users as user_svc};

/// One award or deduction as the admin asked for it (validated by the handler).
pub struct Adjustment<'a> {
    pub user_id: i64,
    /// Signed, not 0: positive awards, negative deducts.
    pub amount: i64,
    pub reason: &'a str,
}

/// Applies `adj` for `admin` (an `AdminUser`; through a key when `admin.api_key_id` is set) and
/// answers 201 with the ledger entry, or the first answer again for a retried `Idempotency-Key`.
pub async fn adjust(
    db: &DatabaseConnection,
    admin: &AuthUser,
    ip: &str,
    key: Option<idempotency::Key>,
    adj: Adjustment<'_>,
) -> Result<HttpResponse, ApiError> {
    let Adjustment {
        user_id, amount, ..
    } = adj;
    let target = user_svc::get(db, user_id).await?;
    let reason = adj.reason.trim().to_owned();
    let idempotency_key = key.as_ref().map(|k| k.key.clone());
    let (reason_ref, target_ref, key_ref) = (&reason, &target, &idempotency_key);
    idempotency::run(db, key, StatusCode::CREATED, |txn| async move {
        let txn = &*txn;
        if let Some(key_id) = admin.api_key_id {
            api_key_admin::charge_award(txn, key_id, amount).await?;
        }
        let row = ledger::apply(
            txn,
            ledger::Movement::new(user_id, amount, LedgerKind::AdminAdjustment)
                .reason(reason_ref.clone())
                .actor(admin.id)
                .idempotency_key(key_ref.clone()),
        )
        .await?;
        audit::Entry::by_user(admin.id, "points.adjust")
            .target("user", user_id)
            .ip(ip)
            .details(json!({"amount": amount, "reason": reason_ref, "balance_after": row.balance_after, "ledger_id": row.id}))
            .write(txn)
            .await?;
        let (title, body) = if amount > 0 {
            ("أُضيفت إليك نقاط", format!("أضافت الإدارة {amount} كربتو إلى رصيدك: {reason_ref}"))
        } else {
            ("خُصمت من رصيدك نقاط", format!("خصمت الإدارة {} كربتو من رصيدك: {reason_ref}", -amount))
        };
        notify::user(txn, target_ref.id, "points_adjusted", title, &body, json!({"amount": amount, "reason": reason_ref})).await?;
        Ok(ledger::to_entry(&row, None))
    })
    .await
}
