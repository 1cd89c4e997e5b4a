//! /api/v1/me*

use domain::auth::{ChangePasswordRequest, SessionList, TokenResponse, UpdateMeRequest};
use domain::users::User;
use gloo_net::http::Method;

use super::{accept, call, empty, enc, get, publish_user, send, ApiError};

pub async fn me() -> Result<User, ApiError> {
    let user: User = get("/me").await?;
    publish_user(Some(user.clone()));
    Ok(user)
}

pub async fn update(req: &UpdateMeRequest) -> Result<User, ApiError> {
    let user: User = call(Method::PATCH, "/me", req).await?;
    publish_user(Some(user.clone()));
    Ok(user)
}

/// Changes the password; the answer carries a new access token that replaces the old one.
pub async fn change_password(req: &ChangePasswordRequest) -> Result<TokenResponse, ApiError> {
    let tokens: TokenResponse = call(Method::POST, "/me/password", req).await?;
    accept(&tokens);
    Ok(tokens)
}

pub async fn sessions() -> Result<SessionList, ApiError> {
    get("/me/sessions").await
}

pub async fn end_session(id: &str) -> Result<(), ApiError> {
    empty(send(Method::DELETE, &format!("/me/sessions/{}", enc(id)), None).await?).await
}
