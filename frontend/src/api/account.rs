//! Email verification and the owner's data rights: /auth/verify-email,
//! /me/email/verification, /me/export and DELETE /me.

use domain::account::{DeleteAccountRequest, EmailVerified, VerificationSent, VerifyEmailRequest};
use domain::settings::PublicSettings;
use gloo_net::http::Method;

use super::{call, decode, empty, error_of, raw, save_download, send, to_json, ApiError};

/// Whether unverified accounts are held back (the banner shows only then).
pub async fn public_settings() -> Result<PublicSettings, ApiError> {
    decode(raw(Method::GET, "/settings/public", None, None).await?).await
}

/// Uses the token of an emailed link; works signed out.
pub async fn verify_email(token: &str) -> Result<EmailVerified, ApiError> {
    let body = to_json(&VerifyEmailRequest {
        token: token.to_owned(),
    })?;
    decode(raw(Method::POST, "/auth/verify-email", Some(&body), None).await?).await
}

pub async fn resend_verification() -> Result<VerificationSent, ApiError> {
    call(
        Method::POST,
        "/me/email/verification",
        &serde_json::json!({}),
    )
    .await
}

/// Downloads the account's data file.
pub async fn download_export() -> Result<(), ApiError> {
    let resp = send(Method::GET, "/me/export", None).await?;
    if !resp.ok() {
        return Err(error_of(resp).await);
    }
    save_download(resp, "musabaqati-data.json").await
}

/// Deletes the account. The caller then forgets the session ([`super::forget`]) once it has
/// set what the login page should say.
pub async fn delete_account(req: &DeleteAccountRequest) -> Result<(), ApiError> {
    let body = to_json(req)?;
    empty(send(Method::DELETE, "/me", Some(body)).await?).await
}
