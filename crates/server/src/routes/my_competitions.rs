//! GET /api/v1/me/competitions: "مسابقاتي", the competitions the caller joined.

use actix_web::{get, web};
use domain::my_competitions::MyCompetitionPage;
use domain::ErrorBody;
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::routes::competitions::public_status;
use crate::routes::pagination::PageParams;
use crate::services::my_competitions;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyCompetitionQuery {
    /// `upcoming` (not started), `running`, `ended` (ended or finalized), `finalized` or `open`
    /// (registration still open); absent: all of them.
    #[param(pattern = "^(open|upcoming|running|ended|finalized)$")]
    pub status: Option<String>,
}

/// The competitions the caller joined (withdrawals left out), newest first, each with the
/// caller's status, score, rank and the points credited at finalization.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(MyCompetitionQuery, PageParams),
    responses(
        (status = 200, body = MyCompetitionPage),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/competitions")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<MyCompetitionQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<MyCompetitionPage>> {
    let (items, next_cursor) = my_competitions::list(
        &state.db,
        user.id,
        public_status(query.status.as_deref())?,
        page.cursor_id()?,
        page.limit()?,
    )
    .await?;
    Ok(web::Json(MyCompetitionPage { items, next_cursor }))
}
