//! User administration: search, view, change role, status, name, username or email, issue a
//! password-reset link.

use actix_web::{get, patch, post, web, HttpResponse};
use domain::admin::UserPage;
use domain::safety::RiskDecision;
use domain::text::normalize_arabic;
use domain::users::{AdminResetLink, AdminUpdateUserRequest, User, UserStatus};
use domain::{ErrorBody, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{AdminUser, ClientInfo};
use crate::db;
use crate::entities::users;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, OptionalJson};
use crate::routes::pagination::{split_page, PageParams};
use crate::services::{audit, password_reset, sessions, users as user_svc};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Search in username, display name (Arabic-normalized) and email.
    pub q: Option<String>,
    /// `user` or `admin`.
    #[param(value_type = Option<domain::users::Role>)]
    pub role: Option<String>,
    /// `active` or `suspended`.
    #[param(value_type = Option<domain::users::UserStatus>)]
    pub status: Option<String>,
}

/// Search users, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(UserQuery, PageParams),
    responses((status = 200, body = UserPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/users")]
#[tracing::instrument(skip_all)]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<UserQuery>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<UserPage>> {
    let limit = page.limit()?;
    let mut q = users::Entity::find();
    if let Some(cursor) = page.cursor_id()? {
        q = q.filter(users::Column::Id.lt(cursor));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > 100 {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "q",
                "نص البحث طويل جدًا.",
            ));
        }
        let needle = normalize_arabic(text);
        q = q.filter(
            Condition::any()
                .add(users::Column::SearchText.contains(needle.as_str()))
                .add(users::Column::Email.contains(text.to_lowercase().as_str())),
        );
    }
    if let Some(role) = query.role.as_deref() {
        if domain::users::Role::parse(role).is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "role",
                "الدور يجب أن يكون user أو admin.",
            ));
        }
        q = q.filter(users::Column::Role.eq(role));
    }
    if let Some(status) = query.status.as_deref() {
        if UserStatus::parse(status).is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "status",
                "الحالة يجب أن تكون active أو suspended.",
            ));
        }
        q = q.filter(users::Column::Status.eq(status));
    }
    let rows = q
        .order_by_desc(users::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let (rows, next_cursor) = split_page(rows, limit, |u| u.id);
    Ok(web::Json(UserPage {
        items: rows.iter().map(user_svc::to_dto).collect(),
        next_cursor,
    }))
}

/// One user.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_one(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(user_svc::to_dto(
        &user_svc::get(&state.db, path.into_inner()).await?,
    )))
}

/// Change a user's role, status, display name, username or email. Suspension and role changes
/// end the user's sessions at once; a change to the name, username or email needs a `note` and
/// follows the rules of registration (uniqueness, look-alike names), audit-logged before/after.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = AdminUpdateUserRequest,
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin; `step_up_required` for a role change: confirm with POST /auth/step-up first", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Admins cannot demote or suspend themselves; username or email taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, or no note for an identity change", body = ErrorBody),
    )
)]
#[patch("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<AdminUpdateUserRequest>,
) -> ApiResult<web::Json<User>> {
    let id = path.into_inner();
    let mut req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    req.note = domain::safety::RiskDecision { note: req.note }.note();
    if req.role.is_none() && req.status.is_none() && !req.edits_identity() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "role",
            "حدّد ما تريد تغييره: الدور أو الحالة أو الاسم أو اسم المستخدم أو البريد.",
        ));
    }
    // A changed email is one reset request away from the account: only a person may do it.
    if req.edits_identity() && crate::auth::api_key::current_key().is_some() {
        return Err(ApiError::message(
            ErrorCode::ApiKeyNotAllowed,
            "لا يمكن تعديل الاسم أو اسم المستخدم أو البريد بمفتاح ربط برمجي؛ يفعل ذلك مشرف من التطبيق.",
        ));
    }
    if id == admin.id && (req.role.is_some() || req.status.is_some()) {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "لا يمكنك تغيير دورك أو حالتك بنفسك.",
        ));
    }
    if let Some(role) = req.role {
        if role.as_str() != user_svc::get(&state.db, id).await?.role {
            crate::services::totp::require_step_up(&state.db, &admin).await?;
        }
    }
    if let Some(conflict) = user_svc::conflicts(
        &state.db,
        req.username.as_deref(),
        req.email.as_deref(),
        Some(id),
    )
    .await?
    {
        return Err(conflict);
    }
    let (req_ref, client_ref, admin_ref, state_ref) = (&req, &client, &admin, &state);
    let result = db::transaction(&state.db, |txn| async move {
        let (req, client, admin, txn) = (req_ref, client_ref, admin_ref, &*txn);
        let current = user_svc::get(txn, id).await?;
        if current.deleted_at.is_some() {
            return Err(ApiError::message(
                ErrorCode::Conflict,
                "حذف صاحب هذا الحساب حسابه؛ لا يمكن تعديله.",
            ));
        }
        let identity = user_svc::identity_changes(txn, &current, req).await?;
        if !identity.is_empty() && req.note.is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "note",
                "اكتب سبب تعديل بيانات المستخدم؛ يُحفظ في سجل التدقيق.",
            ));
        }
        let mut update = users::Entity::update_many().filter(users::Column::Id.eq(id));
        let mut ends_sessions = false;
        if let Some(role) = req.role {
            if role.as_str() != current.role {
                update = update.col_expr(users::Column::Role, Expr::value(role.as_str()));
                audit::Entry::by_user(admin.id, "user.role_change")
                    .target("user", id)
                    .ip(&client.ip)
                    .details(json!({"from": current.role, "to": role.as_str(), "note": req.note}))
                    .write(txn)
                    .await?;
                ends_sessions = true;
            }
        }
        if let Some(status) = req.status {
            if status.as_str() != current.status {
                update = update.col_expr(users::Column::Status, Expr::value(status.as_str()));
                audit::Entry::by_user(admin.id, "user.status_change")
                    .target("user", id)
                    .ip(&client.ip)
                    .details(
                        json!({"from": current.status, "to": status.as_str(), "note": req.note}),
                    )
                    .write(txn)
                    .await?;
                ends_sessions = true;
            }
        }
        if !identity.is_empty() {
            update = identity.apply(update);
            audit::Entry::by_user(admin.id, "user.identity_change")
                .target("user", id)
                .ip(&client.ip)
                .details(json!({"changes": identity.audit(), "note": req.note}))
                .write(txn)
                .await?;
            crate::services::notify::user(
                txn,
                id,
                "account_edited",
                "عدّل المشرف بيانات حسابك",
                &identity.summary_ar(),
                json!({"fields": identity.fields()}),
            )
            .await?;
        }
        if ends_sessions || !identity.is_empty() {
            update
                .col_expr(
                    users::Column::UpdatedAt,
                    Expr::value(crate::services::now()),
                )
                .exec(txn)
                .await?;
        }
        if identity.changes_email() {
            crate::services::verification::on_email_changed(
                txn,
                &state_ref.settings.rate_limits,
                id,
                Some(&client.ip),
                &state_ref.public_url(),
            )
            .await?;
        }
        if ends_sessions {
            // Tokens carry the role, so any change re-issues them: bump the version, end sessions.
            sessions::end_all(txn, id, None, "admin_change").await?;
        }
        user_svc::get(txn, id).await
    })
    .await;
    match result {
        Ok(updated) => Ok(web::Json(user_svc::to_dto(&updated))),
        Err(err) => Err(user_svc::explain_unique_violation(
            &state.db,
            err,
            req.username.as_deref(),
            req.email.as_deref(),
            Some(id),
        )
        .await),
    }
}

/// Issue a one-time password-reset link for a user, for deployments without a mail server.
/// The link is in this answer only (its token is stored hashed); the user is told in the app.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body(content = RiskDecision, description = "Why (required; kept in the audit log)"),
    responses(
        (status = 201, body = AdminResetLink),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The account is suspended", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/users/{id}/password-reset")]
#[tracing::instrument(skip_all)]
pub async fn issue_reset_link(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: OptionalJson<RiskDecision>,
) -> ApiResult<HttpResponse> {
    let note = body
        .into_inner()
        .checked_note(true)
        .map_err(ApiError::Validation)?;
    let id = path.into_inner();
    let (note_ref, admin_ref, client_ref) = (&note, &admin, &client);
    let (raw, expires_at) = db::transaction(&state.db, |txn| async move {
        let txn = &*txn;
        let user = user_svc::get(txn, id).await?;
        if user.status != "active" {
            return Err(ApiError::message(
                ErrorCode::Conflict,
                "هذا الحساب موقوف؛ أعد تفعيله قبل إصدار رابط لإعادة تعيين كلمة المرور.",
            ));
        }
        let (raw, expires_at) =
            password_reset::issue_by_admin(txn, id, admin_ref.id, &client_ref.ip).await?;
        audit::Entry::by_user(admin_ref.id, "user.password_reset_link")
            .target("user", id)
            .ip(&client_ref.ip)
            .details(json!({"expires_at": expires_at, "note": note_ref}))
            .write(txn)
            .await?;
        crate::services::notify::user(
            txn,
            id,
            "password_reset_link",
            "أصدر مشرف رابطًا لإعادة تعيين كلمة مرورك",
            "أصدر أحد المشرفين رابطًا لمرة واحدة لتعيين كلمة مرور جديدة لحسابك، صالحًا لمدة 30 دقيقة. إن لم تطلبه فتواصل مع الإدارة.",
            json!({"expires_at": expires_at}),
        )
        .await?;
        Ok((raw, expires_at))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(AdminResetLink {
            link: password_reset::link(&state.public_url(), &raw),
            expires_at,
        }))
}
