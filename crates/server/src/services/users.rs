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
