//! Accounts: creation, lookup and the public shape of a user.

use domain::text::normalize_arabic;
use domain::users::{Role, User, UserStatus};
use domain::ErrorCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, SqlErr,
};

use crate::entities::users;
use crate::error::ApiError;

pub fn to_dto(u: &users::Model) -> User {
    User {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::User),
        status: UserStatus::parse(&u.status).unwrap_or(UserStatus::Suspended),
        points_balance: u.points_balance,
        lifetime_earned: u.lifetime_earned,
        referral_code: u.referral_code.clone(),
        locale: u.locale.clone(),
        created_at: u.created_at,
        last_login_at: u.last_login_at,
        email_verified: u.email_verified_at.is_some(),
    }
}

/// What Arabic-aware user search matches against.
pub fn search_text(username: &str, display_name: &str) -> String {
    format!(
        "{} {}",
        normalize_arabic(username),
        normalize_arabic(display_name)
    )
}

/// Referral codes avoid look-alike characters (0/O, 1/I/L) because people type them from chats.
pub fn new_referral_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    (0..8)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn find_by_login(
    conn: &impl ConnectionTrait,
    login: &str,
) -> Result<Option<users::Model>, ApiError> {
    let login = login.trim().to_lowercase();
    let query = if login.contains('@') {
        users::Entity::find().filter(users::Column::Email.eq(login))
    } else {
        users::Entity::find().filter(users::Column::UsernameLower.eq(login))
    };
    Ok(query.one(conn).await?)
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<users::Model, ApiError> {
    users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Stores a new password hash (the caller ends the sessions with `sessions::end_all`).
pub async fn set_password(
    conn: &impl ConnectionTrait,
    id: i64,
    password_hash: &str,
) -> Result<(), ApiError> {
    use sea_orm::sea_query::Expr;
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(users::Column::UpdatedAt, Expr::value(super::now()))
        .filter(users::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Which of username/email is already taken, as field errors.
pub async fn conflicts(
    conn: &impl ConnectionTrait,
    username: Option<&str>,
    email: Option<&str>,
    except_user: Option<i64>,
) -> Result<Option<ApiError>, ApiError> {
    let mut fields = domain::FieldErrors::new();
    let mut code = ErrorCode::Conflict;
    if let Some(email) = email {
        let mut q =
            users::Entity::find().filter(users::Column::Email.eq(email.trim().to_lowercase()));
        if let Some(id) = except_user {
            q = q.filter(users::Column::Id.ne(id));
        }
        if q.one(conn).await?.is_some() {
            fields.insert("email".into(), ErrorCode::EmailTaken.message_ar().into());
            code = ErrorCode::EmailTaken;
        }
    }
    if let Some(username) = username {
        let mut q =
            users::Entity::find().filter(users::Column::UsernameLower.eq(username.to_lowercase()));
        if let Some(id) = except_user {
            q = q.filter(users::Column::Id.ne(id));
        }
        if q.one(conn).await?.is_some() {
            fields.insert(
                "username".into(),
                ErrorCode::UsernameTaken.message_ar().into(),
            );
            code = ErrorCode::UsernameTaken;
        }
    }
    Ok((!fields.is_empty()).then_some(ApiError::FieldConflict { code, fields }))
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: String,
    pub display_name: &'a str,
    pub role: Role,
    pub referral_code: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub device_id: Option<&'a str>,
}

/// Creates the account (and a pending referral when a friend's code was given). Username and
/// email uniqueness is case-insensitive and enforced by unique indexes, so two racing sign-ups
/// with the same name cannot both succeed: the loser's transaction fails with a unique
/// violation, which [`explain_unique_violation`] turns into the field error.
pub async fn create(
    conn: &impl ConnectionTrait,
    new: NewUser<'_>,
) -> Result<users::Model, ApiError> {
    if let Some(err) = conflicts(conn, Some(new.username), Some(new.email), None).await? {
        return Err(err);
    }
    let referrer = match new.referral_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(
            users::Entity::find()
                .filter(users::Column::ReferralCode.eq(code.to_uppercase()))
                .one(conn)
                .await?
                .ok_or_else(|| {
                    ApiError::field(
                        ErrorCode::ValidationFailed,
                        "referral_code",
                        "رمز الدعوة غير موجود.",
                    )
                })?,
        ),
        None => None,
    };
    let now = super::now();
    let display_name = new.display_name.trim();
    let display_name_skeleton =
        super::names::check_display_name(conn, display_name, None, new.role == Role::Admin).await?;
    let user = users::ActiveModel {
        username: Set(new.username.to_owned()),
        username_lower: Set(new.username.to_lowercase()),
        email: Set(new.email.trim().to_lowercase()),
        password_hash: Set(new.password_hash.clone()),
        display_name: Set(display_name.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        status: Set("active".into()),
        points_balance: Set(0),
        lifetime_earned: Set(0),
        referral_code: Set(new_referral_code()),
        referred_by: Set(referrer.as_ref().map(|r| r.id)),
        token_version: Set(0),
        registration_ip: Set(new.ip.map(str::to_owned)),
        device_id: Set(new.device_id.map(str::to_owned)),
        locale: Set("ar".into()),
        digits: Set("arab".into()),
        search_text: Set(search_text(new.username, display_name)),
        display_name_skeleton: Set(Some(display_name_skeleton)),
        username_skeleton: Set(Some(crate::text::name_skeleton(new.username))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if let Some(referrer) = referrer {
        super::referrals::on_register(conn, &referrer, &user, new.ip, new.device_id).await?;
    }
    Ok(user)
}

/// After a transaction failed on a unique index, says which field was taken (read outside the
/// failed transaction); other violations pass through unchanged.
pub async fn explain_unique_violation(
    db: &DatabaseConnection,
    err: ApiError,
    username: Option<&str>,
    email: Option<&str>,
    except_user: Option<i64>,
) -> ApiError {
    match &err {
        ApiError::Db(db_err)
            if matches!(db_err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            match conflicts(db, username, email, except_user).await {
                Ok(Some(conflict)) => conflict,
                _ => err,
            }
        }
        _ => err,
    }
}

/// Usernames by id, in one query (ids that do not exist are left out).
pub async fn usernames(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, String>, ApiError> {
    use sea_orm::QuerySelect;
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::Entity::find()
        .select_only()
        .columns([users::Column::Id, users::Column::Username])
        .filter(users::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// (username, display name) by id, in one query.
pub async fn display_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, (String, String)>, ApiError> {
    use sea_orm::QuerySelect;
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::Entity::find()
        .select_only()
        .columns([
            users::Column::Id,
            users::Column::Username,
            users::Column::DisplayName,
        ])
        .filter(users::Column::Id.is_in(ids))
        .into_tuple::<(i64, String, String)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, u, d)| (id, (u, d)))
        .collect())
}

/// What an admin's edit changes in an account's name, username and email (issue 15): only the
/// fields whose value really differs, each checked by the rules of registration.
#[derive(Debug, Default)]
pub struct IdentityChanges {
    /// (from, to, skeleton of `to`)
    display_name: Option<(String, String, String)>,
    username: Option<(String, String)>,
    email: Option<(String, String)>,
    search_text: Option<String>,
}

/// Compares `req` with `current`; a new display name must not pass for someone else's
/// (`names::check_display_name`). Uniqueness is checked by [`conflicts`] before and by the
/// unique indexes at the write.
pub async fn identity_changes(
    conn: &impl ConnectionTrait,
    current: &users::Model,
    req: &domain::users::AdminUpdateUserRequest,
) -> Result<IdentityChanges, ApiError> {
    let mut out = IdentityChanges::default();
    if let Some(name) = req.display_name.as_deref().map(str::trim) {
        if name != current.display_name {
            let skeleton = super::names::check_display_name(
                conn,
                name,
                Some(current.id),
                current.role == "admin",
            )
            .await?;
            out.display_name = Some((current.display_name.clone(), name.to_owned(), skeleton));
        }
    }
    if let Some(username) = req.username.as_deref() {
        if username != current.username {
            out.username = Some((current.username.clone(), username.to_owned()));
        }
    }
    if let Some(email) = req.email.as_deref().map(|e| e.trim().to_lowercase()) {
        if email != current.email {
            out.email = Some((current.email.clone(), email));
        }
    }
    if out.display_name.is_some() || out.username.is_some() {
        let username = out.username.as_ref().map_or(&current.username, |u| &u.1);
        let name = out
            .display_name
            .as_ref()
            .map_or(&current.display_name, |n| &n.1);
        out.search_text = Some(search_text(username, name));
    }
    Ok(out)
}

impl IdentityChanges {
    pub fn is_empty(&self) -> bool {
        self.display_name.is_none() && self.username.is_none() && self.email.is_none()
    }

    pub fn changes_email(&self) -> bool {
        self.email.is_some()
    }

    /// The changed fields' names, for the notification's payload.
    pub fn fields(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        if self.display_name.is_some() {
            f.push("display_name");
        }
        if self.username.is_some() {
            f.push("username");
        }
        if self.email.is_some() {
            f.push("email");
        }
        f
    }

    /// `{"field": {"from": …, "to": …}}` for the audit log.
    pub fn audit(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        if let Some((from, to, _)) = &self.display_name {
            m.insert(
                "display_name".into(),
                serde_json::json!({"from": from, "to": to}),
            );
        }
        if let Some((from, to)) = &self.username {
            m.insert(
                "username".into(),
                serde_json::json!({"from": from, "to": to}),
            );
        }
        if let Some((from, to)) = &self.email {
            m.insert("email".into(), serde_json::json!({"from": from, "to": to}));
        }
        serde_json::Value::Object(m)
    }

    /// One Arabic sentence for the owner's notification.
    pub fn summary_ar(&self) -> String {
        let mut parts = Vec::new();
        if let Some((_, to, _)) = &self.display_name {
            parts.push(format!("الاسم الظاهر إلى «{to}»"));
        }
        if let Some((_, to)) = &self.username {
            parts.push(format!("اسم المستخدم إلى {to}"));
        }
        if let Some((_, to)) = &self.email {
            parts.push(format!("البريد الإلكتروني إلى {to}"));
        }
        format!("غيّر أحد المشرفين {}.", parts.join(" و"))
    }

    pub fn apply(
        &self,
        update: sea_orm::UpdateMany<users::Entity>,
    ) -> sea_orm::UpdateMany<users::Entity> {
        use sea_orm::sea_query::Expr;
        let mut update = update;
        if let Some((_, to, skeleton)) = &self.display_name {
            update = update
                .col_expr(users::Column::DisplayName, Expr::value(to.clone()))
                .col_expr(
                    users::Column::DisplayNameSkeleton,
                    Expr::value(skeleton.clone()),
                );
        }
        if let Some((_, to)) = &self.username {
            update = update
                .col_expr(users::Column::Username, Expr::value(to.clone()))
                .col_expr(users::Column::UsernameLower, Expr::value(to.to_lowercase()))
                .col_expr(
                    users::Column::UsernameSkeleton,
                    Expr::value(crate::text::name_skeleton(to)),
                );
        }
        if let Some((_, to)) = &self.email {
            update = update.col_expr(users::Column::Email, Expr::value(to.clone()));
        }
        if let Some(text) = &self.search_text {
            update = update.col_expr(users::Column::SearchText, Expr::value(text.clone()));
        }
        update
    }
}

/// The refusal a suspended person sees when they sign in (or ask for a password reset) with the
/// right credentials: the reason the admin gave when suspending — the note of the latest
/// `user.status_change` to `suspended`, which the admin's form says the person will read — and
/// the platform's contact (`admin_contact`). Without a note or a contact, the sentence says so
/// plainly instead of leaving a blank.
pub async fn suspended_error(conn: &impl ConnectionTrait, user_id: i64) -> ApiError {
    match suspension_notice(conn, user_id).await {
        Ok(message) => ApiError::message(ErrorCode::AccountSuspended, message),
        Err(err) => err,
    }
}

async fn suspension_notice(conn: &impl ConnectionTrait, user_id: i64) -> Result<String, ApiError> {
    use crate::entities::audit_log;
    use sea_orm::QueryOrder;
    let latest = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("user.status_change"))
        .filter(audit_log::Column::TargetType.eq("user"))
        .filter(audit_log::Column::TargetId.eq(user_id.to_string()))
        .order_by_desc(audit_log::Column::Id)
        .one(conn)
        .await?;
    let reason = latest
        .filter(|row| row.details.get("to").and_then(|v| v.as_str()) == Some("suspended"))
        .and_then(|row| {
            row.details
                .get("note")
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
        });
    let contact =
        super::system_settings::get_string(conn, super::system_settings::ADMIN_CONTACT).await?;
    Ok(suspension_text(reason.as_deref(), contact.trim()))
}

fn suspension_text(reason: Option<&str>, contact: &str) -> String {
    let mut text = String::from("هذا الحساب موقوف.");
    if let Some(reason) = reason {
        text.push_str(&format!(" السبب: {reason}"));
        if !reason.ends_with(['.', '؟', '!']) {
            text.push('.');
        }
    }
    if contact.is_empty() {
        text.push_str(" للاستفسار أو الاعتراض راسل إدارة المنصة.");
    } else {
        text.push_str(&format!(
            " للاستفسار أو الاعتراض تواصل مع الإدارة: {}",
            domain::text::ltr(contact)
        ));
    }
    text
}

#[cfg(test)]
mod suspension_tests {
    use super::suspension_text;

    #[test]
    fn the_notice_names_the_reason_and_the_contact_and_isolates_the_contact() {
        let t = suspension_text(Some("نشر روابط احتيال"), "help@musabaqati.sa");
        assert!(t.starts_with("هذا الحساب موقوف. السبب: نشر روابط احتيال."));
        assert!(t.ends_with(&domain::text::ltr("help@musabaqati.sa")));
        let t = suspension_text(None, "");
        assert_eq!(
            t,
            "هذا الحساب موقوف. للاستفسار أو الاعتراض راسل إدارة المنصة."
        );
    }
}
