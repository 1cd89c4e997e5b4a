//! /api/v1/points: balance, history, the balance chart and transfers.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, Utc};
use domain::points::{
    Balance, BalanceHistory, BalancePoint, LedgerKind, LedgerPage, TransferRequest,
    TransferResponse, TransferStatus,
};
use domain::{ErrorBody, ErrorCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;

use crate::auth::AuthUser;
use crate::entities::{points_transactions as tx, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::risk::{self, RiskSettings};
use crate::services::{held_transfers, idempotency, ledger, notify, recipients, system_settings};
use crate::state::AppState;

/// The caller's balance and points earned.
#[utoipa::path(tag = "points", security(("bearer" = [])), responses((status = 200, body = Balance), (status = 401, body = ErrorBody)))]
#[get("/balance")]
#[tracing::instrument(skip_all)]
pub async fn get_balance(user: AuthUser) -> ApiResult<web::Json<Balance>> {
    Ok(web::Json(Balance {
        points_balance: user.account.points_balance,
        lifetime_earned: user.account.lifetime_earned,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KindQuery {
    /// Only rows of this kind (e.g. `transfer_in`).
    #[param(value_type = Option<domain::points::LedgerKind>)]
    pub kind: Option<String>,
}

pub fn parse_kind(kind: Option<&str>) -> Result<Option<LedgerKind>, ApiError> {
    match kind.filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => LedgerKind::parse(k).map(Some).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, "kind", "نوع الحركة غير معروف.")
        }),
    }
}

/// The caller's ledger, newest first; every row has an Arabic label and its reason.
#[utoipa::path(
    tag = "points",
    security(("bearer" = [])),
    params(KindQuery, PageParams),
    responses((status = 200, body = LedgerPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/transactions")]
#[tracing::instrument(skip_all)]
pub async fn transactions(
    state: web::Data<AppState>,
    user: AuthUser,
    kind: web::Query<KindQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<LedgerPage>> {
    let kind = parse_kind(kind.kind.as_deref())?;
    let (items, next_cursor) =
        ledger::page(&state.db, user.id, page.cursor_id()?, page.limit()?, kind).await?;
    Ok(web::Json(LedgerPage { items, next_cursor }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// How many days back (1–366, default 30).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
}

/// End-of-day balances for the last N days (UTC), for the balance chart.
#[utoipa::path(
    tag = "points",
    security(("bearer" = [])),
    params(HistoryQuery),
    responses((status = 200, body = BalanceHistory), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/history")]
#[tracing::instrument(skip_all)]
pub async fn history(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<HistoryQuery>,
) -> ApiResult<web::Json<BalanceHistory>> {
    let days = query.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "days",
            "عدد الأيام يجب أن يكون بين 1 و366.",
        ));
    }
    let today = Utc::now().date_naive();
    let first: NaiveDate = today - Duration::days(days - 1);
    let start = first
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_else(Utc::now);
    let before = tx::Entity::find()
        .filter(tx::Column::UserId.eq(user.id))
        .filter(tx::Column::CreatedAt.lt(start))
        .order_by_desc(tx::Column::Id)
        .one(&state.db)
        .await?;
    let rows = tx::Entity::find()
        .filter(tx::Column::UserId.eq(user.id))
        .filter(tx::Column::CreatedAt.gte(start))
        .order_by_asc(tx::Column::Id)
        .all(&state.db)
        .await?;
    let mut balance = before.map_or(0, |r| r.balance_after);
    let mut rows = rows.into_iter().peekable();
    let mut points = Vec::with_capacity(days as usize);
    let mut day = first;
    while day <= today {
        while let Some(r) = rows.next_if(|r| r.created_at.date_naive() <= day) {
            balance = r.balance_after;
        }
        points.push(BalancePoint { date: day, balance });
        day += Duration::days(1);
    }
    Ok(web::Json(BalanceHistory { points }))
}

/// Send points to another user. Send an `Idempotency-Key` header: a retry never sends twice.
#[utoipa::path(
    tag = "points",
    security(("bearer" = [])),
    request_body = TransferRequest,
    params(crate::services::idempotency::IdempotencyHeader),
    responses(
        (status = 201, description = "Sent (`status: completed`), or held for review by a fraud rule (`status: held`: the points left the balance and reach the recipient only if an admin releases them)", body = TransferResponse),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`email_not_verified`: the `email_verification_required` setting is on and the sender has not confirmed their email", body = ErrorBody),
        (status = 409, description = "Not enough points", body = ErrorBody),
        (status = 422, description = "Invalid fields, unknown recipient, daily limit exceeded, or a reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/transfers")]
#[tracing::instrument(skip_all)]
pub async fn transfer(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: Json<TransferRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    crate::services::verification::require_verified(&state.db, &user.account).await?;
    let mut key = idempotency::from_request(&req, format!("user:{}", user.id), &body)?;
    // The recipient, today's limit and whether the Idempotency-Key is new, in one query.
    let found: Option<(i64, String, String, Option<serde_json::Value>, bool)> =
        users::Entity::find()
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::Username,
                users::Column::Status,
            ])
            .column_as(
                system_settings::value_subquery(system_settings::TRANSFER_DAILY_LIMIT),
                "daily_limit",
            )
            .column_as(idempotency::unused_subquery(key.as_ref()), "key_unused")
            .filter(users::Column::UsernameLower.eq(body.to_username.trim().to_lowercase()))
            .into_tuple()
            .one(&state.db)
            .await?;
    let (recipient, limit) = found
        .filter(|(_, _, status, _, _)| status == "active")
        .map(|(id, username, _, limit, key_unused)| {
            if let Some(key) = key.as_mut() {
                key.known_unused = key_unused;
            }
            let limit =
                system_settings::i64_or_default(system_settings::TRANSFER_DAILY_LIMIT, limit);
            (Payee { id, username }, limit)
        })
        .ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "to_username",
                "لا يوجد مستخدم نشط بهذا الاسم.",
            )
        })?;
    if recipient.id == user.id {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "to_username",
            "لا يمكنك التحويل إلى نفسك.",
        ));
    }
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let risk = RiskSettings::load(&state.db).await?;
    let (recipient_ref, note_ref, key_ref, user_ref, risk_ref) =
        (&recipient, &note, &key, &user, &risk);
    idempotency::run(
        &state.db,
        key.clone(),
        StatusCode::CREATED,
        |txn| async move {
            let txn = &*txn;
            if risk_ref.transfer_enabled {
                // Both rows locked first, so parallel transfers count each other.
                risk::lock_accounts(txn, &[user_ref.id, recipient_ref.id]).await?;
                let hold = risk::check_transfer(
                    txn,
                    risk_ref,
                    &user_ref.account,
                    recipient_ref.id,
                    body.amount,
                )
                .await?;
                if let Some(why) = hold {
                    let request = held_transfers::Request {
                        sender: &user_ref.account,
                        recipient: (recipient_ref.id, &recipient_ref.username),
                        amount: body.amount,
                        note: note_ref.clone(),
                        idempotency_key: key_ref.as_ref().map(|k| k.key.clone()),
                        daily_limit: limit,
                    };
                    let (row, debit) = held_transfers::hold(txn, request, why).await?;
                    return Ok(TransferResponse {
                        points_balance: debit.balance_after,
                        entry: ledger::to_entry(&debit, Some(recipient_ref.username.clone())),
                        to_username: recipient_ref.username.clone(),
                        status: TransferStatus::Held,
                        held_transfer_id: Some(row.id),
                    });
                }
            }
            let (debit, _credit) = ledger::transfer(
                txn,
                user_ref.id,
                recipient_ref.id,
                body.amount,
                note_ref.clone(),
                key_ref.as_ref().map(|k| k.key.clone()),
                limit,
                notify::Notice {
                    kind: "points_received",
                    title: "وصلتك نقاط".to_owned(),
                    body: format!("حوّل إليك {} ‏{} كربتو.", user_ref.username, body.amount),
                    payload: json!({"from": user_ref.username, "amount": body.amount, "note": note_ref}),
                },
            )
            .await?;
            Ok(TransferResponse {
                points_balance: debit.balance_after,
                entry: ledger::to_entry(&debit, Some(recipient_ref.username.clone())),
                to_username: recipient_ref.username.clone(),
                status: TransferStatus::Completed,
                held_transfer_id: None,
            })
        },
    )
    .await
}

/// Who a transfer goes to, as the transfer needs it.
struct Payee {
    id: i64,
    username: String,
}

/// A user's public name, for the transfer confirmation step.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Recipient {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

/// Who would receive a transfer: shown in the confirmation step before sending. Takes a
/// username only (an email address is not looked up and answers 404 like an unknown name), at
/// most 10 look-ups per user and minute (429 with `Retry-After`).
#[utoipa::path(
    tag = "points",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "Recipient's username (not an email address)")),
    responses(
        (status = 200, body = Recipient),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No active account with this username", body = ErrorBody),
        (status = 429, description = "Too many look-ups; see Retry-After", body = ErrorBody),
    )
)]
#[get("/recipients/{username}")]
#[tracing::instrument(skip_all)]
pub async fn lookup_recipient(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Recipient>> {
    let found = recipients::find(&state.db, &state.limiter, user.id, &path.into_inner()).await?;
    Ok(web::Json(Recipient {
        id: found.id,
        username: found.username,
        display_name: found.display_name,
    }))
}
