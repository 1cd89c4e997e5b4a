//! The HTTP client: one function per endpoint in the submodules, all typed by `domain` DTOs.
//!
//! Token handling (see docs/FRONTEND.md):
//! - The access token lives only in this module's memory, never in storage, so an injected script
//!   cannot lift it from localStorage, and a reload starts from the httpOnly refresh cookie.
//! - Requests that need a user go through [`send`]: a missing or nearly expired token is refreshed
//!   first; a 401 triggers one refresh and one retry.
//! - Refreshes are serialized: the first caller starts the refresh and everyone else awaits the
//!   same shared future. The server revokes the whole session when a refresh token is presented
//!   twice, so two parallel refreshes would sign the person out.
//! - A sensitive admin action refused with 403 `step_up_required` asks the person to confirm
//!   (the step-up dialog, [`totp::ask_step_up`]), then is retried once with the same
//!   Idempotency-Key; declining returns the original error.

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod auth;
pub mod chat;
pub mod competitions;
pub mod home;
pub mod leaderboard;
pub mod me;
pub mod notifications;
pub mod points;
pub mod referrals;
pub mod rewards;
pub mod safety;
pub mod settings;
pub mod store;
pub mod totp;

use std::cell::{Cell, RefCell};

use domain::auth::TokenResponse;
use domain::users::User;
use domain::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{i18n, storage};

const API: &str = "/api/v1";
/// Set while the browser (probably) holds a refresh cookie. The cookie is httpOnly, so this hint
/// is how the app knows whether a refresh is worth trying; anonymous visitors thus cause no 401.
const SESSION_HINT_KEY: &str = "musabaqati.session";
/// Refresh this long before the access token expires instead of waiting for a 401.
const EXPIRY_MARGIN_MS: f64 = 30_000.0;

#[derive(Debug, Clone)]
pub enum ApiError {
    /// The server answered with its error format.
    Server {
        status: u16,
        detail: ErrorDetail,
        retry_after: Option<u32>,
    },
    /// The request never got an answer.
    Network,
    /// An answer that is not the documented format (a proxy page, an empty 502...).
    Unexpected(u16),
}

impl ApiError {
    fn local(code: ErrorCode) -> Self {
        Self::Server {
            status: code.http_status(),
            detail: ErrorBody::new(code).error,
            retry_after: None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Server { status, .. } | Self::Unexpected(status) => Some(*status),
            Self::Network => None,
        }
    }

    /// The server's error code (`transfer_limit_exceeded`, `already_submitted`…).
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Server { detail, .. } => Some(detail.code.as_str()),
            _ => None,
        }
    }

    pub fn fields(&self) -> FieldErrors {
        match self {
            Self::Server { detail, .. } => detail.fields.clone(),
            _ => FieldErrors::new(),
        }
    }

    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The Arabic sentence to show; `status` arrives already formatted for the digits setting.
    pub fn message(&self, status: impl Fn(u16) -> String) -> String {
        match self {
            Self::Server { detail, .. } => detail.message.clone(),
            Self::Network => i18n::ERR_NETWORK.to_owned(),
            Self::Unexpected(code) => i18n::err_unexpected(&status(*code)),
        }
    }
}

struct Token {
    value: String,
    expires_at_ms: f64,
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<TokenResponse, ApiError>>>;

thread_local! {
    static TOKEN: RefCell<Option<Token>> = const { RefCell::new(None) };
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
    /// The signed-in user, owned by `session::Session`; refreshes update it in place.
    static USER: Cell<Option<RwSignal<Option<User>>>> = const { Cell::new(None) };
    /// When the server last answered with the whole account (`Date.now()`, ms; 0 = never).
    static USER_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// How long ago the server last answered with the whole account (sign-in, refresh, `/me`).
/// Pages that want fresh figures skip `GET /me` when the start-up refresh has just read it,
/// so a page load reads the account once (issue 13, item 12).
pub fn user_age_ms() -> f64 {
    js_sys::Date::now() - USER_AT.with(Cell::get)
}

/// Connects the client to the app's user signal (called once at start-up).
pub fn bind_user(user: RwSignal<Option<User>>) {
    USER.with(|u| u.set(Some(user)));
}

fn publish_user(user: Option<User>) {
    USER_AT.with(|t| {
        t.set(if user.is_some() {
            js_sys::Date::now()
        } else {
            0.0
        })
    });
    if let Some(sig) = USER.with(Cell::get) {
        sig.set(user);
    }
}

/// Puts a balance the server just answered with into the signed-in user (header chip, pages).
pub fn publish_balance(points_balance: i64) {
    if let Some(sig) = USER.with(Cell::get) {
        sig.update(|u| {
            if let Some(u) = u {
                u.points_balance = points_balance;
            }
        });
    }
}

/// A fresh `Idempotency-Key` for one action of the person (a join, a transfer, an award). The
/// page keeps it while that action is retried, so a retry after a lost answer cannot run twice.
pub fn new_idempotency_key() -> String {
    let random = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    format!(
        "spa-{:x}-{:08x}{:08x}",
        js_sys::Date::now() as u64,
        random(),
        random()
    )
}

fn current_token() -> Option<String> {
    TOKEN.with(|t| t.borrow().as_ref().map(|t| t.value.clone()))
}

/// Stores a fresh token answer: the token, the session hint and the user.
pub fn accept(tokens: &TokenResponse) {
    let expires_at_ms = js_sys::Date::now() + (tokens.expires_in as f64) * 1000.0;
    TOKEN.with(|t| {
        *t.borrow_mut() = Some(Token {
            value: tokens.access_token.clone(),
            expires_at_ms,
        })
    });
    storage::set(SESSION_HINT_KEY, "1");
    publish_user(Some(tokens.user.clone()));
}

/// Forgets everything about the session on this device.
pub fn forget() {
    TOKEN.with(|t| t.borrow_mut().take());
    storage::remove(SESSION_HINT_KEY);
    publish_user(None);
}

pub fn has_session_hint() -> bool {
    storage::get(SESSION_HINT_KEY).is_some()
}

/// Exchanges the refresh cookie for a new access token, at most one exchange at a time.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    let fut = REFRESHING.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some(running) = slot.as_ref() {
            return running.clone();
        }
        let fut = async {
            let result = refresh_once().await;
            REFRESHING.with(|slot| slot.borrow_mut().take());
            result
        }
        .boxed_local()
        .shared();
        *slot = Some(fut.clone());
        fut
    });
    fut.await
}

async fn refresh_once() -> Result<TokenResponse, ApiError> {
    if !has_session_hint() {
        return Err(ApiError::local(ErrorCode::Unauthorized));
    }
    let resp = raw(Method::POST, "/auth/refresh", None, None).await?;
    match decode::<TokenResponse>(resp).await {
        Ok(tokens) => {
            accept(&tokens);
            Ok(tokens)
        }
        Err(err) => {
            // A refused refresh (expired, revoked, suspended) ends the session here too; a
            // network failure leaves it alone so the next attempt can still succeed.
            if matches!(err.status(), Some(400..=499)) {
                forget();
            }
            Err(err)
        }
    }
}

/// A token good for at least `EXPIRY_MARGIN_MS`, refreshing first when needed.
async fn valid_token() -> Result<String, ApiError> {
    let fresh = TOKEN.with(|t| {
        t.borrow()
            .as_ref()
            .filter(|t| t.expires_at_ms - js_sys::Date::now() > EXPIRY_MARGIN_MS)
            .map(|t| t.value.clone())
    });
    match fresh {
        Some(token) => Ok(token),
        None => Ok(refresh().await?.access_token),
    }
}

async fn raw(
    method: Method,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> Result<Response, ApiError> {
    raw_keyed(method, path, body, bearer, None).await
}

async fn raw_keyed(
    method: Method,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<Response, ApiError> {
    let mut req = RequestBuilder::new(&format!("{API}{path}"))
        .method(method)
        .header("Accept", "application/json");
    if let Some(token) = bearer {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(key) = idempotency_key {
        req = req.header("Idempotency-Key", key);
    }
    let built = match body {
        Some(json) => req.header("Content-Type", "application/json").body(json),
        None => req.build(),
    };
    let request = built.map_err(|_| ApiError::Network)?;
    request.send().await.map_err(|_| ApiError::Network)
}

/// Sends a request as the signed-in user, with one refresh-and-retry on 401.
async fn send(method: Method, path: &str, body: Option<String>) -> Result<Response, ApiError> {
    send_keyed(method, path, body, None).await
}

/// [`send`] with an `Idempotency-Key` header (the retry after a 401 carries the same key).
async fn send_keyed(
    method: Method,
    path: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<Response, ApiError> {
    let mut retried = false;
    let mut stepped_up = false;
    loop {
        let token = valid_token().await?;
        let resp = raw_keyed(
            method.clone(),
            path,
            body.as_deref(),
            Some(&token),
            idempotency_key,
        )
        .await?;
        if resp.status() == 401 && !retried {
            retried = true;
            // Only drop the token if no one replaced it while this request was in flight;
            // otherwise the retry simply uses the newer one.
            if current_token().as_deref() == Some(token.as_str()) {
                TOKEN.with(|t| t.borrow_mut().take());
            }
            continue;
        }
        if resp.status() == 401 {
            forget();
        }
        if resp.status() == 403 {
            // Read once: the caller would turn it into this same error anyway.
            let err = error_of(resp).await;
            if err.code() == Some("step_up_required") && !stepped_up {
                stepped_up = true;
                if totp::ask_step_up().await {
                    continue;
                }
            }
            return Err(err);
        }
        return Ok(resp);
    }
}

fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|_| ApiError::Unexpected(0))
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    let status = resp.status();
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected(status));
    }
    Err(error_of(resp).await)
}

async fn empty(resp: Response) -> Result<(), ApiError> {
    if resp.ok() {
        Ok(())
    } else {
        Err(error_of(resp).await)
    }
}

async fn error_of(resp: Response) -> ApiError {
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    match resp.json::<ErrorBody>().await {
        Ok(body) => ApiError::Server {
            status,
            detail: body.error,
            retry_after,
        },
        Err(_) => ApiError::Unexpected(status),
    }
}

/// GET as the signed-in user.
async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Method::GET, path, None).await?).await
}

/// POST/PATCH/DELETE as the signed-in user.
async fn call<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send(method, path, Some(to_json(body)?)).await?).await
}

/// A point-moving POST/DELETE with its `Idempotency-Key`.
async fn call_keyed<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<String>,
    key: &str,
) -> Result<T, ApiError> {
    decode(send_keyed(method, path, body, Some(key)).await?).await
}

/// GET of a public endpoint that says more to a signed-in caller (`joined`, `me`): with the
/// token when this browser has a session, anonymously otherwise or when the session is gone.
async fn get_public<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    if has_session_hint() {
        match send(Method::GET, path, None).await {
            Ok(resp) if resp.status() != 401 => return decode(resp).await,
            Err(err) if err.status() != Some(401) => return Err(err),
            _ => {}
        }
    }
    decode(raw(Method::GET, path, None, None).await?).await
}

/// Percent-encodes a query-string value.
fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// Hands a file answer to the browser: a plain link cannot carry the Bearer token, so the body
/// becomes a Blob URL on a temporary `<a download>`, named as `Content-Disposition` says.
async fn save_download(resp: Response, fallback: &str) -> Result<(), ApiError> {
    use wasm_bindgen::JsCast;
    // `attachment; filename="musabaqati-users-20251112-101500.csv"`
    let name = resp
        .headers()
        .get("content-disposition")
        .and_then(|v| {
            v.split("filename=")
                .nth(1)
                .map(|n| n.trim_matches('"').to_owned())
        })
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
        .unwrap_or_else(|| fallback.to_owned());
    let bytes = resp.binary().await.map_err(|_| ApiError::Network)?;
    let fail = |_| ApiError::Network;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let doc = document();
    let link = doc
        .create_element("a")
        .map_err(fail)?
        .unchecked_into::<web_sys::HtmlElement>();
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", &name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&link);
        link.click();
        link.remove();
    }
    // The browser has taken the file by the next tick; the URL can go.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(1),
    );
    Ok(())
}
