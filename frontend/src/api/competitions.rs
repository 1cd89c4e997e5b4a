//! /api/v1/competitions/* and /api/v1/admin/competitions/*

use domain::admin::AdminStats;
use domain::competitions::{
    AdminQuestion, AdminQuestionList, Competition, CompetitionLeaderboard, CompetitionPage,
    CreateCompetitionRequest, FinalizeReport, JoinResult, ParticipantPage, QuestionRequest,
    QuestionSet, ResultsRequest, ResultsResponse, SubmissionRequest, SubmissionResult,
    UpdateCompetitionRequest, UpdateQuestionRequest, WithdrawResult,
};
use domain::entries::{AdminEntryList, Entry, EntryRequest};
use gloo_net::http::Method;

use super::{call, call_keyed, decode, empty, enc, get, get_public, send, ApiError};

const PAGE: u32 = 12;
const ADMIN_PAGE: u32 = 25;

fn list_path(base: &str, limit: u32, status: &str, q: &str, cursor: Option<&str>) -> String {
    let mut path = format!("{base}?limit={limit}");
    if !status.is_empty() {
        path.push_str(&format!("&status={}", enc(status)));
    }
    if !q.trim().is_empty() {
        path.push_str(&format!("&q={}", enc(q.trim())));
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    path
}

// ----- Participants -----

/// `status`: "" (all), `open`, `upcoming`, `running` or `ended`.
pub async fn list(
    status: &str,
    q: &str,
    cursor: Option<&str>,
) -> Result<CompetitionPage, ApiError> {
    get_public(&list_path("/competitions", PAGE, status, q, cursor)).await
}

/// «مسابقاتي»: `status` is "" (all), `upcoming`, `running` or `ended`.
pub async fn mine(
    status: &str,
    cursor: Option<&str>,
) -> Result<domain::my_competitions::MyCompetitionPage, ApiError> {
    get(&list_path("/me/competitions", PAGE, status, "", cursor)).await
}

/// Just enough of «مسابقاتي» for the home page's card: a few fields read from the same answer,
/// so the home page's module does not carry the decoder of the whole competition (WASM budget).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BriefPage {
    pub items: Vec<Brief>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Brief {
    pub competition: BriefCompetition,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct BriefCompetition {
    pub id: i64,
    pub title: String,
    pub status: domain::competitions::CompetitionStatus,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
}

pub async fn mine_brief(status: &str) -> Result<BriefPage, ApiError> {
    get(&list_path("/me/competitions", PAGE, status, "", None)).await
}

pub async fn get_one(id: i64) -> Result<Competition, ApiError> {
    get_public(&format!("/competitions/{id}")).await
}

pub async fn join(id: i64, key: &str) -> Result<JoinResult, ApiError> {
    let result: JoinResult =
        call_keyed(Method::POST, &format!("/competitions/{id}/join"), None, key).await?;
    super::publish_balance(result.points_balance);
    Ok(result)
}

pub async fn withdraw(id: i64, key: &str) -> Result<WithdrawResult, ApiError> {
    let result: WithdrawResult = call_keyed(
        Method::DELETE,
        &format!("/competitions/{id}/join"),
        None,
        key,
    )
    .await?;
    super::publish_balance(result.points_balance);
    Ok(result)
}

/// The quiz without its answers; the first call starts the participant's timer.
pub async fn questions(id: i64) -> Result<QuestionSet, ApiError> {
    get(&format!("/competitions/{id}/questions")).await
}

pub async fn submit(id: i64, req: &SubmissionRequest) -> Result<SubmissionResult, ApiError> {
    call(Method::POST, &format!("/competitions/{id}/submission"), req).await
}

pub async fn leaderboard(id: i64, limit: u32) -> Result<CompetitionLeaderboard, ApiError> {
    get_public(&format!("/competitions/{id}/leaderboard?limit={limit}")).await
}

// ----- Admin -----

/// `status`: "" (all), `draft`, `published`, `running`, `ended` or `finalized`.
pub async fn admin_list(status: &str, cursor: Option<&str>) -> Result<CompetitionPage, ApiError> {
    get(&list_path(
        "/admin/competitions",
        ADMIN_PAGE,
        status,
        "",
        cursor,
    ))
    .await
}

/// The dashboard numbers; the competitions table uses its counts per status.
pub async fn admin_stats() -> Result<AdminStats, ApiError> {
    get("/admin/stats").await
}

pub async fn admin_get(id: i64) -> Result<Competition, ApiError> {
    get(&format!("/admin/competitions/{id}")).await
}

pub async fn create(req: &CreateCompetitionRequest) -> Result<Competition, ApiError> {
    call(Method::POST, "/admin/competitions", req).await
}

pub async fn update(id: i64, req: &UpdateCompetitionRequest) -> Result<Competition, ApiError> {
    call(Method::PATCH, &format!("/admin/competitions/{id}"), req).await
}

pub async fn delete(id: i64) -> Result<(), ApiError> {
    empty(send(Method::DELETE, &format!("/admin/competitions/{id}"), None).await?).await
}

pub async fn publish(id: i64) -> Result<Competition, ApiError> {
    decode(
        send(
            Method::POST,
            &format!("/admin/competitions/{id}/publish"),
            None,
        )
        .await?,
    )
    .await
}

pub async fn finalize(id: i64, key: &str) -> Result<FinalizeReport, ApiError> {
    call_keyed(
        Method::POST,
        &format!("/admin/competitions/{id}/finalize"),
        None,
        key,
    )
    .await
}

pub async fn set_results(id: i64, req: &ResultsRequest) -> Result<ResultsResponse, ApiError> {
    call(
        Method::PUT,
        &format!("/admin/competitions/{id}/results"),
        req,
    )
    .await
}

/// The caller's entry in a judged competition (`None` until one is sent).
pub async fn entry(id: i64) -> Result<Option<Entry>, ApiError> {
    get(&format!("/competitions/{id}/entry")).await
}

pub async fn put_entry(id: i64, req: &EntryRequest) -> Result<Entry, ApiError> {
    call(Method::PUT, &format!("/competitions/{id}/entry"), req).await
}

/// Every entry of a judged competition, for the judges.
pub async fn entries(id: i64, anonymous: bool) -> Result<AdminEntryList, ApiError> {
    get(&format!(
        "/admin/competitions/{id}/entries?anonymous={anonymous}"
    ))
    .await
}

pub async fn participants(id: i64, cursor: Option<&str>) -> Result<ParticipantPage, ApiError> {
    let mut path = format!("/admin/competitions/{id}/participants?limit=200");
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    get(&path).await
}

pub async fn admin_questions(id: i64) -> Result<AdminQuestionList, ApiError> {
    get(&format!("/admin/competitions/{id}/questions")).await
}

pub async fn add_question(id: i64, req: &QuestionRequest) -> Result<AdminQuestion, ApiError> {
    call(
        Method::POST,
        &format!("/admin/competitions/{id}/questions"),
        req,
    )
    .await
}

pub async fn update_question(
    id: i64,
    qid: i64,
    req: &UpdateQuestionRequest,
) -> Result<AdminQuestion, ApiError> {
    call(
        Method::PATCH,
        &format!("/admin/competitions/{id}/questions/{qid}"),
        req,
    )
    .await
}

pub async fn delete_question(id: i64, qid: i64) -> Result<(), ApiError> {
    let path = format!("/admin/competitions/{id}/questions/{qid}");
    empty(send(Method::DELETE, &path, None).await?).await
}
