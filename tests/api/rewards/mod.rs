//! Rewards: the admin catalogue, redemptions and their approval workflow, stock and per-user
//! limits under concurrency, exactly-once refunds.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};
pub use crate::helpers::{assert_ledger_clean, award, balance};

pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    app.request(&app.client, method, path, Some(token), body)
        .await
}

async fn create_reward(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    let res = app
        .post("/api/v1/admin/rewards", Some(&admin.token), body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create reward");
    res.json().await.unwrap()
}

async fn redeem(app: &TestApp, user: &TestUser, reward_id: i64) -> reqwest::Response {
    app.post(
        &format!("/api/v1/rewards/{reward_id}/redeem"),
        Some(&user.token),
        json!({}),
    )
    .await
}

async fn stock(app: &TestApp, admin: &TestUser, reward_id: i64) -> Value {
    let r: Value = app
        .get(
            &format!("/api/v1/admin/rewards/{reward_id}"),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    r["stock"].clone()
}

fn statuses(results: &[reqwest::StatusCode]) -> (usize, usize) {
    let ok = results.iter().filter(|s| s.is_success()).count();
    let conflict = results
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    (ok, conflict)
}

async fn pending_redemption(app: &TestApp, admin: &TestUser, user: &TestUser, rid: i64) -> i64 {
    award(app, admin, user.id, 40).await;
    let res = redeem(app, user, rid).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["redemption"]["id"]
        .as_i64()
        .unwrap()
}

mod catalogue;
mod decisions;
mod redeeming;
