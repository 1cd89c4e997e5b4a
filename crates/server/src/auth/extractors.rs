//! Extractors that authenticate before a handler runs. A handler that takes `AuthUser` cannot be
//! reached without a valid, unrevoked token of an active account; `AdminUser` adds the role check.
//! A request the API-key middleware authenticated acts as the key's owner, and only where the
//! route table (`auth::scopes`) lets the key in: the extractors check it again with the pattern
//! the router matched, so every existing handler works with keys without knowing about them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use domain::ErrorCode;

use super::api_key::{self, ApiKeyPrincipal};
use super::jwt::TokenFailure;
use super::scopes;
use crate::entities::users;
use crate::error::ApiError;
use crate::services::{sessions, token_failures};
use crate::state::AppState;

/// The signed-in person making the request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub token_version: i32,
    /// The refresh-token family (device session) of this access token; empty for API keys.
    pub session_id: String,
    /// Set when the request is authenticated by an API key acting for this user.
    pub api_key_id: Option<i64>,
    /// The account row as read while authenticating this request (balance, profile), so
    /// handlers that show it need not read it again.
    pub account: Arc<users::Model>,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }
}

/// A signed-in admin. 401 without credentials, 403 for a non-admin.
#[derive(Debug, Clone)]
pub struct AdminUser(pub AuthUser);

impl std::ops::Deref for AdminUser {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("AppState is not registered")))
}

/// The key's owner when an API key authenticated the request and the matched route admits it.
/// A key the middleware did not authenticate (a route outside its reach) is refused, never
/// silently ignored.
fn key_user(req: &HttpRequest) -> Result<Option<AuthUser>, ApiError> {
    if let Some(principal) = req.extensions().get::<ApiKeyPrincipal>() {
        let route = req
            .match_pattern()
            .and_then(|pattern| scopes::lookup(req.method(), &pattern));
        api_key::check_access(principal, route)?;
        return Ok(Some(principal.user.clone()));
    }
    if api_key::credential(req).is_some() {
        return Err(ApiError::Code(ErrorCode::InvalidApiKey));
    }
    Ok(None)
}

async fn authenticate(req: HttpRequest) -> Result<AuthUser, ApiError> {
    if let Some(user) = key_user(&req)? {
        return Ok(user);
    }
    let state = state(&req)?;
    let token = bearer(&req).ok_or(ApiError::Code(ErrorCode::Unauthorized))?;
    match check_token(&state, token).await? {
        Ok(user) => Ok(user),
        Err(refusal) => Err(refuse(&state, refusal, &token_origin(&req)).await),
    }
}

/// Where a request came from, for the record of a refused token.
pub fn token_origin(req: &HttpRequest) -> token_failures::Origin {
    token_failures::Origin {
        ip: client_ip(req),
        method: req.method().to_string(),
        path: req.path().to_owned(),
    }
}

/// Checks an access token as every authenticated request does, and records a refusal. The
/// WebSocket endpoint uses it for `?token=` and for its `auth` frame, where browsers cannot
/// send an Authorization header.
pub async fn authenticate_token(
    state: &AppState,
    token: &str,
    origin: &token_failures::Origin,
) -> Result<AuthUser, ApiError> {
    match check_token(state, token).await? {
        Ok(user) => Ok(user),
        Err(refusal) => Err(refuse(state, refusal, origin).await),
    }
}

/// A token that was refused, with the account it claimed when that could be read.
#[derive(Debug, Clone, Copy)]
pub struct TokenRefusal {
    pub failure: TokenFailure,
    pub user_id: Option<i64>,
}

/// Records a refusal and returns the caller's error. A failure to record is logged, not
/// answered: the caller still gets the 401 it earned, never a 5xx.
async fn refuse(
    state: &AppState,
    refusal: TokenRefusal,
    origin: &token_failures::Origin,
) -> ApiError {
    let recorded = token_failures::record(
        &state.db,
        &state.settings.rate_limits,
        refusal.failure,
        refusal.user_id,
        origin,
    )
    .await;
    if let Err(err) = recorded {
        tracing::warn!(error = ?err, "recording a refused bearer token failed");
    }
    tracing::info!(reason = refusal.failure.as_str(), ip = %origin.ip, "bearer token refused");
    refusal.failure.error()
}

/// Signature, expiry, then in one query the account row and the token's session: the
/// token_version, the session (refresh family) and the account status are read on every
/// request, so logout, an ended session, logout-everywhere and suspension apply at once on
/// every replica. Writes nothing.
pub async fn check_token(
    state: &AppState,
    token: &str,
) -> Result<Result<AuthUser, TokenRefusal>, ApiError> {
    let refused = |failure, user_id| Ok(Err(TokenRefusal { failure, user_id }));
    let claims = match state.jwt.check(token) {
        Ok(claims) => claims,
        Err(failure) => return refused(failure, None),
    };
    let Ok(id) = claims.sub.parse::<i64>() else {
        return refused(TokenFailure::Malformed, None);
    };
    let Some((user, session_live)) =
        sessions::account_and_session(&state.db, id, &claims.sid).await?
    else {
        return refused(TokenFailure::UnknownUser, Some(id));
    };
    if user.token_version != claims.tv || !session_live {
        return refused(TokenFailure::SessionRevoked, Some(id));
    }
    if user.status != "active" {
        return refused(TokenFailure::AccountSuspended, Some(id));
    }
    Ok(Ok(AuthUser {
        id: user.id,
        username: user.username.clone(),
        role: user.role.clone(),
        token_version: user.token_version,
        session_id: claims.sid,
        api_key_id: None,
        account: Arc::new(user),
    }))
}

/// Whether a signed-in user (a WebSocket that authenticated earlier) still is: same
/// token_version, session live, account active.
pub async fn still_signed_in(state: &AppState, user: &AuthUser) -> Result<bool, ApiError> {
    Ok(
        sessions::account_and_session(&state.db, user.id, &user.session_id)
            .await?
            .is_some_and(|(account, live)| {
                live && account.token_version == user.token_version && account.status == "active"
            }),
    )
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req.clone()).await?;
            if !user.is_admin() {
                return Err(ApiError::forbidden());
            }
            // `admin_totp_required`: an admin without two-factor sign-in is sent to enrol.
            crate::services::totp::require_admin_enrolment(&state(&req)?.db, &user).await?;
            Ok(AdminUser(user))
        })
    }
}

/// An admin whose session confirmed its identity within the last ten minutes (sign-in or
/// `POST /auth/step-up`): the sensitive admin operations take this instead of [`AdminUser`].
/// 403 `step_up_required` otherwise. API keys pass where the route table admits them: keys
/// never step up (see `services::totp::require_step_up`).
#[derive(Debug, Clone)]
pub struct SteppedUpAdmin(pub AdminUser);

impl std::ops::Deref for SteppedUpAdmin {
    type Target = AdminUser;
    fn deref(&self) -> &AdminUser {
        &self.0
    }
}

impl FromRequest for SteppedUpAdmin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let admin = AdminUser::from_request(&req, payload);
        Box::pin(async move {
            let admin = admin.await?;
            crate::services::totp::require_step_up(&state(&req)?.db, &admin).await?;
            Ok(SteppedUpAdmin(admin))
        })
    }
}

/// The signed-in person if the request carries a Bearer token, `None` for anonymous callers.
/// A token that is present but invalid still fails with 401, so clients notice and refresh
/// instead of silently seeing the anonymous view.
#[derive(Debug, Clone)]
pub struct OptionalAuthUser(pub Option<AuthUser>);

impl OptionalAuthUser {
    pub fn id(&self) -> Option<i64> {
        self.0.as_ref().map(|u| u.id)
    }

    pub fn is_admin(&self) -> bool {
        self.0.as_ref().is_some_and(AuthUser::is_admin)
    }
}

impl FromRequest for OptionalAuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(user) = key_user(&req)? {
                return Ok(Self(Some(user)));
            }
            if req.headers().get(header::AUTHORIZATION).is_none() {
                return Ok(Self(None));
            }
            authenticate(req).await.map(|u| Self(Some(u)))
        })
    }
}

/// Who is calling from where: the client address ([`crate::client_addr`]: forwarded headers
/// count only from a trusted proxy), the user agent and the device cookie. Never fails.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
    pub device_id: Option<String>,
}

pub const DEVICE_COOKIE: &str = "mq_device";

impl ClientInfo {
    pub fn from_request(req: &HttpRequest) -> Self {
        Self {
            ip: client_ip(req),
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(300).collect()),
            device_id: req
                .cookie(DEVICE_COOKIE)
                .map(|c| c.value().chars().take(64).collect()),
        }
    }
}

/// The request's client address as text; see [`crate::client_addr`].
pub fn client_ip(req: &HttpRequest) -> String {
    crate::client_addr::of_request(req)
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self::from_request(req)))
    }
}
