//! Competitions (the helpers other test files use are here; the tests are in the submodules):
//! the lifecycle and its guarded transitions, joining with fees under concurrency,
//! the quiz without answer leaks, scoring, judged results, finalization exactly once, and the
//! scheduler.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, assert_ledger_clean, award, balance, spawn_app_with, TestApp, TestUser,
};

/// An app whose scheduler is off: these tests move the clock themselves and must not race it.
pub async fn spawn() -> TestApp {
    spawn_app_with(|s| s.scheduler_interval_ms = 0).await
}

/// A timestamp literal both backends read; on SQLite it is the exact text format the
/// application writes (RFC 3339, microseconds, `+00:00`).
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

pub fn in_secs(secs: i64) -> String {
    (Utc::now() + chrono::Duration::seconds(secs)).to_rfc3339()
}

pub fn quiz(title: &str) -> Value {
    json!({
        "title": title,
        "description": "أسئلة في الثقافة العامة",
        "kind": "quiz",
        "starts_at": in_secs(3600),
        "ends_at": in_secs(7200),
        "entry_fee": 0,
        "participation_points": 0,
        "prizes": []
    })
}

pub async fn json_of(res: Response) -> Value {
    res.json().await.unwrap()
}

pub async fn create(app: &TestApp, admin: &TestUser, body: Value) -> i64 {
    let res = app
        .post("/api/v1/admin/competitions", Some(&admin.token), body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create competition");
    json_of(res).await["id"].as_i64().unwrap()
}

pub async fn add_question(
    app: &TestApp,
    admin: &TestUser,
    id: i64,
    correct: i64,
    points: i64,
) -> i64 {
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
            json!({"text": "ما عاصمة المغرب؟", "choices": ["الرباط", "فاس", "مراكش"], "correct_index": correct, "points": points}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "add question");
    json_of(res).await["id"].as_i64().unwrap()
}

pub async fn publish(app: &TestApp, admin: &TestUser, id: i64) {
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/publish"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "publish");
}

/// A published quiz with one 1-point question (answer: index 0).
pub async fn published_quiz(app: &TestApp, admin: &TestUser, body: Value) -> i64 {
    let id = create(app, admin, body).await;
    add_question(app, admin, id, 0, 1).await;
    publish(app, admin, id).await;
    id
}

/// Moves the start into the past (the clock does the rest).
pub async fn start_now(app: &TestApp, id: i64) {
    let start = Utc::now() - chrono::Duration::minutes(1);
    app.sql(&format!(
        "UPDATE competitions SET starts_at = '{}' WHERE id = {id}",
        ts(start)
    ))
    .await;
}

/// Moves the start and the end into the past.
pub async fn end_now(app: &TestApp, id: i64) {
    let now = Utc::now();
    app.sql(&format!(
        "UPDATE competitions SET starts_at = '{}', ends_at = '{}' WHERE id = {id}",
        ts(now - chrono::Duration::minutes(2)),
        ts(now - chrono::Duration::seconds(1))
    ))
    .await;
}

pub async fn join(app: &TestApp, user: &TestUser, id: i64) -> Response {
    app.request(
        &user.client,
        Method::POST,
        &format!("/api/v1/competitions/{id}/join"),
        Some(&user.token),
        None,
    )
    .await
}

pub async fn withdraw(app: &TestApp, user: &TestUser, id: i64) -> Response {
    app.request(
        &user.client,
        Method::DELETE,
        &format!("/api/v1/competitions/{id}/join"),
        Some(&user.token),
        None,
    )
    .await
}

pub async fn submit(app: &TestApp, user: &TestUser, id: i64, answers: Value) -> Response {
    app.post(
        &format!("/api/v1/competitions/{id}/submission"),
        Some(&user.token),
        json!({"answers": answers}),
    )
    .await
}

pub async fn finalize(app: &TestApp, admin: &TestUser, id: i64) -> Response {
    app.post(
        &format!("/api/v1/admin/competitions/{id}/finalize"),
        Some(&admin.token),
        json!({}),
    )
    .await
}

async fn stored_status(app: &TestApp, id: i64) -> String {
    for status in ["draft", "published", "running", "ended", "finalized"] {
        if app
            .count(&format!(
                "SELECT COUNT(*) FROM competitions WHERE id = {id} AND status = '{status}'"
            ))
            .await
            == 1
        {
            return status.to_owned();
        }
    }
    panic!("competition {id} has no known status");
}

async fn admin_get(app: &TestApp, admin: &TestUser, id: i64) -> Value {
    json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}"),
            Some(&admin.token),
        )
        .await,
    )
    .await
}

/// Users who submit `scores` in that order (a `None` never submits).
pub async fn quiz_with_scores(
    app: &TestApp,
    admin: &TestUser,
    users: &[&TestUser],
    scores: &[Option<i64>],
    body: Value,
) -> i64 {
    let id = create(app, admin, body).await;
    let qids = [
        add_question(app, admin, id, 0, 1).await,
        add_question(app, admin, id, 0, 2).await,
        add_question(app, admin, id, 0, 4).await,
    ];
    publish(app, admin, id).await;
    for u in users {
        assert_eq!(join(app, u, id).await.status(), StatusCode::CREATED);
    }
    start_now(app, id).await;
    for (u, score) in users.iter().zip(scores) {
        let Some(score) = score else { continue };
        // Points 1, 2 and 4: the binary digits of the score pick the correct answers.
        let answers: Vec<Value> = qids
            .iter()
            .enumerate()
            .map(|(i, q)| json!({"question_id": q, "choice_index": if score & (1 << i) != 0 { 0 } else { 1 }}))
            .collect();
        let res = submit(app, u, id, json!(answers)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(json_of(res).await["score"], *score);
    }
    id
}

mod finalize;
mod joining;
mod lifecycle;
mod listing;
mod quiz;
