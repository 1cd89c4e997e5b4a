//! The OpenAPI document: paths and schemas are collected from the handlers' annotations by
//! utoipa-actix-web as the routes are mounted; this adds the info, tags and security schemes.

use actix_web::http::Method;
use actix_web::{get, web, HttpResponse};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::auth::scopes::{self, Access};

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
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "An integrator key `mk_…` (also accepted as `Authorization: Bearer mk_…`). It acts for its owner; each operation lists the scope it needs. See docs/INTEGRATORS.md.",
            ))),
        );
    }
}

/// Marks every /api/v1 operation with what an API key needs, from the one route table: an
/// `api_key` security requirement carrying the scope (anonymous operations keep their empty
/// requirement), and a line in the description. Operations keys may not use say so.
pub fn document_api_key_access(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let operations = [
            (Method::GET, item.get.as_mut()),
            (Method::POST, item.post.as_mut()),
            (Method::PUT, item.put.as_mut()),
            (Method::PATCH, item.patch.as_mut()),
            (Method::DELETE, item.delete.as_mut()),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let access = scopes::lookup(&method, path).map(|r| r.access);
            annotate(operation, access);
        }
    }
}

fn annotate(operation: &mut Operation, access: Option<Access>) {
    let (requirement, note) = match access {
        Some(Access::Scope(scope)) => (
            Some(SecurityRequirement::new("api_key", [scope.as_str()])),
            format!("API keys: scope `{scope}`."),
        ),
        Some(Access::AnyKey) => (
            Some(SecurityRequirement::new("api_key", Vec::<String>::new())),
            "API keys: any valid key (no scope needed).".to_owned(),
        ),
        Some(Access::Never) | None => (
            None,
            "API keys: not accepted (403 `api_key_not_allowed`).".to_owned(),
        ),
    };
    if let Some(requirement) = requirement {
        // No requirement at all means "public"; keep that possible next to the key.
        let security = operation
            .security
            .get_or_insert_with(|| vec![SecurityRequirement::default()]);
        security.push(requirement);
    }
    operation.description = Some(match operation.description.take() {
        Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
        _ => note,
    });
}

/// Adds the error responses every operation can give but its annotation may not list, from what
/// the operation takes: a path parameter that does not parse (400), a body that is not JSON (400),
/// too large (413), of another type (415) or of the wrong shape (422), a query that does not parse
/// (422), a missing, expired or refused credential (401) or one without the right (403), and the
/// rate limits (429). All carry the one error body. Annotations keep their own, more specific,
/// descriptions where they have them.
pub fn document_error_responses(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let operations = [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ];
        for operation in operations.into_iter().flatten() {
            let params = operation.parameters.as_deref().unwrap_or_default();
            let located = |place: fn(&ParameterIn) -> bool| {
                params
                    .iter()
                    .any(|p| matches!(p, RefOr::T(p) if place(&p.parameter_in)))
            };
            let has_path = located(|p| matches!(p, ParameterIn::Path));
            let has_query = located(|p| matches!(p, ParameterIn::Query));
            let has_body = operation.request_body.is_some();
            let mut add = |status: &str, description: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(error_response(description)));
            };
            if has_path || has_body {
                add(
                    "400",
                    "Malformed request: a path parameter or the JSON body does not parse",
                );
            }
            if has_body {
                add("413", "The body is larger than the limit");
                add("415", "The body is not `application/json`");
                add(
                    "422",
                    "The body has the wrong shape or invalid fields (named in `fields`)",
                );
            }
            if has_query {
                add("422", "A query parameter is invalid (named in `fields`)");
            }
            if operation.security.is_some() {
                add("401", "Missing, expired or refused credentials");
                add(
                    "403",
                    "The caller may not do this (role, status, or an API key's scope)",
                );
            }
            add(
                "429",
                "Too many requests; retry after `Retry-After` seconds",
            );
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
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
