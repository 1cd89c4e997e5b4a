//! /api/v1/auth/*

use domain::auth::{LoginRequest, RegisterRequest, TokenResponse};
use gloo_net::http::Method;

use super::{accept, current_token, decode, empty, forget, raw, send, to_json, ApiError};

pub async fn register(req: &RegisterRequest) -> Result<TokenResponse, ApiError> {
    let body = to_json(req)?;
    let tokens: TokenResponse =
        decode(raw(Method::POST, "/auth/register", Some(&body), None).await?).await?;
    accept(&tokens);
    Ok(tokens)
}

/// A right password signs in, or asks for the second step when two-factor sign-in is on.
pub enum LoginOutcome {
    SignedIn(Box<TokenResponse>),
    TotpRequired { challenge: String },
}

pub async fn login(req: &LoginRequest) -> Result<LoginOutcome, ApiError> {
    let body = to_json(req)?;
    let answer: serde_json::Value =
        decode(raw(Method::POST, "/auth/login", Some(&body), None).await?).await?;
    if let Ok(ch) = serde_json::from_value::<domain::totp::TotpChallenge>(answer.clone()) {
        if ch.totp_required {
            return Ok(LoginOutcome::TotpRequired {
                challenge: ch.challenge,
            });
        }
    }
    let tokens: TokenResponse =
        serde_json::from_value(answer).map_err(|_| ApiError::Unexpected(200))?;
    accept(&tokens);
    Ok(LoginOutcome::SignedIn(Box::new(tokens)))
}

/// The second sign-in step: a code from the authenticator app or a recovery code.
pub async fn login_totp(req: &domain::totp::TotpLoginRequest) -> Result<TokenResponse, ApiError> {
    let body = to_json(req)?;
    let tokens: TokenResponse =
        decode(raw(Method::POST, "/auth/login/totp", Some(&body), None).await?).await?;
    accept(&tokens);
    Ok(tokens)
}

/// Ends this device's session. Local state is cleared whatever the server says: the person asked
/// to leave, and a failed call must not keep them signed in here.
pub async fn logout() {
    let token = current_token();
    let _ = raw(Method::POST, "/auth/logout", None, token.as_deref()).await;
    forget();
}

/// Ends every session of the account, this one included.
pub async fn logout_all() -> Result<(), ApiError> {
    let result = empty(send(Method::POST, "/auth/logout-all", None).await?).await;
    if result.is_ok() {
        // The server also cleared this device's refresh cookie.
        forget();
    }
    result
}

/// Asks for a reset link; the answer is the same whether or not the address has an account.
pub async fn request_password_reset(
    req: &domain::auth::PasswordResetRequest,
) -> Result<domain::auth::PasswordResetAccepted, ApiError> {
    let body = to_json(req)?;
    decode(raw(Method::POST, "/auth/password-reset", Some(&body), None).await?).await
}

/// Sets the new password with the link's token. Every session ended, this browser's too.
pub async fn confirm_password_reset(
    req: &domain::auth::PasswordResetConfirm,
) -> Result<(), ApiError> {
    let body = to_json(req)?;
    let result = empty(
        raw(
            Method::POST,
            "/auth/password-reset/confirm",
            Some(&body),
            None,
        )
        .await?,
    )
    .await;
    if result.is_ok() {
        forget();
    }
    result
}
