//! Email verification and the owner's data rights: `POST /auth/verify-email`,
//! `POST /me/email/verification`, `GET /me/export`, `DELETE /me`.

use actix_web::{delete, get, post, web, HttpResponse};
use domain::account::{
    DataExport, DeleteAccountRequest, EmailVerified, VerificationSent, VerifyEmailRequest,
};
use domain::{ErrorBody, ErrorCode};
use serde_json::json;

use crate::auth::{password, AuthUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::{audit, data_rights, totp, users as user_svc, verification};
use crate::state::AppState;

/// Confirm an email address with the token from a verification link. Works signed out (the
/// link may be opened on another device); once, within 24 hours, and only while the account
/// still has the address it was sent to.
#[utoipa::path(
    tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "The address is confirmed", body = EmailVerified),
        (status = 422, description = "`invalid_verification_token`: unknown, used, expired or for an address the account no longer has (`fields.token` says which)", body = ErrorBody),
    )
)]
#[post("/verify-email")]
#[tracing::instrument(skip_all)]
pub async fn verify_email(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<VerifyEmailRequest>,
) -> ApiResult<web::Json<EmailVerified>> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (req_ref, client_ref) = (&req, &client);
    let user = db::transaction(&state.db, |txn| async move {
        let user = verification::confirm(&*txn, &req_ref.token).await?;
        audit::Entry::by_user(user.id, "user.email_verified")
            .target("user", user.id)
            .ip(&client_ref.ip)
            .details(json!({"email": user.email}))
            .write(&*txn)
            .await?;
        Ok(user)
    })
    .await?;
    Ok(web::Json(EmailVerified {
        email: user.email,
        verified_at: user.email_verified_at.unwrap_or_else(crate::services::now),
    }))
}

/// Send a new verification link to the signed-in account's address. At most a few an hour
/// per account and per client address.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A link is on its way", body = VerificationSent),
        (status = 401, body = ErrorBody),
        (status = 409, description = "`email_already_verified`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many links this hour; see Retry-After", body = ErrorBody),
    )
)]
#[post("/email/verification")]
#[tracing::instrument(skip_all)]
pub async fn resend_verification(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
) -> ApiResult<HttpResponse> {
    let (user_ref, client_ref, state_ref) = (&user, &client, &state);
    let expires_at = db::transaction(&state.db, |txn| async move {
        let account = user_svc::get(&*txn, user_ref.id).await?;
        verification::resend(
            &*txn,
            &state_ref.settings.rate_limits,
            &account,
            &client_ref.ip,
            &state_ref.public_url(),
        )
        .await
    })
    .await?;
    Ok(HttpResponse::Accepted().json(VerificationSent {
        sent_to: user.account.email.clone(),
        expires_at,
    }))
}

/// Download everything kept about the signed-in account (profile, ledger, redemptions,
/// purchases, chat messages sent, referrals) as one JSON file.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", body = DataExport),
        (status = 401, body = ErrorBody),
    )
)]
#[get("/export")]
#[tracing::instrument(skip_all)]
pub async fn export_my_data(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
) -> ApiResult<HttpResponse> {
    let export = data_rights::export(&state.db, &user.account).await?;
    audit::Entry::by_user(user.id, "user.data_export")
        .target("user", user.id)
        .ip(&client.ip)
        .write(&state.db)
        .await?;
    let body = serde_json::to_vec_pretty(&export)
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("serializing the export: {e}")))?;
    let filename = format!(
        "musabaqati-data-{}-{}.json",
        user.id,
        export.exported_at.format("%Y%m%d")
    );
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// Delete the signed-in account. Personal fields are erased (replaced by a placeholder), the
/// password stops working and every session and API key ends; ledger rows stay, so balances
/// and the ledger check stay exact. Confirm with the password, and a two-factor code when
/// two-factor sign-in is on.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "The account is deleted; every session ended"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The account is suspended", body = ErrorBody),
        (status = 409, description = "`account_deletion_blocked` (something is still pending; `fields` says what) or `last_admin`", body = ErrorBody),
        (status = 422, description = "Wrong password (`fields.password`) or a missing or wrong two-factor code (`invalid_totp_code`, `fields.totp_code`)", body = ErrorBody),
    )
)]
#[delete("")]
#[tracing::instrument(skip_all)]
pub async fn delete_me(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<DeleteAccountRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let current = user_svc::get(&state.db, user.id).await?;
    if !password::verify(req.password.clone(), Some(current.password_hash.clone())).await? {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "password",
            "كلمة المرور غير صحيحة.",
        ));
    }
    let (req_ref, client_ref) = (&req, &client);
    db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        if totp::is_enabled(txn, user.id).await? {
            let code = req_ref.totp_code.as_deref().map(str::trim).unwrap_or("");
            if code.is_empty() || !totp::verify_code(txn, user.id, code).await? {
                return Err(ApiError::field(
                    ErrorCode::InvalidTotpCode,
                    "totp_code",
                    if code.is_empty() {
                        "التحقق بخطوتين مفعّل: اكتب رمز التحقق من تطبيقك."
                    } else {
                        ErrorCode::InvalidTotpCode.message_ar()
                    },
                ));
            }
        }
        let erased = data_rights::delete_account(txn, user.id).await?;
        audit::Entry::by_user(user.id, "user.delete")
            .target("user", user.id)
            .ip(&client_ref.ip)
            .details(json!(erased))
            .write(txn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
