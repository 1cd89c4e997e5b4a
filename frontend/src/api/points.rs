//! /api/v1/points/* and the admin's point tools (/api/v1/admin/points/award,
//! /api/v1/admin/users/{id}/transactions).

use domain::points::{
    AwardRequest, Balance, BalanceHistory, LedgerEntry, LedgerKind, LedgerPage, TransferRequest,
    TransferResponse,
};
use gloo_net::http::Method;
use serde::Deserialize;

use super::{call_keyed, enc, get, to_json, ApiError};

const PAGE: u32 = 20;

/// GET /points/recipients/{username}. The server declares this shape in its route module, not
/// in `domain`, so the app mirrors the three fields it shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Recipient {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

fn ledger_path(base: &str, kind: Option<LedgerKind>, cursor: Option<&str>) -> String {
    let mut path = format!("{base}?limit={PAGE}");
    if let Some(k) = kind {
        path.push_str(&format!("&kind={}", k.as_str()));
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    path
}

pub async fn balance() -> Result<Balance, ApiError> {
    let balance: Balance = get("/points/balance").await?;
    super::publish_balance(balance.points_balance);
    Ok(balance)
}

pub async fn transactions(
    kind: Option<LedgerKind>,
    cursor: Option<&str>,
) -> Result<LedgerPage, ApiError> {
    get(&ledger_path("/points/transactions", kind, cursor)).await
}

/// End-of-day balances for the last `days` days, oldest first.
pub async fn history(days: u32) -> Result<BalanceHistory, ApiError> {
    get(&format!("/points/history?days={days}")).await
}

pub async fn recipient(username: &str) -> Result<Recipient, ApiError> {
    get(&format!("/points/recipients/{}", enc(username.trim()))).await
}

pub async fn transfer(req: &TransferRequest, key: &str) -> Result<TransferResponse, ApiError> {
    let resp: TransferResponse =
        call_keyed(Method::POST, "/points/transfers", Some(to_json(req)?), key).await?;
    super::publish_balance(resp.points_balance);
    Ok(resp)
}

// ----- Admin -----

/// A manual credit (positive) or debit (negative) with its reason.
pub async fn award(req: &AwardRequest, key: &str) -> Result<LedgerEntry, ApiError> {
    call_keyed(
        Method::POST,
        "/admin/points/award",
        Some(to_json(req)?),
        key,
    )
    .await
}

pub async fn user_transactions(user_id: i64, cursor: Option<&str>) -> Result<LedgerPage, ApiError> {
    get(&ledger_path(
        &format!("/admin/users/{user_id}/transactions"),
        None,
        cursor,
    ))
    .await
}
