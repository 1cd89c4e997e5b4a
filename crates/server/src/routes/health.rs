//! Liveness, readiness and Prometheus metrics.

use actix_web::{get, web, HttpRequest, HttpResponse, ResponseError};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up (no dependencies checked).
#[utoipa::path(tag = "health", responses((status = 200, body = HealthStatus)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(HealthStatus { status: "ok" })
}

async fn db_up(state: &AppState) -> bool {
    state.db.execute_unprepared("SELECT 1").await.is_ok()
}

/// The process can serve traffic: the database answers.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthStatus), (status = 503, body = domain::ErrorBody)))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if db_up(&state).await {
        HttpResponse::Ok().json(HealthStatus { status: "ok" })
    } else {
        HttpResponse::ServiceUnavailable().json(domain::ErrorBody::new(
            domain::ErrorCode::ServiceUnavailable,
        ))
    }
}

/// Prometheus metrics in the text exposition format, for the scraper only: from the addresses in
/// `MUSABAQATI_METRICS_ALLOW` (default loopback) or with `Authorization: Bearer
/// <MUSABAQATI_METRICS_TOKEN>`.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Prometheus text format", content_type = "text/plain"),
        (status = 403, description = "Neither an allowed address nor the metrics token", body = domain::ErrorBody),
    )
)]
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if !crate::metrics::may_read(&req, &state.settings) {
        return crate::error::ApiError::forbidden().error_response();
    }
    let body = crate::metrics::render(db_up(&state).await, &state.db);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}
