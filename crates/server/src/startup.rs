//! Builds the HTTP server: `Application::build` binds (port 0 in tests) and exposes the port;
//! `run_until_stopped` serves until SIGTERM/SIGINT, then drains in-flight requests.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_governor::Governor;
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{http, web, App, HttpServer};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::config::Settings;
use crate::middleware::{errors, rate_limit, request_id, security_headers};
use crate::openapi::{ApiDoc, SpecJson};
use crate::routes::{self, admin, auth, health, me, notifications, points};
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.validate()?;
        let db = crate::db::connect(&settings).await?;
        if settings.run_migrations {
            crate::db::migrate(&db).await?;
        }
        Self::build_with_db(settings, db).await
    }

    /// Serves on an existing connection (tests share their freshly created database this way).
    pub async fn build_with_db(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        crate::metrics::init();
        // Compute the dummy hash now so the first unknown-user login is not slower than others.
        tokio::task::spawn_blocking(crate::auth::password::warm_up)
            .await
            .context("warming up the password hasher")?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers;
        let state = web::Data::new(AppState::new(db.clone(), settings));
        let server = server(listener, state, workers)?;
        Ok(Self { port, server, db })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn cors(settings: &Settings) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(vec!["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers(vec![
            http::header::AUTHORIZATION,
            http::header::CONTENT_TYPE,
            http::header::ACCEPT,
        ])
        .allowed_header("idempotency-key")
        .allowed_header("x-api-key")
        .allowed_header("x-request-id")
        .expose_headers(vec![
            "retry-after",
            "x-request-id",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
        ])
        .supports_credentials()
        .max_age(3600);
    for origin in &settings.cors_origins {
        // A wildcard is refused in production by Settings::validate; in development it is allowed.
        if origin == "*" {
            cors = cors.allow_any_origin();
        } else {
            cors = cors.allowed_origin(origin);
        }
    }
    cors
}

fn server(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: Option<usize>,
) -> anyhow::Result<Server> {
    let settings = state.settings.clone();
    let limits = &settings.rate_limits;
    let api_limiter = rate_limit::per_second(
        limits.api_per_second,
        limits.api_burst,
        settings.trust_proxy,
    )?;
    let auth_limiter = rate_limit::per_minute(
        limits.auth_per_minute,
        limits.auth_burst,
        settings.trust_proxy,
    )?;
    let production = settings.is_production();
    let json_limit = settings.json_limit_bytes;
    let spa = web::Data::new(routes::spa::Spa::load(&settings.static_dir));

    let mut http = HttpServer::new(move || {
        let (app, api) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(state.clone())
            .app_data(routes::json_config(json_limit))
            .app_data(routes::query_config())
            .app_data(routes::path_config())
            .app_data(web::PayloadConfig::new(json_limit))
            .service(health::live)
            .service(health::ready)
            .service(health::metrics)
            .service(
                scope::scope("/api/v1")
                    .wrap(Governor::new(&api_limiter))
                    .service(crate::openapi::spec)
                    .service(
                        scope::scope("/auth")
                            .wrap(Governor::new(&auth_limiter))
                            .service(auth::register)
                            .service(auth::login)
                            .service(auth::refresh)
                            .service(auth::logout)
                            .service(auth::logout_all),
                    )
                    .service(
                        scope::scope("/me")
                            .service(me::get_me)
                            .service(me::update_me)
                            .service(me::change_password)
                            .service(me::list_sessions)
                            .service(me::end_session),
                    )
                    .service(
                        scope::scope("/points")
                            .service(points::get_balance)
                            .service(points::transactions)
                            .service(points::history)
                            .service(points::transfer)
                            .service(points::lookup_recipient),
                    )
                    .service(
                        scope::scope("/notifications")
                            .service(notifications::list)
                            .service(notifications::mark_read)
                            .service(notifications::mark_all_read),
                    )
                    .service(
                        scope::scope("/admin")
                            .service(admin::users::list)
                            .service(admin::users::get_one)
                            .service(admin::users::update)
                            .service(admin::audit::list)
                            .service(admin::notifications::list)
                            .service(admin::notifications::mark_read)
                            .service(admin::points::award)
                            .service(admin::points::adjust)
                            .service(admin::points::user_transactions)
                            .service(admin::points::verify),
                    )
                    .default_service(web::to(routes::not_found)),
            )
            .split_for_parts();
        app.app_data(web::Data::new(SpecJson(api.to_json().unwrap_or_default())))
            .service(
                SwaggerUi::new("/api/docs/{_:.*}").config(
                    SwaggerConfig::new(["/api/v1/openapi.json"])
                        .validator_url("none")
                        .try_it_out_enabled(true),
                ),
            )
            .service(web::redirect("/api/docs", "/api/docs/"))
            .app_data(spa.clone())
            .default_service(web::to(routes::spa::serve))
            // Middleware: the last wrapped runs first.
            .wrap(Compress::default())
            .wrap(cors(&settings))
            .wrap(errors::json_errors())
            .wrap(security_headers::headers(production))
            .wrap(from_fn(request_id::middleware))
    })
    .listen(listener)?
    .shutdown_timeout(15);
    if let Some(n) = workers {
        http = http.workers(n);
    }
    Ok(http.run())
}
