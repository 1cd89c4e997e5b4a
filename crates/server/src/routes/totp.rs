//! Two-factor sign-in: enrolment under /me/totp, the second sign-in step and step-up under
//! /auth. The rules live in `services::totp`.

use actix_web::{get, post, web, HttpResponse};
use domain::totp::{
    ConfirmRequest, RecoveryCodes, StepUpResponse, TotpCodeRequest, TotpLoginRequest, TotpSetup,
    TotpStatus, STEP_UP_TTL_SECS,
};
use domain::{ErrorBody, ErrorCode};
use serde_json::json;

use crate::auth::{password, AuthUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::auth::complete_sign_in;
use crate::services::{audit, throttle, totp, users as user_svc};
use crate::state::AppState;

/// Checks a password or code of the signed-in user, counted by the login throttle (a stolen
/// session cannot guess the password or a code without limit). A code is spent when right.
async fn confirm(
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
    req: ConfirmRequest,
    totp_on: bool,
) -> ApiResult<()> {
    let login_key = user.username.to_lowercase();
    let subject = throttle::Subject {
        login_key: &login_key,
        user_id: Some(user.id),
        ip: &client.ip,
    };
    let limits = &state.settings.rate_limits;
    let (ok, wrong) = match (req.code.filter(|c| !c.trim().is_empty()), req.password) {
        (Some(code), _) if totp_on => {
            let attempt = throttle::begin(&state.db, limits, &subject).await?;
            let ok = totp::verify_code(&state.db, user.id, &code).await?;
            (ok.then_some(()).ok_or(attempt), totp::invalid_code())
        }
        (_, Some(pw)) if !totp_on => {
            let attempt = throttle::begin(&state.db, limits, &subject).await?;
            let hash = user_svc::get(&state.db, user.id).await?.password_hash;
            let ok = password::verify(pw, Some(hash)).await?;
            (
                ok.then_some(()).ok_or(attempt),
                ApiError::field(
                    ErrorCode::ValidationFailed,
                    "password",
                    "كلمة المرور غير صحيحة.",
                ),
            )
        }
        _ if totp_on => return Err(totp::invalid_code()),
        _ => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "password",
                "أدخل كلمة المرور.",
            ))
        }
    };
    match ok {
        Ok(()) => Ok(()),
        Err(attempt) => {
            throttle::failed(&state.db, limits, &subject, &attempt).await?;
            Err(wrong)
        }
    }
}

/// Whether two-factor sign-in is on.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, body = TotpStatus), (status = 401, body = ErrorBody))
)]
#[get("/totp")]
#[tracing::instrument(skip_all)]
pub async fn status(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<TotpStatus>> {
    Ok(web::Json(TotpStatus {
        enabled: totp::is_enabled(&state.db, user.id).await?,
        recovery_codes_left: totp::recovery_codes_left(&state.db, user.id).await?,
    }))
}

/// Start enrolment: a new secret and its `otpauth://` URI, not active until confirmed.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, body = TotpSetup),
        (status = 401, body = ErrorBody),
        (status = 409, description = "Two-factor sign-in is already on", body = ErrorBody),
    )
)]
#[post("/totp/setup")]
#[tracing::instrument(skip_all)]
pub async fn setup(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let setup = totp::setup(&state.db, user.id, &user.username).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(setup))
}

/// Confirm enrolment with a code: two-factor sign-in is on, and ten recovery codes are returned
/// once.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = TotpCodeRequest,
    responses(
        (status = 200, body = RecoveryCodes),
        (status = 401, body = ErrorBody),
        (status = 409, description = "No pending setup, or already on", body = ErrorBody),
        (status = 422, description = "`invalid_totp_code`", body = ErrorBody),
    )
)]
#[post("/totp/enable")]
#[tracing::instrument(skip_all)]
pub async fn enable(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<TotpCodeRequest>,
) -> ApiResult<HttpResponse> {
    let code = body.into_inner().code;
    let (user_ref, client_ref, code_ref) = (&user, &client, &code);
    let codes = db::transaction(&state.db, |txn| async move {
        let (user, client, txn) = (user_ref, client_ref, &*txn);
        let codes = totp::enable(txn, user.id, code_ref).await?;
        audit::Entry::by_user(user.id, "user.totp_enable")
            .target("user", user.id)
            .ip(&client.ip)
            .write(txn)
            .await?;
        Ok(codes)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(RecoveryCodes {
            recovery_codes: codes,
        }))
}

/// Turn two-factor sign-in off, confirmed by a current code or recovery code (or, when it is
/// not on, the password).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Wrong code or password", body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
#[post("/totp/disable")]
#[tracing::instrument(skip_all)]
pub async fn disable(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<ConfirmRequest>,
) -> ApiResult<HttpResponse> {
    let on = totp::is_enabled(&state.db, user.id).await?;
    let mut req = body.into_inner();
    if on && req.code.is_none() {
        // With TOTP on, the password alone is not enough: it is the factor a thief may have.
        req.password = None;
    }
    confirm(&state, &user, &client, req, on).await?;
    let (user_ref, client_ref) = (&user, &client);
    db::transaction(&state.db, |txn| async move {
        let (user, client, txn) = (user_ref, client_ref, &*txn);
        totp::disable(txn, user.id).await?;
        audit::Entry::by_user(user.id, "user.totp_disable")
            .target("user", user.id)
            .ip(&client.ip)
            .write(txn)
            .await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The second sign-in step: the challenge from `POST /auth/login` with a TOTP code or a
/// recovery code. Five wrong codes spend a challenge.
#[utoipa::path(
    tag = "auth",
    request_body = TotpLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = domain::auth::TokenResponse),
        (status = 403, description = "Account suspended", body = ErrorBody),
        (status = 422, description = "`invalid_totp_code`: wrong or used code, or an unknown, used or expired challenge", body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
#[post("/login/totp")]
#[tracing::instrument(skip_all)]
pub async fn login_totp(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<TotpLoginRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    let Some(challenge) = totp::live_challenge(&state.db, &req.challenge).await? else {
        return Err(ApiError::field(
            ErrorCode::InvalidTotpCode,
            "challenge",
            "انتهت مهلة تسجيل الدخول؛ أدخل كلمة المرور من جديد.",
        ));
    };
    if !totp::verify_code(&state.db, challenge.user_id, &req.code).await? {
        totp::challenge_failed(&state.db, challenge.id).await?;
        return Err(totp::invalid_code());
    }
    if !totp::challenge_used(&state.db, challenge.id).await? {
        return Err(totp::invalid_code());
    }
    let user = user_svc::get(&state.db, challenge.user_id).await?;
    if user.status != "active" {
        return Err(ApiError::Code(ErrorCode::AccountSuspended));
    }
    complete_sign_in(&state, &user, &client, None, true).await
}

/// Confirm identity for sensitive admin operations: a TOTP code (or recovery code) when
/// two-factor sign-in is on, else the password. Sensitive operations are then allowed on this
/// session for ten minutes.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 200, body = StepUpResponse),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Wrong code or password", body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
#[post("/step-up")]
#[tracing::instrument(skip_all)]
pub async fn step_up(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<ConfirmRequest>,
) -> ApiResult<web::Json<StepUpResponse>> {
    let on = totp::is_enabled(&state.db, user.id).await?;
    confirm(&state, &user, &client, body.into_inner(), on).await?;
    let (user_ref, client_ref) = (&user, &client);
    db::transaction(&state.db, |txn| async move {
        let (user, client, txn) = (user_ref, client_ref, &*txn);
        totp::record_step_up(txn, &user.session_id, user.id).await?;
        audit::Entry::by_user(user.id, "user.step_up")
            .target("user", user.id)
            .ip(&client.ip)
            .details(json!({"method": if on { "totp" } else { "password" }}))
            .write(txn)
            .await
    })
    .await?;
    Ok(web::Json(StepUpResponse {
        expires_in: STEP_UP_TTL_SECS,
    }))
}
