//! Shared application state handed to every handler via `web::Data<AppState>`.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::chat::Hub;
use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    /// Live chat delivery for this process (started by `startup`).
    pub chat: Arc<Hub>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let jwt = JwtKeys::new(settings.jwt_secret.expose(), settings.access_token_ttl_secs);
        Self {
            chat: Arc::new(Hub::new(db.clone())),
            db,
            settings: Arc::new(settings),
            jwt,
        }
    }
}
