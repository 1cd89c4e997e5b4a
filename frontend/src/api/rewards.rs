//! /api/v1/rewards, /api/v1/redemptions and the admin's /api/v1/admin/rewards and
//! /api/v1/admin/redemptions.

use domain::rewards::{
    BulkDecisionRequest, BulkDecisionResponse, CataloguePage, DecisionRequest, RedeemRequest,
    RedeemResponse, Redemption, RedemptionPage, Reward, RewardPage, RewardRequest,
    UpdateRewardRequest,
};
use gloo_net::http::Method;

use super::{call, call_keyed, decode, enc, get, get_public, send, to_json, ApiError};

const PAGE: u32 = 24;
const ADMIN_PAGE: u32 = 25;

/// `base?limit=…` plus every non-empty `(name, value)` pair, percent-encoded.
pub(super) fn path(base: &str, limit: u32, params: &[(&str, &str)]) -> String {
    let mut p = format!("{base}?limit={limit}");
    for (k, v) in params.iter().filter(|(_, v)| !v.trim().is_empty()) {
        p.push_str(&format!("&{k}={}", enc(v.trim())));
    }
    p
}

// ----- Participants -----

/// The catalogue, cheapest first; the affordability fields are filled for a signed-in caller.
pub async fn catalogue(
    category: &str,
    q: &str,
    affordable: bool,
    cursor: Option<&str>,
) -> Result<CataloguePage, ApiError> {
    let aff = if affordable { "true" } else { "" };
    let cursor = cursor.unwrap_or_default();
    let params = [
        ("category", category),
        ("q", q),
        ("affordable", aff),
        ("cursor", cursor),
    ];
    let page: CataloguePage = get_public(&path("/rewards", PAGE, &params)).await?;
    if let Some(b) = page.points_balance {
        super::publish_balance(b);
    }
    Ok(page)
}

pub async fn redeem(id: i64, req: &RedeemRequest, key: &str) -> Result<RedeemResponse, ApiError> {
    let path = format!("/rewards/{id}/redeem");
    let resp: RedeemResponse = call_keyed(Method::POST, &path, Some(to_json(req)?), key).await?;
    super::publish_balance(resp.points_balance);
    Ok(resp)
}

/// `status`: "" (all) or a `RedemptionStatus` name.
pub async fn mine(status: &str, cursor: Option<&str>) -> Result<RedemptionPage, ApiError> {
    let params = [("status", status), ("cursor", cursor.unwrap_or_default())];
    get(&path("/redemptions", PAGE, &params)).await
}

/// Cancels a pending request; the points come back (the caller refreshes the balance).
pub async fn cancel(id: i64, key: &str) -> Result<Redemption, ApiError> {
    call_keyed(
        Method::POST,
        &format!("/redemptions/{id}/cancel"),
        None,
        key,
    )
    .await
}

// ----- Admin: rewards -----

/// `state`: "" (all), `active`, `inactive` or `retired`.
pub async fn admin_list(
    q: &str,
    state: &str,
    cursor: Option<&str>,
) -> Result<RewardPage, ApiError> {
    let params = [
        ("q", q),
        ("state", state),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path("/admin/rewards", ADMIN_PAGE, &params)).await
}

/// Every reward for the queue's filter (one large page).
pub async fn admin_all() -> Result<RewardPage, ApiError> {
    get("/admin/rewards?limit=200").await
}

/// One reward (its address in the admin section, `?tab=rewards&reward=ID`).
pub async fn admin_get(id: i64) -> Result<Reward, ApiError> {
    get(&format!("/admin/rewards/{id}")).await
}

pub async fn create(req: &RewardRequest) -> Result<Reward, ApiError> {
    call(Method::POST, "/admin/rewards", req).await
}

pub async fn update(id: i64, req: &UpdateRewardRequest) -> Result<Reward, ApiError> {
    call(Method::PATCH, &format!("/admin/rewards/{id}"), req).await
}

/// Retires a reward: it leaves the catalogue; its history stays.
pub async fn retire(id: i64) -> Result<Reward, ApiError> {
    decode(send(Method::DELETE, &format!("/admin/rewards/{id}"), None).await?).await
}

// ----- Admin: the redemption queue -----

#[derive(Clone, Default, PartialEq)]
pub struct QueueFilter {
    pub status: &'static str,
    pub reward_id: Option<i64>,
    pub user_id: Option<i64>,
    pub oldest_first: bool,
    /// Only the pending redemptions a fraud rule flagged.
    pub flagged: bool,
}

pub async fn queue(f: &QueueFilter, cursor: Option<&str>) -> Result<RedemptionPage, ApiError> {
    let reward = f.reward_id.map(|r| r.to_string()).unwrap_or_default();
    let user = f.user_id.map(|u| u.to_string()).unwrap_or_default();
    let sort = if f.oldest_first { "oldest" } else { "" };
    let flagged = if f.flagged { "true" } else { "" };
    let params = [
        ("status", f.status),
        ("reward_id", reward.as_str()),
        ("user_id", user.as_str()),
        ("sort", sort),
        ("flagged", flagged),
        ("cursor", cursor.unwrap_or_default()),
    ];
    get(&path("/admin/redemptions", ADMIN_PAGE, &params)).await
}

/// `action`: `approve`, `reject` or `fulfill`.
pub async fn decide(
    id: i64,
    action: &str,
    req: &DecisionRequest,
    key: &str,
) -> Result<Redemption, ApiError> {
    let path = format!("/admin/redemptions/{id}/{action}");
    call_keyed(Method::POST, &path, Some(to_json(req)?), key).await
}

pub async fn bulk(req: &BulkDecisionRequest) -> Result<BulkDecisionResponse, ApiError> {
    call(Method::POST, "/admin/redemptions/bulk", req).await
}

pub async fn of_user(user_id: i64, cursor: Option<&str>) -> Result<RedemptionPage, ApiError> {
    let params = [("cursor", cursor.unwrap_or_default())];
    get(&path(
        &format!("/admin/users/{user_id}/redemptions"),
        ADMIN_PAGE,
        &params,
    ))
    .await
}
