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
    components(schemas(
        domain::ErrorBody,
        domain::ErrorDetail,
        domain::ErrorCode,
        // Named by a query parameter only, which utoipa does not collect on its own.
        domain::api_keys::FailedAuthReason
    )),
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
                "An integrator key `mk_…` (also accepted as `Authorization: Bearer mk_…`). It acts as the admin who created it; each operation lists the scope it needs: participant scopes for participant routes, `admin:…` scopes (service keys only) for admin routes. See docs/INTEGRATORS.md.",
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
        Some(Access::Never) | None => {
            // A key sent to such an operation is refused with 403, also where the operation is
            // otherwise public (the fuzzer found `POST /auth/password-reset` answering an
            // undocumented 403 to a key).
            operation
                .responses
                .responses
                .entry("403".to_owned())
                .or_insert_with(|| {
                    RefOr::T(error_response(
                        "`api_key_not_allowed`: API keys are not accepted here",
                    ))
                });
            (
                None,
                "API keys: not accepted (403 `api_key_not_allowed`).".to_owned(),
            )
        }
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
/// (422), a header parameter it refuses, such as a malformed `Idempotency-Key` (422), a missing, expired or refused credential (401) or one without the right (403), and the
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
            let has_header = located(|p| matches!(p, ParameterIn::Header));
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
            if has_header {
                add("422", "A header parameter is invalid (named in `fields`)");
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

/// utoipa takes only literals for `minimum`, `max_length`… in its attributes, so the request
/// schemas repeat numbers the validation rules define as constants. This checks every such
/// number against its constant, so the document cannot drift from what the server enforces.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use domain::{api_keys, auth, chat, competitions as comp, packages as pkg, points, rewards};
    use domain::{pagination, validation as val};
    use serde_json::Value;
    use utoipa::openapi::path::ParameterIn;
    use utoipa::{IntoParams, PartialSchema};

    fn properties<T: PartialSchema>() -> Value {
        serde_json::to_value(T::schema()).unwrap()["properties"].clone()
    }

    fn param<T: IntoParams>(name: &str) -> Value {
        let params = serde_json::to_value(T::into_params(|| Some(ParameterIn::Query))).unwrap();
        let found = params
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name);
        found.unwrap()["schema"].clone()
    }

    /// `schema[keyword] == expected` for every `(field, keyword, expected)`.
    fn check(what: &str, schema: &Value, field: &str, limits: &[(&str, i128)]) {
        for (keyword, expected) in limits {
            let got = schema[field][keyword].as_f64();
            assert_eq!(
                got,
                Some(*expected as f64),
                "{what}.{field}: `{keyword}` in the OpenAPI schema should be {expected}"
            );
        }
    }

    macro_rules! body {
        ($ty:ty { $($field:literal: [$($kw:literal = $val:expr),+]),+ $(,)? }) => {{
            let schema = properties::<$ty>();
            $( check(stringify!($ty), &schema, $field, &[$(($kw, $val as i128)),+]); )+
        }};
    }

    /// The same limits on several bodies (a create request and its update, say).
    macro_rules! bodies {
        ([$($ty:ty),+ $(,)?] $fields:tt) => {{
            $( body!($ty $fields); )+
        }};
    }

    #[test]
    fn request_schemas_state_the_validation_limits() {
        let (user_min, user_max) = (val::USERNAME_MIN, val::USERNAME_MAX);
        body!(auth::RegisterRequest {
            "username": ["minLength" = user_min, "maxLength" = user_max],
            "email": ["maxLength" = val::EMAIL_MAX],
            "password": ["minLength" = val::PASSWORD_MIN, "maxLength" = val::PASSWORD_MAX],
            "display_name": ["minLength" = 1, "maxLength" = val::DISPLAY_NAME_MAX],
        });
        body!(auth::LoginRequest {
            "login": ["maxLength" = val::EMAIL_MAX],
            "password": ["maxLength" = val::PASSWORD_MAX],
        });
        body!(auth::ChangePasswordRequest {
            "new_password": ["minLength" = val::PASSWORD_MIN, "maxLength" = val::PASSWORD_MAX],
        });
        body!(auth::UpdateMeRequest {
            "display_name": ["maxLength" = val::DISPLAY_NAME_MAX],
            "email": ["maxLength" = val::EMAIL_MAX],
        });

        body!(points::TransferRequest {
            "to_username": ["minLength" = user_min, "maxLength" = user_max],
            "amount": ["minimum" = 1, "maximum" = points::AMOUNT_MAX],
            "note": ["maxLength" = points::NOTE_MAX],
        });
        bodies!([points::AwardRequest, points::AdjustRequest] {
            "amount": ["minimum" = -points::AMOUNT_MAX, "maximum" = points::AMOUNT_MAX],
            "reason": ["maxLength" = points::REASON_MAX],
        });

        body!(comp::Prize {
            "rank": ["minimum" = 1, "maximum" = comp::PRIZES_MAX],
            "points": ["minimum" = 1, "maximum" = comp::POINTS_MAX],
        });
        bodies!([comp::CreateCompetitionRequest, comp::UpdateCompetitionRequest] {
            "title_en": ["maxLength" = comp::TITLE_MAX],
            "description": ["maxLength" = comp::DESCRIPTION_MAX],
            "description_en": ["maxLength" = comp::DESCRIPTION_MAX],
            "rules": ["maxLength" = comp::RULES_MAX],
            "category": ["maxLength" = comp::CATEGORY_MAX],
            "cover_url": ["maxLength" = comp::URL_MAX],
            "title": ["maxLength" = comp::TITLE_MAX],
            "quiz_duration_seconds": ["minimum" = comp::QUIZ_DURATION_MIN, "maximum" = comp::QUIZ_DURATION_MAX],
            "max_participants": ["minimum" = 1, "maximum" = comp::MAX_PARTICIPANTS_MAX],
            "entry_fee": ["minimum" = 0, "maximum" = comp::POINTS_MAX],
            "participation_points": ["minimum" = 0, "maximum" = comp::POINTS_MAX],
            "prizes": ["maxItems" = comp::PRIZES_MAX],
        });
        bodies!([comp::QuestionRequest, comp::UpdateQuestionRequest] {
            "text": ["maxLength" = comp::QUESTION_TEXT_MAX],
            "choices": ["minItems" = comp::CHOICES_MIN, "maxItems" = comp::CHOICES_MAX],
            "correct_index": ["minimum" = 0, "maximum" = comp::CHOICES_MAX as i128 - 1],
            "points": ["minimum" = 1, "maximum" = comp::QUESTION_POINTS_MAX],
        });
        body!(comp::SubmissionRequest { "answers": ["maxItems" = comp::QUESTIONS_MAX] });
        body!(comp::AnswerInput { "choice_index": ["minimum" = 0] });
        body!(comp::ResultsRequest { "results": ["minItems" = 1, "maxItems" = comp::RESULTS_MAX] });
        body!(comp::ResultInput { "score": ["minimum" = 0, "maximum" = comp::SCORE_MAX] });

        bodies!([rewards::RewardRequest, rewards::UpdateRewardRequest] {
            "name": ["maxLength" = rewards::NAME_MAX],
            "name_en": ["maxLength" = rewards::NAME_MAX],
            "description": ["maxLength" = rewards::DESCRIPTION_MAX],
            "image_url": ["maxLength" = rewards::URL_MAX],
            "icon": ["maxLength" = rewards::ICON_MAX],
            "category": ["maxLength" = rewards::CATEGORY_MAX],
            "cost": ["minimum" = 1, "maximum" = rewards::COST_MAX],
            "stock": ["minimum" = 0, "maximum" = rewards::STOCK_MAX],
            "per_user_limit": ["minimum" = 1, "maximum" = rewards::PER_USER_LIMIT_MAX],
        });
        body!(rewards::RedeemRequest { "note": ["maxLength" = rewards::USER_NOTE_MAX] });
        body!(rewards::DecisionRequest { "note": ["maxLength" = rewards::ADMIN_NOTE_MAX] });
        body!(rewards::BulkDecisionRequest {
            "ids": ["minItems" = 1, "maxItems" = rewards::BULK_MAX],
            "note": ["maxLength" = rewards::ADMIN_NOTE_MAX],
        });

        bodies!([pkg::PackageRequest, pkg::UpdatePackageRequest] {
            "name": ["maxLength" = pkg::PACKAGE_NAME_MAX],
            "name_en": ["maxLength" = pkg::PACKAGE_NAME_MAX],
            "label": ["maxLength" = pkg::LABEL_MAX],
            "points": ["minimum" = 1, "maximum" = pkg::POINTS_MAX],
            "bonus_points": ["minimum" = 0, "maximum" = pkg::POINTS_MAX],
            "price_minor": ["minimum" = 0, "maximum" = pkg::PRICE_MAX],
            "sort_order": ["minimum" = -pkg::SORT_ORDER_MAX, "maximum" = pkg::SORT_ORDER_MAX],
        });
        body!(pkg::MarkPaidRequest { "payment_reference": ["maxLength" = pkg::PAYMENT_REFERENCE_MAX] });
        body!(pkg::CancelPurchaseRequest { "note": ["maxLength" = pkg::PURCHASE_NOTE_MAX] });
        body!(pkg::RecordPurchaseRequest {
            "points": ["minimum" = 1, "maximum" = pkg::POINTS_MAX],
            "bonus_points": ["minimum" = 0, "maximum" = pkg::POINTS_MAX],
            "price_minor": ["minimum" = 0, "maximum" = pkg::PRICE_MAX],
            "payment_reference": ["maxLength" = pkg::PAYMENT_REFERENCE_MAX],
            "note": ["maxLength" = pkg::PURCHASE_NOTE_MAX],
        });

        bodies!([chat::CreateRoomRequest, chat::AdminCreateRoomRequest, chat::AdminUpdateRoomRequest] {
            "name": ["maxLength" = chat::ROOM_NAME_MAX],
            "description": ["maxLength" = chat::ROOM_DESCRIPTION_MAX],
        });
        body!(chat::UsernameRequest { "username": ["minLength" = user_min, "maxLength" = user_max] });
        body!(chat::MessageRequest { "body": ["maxLength" = chat::MESSAGE_MAX] });

        bodies!([api_keys::CreateApiKeyRequest, api_keys::UpdateApiKeyRequest] {
            "name": ["maxLength" = api_keys::NAME_MAX],
            "rate_limit_per_minute": ["minimum" = api_keys::RATE_LIMIT_MIN, "maximum" = api_keys::RATE_LIMIT_MAX],
            "award_max_per_call": ["minimum" = 1, "maximum" = api_keys::CEILING_MAX],
            "award_max_per_day": ["minimum" = 1, "maximum" = api_keys::CEILING_MAX],
        });
    }

    #[test]
    fn a_header_parameter_alone_documents_its_422() {
        // Finalizing takes no body and no query, only `Idempotency-Key`, which it validates.
        let mut operation = utoipa::openapi::path::OperationBuilder::new()
            .parameters(Some(
                crate::services::idempotency::IdempotencyHeader::into_params(|| None),
            ))
            .build();
        let mut api = utoipa::openapi::OpenApiBuilder::new()
            .paths(utoipa::openapi::PathsBuilder::new().path(
                "/api/v1/admin/competitions/{id}/finalize",
                utoipa::openapi::PathItem::new(
                    utoipa::openapi::HttpMethod::Post,
                    std::mem::take(&mut operation),
                ),
            ))
            .build();
        super::document_error_responses(&mut api);
        let item = &api.paths.paths["/api/v1/admin/competitions/{id}/finalize"];
        let responses = &item.post.as_ref().unwrap().responses.responses;
        assert!(responses.contains_key("422"), "{:?}", responses.keys());
        assert!(responses.contains_key("429"));
    }

    #[test]
    fn query_and_header_parameters_state_the_validation_limits() {
        use crate::routes::{admin, chat, competitions, leaderboard, pagination::PageParams};
        let page = [("minimum", 1), ("maximum", pagination::MAX_LIMIT as i128)];
        let limit = |schema: Value| {
            check(
                "limit",
                &serde_json::json!({ "limit": schema }),
                "limit",
                &page,
            )
        };
        limit(param::<PageParams>("limit"));
        limit(param::<competitions::LimitParams>("limit"));
        limit(param::<leaderboard::LeaderboardQuery>("limit"));
        let messages = serde_json::json!({ "limit": param::<chat::HistoryQuery>("limit") });
        check(
            "messages",
            &messages,
            "limit",
            &[
                ("minimum", 1),
                ("maximum", domain::chat::MESSAGES_MAX_LIMIT as i128),
            ],
        );
        let usage = serde_json::json!({ "days": param::<admin::api_keys::UsageQuery>("days") });
        check(
            "usage",
            &usage,
            "days",
            &[
                ("minimum", 1),
                ("maximum", api_keys::USAGE_DAYS_MAX as i128),
            ],
        );
        let key = serde_json::json!({ "key": param::<crate::services::idempotency::IdempotencyHeader>("Idempotency-Key") });
        check(
            "Idempotency-Key",
            &key,
            "key",
            &[
                ("minLength", 1),
                ("maxLength", crate::services::idempotency::KEY_MAX as i128),
            ],
        );
    }
}
