//! /api/v1/me: the signed-in user's profile, password and sessions.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::auth::{ChangePasswordRequest, Session, SessionList, TokenResponse, UpdateMeRequest};
use domain::users::User;
use domain::{ErrorBody, ErrorCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
use serde_json::json;

use crate::auth::{password, AuthUser, ClientInfo};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::{audit, names, sessions, users as user_svc, verification};
use crate::state::AppState;

/// The signed-in user.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, description = "Not signed in", body = ErrorBody))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn get_me(user: AuthUser) -> ApiResult<web::Json<User>> {
    Ok(web::Json(user_svc::to_dto(&user.account)))
}

/// Update display name, email or language.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody),
        (status = 409, description = "Email already registered", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("")]
#[tracing::instrument(skip_all)]
pub async fn update_me(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<UpdateMeRequest>,
) -> ApiResult<web::Json<User>> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    if let Some(conflict) =
        user_svc::conflicts(&state.db, None, req.email.as_deref(), Some(user.id)).await?
    {
        return Err(conflict);
    }
    let (req_ref, client_ref, user_ref, state_ref) = (&req, &client, &user, &state);
    let result = db::transaction(&state.db, |txn| async move {
        let (req, client, user, txn) = (req_ref, client_ref, user_ref, &*txn);
        let current = user_svc::get(txn, user.id).await?;
        let mut changed = serde_json::Map::new();
        let mut model = current.clone().into_active_model();
        if let Some(name) = &req.display_name {
            let name = name.trim();
            if name != current.display_name {
                let is_admin = current.role == "admin";
                let skeleton =
                    names::check_display_name(txn, name, Some(user.id), is_admin).await?;
                changed.insert(
                    "display_name".into(),
                    json!({"from": current.display_name, "to": name}),
                );
                model.display_name = Set(name.to_owned());
                model.display_name_skeleton = Set(Some(skeleton));
                model.search_text = Set(user_svc::search_text(&current.username, name));
            }
        }
        let mut email_changed = false;
        if let Some(email) = &req.email {
            let email = email.trim().to_lowercase();
            if email != current.email {
                changed.insert("email".into(), json!({"from": current.email, "to": email}));
                model.email = Set(email);
                email_changed = true;
            }
        }
        if let Some(locale) = &req.locale {
            if *locale != current.locale {
                changed.insert(
                    "locale".into(),
                    json!({"from": current.locale, "to": locale}),
                );
                model.locale = Set(locale.clone());
            }
        }
        if changed.is_empty() {
            return Ok(current);
        }
        model.updated_at = Set(crate::services::now());
        let mut updated = model.update(txn).await?;
        if email_changed {
            // The new address is unconfirmed until its link is opened.
            let sent = verification::on_email_changed(
                txn,
                &state_ref.settings.rate_limits,
                user.id,
                Some(&client.ip),
                &state_ref.public_url(),
            )
            .await?;
            changed.insert("verification_link_sent".into(), json!(sent));
            updated = user_svc::get(txn, user.id).await?;
        }
        audit::Entry::by_user(user.id, "user.profile_update")
            .target("user", user.id)
            .ip(&client.ip)
            .details(serde_json::Value::Object(changed))
            .write(txn)
            .await?;
        Ok(updated)
    })
    .await;
    match result {
        Ok(updated) => Ok(web::Json(user_svc::to_dto(&updated))),
        Err(err) => Err(user_svc::explain_unique_violation(
            &state.db,
            err,
            None,
            req.email.as_deref(),
            Some(user.id),
        )
        .await),
    }
}

/// Change the password. Every other session ends; this one continues with the new token returned.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Password changed; use the new access token", body = TokenResponse),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Wrong current password or weak new password", body = ErrorBody),
    )
)]
#[post("/password")]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<ChangePasswordRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let current = user_svc::get(&state.db, user.id).await?;
    if !password::verify(
        req.current_password.clone(),
        Some(current.password_hash.clone()),
    )
    .await?
    {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "current_password",
            "كلمة المرور الحالية غير صحيحة.",
        ));
    }
    let new_hash = password::hash(req.new_password.clone()).await?;
    let (user_ref, client_ref, hash_ref) = (&user, &client, &new_hash);
    let updated = db::transaction(&state.db, |txn| async move {
        let (user, client, txn) = (user_ref, client_ref, &*txn);
        user_svc::set_password(txn, user.id, hash_ref).await?;
        let ended =
            sessions::end_all(txn, user.id, Some(&user.session_id), "password_change").await?;
        audit::Entry::by_user(user.id, "user.password_change")
            .target("user", user.id)
            .ip(&client.ip)
            .details(json!({"other_sessions_ended": ended}))
            .write(txn)
            .await?;
        user_svc::get(txn, user.id).await
    })
    .await?;
    Ok(web::Json(TokenResponse {
        access_token: state.jwt.issue(
            updated.id,
            &updated.role,
            updated.token_version,
            &user.session_id,
        )?,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl_secs,
        user: user_svc::to_dto(&updated),
    }))
}

/// The devices where this account is signed in.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody))
)]
#[get("/sessions")]
#[tracing::instrument(skip_all)]
pub async fn list_sessions(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<SessionList>> {
    let rows = sessions::active(&state.db, user.id).await?;
    Ok(web::Json(SessionList {
        sessions: rows
            .into_iter()
            .map(|t| Session {
                current: t.family_id == user.session_id,
                id: t.family_id,
                created_at: t.family_created_at,
                last_used_at: t.last_used_at,
                expires_at: t.expires_at,
                ip: t.ip,
                user_agent: t.user_agent,
            })
            .collect(),
    }))
}

/// End one of the user's sessions.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Session id from GET /me/sessions")),
    responses((status = 204, description = "Session ended"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/sessions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn end_session(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let family_id = path.into_inner();
    let (family_ref, client_ref) = (&family_id, &client);
    db::transaction(&state.db, |txn| async move {
        sessions::end_one(&*txn, user.id, family_ref, "ended_by_user").await?;
        audit::Entry::by_user(user.id, "session.end")
            .target("session", family_ref)
            .ip(&client_ref.ip)
            .write(&*txn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
