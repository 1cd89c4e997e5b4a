//! Admin: competitions (CRUD, publish, finalize, judged results, participants) and their quiz
//! questions.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use domain::competitions::{
    AdminQuestion, AdminQuestionList, Competition, CompetitionKind, CompetitionPage,
    CompetitionStatus, CreateCompetitionRequest, FinalizeReport, ParticipantPage,
    ParticipationStatus, QuestionRequest, ResultsRequest, ResultsResponse,
    UpdateCompetitionRequest, UpdateQuestionRequest,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::competitions::search_query;
use crate::routes::pagination::PageParams;
use crate::services::competitions::{self as svc, Actor, ListFilter, ListStatus};
use crate::services::{finalize, idempotency, participation, questions};
use crate::state::AppState;

fn actor<'a>(admin: &AdminUser, client: &'a ClientInfo) -> Actor<'a> {
    Actor {
        user_id: Some(admin.id),
        ip: Some(&client.ip),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminCompetitionQuery {
    /// `draft`, `published`, `running`, `ended` (awaiting finalization) or `finalized`.
    #[param(value_type = Option<domain::competitions::CompetitionStatus>)]
    pub status: Option<String>,
    /// `quiz` or `judged`.
    #[param(value_type = Option<domain::competitions::CompetitionKind>)]
    pub kind: Option<String>,
    /// Search in the titles and description (Arabic-normalized).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

/// Create a competition; it starts as a draft.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateCompetitionRequest,
    responses(
        (status = 201, body = Competition),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/competitions")]
#[tracing::instrument(skip_all)]
pub async fn create_competition(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<CreateCompetitionRequest>,
) -> ApiResult<HttpResponse> {
    let m = svc::create(&state.db, actor(&admin, &client), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(svc::dto(&state.db, &m, None).await?))
}

/// Every competition (drafts included), newest first, with participant and question counts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AdminCompetitionQuery, PageParams),
    responses(
        (status = 200, body = CompetitionPage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/competitions")]
#[tracing::instrument(skip_all)]
pub async fn list_all_competitions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AdminCompetitionQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<CompetitionPage>> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ListStatus::Is(CompetitionStatus::parse(s).ok_or_else(
            || {
                ApiError::field(
                    ErrorCode::ValidationFailed,
                    "status",
                    "الحالة يجب أن تكون draft أو published أو running أو ended أو finalized.",
                )
            },
        )?)),
    };
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(CompetitionKind::parse(k).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "kind",
                "النوع يجب أن يكون quiz أو judged.",
            )
        })?),
    };
    let filter = ListFilter {
        status,
        kind,
        q: search_query(query.q.as_deref())?,
        include_drafts: true,
        participant: None,
        cursor: page.cursor_id()?,
        limit: page.limit()?,
    };
    let (rows, next_cursor) = svc::list(&state.db, filter).await?;
    let items = svc::page_dtos(&state.db, &rows, None).await?;
    Ok(web::Json(CompetitionPage { items, next_cursor }))
}

/// One competition, whatever its status.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, body = Competition),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[get("/competitions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_any_competition(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Competition>> {
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    Ok(web::Json(svc::dto(&state.db, &m, None).await?))
}

/// Edit a competition. Text can always be corrected; after publication the kind, entry fee,
/// prizes and participation points are frozen, and once running only `ends_at` can move.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    request_body = UpdateCompetitionRequest,
    responses(
        (status = 200, body = Competition),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition` naming the frozen fields, or `conflict` (fewer seats than participants)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/competitions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_competition(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<UpdateCompetitionRequest>,
) -> ApiResult<web::Json<Competition>> {
    let m = svc::update(
        &state.db,
        actor(&admin, &client),
        path.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(web::Json(svc::dto(&state.db, &m, None).await?))
}

/// Delete a draft, or a published competition nobody has joined.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`", body = ErrorBody),
    )
)]
#[delete("/competitions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_competition(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    svc::delete(&state.db, actor(&admin, &client), path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publish a draft (a quiz needs at least one question).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, body = Competition),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not a draft", body = ErrorBody),
        (status = 422, description = "A quiz without questions, or an end in the past", body = ErrorBody),
    )
)]
#[post("/competitions/{id}/publish")]
#[tracing::instrument(skip_all)]
pub async fn publish_competition(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Competition>> {
    let m = svc::publish(&state.db, actor(&admin, &client), path.into_inner()).await?;
    Ok(web::Json(svc::dto(&state.db, &m, None).await?))
}

/// Finalize an ended competition: rank, credit prizes and participation points, notify.
/// Exactly once: a second call is 409 and changes nothing. Quizzes are also finalized by the
/// scheduler shortly after their end.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Competition id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    responses(
        (status = 200, body = FinalizeReport),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not ended yet, or already finalized", body = ErrorBody),
    )
)]
#[post("/competitions/{id}/finalize")]
#[tracing::instrument(skip_all)]
pub async fn finalize_competition(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    svc::find(&state.db, id).await?;
    let key = idempotency::from_request(
        &req,
        format!("user:{}", admin.id),
        &json!({"competition_id": id}),
    )?;
    let who = actor(&admin, &client);
    idempotency::run(&state.db, key, StatusCode::OK, |txn| async move {
        finalize::finalize(&*txn, id, who, crate::services::now()).await
    })
    .await
}

/// Judged competitions: set participants' scores (while running or ended, before finalizing).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    request_body = ResultsRequest,
    responses(
        (status = 200, body = ResultsResponse),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not started yet, or finalized", body = ErrorBody),
        (status = 422, description = "A quiz (scored automatically), or a user who is not a participant", body = ErrorBody),
    )
)]
#[put("/competitions/{id}/results")]
#[tracing::instrument(skip_all)]
pub async fn set_competition_results(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<ResultsRequest>,
) -> ApiResult<web::Json<ResultsResponse>> {
    body.validate().map_err(ApiError::Validation)?;
    let m = svc::load_current(&state.db, path.into_inner()).await?;
    let updated = participation::set_results(&state.db, actor(&admin, &client), &m, &body).await?;
    Ok(web::Json(ResultsResponse {
        competition_id: m.id,
        updated,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// `registered`, `submitted`, `completed`, `withdrawn` or `disqualified`.
    #[param(value_type = Option<domain::competitions::ParticipationStatus>)]
    pub status: Option<String>,
}

/// A competition's participants, in joining order.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id"), ParticipantQuery, PageParams),
    responses(
        (status = 200, body = ParticipantPage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/competitions/{id}/participants")]
#[tracing::instrument(skip_all)]
pub async fn list_participants(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    query: web::Query<ParticipantQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<ParticipantPage>> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ParticipationStatus::parse(s).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "حالة المشاركة غير معروفة.",
            )
        })?),
    };
    let m = svc::find(&state.db, path.into_inner()).await?;
    let (items, next_cursor) =
        participation::participants_page(&state.db, m.id, status, page.cursor_id()?, page.limit()?)
            .await?;
    Ok(web::Json(ParticipantPage { items, next_cursor }))
}

/// Add a question to a quiz (until it starts).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    request_body = QuestionRequest,
    responses(
        (status = 201, body = AdminQuestion),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the competition has started", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/competitions/{id}/questions")]
#[tracing::instrument(skip_all)]
pub async fn add_question(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
    body: Json<QuestionRequest>,
) -> ApiResult<HttpResponse> {
    let q = questions::add_question(&state.db, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(questions::question_to_admin(&q)))
}

/// A quiz's questions with their answers, in order.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, body = AdminQuestionList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[get("/competitions/{id}/questions")]
#[tracing::instrument(skip_all)]
pub async fn list_questions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<AdminQuestionList>> {
    let m = svc::find(&state.db, path.into_inner()).await?;
    let rows = questions::questions_of(&state.db, m.id).await?;
    Ok(web::Json(AdminQuestionList {
        items: rows.iter().map(questions::question_to_admin).collect(),
    }))
}

/// Edit a question (until the competition starts).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id"), ("qid" = i64, Path, description = "Question id")),
    request_body = UpdateQuestionRequest,
    responses(
        (status = 200, body = AdminQuestion),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: the competition has started", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/competitions/{id}/questions/{qid}")]
#[tracing::instrument(skip_all)]
pub async fn update_question(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<(i64, i64)>,
    body: Json<UpdateQuestionRequest>,
) -> ApiResult<web::Json<AdminQuestion>> {
    let (id, qid) = path.into_inner();
    let q = questions::update_question(&state.db, id, qid, body.into_inner()).await?;
    Ok(web::Json(questions::question_to_admin(&q)))
}

/// Delete a question (until the competition starts; a published quiz keeps at least one).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Competition id"), ("qid" = i64, Path, description = "Question id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`", body = ErrorBody),
    )
)]
#[delete("/competitions/{id}/questions/{qid}")]
#[tracing::instrument(skip_all)]
pub async fn delete_question(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (id, qid) = path.into_inner();
    questions::delete_question(&state.db, id, qid).await?;
    Ok(HttpResponse::NoContent().finish())
}
