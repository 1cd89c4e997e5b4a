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

pub async fn login(req: &LoginRequest) -> Result<TokenResponse, ApiError> {
    let body = to_json(req)?;
    let tokens: TokenResponse =
        decode(raw(Method::POST, "/auth/login", Some(&body), None).await?).await?;
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
