//! /api/v1/auth: register, login, refresh, logout, logout-all, password reset.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::auth::{
    LoginRequest, PasswordResetAccepted, PasswordResetConfirm, PasswordResetRequest,
    RegisterRequest, TokenResponse, PASSWORD_RESET_ACCEPTED_AR,
};
use domain::totp::TotpChallenge;
use domain::users::Role;
use domain::{ErrorBody, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::auth::{password, AuthUser, ClientInfo};
use crate::db;
use crate::entities::users;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::{
    audit, password_reset, sessions, system_settings, throttle, totp, users as user_svc,
};
use crate::state::AppState;

pub const REFRESH_COOKIE: &str = "mq_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

fn refresh_cookie(state: &AppState, raw: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, raw.to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.is_production())
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(
            state.settings.refresh_token_ttl_secs,
        ))
        .finish()
}

/// A long-lived random device id, so the referral rules can tell one device from another.
pub fn device_cookie(state: &AppState) -> Cookie<'static> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    Cookie::build(crate::auth::extractors::DEVICE_COOKIE, id)
        .path("/")
        .http_only(true)
        .secure(state.settings.is_production())
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(400))
        .finish()
}

fn cleared_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, "");
    c.make_removal();
    c
}

/// Builds the token response for a user and session, with the refresh cookie (and a device
/// cookie for a browser that has none yet).
fn signed_in(
    state: &AppState,
    status: actix_web::http::StatusCode,
    user: &users::Model,
    issued: &sessions::Issued,
    client: &ClientInfo,
) -> ApiResult<HttpResponse> {
    let access_token =
        state
            .jwt
            .issue(user.id, &user.role, user.token_version, &issued.family_id)?;
    let mut res = HttpResponse::build(status);
    if client.device_id.is_none() {
        res.cookie(device_cookie(state));
    }
    Ok(res
        .cookie(refresh_cookie(state, &issued.raw_token))
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: state.jwt.ttl_secs,
            user: user_svc::to_dto(user),
        }))
}

/// Create an account and sign in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in; the refresh token is set as an httpOnly cookie", body = TokenResponse),
        (status = 409, description = "Username or email already registered", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
        (status = 403, description = "Registration is closed", body = ErrorBody),
    )
)]
#[post("/register")]
#[tracing::instrument(skip_all)]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    if !system_settings::get_bool(&state.db, system_settings::REGISTRATION_OPEN).await? {
        return Err(ApiError::Code(ErrorCode::RegistrationClosed));
    }
    if let Some(conflict) =
        user_svc::conflicts(&state.db, Some(&req.username), Some(&req.email), None).await?
    {
        return Err(conflict);
    }
    let password_hash = password::hash(req.password.clone()).await?;
    let ttl = state.settings.session_lifetime();
    let risk = crate::services::risk::RiskSettings::load(&state.db).await?;
    let (req_ref, client_ref, hash_ref, risk_ref, state_ref) =
        (&req, &client, &password_hash, &risk, &state);
    let result = db::transaction(&state.db, |txn| async move {
        let (req, client, txn) = (req_ref, client_ref, &*txn);
        {
            let user = user_svc::create(
                txn,
                user_svc::NewUser {
                    username: &req.username,
                    email: &req.email,
                    password_hash: hash_ref.clone(),
                    display_name: &req.display_name,
                    role: Role::User,
                    referral_code: req.referral_code.as_deref(),
                    ip: Some(&client.ip),
                    device_id: client.device_id.as_deref(),
                },
            )
            .await?;
            crate::services::risk::on_register(txn, risk_ref, &user).await?;
            crate::services::verification::on_register(
                txn,
                &user,
                Some(&client.ip),
                &state_ref.public_url(),
            )
            .await?;
            let issued = sessions::start(txn, user.id, client, ttl).await?;
            audit::Entry::by_user(user.id, "user.register")
                .target("user", user.id)
                .ip(&client.ip)
                .details(json!({"username": user.username, "referral_code": req.referral_code}))
                .write(txn)
                .await?;
            Ok((user, issued))
        }
    })
    .await;
    let (user, issued) = match result {
        Ok(v) => v,
        Err(err) => {
            return Err(user_svc::explain_unique_violation(
                &state.db,
                err,
                Some(&req.username),
                Some(&req.email),
                None,
            )
            .await)
        }
    };
    signed_in(
        &state,
        actix_web::http::StatusCode::CREATED,
        &user,
        &issued,
        &client,
    )
}

/// Sign in with username or email.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an httpOnly cookie. With two-factor sign-in on, a right password answers `TotpChallenge` (`totp_required`, `challenge`) instead, without tokens: continue with `POST /auth/login/totp`", body = TokenResponse),
        (status = 401, description = "Wrong login or password", body = ErrorBody),
        (status = 403, description = "Account suspended", body = ErrorBody),
        (status = 422, description = "Missing fields", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
    )
)]
#[post("/login")]
#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let login_key = req.login.trim().to_lowercase();
    let user = user_svc::find_by_login(&state.db, &login_key).await?;
    let subject = throttle::Subject {
        login_key: &login_key,
        user_id: user.as_ref().map(|u| u.id),
        ip: &client.ip,
    };
    let limits = &state.settings.rate_limits;
    // Recorded and counted before the password is checked, so parallel guesses cannot all pass.
    let attempt = throttle::begin(&state.db, limits, &subject).await?;

    let ok = password::verify(req.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => {
            throttle::failed(&state.db, limits, &subject, &attempt).await?;
            return Err(ApiError::Code(ErrorCode::InvalidCredentials));
        }
    };
    if user.status != "active" {
        // The password was right: not a guess to count against the account.
        throttle::succeeded(&state.db, &attempt).await?;
        return Err(user_svc::suspended_error(&state.db, user.id).await);
    }
    if totp::is_enabled(&state.db, user.id).await? {
        // The password was right; the code is counted per challenge and per account instead.
        throttle::succeeded(&state.db, &attempt).await?;
        let challenge = totp::start_challenge(&state.db, user.id, &client.ip).await?;
        return Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(TotpChallenge {
                totp_required: true,
                challenge,
            }));
    }
    complete_sign_in(&state, &user, &client, Some(&attempt), false).await
}

/// Starts the session of a user whose credentials were checked: last login, the session, the
/// audit entry, then the token response.
pub(crate) async fn complete_sign_in(
    state: &AppState,
    user: &users::Model,
    client: &ClientInfo,
    attempt: Option<&throttle::Attempt>,
    with_totp: bool,
) -> ApiResult<HttpResponse> {
    let ttl = state.settings.session_lifetime();
    let issued = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        {
            if let Some(attempt) = attempt {
                throttle::succeeded(txn, attempt).await?;
            }
            users::Entity::update_many()
                .col_expr(
                    users::Column::LastLoginAt,
                    Expr::value(crate::services::now()),
                )
                .col_expr(users::Column::LastLoginIp, Expr::value(client.ip.clone()))
                .col_expr(
                    users::Column::DeviceId,
                    Expr::value(client.device_id.clone()),
                )
                .filter(users::Column::Id.eq(user.id))
                .exec(txn)
                .await?;
            let issued = sessions::start(txn, user.id, client, ttl).await?;
            audit::Entry::by_user(user.id, "user.login")
                .target("user", user.id)
                .ip(&client.ip)
                .details(json!({"totp": with_totp}))
                .write(txn)
                .await?;
            Ok(issued)
        }
    })
    .await?;
    let user = user_svc::get(&state.db, user.id).await?;
    signed_in(
        state,
        actix_web::http::StatusCode::OK,
        &user,
        &issued,
        client,
    )
}

/// Exchange the refresh cookie for a new access token (the cookie rotates).
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "New access token; a new refresh cookie replaces the old one", body = TokenResponse),
        (status = 401, description = "No, unknown, expired or reused refresh token (reuse ends the session); `session_expired` when the session reached its absolute lifetime", body = ErrorBody),
        (status = 403, description = "Account suspended", body = ErrorBody),
    )
)]
#[post("/refresh")]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: web::Data<AppState>,
    client: ClientInfo,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let raw = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(ApiError::Code(ErrorCode::Unauthorized))?;
    let ttl = state.settings.session_lifetime();
    let (raw_ref, client_ref) = (&raw, &client);
    let outcome = db::transaction(&state.db, |txn| async move {
        let (raw, client, txn) = (raw_ref, client_ref, &*txn);
        {
            let outcome = sessions::rotate(txn, raw, client, ttl).await?;
            if let sessions::Rotation::ReuseDetected { user_id, family_id } = &outcome {
                audit::Entry::by_user(*user_id, "session.reuse_detected")
                    .target("session", family_id)
                    .ip(&client.ip)
                    .write(txn)
                    .await?;
                crate::services::notify::admins(
                    txn,
                    "refresh_token_reuse",
                    crate::services::notify::Severity::Warning,
                    "إعادة استخدام رمز تحديث",
                    "قُدّم رمز تحديث سبق استخدامه؛ أُنهيت الجلسة كلها احتياطًا.",
                    json!({"user_id": user_id, "session": family_id, "ip": client.ip}),
                )
                .await?;
            }
            Ok(outcome)
        }
    })
    .await?;
    let err = match outcome {
        sessions::Rotation::Rotated { user, issued } => {
            return signed_in(
                &state,
                actix_web::http::StatusCode::OK,
                &user,
                &issued,
                &client,
            )
        }
        sessions::Rotation::Invalid => ApiError::Code(ErrorCode::InvalidToken),
        sessions::Rotation::Expired => ApiError::Code(ErrorCode::SessionExpired),
        sessions::Rotation::ReuseDetected { .. } => ApiError::Code(ErrorCode::SessionRevoked),
        sessions::Rotation::Suspended => ApiError::Code(ErrorCode::AccountSuspended),
    };
    // Clear the dead cookie so the browser stops sending it.
    let mut res = actix_web::ResponseError::error_response(&err);
    let _ = res.add_cookie(&cleared_cookie(&state));
    Ok(res)
}

/// End this session (the refresh cookie's, or the bearer token's).
#[utoipa::path(tag = "auth", responses((status = 204, description = "Signed out; the refresh cookie is cleared")))]
#[post("/logout")]
#[tracing::instrument(skip_all)]
pub async fn logout(
    state: web::Data<AppState>,
    client: ClientInfo,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let from_cookie = match req.cookie(REFRESH_COOKIE) {
        Some(c) if !c.value().is_empty() => crate::entities::refresh_tokens::Entity::find()
            .filter(
                crate::entities::refresh_tokens::Column::TokenHash
                    .eq(sessions::hash_token(c.value())),
            )
            .one(&state.db)
            .await?
            .map(|t| (t.user_id, t.family_id)),
        _ => None,
    };
    // Without a cookie, a still-valid bearer token names the session to end.
    let session = match from_cookie {
        Some(s) => Some(s),
        None => match req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            Some(token) => state
                .jwt
                .verify(token)
                .ok()
                .and_then(|c| c.sub.parse::<i64>().ok().map(|id| (id, c.sid))),
            None => None,
        },
    };
    if let Some((user_id, family_id)) = session {
        let (family_ref, client_ref) = (&family_id, &client);
        db::transaction(&state.db, |txn| async move {
            sessions::revoke_family(&*txn, family_ref, "logout").await?;
            audit::Entry::by_user(user_id, "user.logout")
                .target("session", family_ref)
                .ip(&client_ref.ip)
                .write(&*txn)
                .await?;
            Ok(())
        })
        .await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(&state))
        .finish())
}

/// Sign out on every device: all sessions end and every access token stops working at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "All sessions ended"), (status = 401, description = "Not signed in", body = ErrorBody))
)]
#[post("/logout-all")]
#[tracing::instrument(skip_all)]
pub async fn logout_all(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
) -> ApiResult<HttpResponse> {
    let (user_ref, client_ref) = (&user, &client);
    db::transaction(&state.db, |txn| async move {
        let (user, client, txn) = (user_ref, client_ref, &*txn);
        {
            let ended = sessions::end_all(txn, user.id, None, "logout_all").await?;
            audit::Entry::by_user(user.id, "user.logout_all")
                .target("user", user.id)
                .ip(&client.ip)
                .details(json!({"sessions_ended": ended}))
                .write(txn)
                .await?;
            Ok(())
        }
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(&state))
        .finish())
}

/// Ask for a password-reset link by email. The answer is the same whether or not the address
/// has an account; an account gets at most a few links an hour (more requests send nothing).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted; an email is on its way if the address has an account", body = PasswordResetAccepted),
        (status = 422, description = "Not an email address", body = ErrorBody),
        (status = 429, description = "Too many requests from this address; see Retry-After", body = ErrorBody),
    )
)]
#[post("/password-reset")]
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (req_ref, client_ref, state_ref) = (&req, &client, &state);
    let outcome = db::transaction(&state.db, |txn| async move {
        password_reset::request(
            &*txn,
            &state_ref.settings.rate_limits,
            &req_ref.email,
            &client_ref.ip,
            &state_ref.public_url(),
        )
        .await
    })
    .await?;
    tracing::info!(outcome = ?outcome, "password reset requested");
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasswordResetAccepted {
            message: PASSWORD_RESET_ACCEPTED_AR.into(),
        }))
}

/// Set a new password with the token from a reset link. The link works once; every session of
/// the account ends, and the owner is told (notification and email).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password set; every session ended (sign in with the new password)"),
        (status = 403, description = "Account suspended", body = ErrorBody),
        (status = 422, description = "Weak password, or `invalid_reset_token`: unknown, used or expired link", body = ErrorBody),
    )
)]
#[post("/password-reset/confirm")]
#[tracing::instrument(skip_all)]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<PasswordResetConfirm>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (reset, user) = password_reset::find_valid(&state.db, &req.token).await?;
    if req.new_password.to_lowercase() == user.username.to_lowercase() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "new_password",
            "يجب ألا تطابق كلمة المرور اسم المستخدم.",
        ));
    }
    let new_hash = password::hash(req.new_password.clone()).await?;
    let (reset_ref, user_ref, client_ref, hash_ref) = (&reset, &user, &client, &new_hash);
    db::transaction(&state.db, |txn| async move {
        let (reset, user, client, txn) = (reset_ref, user_ref, client_ref, &*txn);
        if !password_reset::consume(txn, reset).await? {
            // Another request used the link between our read and this write.
            return Err(ApiError::field(
                ErrorCode::InvalidResetToken,
                "token",
                ErrorCode::InvalidResetToken.message_ar(),
            ));
        }
        user_svc::set_password(txn, user.id, hash_ref).await?;
        let ended = sessions::end_all(txn, user.id, None, "password_reset").await?;
        crate::services::notify::user(
            txn,
            user.id,
            "password_reset",
            "تغيّرت كلمة مرورك",
            &format!(
                "عُيّنت كلمة مرور جديدة لحسابك عبر رابط إعادة التعيين من العنوان {}، وأُنهيت كل جلساتك.",
                client.ip
            ),
            json!({"ip": client.ip}),
        )
        .await?;
        crate::services::email::queue(
            txn,
            crate::services::email::password_changed(
                user.id,
                &user.email,
                &user.display_name,
                &client.ip,
            ),
        )
        .await?;
        audit::Entry::by_user(user.id, "user.password_reset")
            .target("user", user.id)
            .ip(&client.ip)
            .details(json!({
                "reset_id": reset.id,
                "issued_by": reset.issued_by,
                "sessions_ended": ended,
            }))
            .write(txn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(&state))
        .finish())
}
