//! The OpenAPI document: paths and schemas are collected from the handlers' annotations by
//! utoipa-actix-web as the routes are mounted; this adds the info, tags and security schemes.

use actix_web::{get, web, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Musabaqati API",
        description = "REST API of Musabaqati (مسابقاتي), an Arabic-first competition platform. Errors always use `{\"error\":{\"code\",\"message\",\"fields\"}}` with a stable English `code` and an Arabic `message`.",
        license(name = "GPL-3.0-or-later")
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "auth", description = "Registration, sign-in and sessions"),
        (name = "me", description = "The signed-in user's own account"),
        (name = "points", description = "Points (كربتو): balance, ledger, transfers"),
        (name = "notifications", description = "The user's notifications"),
        (name = "competitions", description = "Competitions: browse, join, the quiz, submissions and boards"),
        (name = "leaderboard", description = "Leaderboards by points earned: all-time, this month, this week"),
        (name = "rewards", description = "The rewards catalogue, redeeming and the caller's redemptions"),
        (name = "purchases", description = "Point packages and purchases (paid outside the platform, confirmed by an admin)"),
        (name = "settings", description = "Public settings the app needs before sign-in"),
        (name = "referrals", description = "Friend Challenge (تحدي الصديق)"),
        (name = "chat", description = "Chat: group rooms, direct messages, read markers, blocks, and the live WebSocket (docs/CHAT.md)"),
        (name = "admin", description = "Admin section (role admin)"),
        (name = "health", description = "Liveness, readiness, metrics and this document"),
    ),
    components(schemas(domain::ErrorBody, domain::ErrorDetail, domain::ErrorCode)),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// The generated document, rendered once per worker at start-up.
pub struct SpecJson(pub String);

/// This OpenAPI 3 document.
#[utoipa::path(tag = "health", responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
#[get("/openapi.json")]
pub async fn spec(doc: web::Data<SpecJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}
