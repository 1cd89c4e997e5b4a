//! Shared application state handed to every handler via `web::Data<AppState>`.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::chat::Hub;
use crate::config::Settings;
use crate::middleware::rate_limit::{IpBlocks, Limiter};
use crate::services::api_usage::UsageLog;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    /// Live chat delivery for this process (started by `startup`).
    pub chat: Arc<Hub>,
    /// API-key usage rows on their way to the database (the writer is started by `startup`).
    pub usage: Arc<UsageLog>,
    /// Request-rate limits (per address, per key, per user): shared through Redis when
    /// configured, else this process's own.
    pub limiter: Arc<Limiter>,
    /// Addresses blocked for refused API keys, as far as this process knows.
    pub ip_blocks: Arc<IpBlocks>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings, limiter: Limiter) -> Self {
        let jwt = JwtKeys::new(settings.jwt_secret.expose(), settings.access_token_ttl_secs);
        Self {
            chat: Arc::new(Hub::new(db.clone())),
            usage: Arc::new(UsageLog::default()),
            limiter: Arc::new(limiter),
            ip_blocks: Arc::new(IpBlocks::default()),
            db,
            settings: Arc::new(settings),
            jwt,
        }
    }

    /// Where people open the app, for links in emails (`startup` fills it in when unset).
    pub fn public_url(&self) -> String {
        self.settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.settings.bind))
    }
}
