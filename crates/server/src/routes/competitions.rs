//! /api/v1/competitions: browsing (public, with the caller's own status when a Bearer token is
//! sent), joining and withdrawing, the quiz, submissions and a competition's board.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use domain::competitions::{
    Competition, CompetitionLeaderboard, CompetitionPage, CompetitionStatus, JoinResult,
    QuestionSet, SubmissionRequest, SubmissionResult, WithdrawResult,
};
use domain::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::extractors::OptionalAuthUser;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::competitions::{self as svc, ListFilter, ListStatus};
use crate::services::{idempotency, participation};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompetitionQuery {
    /// `open` (joinable now), `upcoming` (not started), `running`, `ended` (ended or finalized)
    /// or `finalized`.
    #[param(pattern = "^(open|upcoming|running|ended|finalized)$")]
    pub status: Option<String>,
    /// Search in the titles and description (Arabic-normalized: أ/إ/آ, ة/ه, ى/ي, diacritics).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitParams {
    /// Entries (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

impl LimitParams {
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "limit",
                "يجب أن يكون الحد بين 1 و200.",
            )),
        }
    }
}

/// Trimmed search text, at most 100 characters.
pub fn search_query(q: Option<&str>) -> Result<Option<String>, ApiError> {
    match q.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > 100 => Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "q",
            "نص البحث طويل جدًا.",
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

pub(crate) fn public_status(value: Option<&str>) -> Result<Option<ListStatus>, ApiError> {
    Ok(match value.filter(|v| !v.is_empty()) {
        None => None,
        Some("open") => Some(ListStatus::Open),
        Some("upcoming") => Some(ListStatus::Is(CompetitionStatus::Published)),
        Some("running") => Some(ListStatus::Is(CompetitionStatus::Running)),
        Some("ended") => Some(ListStatus::Past),
        Some("finalized") => Some(ListStatus::Is(CompetitionStatus::Finalized)),
        Some(_) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون open أو upcoming أو running أو ended أو finalized.",
            ))
        }
    })
}

/// Published competitions, newest first. No sign-in needed; with a Bearer token every item
/// also says whether the caller has joined.
#[utoipa::path(
    tag = "competitions",
    security((), ("bearer" = [])),
    params(CompetitionQuery, PageParams),
    responses((status = 200, body = CompetitionPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_competitions(
    state: web::Data<AppState>,
    viewer: OptionalAuthUser,
    query: web::Query<CompetitionQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<CompetitionPage>> {
    let filter = ListFilter {
        status: public_status(query.status.as_deref())?,
        kind: None,
        q: search_query(query.q.as_deref())?,
        include_drafts: false,
        participant: None,
        cursor: page.cursor_id()?,
        limit: page.limit()?,
    };
    let (rows, next_cursor) = svc::list(&state.db, filter).await?;
    let items = svc::page_dtos(&state.db, &rows, viewer.id()).await?;
    Ok(web::Json(CompetitionPage { items, next_cursor }))
}

/// One competition (drafts are 404 except for admins).
#[utoipa::path(
    tag = "competitions",
    security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses((status = 200, body = Competition), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_competition(
    state: web::Data<AppState>,
    viewer: OptionalAuthUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Competition>> {
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, viewer.is_admin())?;
    Ok(web::Json(svc::dto(&state.db, &m, viewer.id()).await?))
}

/// Join: takes a seat and debits the entry fee in one transaction. Send an `Idempotency-Key`.
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Competition id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    responses(
        (status = 201, body = JoinResult),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`email_not_verified`: the competition has an entry fee, the `email_verification_required` setting is on and the account has not confirmed its email", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`already_joined`, `registration_not_open`, `competition_full` or `insufficient_points`", body = ErrorBody),
        (status = 422, description = "A reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/{id}/join")]
#[tracing::instrument(skip_all)]
pub async fn join_competition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let m = svc::load_current(&state.db, id).await?;
    svc::ensure_visible(&m, false)?;
    if m.entry_fee > 0 {
        crate::services::verification::require_verified(&state.db, &user.account).await?;
    }
    let key = idempotency::from_request(
        &req,
        format!("user:{}", user.id),
        &json!({"competition_id": id}),
    )?;
    let (key_ref, uid) = (&key, user.id);
    idempotency::run(
        &state.db,
        key.clone(),
        StatusCode::CREATED,
        |txn| async move {
            let key = key_ref.as_ref().map(|k| k.key.clone());
            participation::join(&txn, uid, id, crate::services::now(), key).await
        },
    )
    .await
}

/// Withdraw before the start: the seat is freed and the fee refunded. Joining again later
/// (while registration is open) charges the fee again.
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Competition id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    responses(
        (status = 200, body = WithdrawResult),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`not_participant`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the competition has started", body = ErrorBody),
    )
)]
#[delete("/{id}/join")]
#[tracing::instrument(skip_all)]
pub async fn withdraw_from_competition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let m = svc::load_current(&state.db, id).await?;
    svc::ensure_visible(&m, false)?;
    let key = idempotency::from_request(
        &req,
        format!("user:{}", user.id),
        &json!({"competition_id": id}),
    )?;
    let uid = user.id;
    idempotency::run(&state.db, key, StatusCode::OK, |txn| async move {
        participation::withdraw(&txn, uid, id, crate::services::now()).await
    })
    .await
}

/// The quiz questions, without answers: participants only, while running. The first call
/// starts the participant's timer (`quiz_duration_seconds`).
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, body = QuestionSet),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`not_participant`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`competition_not_running`", body = ErrorBody),
    )
)]
#[get("/{id}/questions")]
#[tracing::instrument(skip_all)]
pub async fn get_questions(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<QuestionSet>> {
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, false)?;
    Ok(web::Json(
        participation::questions_for(&state.db, &m, user.id).await?,
    ))
}

/// Submit the quiz answers once; they are scored at once (sum of the points of correct answers).
#[utoipa::path(
    tag = "competitions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    request_body = SubmissionRequest,
    responses(
        (status = 201, body = SubmissionResult),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`not_participant`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`already_submitted` or `competition_not_running` (also after the personal timer)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/{id}/submission")]
#[tracing::instrument(skip_all)]
pub async fn submit_answers(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<SubmissionRequest>,
) -> ApiResult<HttpResponse> {
    body.validate().map_err(ApiError::Validation)?;
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, false)?;
    let result = participation::submit(&state.db, &m, user.id, &body.answers).await?;
    Ok(HttpResponse::Created().json(result))
}

/// A competition's board: score, then earliest submission, then user id. `me` is the caller's
/// own line (null for anonymous callers and non-participants).
#[utoipa::path(
    tag = "competitions",
    security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id"), LimitParams),
    responses(
        (status = 200, body = CompetitionLeaderboard),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/{id}/leaderboard")]
#[tracing::instrument(skip_all)]
pub async fn competition_leaderboard(
    state: web::Data<AppState>,
    viewer: OptionalAuthUser,
    path: web::Path<i64>,
    query: web::Query<LimitParams>,
) -> ApiResult<web::Json<CompetitionLeaderboard>> {
    let limit = query.limit()?;
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    svc::ensure_visible(&m, viewer.is_admin())?;
    Ok(web::Json(
        participation::board(&state.db, &m, viewer.id(), limit).await?,
    ))
}
