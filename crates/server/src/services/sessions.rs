//! Refresh-token sessions. Each sign-in starts a family; every refresh rotates the token inside
//! the family; presenting an already-rotated token means it was stolen or replayed, so the whole
//! family is revoked. Only SHA-256 hashes of tokens are stored.

use chrono::Duration;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use sha2::{Digest, Sha256};

use crate::auth::ClientInfo;
use crate::entities::{refresh_tokens, users};
use crate::error::ApiError;

/// How long after a rotation the previous token may still arrive without counting as reuse.
pub const REUSE_GRACE_SECS: i64 = 10;

pub fn hash_token(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

pub fn new_raw_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// How long a session lives: `sliding_secs` after its last refresh, and never more than
/// `max_secs` after sign-in (`MUSABAQATI_SESSION_MAX_DAYS`).
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    pub sliding_secs: i64,
    pub max_secs: i64,
}

impl Lifetime {
    /// When a token issued `now` in a family started at `family_created_at` expires.
    fn expiry(
        self,
        family_created_at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        Ord::min(
            now + Duration::seconds(self.sliding_secs),
            family_created_at + Duration::seconds(self.max_secs),
        )
    }
}

pub struct Issued {
    pub raw_token: String,
    pub family_id: String,
}

async fn insert_token(
    conn: &impl ConnectionTrait,
    user_id: i64,
    family_id: &str,
    family_created_at: chrono::DateTime<chrono::Utc>,
    client: &ClientInfo,
    lifetime: Lifetime,
) -> Result<(refresh_tokens::Model, String), ApiError> {
    let raw = new_raw_token();
    let now = super::now();
    let row = refresh_tokens::ActiveModel {
        user_id: Set(user_id),
        family_id: Set(family_id.to_owned()),
        token_hash: Set(hash_token(&raw)),
        family_created_at: Set(family_created_at),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(lifetime.expiry(family_created_at, now)),
        ip: Set(Some(client.ip.clone())),
        user_agent: Set(client.user_agent.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok((row, raw))
}

/// Starts a new session (sign-in or registration).
pub async fn start(
    conn: &impl ConnectionTrait,
    user_id: i64,
    client: &ClientInfo,
    lifetime: Lifetime,
) -> Result<Issued, ApiError> {
    let family_id = uuid::Uuid::new_v4().simple().to_string();
    let (_, raw_token) =
        insert_token(conn, user_id, &family_id, super::now(), client, lifetime).await?;
    // Signing in (password, and the code when TOTP is on) is a fresh confirmation: sensitive
    // admin operations are allowed for the next ten minutes without `POST /auth/step-up`.
    super::totp::record_step_up(conn, &family_id, user_id).await?;
    Ok(Issued {
        raw_token,
        family_id,
    })
}

pub enum Rotation {
    Rotated {
        user: Box<users::Model>,
        issued: Issued,
    },
    /// Unknown or expired token, or one whose session was ended.
    Invalid,
    /// The session reached its absolute lifetime; it is ended now.
    Expired,
    /// A rotated token came back: the family is now revoked.
    ReuseDetected {
        user_id: i64,
        family_id: String,
    },
    Suspended,
}

/// Exchanges a refresh token for a new one. Run inside a transaction that is committed whatever
/// the outcome, so a detected reuse revokes the family for good.
pub async fn rotate(
    conn: &impl ConnectionTrait,
    raw: &str,
    client: &ClientInfo,
    lifetime: Lifetime,
) -> Result<Rotation, ApiError> {
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash_token(raw)))
        .one(conn)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let now = super::now();
    if let Some(revoked_at) = token.revoked_at {
        // Two tabs refreshing at the same moment both present the same cookie; the loser's
        // request was in flight when the winner rotated it. Within a few seconds of rotation
        // that is a race, not a theft: refuse this request but keep the session (the browser
        // already holds the new cookie and retries).
        let raced = now - revoked_at < Duration::seconds(REUSE_GRACE_SECS);
        if token.revoked_reason.as_deref() == Some("rotated") && raced {
            return Ok(Rotation::Invalid);
        }
        if token.revoked_reason.as_deref() == Some("rotated") {
            revoke_family(conn, &token.family_id, "reuse_detected").await?;
            return Ok(Rotation::ReuseDetected {
                user_id: token.user_id,
                family_id: token.family_id,
            });
        }
        return Ok(Rotation::Invalid);
    }
    // However recently it was used, a session ends `max_secs` after sign-in.
    if token.family_created_at + Duration::seconds(lifetime.max_secs) <= now {
        revoke_family(conn, &token.family_id, "max_lifetime").await?;
        return Ok(Rotation::Expired);
    }
    if token.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    let user = super::users::get(conn, token.user_id).await?;
    if user.status != "active" {
        revoke_family(conn, &token.family_id, "suspended").await?;
        return Ok(Rotation::Suspended);
    }
    // Conditional update: of two concurrent refreshes with the same token only one wins; the
    // other is treated exactly like a replay.
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .col_expr(
            refresh_tokens::Column::RevokedReason,
            Expr::value("rotated"),
        )
        .col_expr(refresh_tokens::Column::LastUsedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    if claimed.rows_affected == 0 {
        // A concurrent refresh with the same token won the rotation a moment ago: a race.
        return Ok(Rotation::Invalid);
    }
    let (new_row, raw_token) = insert_token(
        conn,
        user.id,
        &token.family_id,
        token.family_created_at,
        client,
        lifetime,
    )
    .await?;
    refresh_tokens::Entity::update_many()
        .col_expr(
            refresh_tokens::Column::ReplacedById,
            Expr::value(new_row.id),
        )
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .exec(conn)
        .await?;
    Ok(Rotation::Rotated {
        user: Box::new(user),
        issued: Issued {
            raw_token,
            family_id: token.family_id,
        },
    })
}

pub async fn revoke_family(
    conn: &impl ConnectionTrait,
    family_id: &str,
    reason: &str,
) -> Result<u64, ApiError> {
    let res = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(super::now()))
        .col_expr(refresh_tokens::Column::RevokedReason, Expr::value(reason))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

/// Ends one session of `user_id` (404 when it is not theirs or already ended): what a person
/// does from their sessions page and an admin from the user's page.
pub async fn end_one(
    conn: &impl ConnectionTrait,
    user_id: i64,
    family_id: &str,
    reason: &str,
) -> Result<(), ApiError> {
    let owned = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .one(conn)
        .await?;
    if owned.is_none() {
        return Err(ApiError::not_found());
    }
    revoke_family(conn, family_id, reason).await?;
    Ok(())
}

/// Ends every session of a user except `keep_family` (the caller's own, on password change).
pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    user_id: i64,
    keep_family: Option<&str>,
    reason: &str,
) -> Result<u64, ApiError> {
    let mut q = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(super::now()))
        .col_expr(refresh_tokens::Column::RevokedReason, Expr::value(reason))
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null());
    if let Some(keep) = keep_family {
        q = q.filter(refresh_tokens::Column::FamilyId.ne(keep));
    }
    Ok(q.exec(conn).await?.rows_affected)
}

/// Ends every session of a user except `keep_family` and stops every access token not issued
/// for that one: the one rule behind sign-out-everywhere, a password change or reset, and an
/// admin's role or status change. Returns how many sessions ended.
pub async fn end_all(
    conn: &impl ConnectionTrait,
    user_id: i64,
    keep_family: Option<&str>,
    reason: &str,
) -> Result<u64, ApiError> {
    users::Entity::update_many()
        .col_expr(
            users::Column::TokenVersion,
            Expr::col(users::Column::TokenVersion).add(1),
        )
        .col_expr(users::Column::UpdatedAt, Expr::value(super::now()))
        .filter(users::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    revoke_all(conn, user_id, keep_family, reason).await
}

/// The user's live sessions: one unrevoked, unexpired token per family.
pub async fn active(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<refresh_tokens::Model>, ApiError> {
    Ok(refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .filter(refresh_tokens::Column::ExpiresAt.gt(super::now()))
        .order_by_desc(refresh_tokens::Column::LastUsedAt)
        .all(conn)
        .await?)
}

/// The account row and whether the session (refresh family) `session_id` of it is still live,
/// in one round trip: every authenticated request reads the row anyway, so checking the session
/// in the same statement makes logout and an ended session stop its access tokens at once, on
/// every replica, for no extra query. `None` when the account does not exist.
pub async fn account_and_session(
    conn: &impl ConnectionTrait,
    user_id: i64,
    session_id: &str,
) -> Result<Option<(users::Model, bool)>, ApiError> {
    // A live session has exactly one unrevoked token: rotation revokes the old one and inserts
    // its successor in one transaction; ending the session revokes them all.
    let live = Query::select()
        .expr(Expr::val(1))
        .from(refresh_tokens::Entity)
        .and_where(refresh_tokens::Column::FamilyId.eq(session_id))
        .and_where(refresh_tokens::Column::UserId.eq(user_id))
        .and_where(refresh_tokens::Column::RevokedAt.is_null())
        .to_owned();
    let stmt = users::Entity::find_by_id(user_id)
        .expr_as(Expr::exists(live), "session_live")
        .build(conn.get_database_backend());
    let Some(row) = conn.query_one_raw(stmt).await? else {
        return Ok(None);
    };
    let user = users::Model::from_query_result(&row, "")?;
    let live: bool = row.try_get("", "session_live")?;
    Ok(Some((user, live)))
}
