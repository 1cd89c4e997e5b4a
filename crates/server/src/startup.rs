//! Builds the HTTP server: `Application::build` binds (port 0 in tests) and exposes the port;
//! `run_until_stopped` serves until SIGTERM/SIGINT, then drains in-flight requests.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{http, web, App, HttpServer};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::config::Settings;
use crate::middleware::{
    api_key, errors, https, rate_limit, request_id, security_headers, text_input,
};
use crate::openapi::{ApiDoc, SpecJson};
use crate::routes::{
    self, admin, auth, competitions, health, leaderboard, me, notifications, points,
};
use crate::services::api_usage::UsageWriter;
use crate::services::leaderboard::LeaderboardCache;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    _scheduler: Option<Scheduler>,
    _housekeeping: Option<Scheduler>,
    _mailer: Option<Scheduler>,
    _chat: crate::chat::HubTask,
    usage: Option<UsageWriter>,
}

/// The competition scheduler task; it stops with the application.
struct Scheduler(tokio::task::JoinHandle<()>);

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.0.abort();
    }
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
    pub async fn build_with_db(
        mut settings: Settings,
        db: DatabaseConnection,
    ) -> anyhow::Result<Self> {
        crate::metrics::init();
        // Compute the dummy hash now so the first unknown-user login is not slower than others.
        tokio::task::spawn_blocking(crate::auth::password::warm_up)
            .await
            .context("warming up the password hasher")?;
        // Accounts from before the look-alike check get their name skeletons (a no-op after).
        let filled = crate::services::names::backfill_skeletons(&db)
            .await
            .map_err(|e| anyhow::anyhow!("filling name skeletons: {e}"))?;
        if filled > 0 {
            tracing::info!(filled, "name skeletons filled for existing accounts");
        }
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        if settings.public_url.is_none() {
            // Links in emails point at this server as bound (port 0 becomes the real port).
            let host = settings
                .bind
                .rsplit_once(':')
                .map_or("127.0.0.1", |(host, _)| host);
            let host = if host == "0.0.0.0" || host.is_empty() {
                "127.0.0.1"
            } else {
                host
            };
            settings.public_url = Some(format!("http://{host}:{port}"));
            if settings.is_production() {
                tracing::warn!(
                    "MUSABAQATI_PUBLIC_URL is not set: links in emails point at {}",
                    settings.public_url.as_deref().unwrap_or_default()
                );
            }
        }
        let workers = settings.workers;
        let scheduler = (settings.scheduler_interval_ms > 0).then(|| {
            Scheduler(crate::services::scheduler::spawn(
                db.clone(),
                std::time::Duration::from_millis(settings.scheduler_interval_ms),
            ))
        });
        let housekeeping = (settings.housekeeping_interval_secs > 0).then(|| {
            Scheduler(crate::services::housekeeping::spawn(
                db.clone(),
                std::time::Duration::from_secs(settings.housekeeping_interval_secs),
            ))
        });
        let mailer = match settings.mail_poll_ms {
            0 => None,
            ms => Some(Scheduler(crate::services::mailer::spawn(
                db.clone(),
                crate::services::mailer::transport(&settings)?,
                crate::services::mailer::Policy::from_settings(&settings),
                std::time::Duration::from_millis(ms),
            ))),
        };
        let limiter = match &settings.redis_url {
            Some(url) => rate_limit::Limiter::shared(url.expose(), &settings.redis_prefix)?,
            None => rate_limit::Limiter::local(),
        };
        tracing::info!(
            shared = limiter.is_shared(),
            "request-rate limits are {}",
            if limiter.is_shared() {
                "shared through Redis"
            } else {
                "kept per process"
            }
        );
        let state = web::Data::new(AppState::new(db.clone(), settings, limiter));
        let chat = state.chat.start(state.settings.database_url.clone());
        let usage = state.usage.start(
            db.clone(),
            std::time::Duration::from_millis(state.settings.usage_flush_ms),
            state.settings.usage_batch_rows,
        );
        let server = server(listener, state, workers)?;
        Ok(Self {
            port,
            server,
            db,
            _scheduler: scheduler,
            _housekeeping: housekeeping,
            _mailer: mailer,
            _chat: chat,
            usage,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        flush_usage(self.usage).await;
        result
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting connections and lets in-flight
    /// requests finish (up to the shutdown timeout) before returning.
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        // The handlers are registered here, before anything is spawned: a SIGTERM that arrives
        // right after "listening" is logged must not meet the default action (exit by signal).
        let signal = shutdown_signal();
        // Announced only now: whoever waits for this line (a supervisor, the CLI test) may send
        // SIGTERM at once, and before the handlers exist that would kill the process outright.
        tracing::info!(port = self.port, "musabaqati is listening");
        tokio::spawn(async move {
            signal.await;
            tracing::info!("shutdown signal received; draining in-flight requests");
            handle.stop(true).await;
        });
        let result = self.server.await;
        flush_usage(self.usage).await;
        result
    }
}

/// The API usage rows still queued when the server stops are written before the process exits.
async fn flush_usage(usage: Option<UsageWriter>) {
    if let Some(usage) = usage {
        usage.shutdown(std::time::Duration::from_secs(10)).await;
    }
}

/// Registers the handlers now (synchronously) and returns the wait for the first signal.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let handlers = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        );
        async move {
            match handlers {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
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
    let production = settings.is_production();
    let json_limit = settings.json_limit_bytes;
    let spa = web::Data::new(routes::spa::Spa::load(&settings.static_dir));
    // Compress the app's code once, in the background, before the first visit asks for it.
    let (assets, dir) = (
        std::sync::Arc::clone(&spa.compressed),
        settings.static_dir.clone(),
    );
    std::thread::spawn(move || assets.warm(&dir));
    // One per process, shared by the workers.
    let leaderboard_cache = web::Data::new(LeaderboardCache::default());

    let mut http = HttpServer::new(move || {
        let (app, mut api) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(state.clone())
            .app_data(leaderboard_cache.clone())
            .app_data(routes::json_config(json_limit))
            .app_data(routes::query_config())
            .app_data(routes::path_config())
            .app_data(web::PayloadConfig::new(json_limit))
            .service(health::live)
            .service(health::ready)
            .service(health::metrics)
            .service(
                scope::scope("/api/v1")
                    .wrap(from_fn(text_input::middleware))
                    .wrap(from_fn(rate_limit::per_address))
                    // Runs before the per-IP limiter, which then exempts key-authenticated calls.
                    .wrap(from_fn(api_key::middleware))
                    .service(crate::openapi::spec)
                    .service(
                        scope::scope("/auth")
                            .wrap(from_fn(rate_limit::per_address_auth))
                            .service(auth::register)
                            .service(auth::login)
                            .service(routes::totp::login_totp)
                            .service(routes::totp::step_up)
                            .service(auth::refresh)
                            .service(auth::logout)
                            .service(auth::logout_all)
                            .service(auth::request_password_reset)
                            .service(auth::confirm_password_reset)
                            .service(routes::account::verify_email),
                    )
                    .service(
                        scope::scope("/me")
                            .service(me::get_me)
                            .service(routes::my_competitions::list)
                            .service(me::update_me)
                            .service(routes::account::delete_me)
                            .service(routes::account::export_my_data)
                            .service(routes::account::resend_verification)
                            .service(me::change_password)
                            .service(me::list_sessions)
                            .service(me::end_session)
                            .service(routes::totp::status)
                            .service(routes::totp::setup)
                            .service(routes::totp::enable)
                            .service(routes::totp::disable),
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
                        scope::scope("/competitions")
                            .service(competitions::list_competitions)
                            .service(competitions::get_competition)
                            .service(competitions::join_competition)
                            .service(competitions::withdraw_from_competition)
                            .service(competitions::get_questions)
                            .service(competitions::submit_answers)
                            .service(routes::entries::put_entry)
                            .service(routes::entries::get_entry)
                            .service(competitions::competition_leaderboard),
                    )
                    .service(scope::scope("/leaderboard").service(leaderboard::global_leaderboard))
                    .service(scope::scope("/users").service(routes::profiles::public_profile))
                    .service(
                        scope::scope("/notifications")
                            .service(notifications::list)
                            .service(notifications::mark_read)
                            .service(notifications::mark_all_read),
                    )
                    .service(
                        scope::scope("/rewards")
                            .service(routes::rewards::catalogue)
                            .service(routes::rewards::redeem),
                    )
                    .service(
                        scope::scope("/redemptions")
                            .service(routes::redemptions::my_redemptions)
                            .service(routes::redemptions::cancel_redemption),
                    )
                    .service(scope::scope("/packages").service(routes::packages::list_packages))
                    .service(
                        scope::scope("/purchases")
                            .service(routes::purchases::request_purchase)
                            .service(routes::purchases::my_purchases)
                            .service(routes::purchases::cancel_purchase),
                    )
                    .service(scope::scope("/settings").service(routes::settings::public_settings))
                    .service(scope::scope("/referrals").service(routes::referrals::summary))
                    .service(routes::ws::websocket)
                    .service(
                        scope::scope("/chat")
                            .service(routes::chat::list_rooms)
                            .service(routes::chat::create_room)
                            .service(routes::chat::get_room)
                            .service(routes::chat::join_room)
                            .service(routes::chat::leave_room)
                            .service(routes::chat::invite_member)
                            .service(routes::chat::list_members)
                            .service(routes::chat::mute_room)
                            .service(routes::chat::mark_room_read)
                            .service(routes::chat::list_messages)
                            .service(routes::chat::send_message)
                            .service(routes::chat::edit_message)
                            .service(routes::chat::delete_message)
                            .service(routes::chat::open_direct_room)
                            .service(routes::chat::list_blocks)
                            .service(routes::chat::block_user)
                            .service(routes::chat::unblock_user),
                    )
                    .service(
                        scope::scope("/admin")
                            .service(admin::referrals::list)
                            .service(admin::chat::create_chat_room)
                            .service(admin::chat::list_chat_rooms)
                            .service(admin::chat::update_chat_room)
                            .service(admin::chat::delete_chat_room)
                            .service(admin::referrals::approve)
                            .service(admin::referrals::reject)
                            .service(admin::users::list)
                            .service(admin::users::get_one)
                            .service(admin::users::update)
                            .service(admin::users::issue_reset_link)
                            .service(admin::emails::list_emails)
                            .service(admin::emails::retry_email)
                            .service(admin::audit::list)
                            .service(admin::notifications::list)
                            // Before `/notifications/{id}/read` would be tried with "read-all".
                            .service(admin::notifications::mark_all_read)
                            .service(admin::notifications::mark_read)
                            .service(admin::safety::safety_summary)
                            .service(admin::safety::list_held_transfers)
                            .service(admin::safety::release_held_transfer)
                            .service(admin::safety::reject_held_transfer)
                            .service(admin::safety::list_risk_flags)
                            .service(admin::safety::clear_risk_flag)
                            .service(admin::safety::flag_user)
                            .service(admin::safety::user_risk)
                            .service(admin::safety::unlock_user)
                            .service(admin::safety::end_user_session)
                            .service(admin::safety::unblock_address)
                            .service(admin::points::award)
                            .service(admin::points::adjust)
                            .service(admin::points::user_transactions)
                            .service(admin::points::verify)
                            .service(admin::rewards::create_reward)
                            .service(admin::rewards::list_rewards)
                            .service(admin::rewards::get_reward)
                            .service(admin::rewards::update_reward)
                            .service(admin::rewards::retire_reward)
                            .service(admin::redemptions::list_redemptions)
                            .service(admin::redemptions::bulk_decide_redemptions)
                            .service(admin::redemptions::approve_redemption)
                            .service(admin::redemptions::reject_redemption)
                            .service(admin::redemptions::fulfill_redemption)
                            .service(admin::redemptions::user_redemptions)
                            .service(admin::packages::create_package)
                            .service(admin::packages::list_all_packages)
                            .service(admin::packages::get_package)
                            .service(admin::packages::update_package)
                            .service(admin::packages::delete_package)
                            .service(admin::purchases::list_purchases)
                            .service(admin::purchases::record_purchase)
                            .service(admin::purchases::mark_purchase_paid)
                            .service(admin::purchases::cancel_purchase)
                            .service(admin::purchases::user_purchases)
                            .service(admin::settings::get_settings)
                            .service(admin::settings::put_settings)
                            .service(admin::stats::get_stats)
                            .service(admin::export::export_csv)
                            .service(admin::competitions::create_competition)
                            .service(admin::competitions::list_all_competitions)
                            .service(admin::competitions::get_any_competition)
                            .service(admin::competitions::update_competition)
                            .service(admin::competitions::delete_competition)
                            .service(admin::competitions::publish_competition)
                            .service(admin::competitions::finalize_competition)
                            .service(admin::competitions::set_competition_results)
                            .service(admin::competitions::list_participants)
                            .service(routes::entries::list_entries)
                            .service(admin::competitions::add_question)
                            .service(admin::competitions::list_questions)
                            .service(admin::competitions::update_question)
                            .service(admin::competitions::delete_question)
                            .service(admin::api_keys::list_api_keys)
                            .service(admin::api_keys::create_api_key)
                            // Before `/api-keys/{id}`, which would otherwise match it.
                            .service(admin::api_keys::list_failed_auth)
                            .service(admin::api_keys::get_api_key)
                            .service(admin::api_keys::update_api_key)
                            .service(admin::api_keys::revoke_api_key)
                            .service(admin::api_keys::rotate_api_key)
                            .service(admin::api_keys::api_key_usage),
                    )
                    .default_service(web::to(routes::not_found)),
            )
            .split_for_parts();
        crate::openapi::document_api_key_access(&mut api);
        crate::openapi::document_error_responses(&mut api);
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
            .wrap(from_fn(https::middleware))
            .wrap(security_headers::headers(production))
            .wrap(from_fn(request_id::middleware))
    })
    .listen(listener)?
    .shutdown_timeout(15)
    // Signals are handled by `run_until_signalled` (actix's own handlers are not installed when
    // the runtime is tokio's).
    .disable_signals();
    if let Some(n) = workers {
        http = http.workers(n);
    }
    Ok(http.run())
}
