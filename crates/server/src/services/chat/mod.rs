//! Chat rules: who may see, join, read and write which room; messages with their edit window
//! and send rate limit; read markers; blocks; admin moderation. Every function that changes
//! something returns the [`Event`]s to publish; callers run it through
//! [`crate::chat::Hub::transaction`] so the events go out exactly when the change commits.
//!
//! Submodules: `room_rules` (room views, create/join/leave/invite/mute, direct rooms),
//! `message_rules` (history, send/edit/delete, read markers, typing), `moderation` (blocks,
//! admin room management). Shared here: errors and access checks.

mod message_rules;
mod moderation;
mod room_rules;

pub use message_rules::*;
pub use moderation::*;
pub use room_rules::*;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use domain::chat::{
    self as dto, BlockedUser, ChatMessage, ChatRoom, ChatUser, MemberRole, ReadState, RoomKind,
    RoomMember, RoomMemberPage, RoomVisibility, EDIT_WINDOW_SECS, RATE_LIMIT_MESSAGES,
    RATE_LIMIT_WINDOW_SECS,
};
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend,
    EntityTrait, FromQueryResult, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait, Select, Statement, TryInsertResult,
};
use serde_json::json;

use super::{audit, notify, now};
use crate::auth::AuthUser;
use crate::chat::events::{Event, MAX_USERS_IN_EVENT};
use crate::entities::{
    chat_room_members as cm, chat_rooms as rooms, messages, user_blocks as blocks, users,
};
use crate::error::{ApiError, ApiResult};

/// Serialises message inserts on PostgreSQL (`pg_advisory_xact_lock`), so message ids become
/// visible in id order: a reader that has seen id N will never later see a smaller new id. That
/// keeps `before=`/`after=` pages and `resume` gap-free, and makes the rate-limit check exact.
/// Notifying transactions already serialise their commits in PostgreSQL, so this costs little.
const SEND_LOCK_KEY: i64 = 0x6d71_6368_6174; // "mqchat"

// --- errors ----------------------------------------------------------------------------------

fn room_not_found() -> ApiError {
    ApiError::message(ErrorCode::NotFound, "الغرفة غير موجودة.")
}

fn not_member() -> ApiError {
    ApiError::message(
        ErrorCode::Forbidden,
        "انضم إلى الغرفة أولًا لقراءة رسائلها أو الكتابة فيها.",
    )
}

fn archived() -> ApiError {
    ApiError::message(
        ErrorCode::Conflict,
        "هذه الغرفة مؤرشفة؛ لا يمكن الكتابة فيها.",
    )
}

fn user_not_found() -> ApiError {
    ApiError::message(ErrorCode::NotFound, "لا يوجد مستخدم بهذا الاسم.")
}

fn message_not_found() -> ApiError {
    ApiError::message(ErrorCode::NotFound, "الرسالة غير موجودة.")
}

// --- access ----------------------------------------------------------------------------------

/// A room the caller may know about, with their membership if any.
pub struct RoomAccess {
    pub room: rooms::Model,
    pub member: Option<cm::Model>,
}

impl RoomAccess {
    pub fn is_public_group(&self) -> bool {
        self.room.kind == "group" && self.room.visibility == "public"
    }

    pub fn require_member(&self) -> ApiResult<&cm::Model> {
        self.member.as_ref().ok_or_else(not_member)
    }

    /// Members read; admins may also read public rooms they have not joined (moderation).
    pub fn require_reader(&self, user: &AuthUser) -> ApiResult<()> {
        if self.member.is_some() || (user.is_admin() && self.is_public_group()) {
            Ok(())
        } else {
            Err(not_member())
        }
    }

    fn require_writable(&self) -> ApiResult<()> {
        if self.room.archived_at.is_some() {
            Err(archived())
        } else {
            Ok(())
        }
    }
}

async fn membership(
    conn: &impl ConnectionTrait,
    room_id: i64,
    user_id: i64,
) -> ApiResult<Option<cm::Model>> {
    Ok(cm::Entity::find()
        .filter(cm::Column::RoomId.eq(room_id))
        .filter(cm::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}

/// 404 for a room that does not exist, or a private/direct room the caller is not in (its
/// existence is not revealed); otherwise the room and the caller's membership.
pub async fn room_access(
    conn: &impl ConnectionTrait,
    user_id: i64,
    room_id: i64,
) -> ApiResult<RoomAccess> {
    let room = rooms::Entity::find_by_id(room_id)
        .one(conn)
        .await?
        .ok_or_else(room_not_found)?;
    let member = membership(conn, room_id, user_id).await?;
    if member.is_none() && !(room.kind == "group" && room.visibility == "public") {
        return Err(room_not_found());
    }
    Ok(RoomAccess { room, member })
}

/// The other person of a direct room, from its key "<smaller id>:<larger id>".
fn direct_peer(room: &rooms::Model, me: i64) -> Option<i64> {
    let (a, b) = room.direct_key.as_deref()?.split_once(':')?;
    let (a, b) = (a.parse::<i64>().ok()?, b.parse::<i64>().ok()?);
    Some(if a == me { b } else { a })
}

pub fn direct_key(a: i64, b: i64) -> String {
    format!("{}:{}", a.min(b), a.max(b))
}

async fn is_blocked(conn: &impl ConnectionTrait, blocker: i64, blocked: i64) -> ApiResult<bool> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::BlockerId.eq(blocker))
        .filter(blocks::Column::BlockedId.eq(blocked))
        .count(conn)
        .await?
        > 0)
}

async fn user_by_username(conn: &impl ConnectionTrait, username: &str) -> ApiResult<users::Model> {
    users::Entity::find()
        .filter(users::Column::UsernameLower.eq(username.trim().to_lowercase()))
        .one(conn)
        .await?
        .ok_or_else(user_not_found)
}

fn chat_user(u: &users::Model) -> ChatUser {
    ChatUser {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
    }
}
