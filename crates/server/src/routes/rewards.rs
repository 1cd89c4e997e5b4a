//! /api/v1/rewards: the catalogue (anonymous visitors allowed) and redeeming.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::rewards::{clean_optional, CataloguePage, RedeemRequest, RedeemResponse};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::json;

use crate::auth::extractors::OptionalAuthUser;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::OptionalJson;
use crate::routes::pagination::PageParams;
use crate::services::{idempotency, redemptions, rewards, users as user_svc};
use crate::state::AppState;

/// A free-text query parameter: trimmed, `None` when empty, 422 when too long or when it
/// carries control characters (PostgreSQL refuses NUL bytes in text).
pub fn query_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    let Some(text) = clean_optional(value) else {
        return Ok(None);
    };
    if text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            field,
            "قيمة البحث طويلة جدًا أو تحتوي على رموز غير مسموحة.",
        ));
    }
    Ok(Some(text))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueParams {
    /// Only this category.
    pub category: Option<String>,
    /// Search in names, category and description (Arabic-normalized: أ/إ/آ, ة/ه, ى/ي and
    /// diacritics do not matter).
    pub q: Option<String>,
    /// Only rewards the caller's balance covers (requires sign-in).
    pub affordable: Option<bool>,
}

/// The rewards catalogue, cheapest first: active, non-retired rewards inside their availability
/// window (sold-out ones included, with `in_stock: false`). Anonymous visitors may browse; with
/// a Bearer token every item also says whether the caller can afford and still redeem it.
#[utoipa::path(
    tag = "rewards",
    security((), ("bearer" = [])),
    params(CatalogueParams, PageParams),
    responses(
        (status = 200, body = CataloguePage),
        (status = 401, description = "A bad token, or `affordable=true` without one", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn catalogue(
    state: web::Data<AppState>,
    viewer: OptionalAuthUser,
    query: web::Query<CatalogueParams>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<CataloguePage>> {
    let text = query_text("q", query.q.as_deref(), 100)?;
    let category = query_text("category", query.category.as_deref(), 100)?;
    let viewer_row = match viewer.id() {
        Some(id) => Some(user_svc::get(&state.db, id).await?),
        None => None,
    };
    let params = rewards::CatalogueQuery {
        category,
        q: text,
        affordable: query.affordable == Some(true),
        cursor: rewards::parse_catalogue_cursor(page.cursor.as_deref())?,
        limit: page.limit()?,
    };
    Ok(web::Json(
        rewards::catalogue(&state.db, viewer_row.as_ref(), &params).await?,
    ))
}

/// Redeem a reward: the cost is debited and one item held now; the request then waits for an
/// admin (status `pending`). The body is optional. Send an `Idempotency-Key` header so a retry
/// never redeems twice.
#[utoipa::path(
    tag = "rewards",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Reward id"),
        crate::services::idempotency::IdempotencyHeader,
    ),
    request_body(content = Option<RedeemRequest>, description = "Optional: a note for the admins"),
    responses(
        (status = 201, body = RedeemResponse),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`account_suspended`, or `email_not_verified` (the `email_verification_required` setting is on and the account has not confirmed its email)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`insufficient_points`, `out_of_stock`, `limit_reached` or `reward_unavailable` (inactive, retired, not yet or no longer available)", body = ErrorBody),
        (status = 422, description = "Invalid note or a reused Idempotency-Key", body = ErrorBody),
    )
)]
#[post("/{id}/redeem")]
#[tracing::instrument(skip_all)]
pub async fn redeem(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<i64>,
    body: OptionalJson<RedeemRequest>,
) -> ApiResult<HttpResponse> {
    let reward_id = path.into_inner();
    let body = body.into_inner();
    body.validate().map_err(ApiError::Validation)?;
    let note = clean_optional(body.note.as_deref());
    crate::services::verification::require_verified(&state.db, &user.account).await?;
    let key = idempotency::from_request(
        &req,
        format!("user:{}", user.id),
        &json!({"reward_id": reward_id, "note": note}),
    )?;
    let (note_ref, key_ref, user_id) = (&note, &key, user.id);
    idempotency::run(
        &state.db,
        key.clone(),
        StatusCode::CREATED,
        |txn| async move {
            redemptions::redeem(
                &*txn,
                user_id,
                reward_id,
                note_ref.clone(),
                key_ref.as_ref().map(|k| k.key.clone()),
            )
            .await
        },
    )
    .await
}
