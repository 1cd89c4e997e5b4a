//! Chat rules: who may see, join, read and write which room; messages with their edit window
//! and send rate limit; read markers; blocks; admin moderation. Every function that changes
//! something returns the [`Event`]s to publish; callers run it through
//! [`crate::chat::Hub::transaction`] so the events go out exactly when the change commits.

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

// --- loading messages ------------------------------------------------------------------------

#[derive(Debug, FromQueryResult)]
struct MessageRow {
    id: i64,
    room_id: i64,
    sender_id: i64,
    body: String,
    created_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
    sender_username: String,
    sender_display_name: String,
}

fn message_select() -> Select<messages::Entity> {
    messages::Entity::find()
        .select_only()
        .columns([
            messages::Column::Id,
            messages::Column::RoomId,
            messages::Column::SenderId,
            messages::Column::Body,
            messages::Column::CreatedAt,
            messages::Column::EditedAt,
            messages::Column::DeletedAt,
        ])
        .column_as(users::Column::Username, "sender_username")
        .column_as(users::Column::DisplayName, "sender_display_name")
        .join(JoinType::InnerJoin, messages::Relation::Sender.def())
}

fn to_message(row: MessageRow) -> ChatMessage {
    let deleted = row.deleted_at.is_some();
    ChatMessage {
        id: row.id,
        room_id: row.room_id,
        sender: ChatUser {
            id: row.sender_id,
            username: row.sender_username,
            display_name: row.sender_display_name,
        },
        // A deleted message keeps its place but never its text.
        body: if deleted { String::new() } else { row.body },
        created_at: row.created_at,
        edited_at: row.edited_at,
        deleted,
        deleted_at: row.deleted_at,
    }
}

pub async fn message_by_id(conn: &impl ConnectionTrait, id: i64) -> ApiResult<Option<ChatMessage>> {
    Ok(message_select()
        .filter(messages::Column::Id.eq(id))
        .into_model::<MessageRow>()
        .one(conn)
        .await?
        .map(to_message))
}

async fn message_dto(conn: &impl ConnectionTrait, id: i64) -> ApiResult<ChatMessage> {
    message_by_id(conn, id).await?.ok_or_else(message_not_found)
}

/// One page of a room's history. `before` (or neither): newest first; `after`: oldest first.
/// Pages are by id, so messages posted meanwhile never shift them.
pub async fn history(
    conn: &impl ConnectionTrait,
    room_id: i64,
    before: Option<i64>,
    after: Option<i64>,
    limit: u64,
) -> ApiResult<(Vec<ChatMessage>, Option<String>)> {
    let mut q = message_select().filter(messages::Column::RoomId.eq(room_id));
    q = match (before, after) {
        (_, Some(after)) => q
            .filter(messages::Column::Id.gt(after))
            .order_by_asc(messages::Column::Id),
        (Some(before), None) => q
            .filter(messages::Column::Id.lt(before))
            .order_by_desc(messages::Column::Id),
        (None, None) => q.order_by_desc(messages::Column::Id),
    };
    let rows = q
        .limit(limit + 1)
        .into_model::<MessageRow>()
        .all(conn)
        .await?;
    let (rows, next) = crate::routes::pagination::split_page(rows, limit, |r| r.id);
    Ok((rows.into_iter().map(to_message).collect(), next))
}

/// Messages with id > `after` in every room `user_id` belongs to, oldest first (WebSocket
/// `resume`).
pub async fn messages_for_user_after(
    conn: &impl ConnectionTrait,
    user_id: i64,
    after: i64,
    limit: u64,
) -> ApiResult<Vec<ChatMessage>> {
    let my_rooms = Query::select()
        .column(cm::Column::RoomId)
        .from(cm::Entity)
        .and_where(cm::Column::UserId.eq(user_id))
        .to_owned();
    Ok(message_select()
        .filter(messages::Column::Id.gt(after))
        .filter(messages::Column::RoomId.in_subquery(my_rooms))
        .order_by_asc(messages::Column::Id)
        .limit(limit)
        .into_model::<MessageRow>()
        .all(conn)
        .await?
        .into_iter()
        .map(to_message)
        .collect())
}

/// (id, room) of messages after `after`, oldest first: replayed after a lost NOTIFY connection.
pub async fn message_ids_after(
    conn: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> ApiResult<Vec<(i64, i64)>> {
    Ok(messages::Entity::find()
        .select_only()
        .columns([messages::Column::Id, messages::Column::RoomId])
        .filter(messages::Column::Id.gt(after))
        .order_by_asc(messages::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn max_message_id(conn: &impl ConnectionTrait) -> ApiResult<i64> {
    Ok(messages::Entity::find()
        .select_only()
        .column(messages::Column::Id)
        .order_by_desc(messages::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .unwrap_or(0))
}

pub async fn member_ids(conn: &impl ConnectionTrait, room_id: i64) -> ApiResult<Vec<i64>> {
    Ok(cm::Entity::find()
        .select_only()
        .column(cm::Column::UserId)
        .filter(cm::Column::RoomId.eq(room_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?)
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

// --- room views ------------------------------------------------------------------------------

/// Room DTOs as `user_id` sees them, in the order given.
pub async fn build_rooms(
    conn: &impl ConnectionTrait,
    user_id: i64,
    list: Vec<rooms::Model>,
) -> ApiResult<Vec<ChatRoom>> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let mine: HashMap<i64, cm::Model> = cm::Entity::find()
        .filter(cm::Column::UserId.eq(user_id))
        .filter(cm::Column::RoomId.is_in(ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.room_id, m))
        .collect();
    let counts: HashMap<i64, i64> = cm::Entity::find()
        .select_only()
        .column(cm::Column::RoomId)
        .expr(Func::count(Expr::col(cm::Column::Id)))
        .filter(cm::Column::RoomId.is_in(ids.clone()))
        .group_by(cm::Column::RoomId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let unread = unread_counts(conn, user_id, mine.keys().copied().collect()).await?;
    let last_ids: Vec<i64> = list.iter().filter_map(|r| r.last_message_id).collect();
    let last: HashMap<i64, ChatMessage> = if last_ids.is_empty() {
        HashMap::new()
    } else {
        message_select()
            .filter(messages::Column::Id.is_in(last_ids))
            .into_model::<MessageRow>()
            .all(conn)
            .await?
            .into_iter()
            .map(|r| {
                let mut m = to_message(r);
                m.body = dto::preview(&m.body);
                (m.room_id, m)
            })
            .collect()
    };
    let peer_ids: Vec<i64> = list
        .iter()
        .filter(|r| r.kind == "direct")
        .filter_map(|r| direct_peer(r, user_id))
        .collect();
    let peers: HashMap<i64, ChatUser> = if peer_ids.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(peer_ids))
            .all(conn)
            .await?
            .iter()
            .map(|u| (u.id, chat_user(u)))
            .collect()
    };
    Ok(list
        .into_iter()
        .map(|r| {
            let member = mine.get(&r.id);
            let peer = if r.kind == "direct" {
                direct_peer(&r, user_id).and_then(|p| peers.get(&p).cloned())
            } else {
                None
            };
            ChatRoom {
                id: r.id,
                kind: RoomKind::parse(&r.kind).unwrap_or(RoomKind::Group),
                visibility: RoomVisibility::parse(&r.visibility).unwrap_or_default(),
                name: r.name,
                description: r.description,
                archived: r.archived_at.is_some(),
                member_count: counts.get(&r.id).copied().unwrap_or(0).max(0) as u64,
                is_member: member.is_some(),
                role: member.and_then(|m| MemberRole::parse(&m.role)),
                muted: member.is_some_and(|m| m.muted),
                unread_count: unread.get(&r.id).copied().unwrap_or(0).max(0) as u64,
                last_read_message_id: member.map_or(0, |m| m.last_read_message_id),
                last_message: last.get(&r.id).cloned(),
                peer,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// Unread (others' undeleted messages after the read marker) per room, for rooms `user_id` is
/// a member of. One grouped query over the (room_id, id) index.
async fn unread_counts(
    conn: &impl ConnectionTrait,
    user_id: i64,
    room_ids: Vec<i64>,
) -> ApiResult<HashMap<i64, i64>> {
    if room_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Only integers are written into the SQL.
    let list = room_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT m.room_id AS room_id, COUNT(*) AS n FROM messages m \
         INNER JOIN chat_room_members cm ON cm.room_id = m.room_id AND cm.user_id = {user_id} \
         WHERE m.room_id IN ({list}) AND m.id > cm.last_read_message_id \
         AND m.sender_id <> {user_id} AND m.deleted_at IS NULL \
         GROUP BY m.room_id"
    );
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        out.insert(
            row.try_get::<i64>("", "room_id")?,
            row.try_get::<i64>("", "n")?,
        );
    }
    Ok(out)
}

async fn unread_count(
    conn: &impl ConnectionTrait,
    room_id: i64,
    user_id: i64,
    last_read: i64,
) -> ApiResult<u64> {
    Ok(messages::Entity::find()
        .filter(messages::Column::RoomId.eq(room_id))
        .filter(messages::Column::Id.gt(last_read))
        .filter(messages::Column::SenderId.ne(user_id))
        .filter(messages::Column::DeletedAt.is_null())
        .count(conn)
        .await?)
}

pub async fn room_view(
    conn: &impl ConnectionTrait,
    user_id: i64,
    room: rooms::Model,
) -> ApiResult<ChatRoom> {
    build_rooms(conn, user_id, vec![room])
        .await?
        .pop()
        .ok_or_else(room_not_found)
}

/// Public rooms (not archived) plus every room the caller belongs to, most recently active first.
pub async fn list_rooms(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<ChatRoom>> {
    let my_rooms = Query::select()
        .column(cm::Column::RoomId)
        .from(cm::Entity)
        .and_where(cm::Column::UserId.eq(user_id))
        .to_owned();
    let mut list = rooms::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(rooms::Column::Kind.eq("group"))
                        .add(rooms::Column::Visibility.eq("public"))
                        .add(rooms::Column::ArchivedAt.is_null()),
                )
                .add(rooms::Column::Id.in_subquery(my_rooms)),
        )
        .all(conn)
        .await?;
    list.sort_by_key(|r| std::cmp::Reverse((r.last_message_id.unwrap_or(0), r.id)));
    build_rooms(conn, user_id, list).await
}

pub async fn members_page(
    conn: &impl ConnectionTrait,
    room_id: i64,
    cursor: Option<i64>,
    limit: u64,
) -> ApiResult<RoomMemberPage> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        user_id: i64,
        role: String,
        joined_at: DateTime<Utc>,
        username: String,
        display_name: String,
    }
    let mut q = cm::Entity::find()
        .select_only()
        .columns([
            cm::Column::Id,
            cm::Column::UserId,
            cm::Column::Role,
            cm::Column::JoinedAt,
        ])
        .column(users::Column::Username)
        .column(users::Column::DisplayName)
        .join(JoinType::InnerJoin, cm::Relation::User.def())
        .filter(cm::Column::RoomId.eq(room_id));
    if let Some(c) = cursor {
        q = q.filter(cm::Column::Id.gt(c));
    }
    let rows = q
        .order_by_asc(cm::Column::Id)
        .limit(limit + 1)
        .into_model::<Row>()
        .all(conn)
        .await?;
    let (rows, next_cursor) = crate::routes::pagination::split_page(rows, limit, |r| r.id);
    Ok(RoomMemberPage {
        items: rows
            .into_iter()
            .map(|r| RoomMember {
                user: ChatUser {
                    id: r.user_id,
                    username: r.username,
                    display_name: r.display_name,
                },
                role: MemberRole::parse(&r.role).unwrap_or(MemberRole::Member),
                joined_at: r.joined_at,
            })
            .collect(),
        next_cursor,
    })
}

// --- rooms: create, join, leave, invite, mute, direct ----------------------------------------

async fn insert_room(
    conn: &impl ConnectionTrait,
    visibility: RoomVisibility,
    name: &str,
    description: Option<&str>,
    created_by: i64,
) -> ApiResult<rooms::Model> {
    let at = now();
    Ok(rooms::ActiveModel {
        kind: Set("group".into()),
        visibility: Set(visibility.as_str().into()),
        name: Set(Some(name.trim().to_owned())),
        description: Set(description
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)),
        direct_key: Set(None),
        created_by: Set(Some(created_by)),
        last_message_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

async fn add_member(
    conn: &impl ConnectionTrait,
    room: &rooms::Model,
    user_id: i64,
    role: MemberRole,
    invited_by: Option<i64>,
) -> ApiResult<bool> {
    let inserted = cm::Entity::insert(cm::ActiveModel {
        room_id: Set(room.id),
        user_id: Set(user_id),
        role: Set(role.as_str().into()),
        // History before joining is readable but not "unread".
        last_read_message_id: Set(room.last_message_id.unwrap_or(0)),
        muted: Set(false),
        invited_by: Set(invited_by),
        joined_at: Set(now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([cm::Column::RoomId, cm::Column::UserId])
    .exec_without_returning(conn)
    .await?;
    Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0))
}

/// A private group; the creator is its owner.
pub async fn create_private_room(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    req: &dto::CreateRoomRequest,
) -> ApiResult<(ChatRoom, Vec<Event>)> {
    if req.visibility == RoomVisibility::Public {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "الغرف العامة ينشئها المشرفون فقط؛ يمكنك إنشاء مجموعة خاصة.",
        ));
    }
    let room = insert_room(
        conn,
        RoomVisibility::Private,
        &req.name,
        req.description.as_deref(),
        user.id,
    )
    .await?;
    add_member(conn, &room, user.id, MemberRole::Owner, None).await?;
    let events = vec![Event::Members {
        room: room.id,
        users: vec![user.id],
    }];
    Ok((room_view(conn, user.id, room).await?, events))
}

pub async fn create_public_room(
    conn: &impl ConnectionTrait,
    admin: &AuthUser,
    ip: &str,
    req: &dto::AdminCreateRoomRequest,
) -> ApiResult<ChatRoom> {
    let room = insert_room(
        conn,
        RoomVisibility::Public,
        &req.name,
        req.description.as_deref(),
        admin.id,
    )
    .await?;
    audit::Entry::by_user(admin.id, "chat.room_create")
        .target("chat_room", room.id)
        .ip(ip)
        .details(json!({"name": room.name}))
        .write(conn)
        .await?;
    room_view(conn, admin.id, room).await
}

pub async fn join(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
) -> ApiResult<(ChatRoom, Vec<Event>)> {
    let access = room_access(conn, user.id, room_id).await?;
    let mut events = Vec::new();
    if access.member.is_none() {
        // Only public groups are visible to non-members (room_access), so this is one.
        access.require_writable()?;
        if add_member(conn, &access.room, user.id, MemberRole::Member, None).await? {
            events.push(Event::Members {
                room: room_id,
                users: vec![user.id],
            });
        }
    }
    Ok((room_view(conn, user.id, access.room).await?, events))
}

pub async fn leave(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
) -> ApiResult<((), Vec<Event>)> {
    let access = room_access(conn, user.id, room_id).await?;
    let member = access.require_member()?;
    if access.room.kind == "direct" {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "لا يمكن مغادرة محادثة خاصة؛ يمكنك كتمها أو حظر الطرف الآخر.",
        ));
    }
    cm::Entity::delete_by_id(member.id).exec(conn).await?;
    let mut affected = vec![user.id];
    if member.role == "owner" {
        // The longest-standing member inherits the group; an empty group is removed.
        let heir = cm::Entity::find()
            .filter(cm::Column::RoomId.eq(room_id))
            .order_by_asc(cm::Column::JoinedAt)
            .order_by_asc(cm::Column::Id)
            .one(conn)
            .await?;
        match heir {
            Some(heir) => {
                cm::Entity::update_many()
                    .col_expr(cm::Column::Role, Expr::value("owner"))
                    .filter(cm::Column::Id.eq(heir.id))
                    .exec(conn)
                    .await?;
                affected.push(heir.user_id);
            }
            None if access.room.visibility == "private" => {
                rooms::Entity::delete_by_id(room_id).exec(conn).await?;
                return Ok((
                    (),
                    vec![Event::RoomDeleted {
                        room: room_id,
                        users: affected,
                    }],
                ));
            }
            None => {}
        }
    }
    Ok((
        (),
        vec![Event::Members {
            room: room_id,
            users: affected,
        }],
    ))
}

/// The owner adds someone to a private group directly (they get a notification).
pub async fn invite(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
    username: &str,
) -> ApiResult<(RoomMember, Vec<Event>)> {
    let access = room_access(conn, user.id, room_id).await?;
    let member = access.require_member()?;
    if access.room.kind != "group" || access.room.visibility != "private" {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "الدعوات للمجموعات الخاصة فقط؛ الغرف العامة مفتوحة للجميع.",
        ));
    }
    if member.role != "owner" {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "مالك المجموعة وحده يستطيع إضافة أعضاء.",
        ));
    }
    access.require_writable()?;
    let target = user_by_username(conn, username).await?;
    if is_blocked(conn, target.id, user.id).await? {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "لا يمكنك إضافة هذا المستخدم.",
        ));
    }
    if !add_member(
        conn,
        &access.room,
        target.id,
        MemberRole::Member,
        Some(user.id),
    )
    .await?
    {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "هذا المستخدم عضو في المجموعة بالفعل.",
        ));
    }
    let room_name = access.room.name.clone().unwrap_or_default();
    notify::user(
        conn,
        target.id,
        "chat_invite",
        "إضافة إلى مجموعة دردشة",
        &format!("أضافك {} إلى المجموعة «{}».", user.username, room_name),
        json!({"room_id": room_id, "room_name": room_name, "by": user.username}),
    )
    .await?;
    let joined = membership(conn, room_id, target.id)
        .await?
        .map_or_else(now, |m| m.joined_at);
    Ok((
        RoomMember {
            user: chat_user(&target),
            role: MemberRole::Member,
            joined_at: joined,
        },
        vec![Event::Members {
            room: room_id,
            users: vec![target.id],
        }],
    ))
}

pub async fn set_muted(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
    muted: bool,
) -> ApiResult<ChatRoom> {
    let access = room_access(conn, user.id, room_id).await?;
    let member = access.require_member()?;
    cm::Entity::update_many()
        .col_expr(cm::Column::Muted, Expr::value(muted))
        .filter(cm::Column::Id.eq(member.id))
        .exec(conn)
        .await?;
    room_view(conn, user.id, access.room).await
}

/// Gets or creates the one direct room of a pair. The UNIQUE `direct_key` makes concurrent
/// calls (from either side, on any replica) end up in the same room.
pub async fn open_direct(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    username: &str,
) -> ApiResult<((ChatRoom, bool), Vec<Event>)> {
    let target = user_by_username(conn, username).await?;
    if target.id == user.id {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "username",
            "لا يمكنك مراسلة نفسك.",
        ));
    }
    if is_blocked(conn, target.id, user.id).await? {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "لا يمكنك مراسلة هذا المستخدم؛ فهو لا يستقبل رسائل منك.",
        ));
    }
    let key = direct_key(user.id, target.id);
    let at = now();
    let inserted = rooms::Entity::insert(rooms::ActiveModel {
        kind: Set("direct".into()),
        visibility: Set("private".into()),
        name: Set(None),
        description: Set(None),
        direct_key: Set(Some(key.clone())),
        created_by: Set(Some(user.id)),
        last_message_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([rooms::Column::DirectKey])
    .exec_without_returning(conn)
    .await?;
    let created = matches!(inserted, TryInsertResult::Inserted(n) if n > 0);
    let room = rooms::Entity::find()
        .filter(rooms::Column::DirectKey.eq(key))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("direct room vanished")))?;
    let mut added = Vec::new();
    for id in [user.id, target.id] {
        if add_member(conn, &room, id, MemberRole::Member, None).await? {
            added.push(id);
        }
    }
    let events = if added.is_empty() {
        Vec::new()
    } else {
        vec![Event::Members {
            room: room.id,
            users: added,
        }]
    };
    Ok(((room_view(conn, user.id, room).await?, created), events))
}

// --- messages --------------------------------------------------------------------------------

/// Rejects a send when the user already sent `RATE_LIMIT_MESSAGES` within the window; the answer
/// says when the oldest of them leaves it. Counted from `messages` (index on sender_id, id), so
/// it holds across replicas.
async fn check_rate(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    let nth: Option<DateTime<Utc>> = messages::Entity::find()
        .select_only()
        .column(messages::Column::CreatedAt)
        .filter(messages::Column::SenderId.eq(user_id))
        .order_by_desc(messages::Column::Id)
        .offset(RATE_LIMIT_MESSAGES - 1)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    if let Some(at) = nth {
        let frees_at = at + Duration::seconds(RATE_LIMIT_WINDOW_SECS);
        let wait = frees_at - Utc::now();
        if wait > Duration::zero() {
            let secs = (wait.num_milliseconds() + 999) / 1000;
            return Err(ApiError::RateLimited {
                code: ErrorCode::RateLimited,
                retry_after: secs.max(1) as u64,
            });
        }
    }
    Ok(())
}

/// Direct rooms: nobody writes to someone who blocked them, nor to someone they blocked.
async fn check_direct_blocks(
    conn: &impl ConnectionTrait,
    room: &rooms::Model,
    user_id: i64,
) -> ApiResult<()> {
    if room.kind != "direct" {
        return Ok(());
    }
    let Some(peer) = direct_peer(room, user_id) else {
        return Ok(());
    };
    if is_blocked(conn, peer, user_id).await? {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "لا يمكنك مراسلة هذا المستخدم؛ فهو لا يستقبل رسائل منك.",
        ));
    }
    if is_blocked(conn, user_id, peer).await? {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "لقد حظرت هذا المستخدم؛ ألغِ الحظر أولًا لمراسلته.",
        ));
    }
    Ok(())
}

pub async fn send(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
    body: &str,
) -> ApiResult<(ChatMessage, Vec<Event>)> {
    let access = room_access(conn, user.id, room_id).await?;
    access.require_member()?;
    access.require_writable()?;
    check_direct_blocks(conn, &access.room, user.id).await?;
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({SEND_LOCK_KEY})"))
            .await?;
    }
    check_rate(conn, user.id).await?;
    let at = now();
    let msg = messages::ActiveModel {
        room_id: Set(room_id),
        sender_id: Set(user.id),
        body: Set(body.to_owned()),
        created_at: Set(at),
        edited_at: Set(None),
        deleted_at: Set(None),
        deleted_by: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    rooms::Entity::update_many()
        .col_expr(rooms::Column::LastMessageId, Expr::value(msg.id))
        .col_expr(rooms::Column::UpdatedAt, Expr::value(at))
        .filter(rooms::Column::Id.eq(room_id))
        .exec(conn)
        .await?;
    // Writing a message means having read everything before it.
    cm::Entity::update_many()
        .col_expr(cm::Column::LastReadMessageId, Expr::value(msg.id))
        .filter(cm::Column::RoomId.eq(room_id))
        .filter(cm::Column::UserId.eq(user.id))
        .filter(cm::Column::LastReadMessageId.lt(msg.id))
        .exec(conn)
        .await?;
    let events = vec![Event::Message {
        id: msg.id,
        room: room_id,
    }];
    Ok((message_dto(conn, msg.id).await?, events))
}

fn within_window(msg: &messages::Model) -> bool {
    Utc::now() - msg.created_at <= Duration::seconds(EDIT_WINDOW_SECS)
}

pub async fn edit(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    message_id: i64,
    body: &str,
) -> ApiResult<(ChatMessage, Vec<Event>)> {
    let msg = messages::Entity::find_by_id(message_id)
        .one(conn)
        .await?
        .ok_or_else(message_not_found)?;
    let access = room_access(conn, user.id, msg.room_id)
        .await
        .map_err(|_| message_not_found())?;
    access.require_member()?;
    if msg.sender_id != user.id {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "يمكنك تعديل رسائلك فقط.",
        ));
    }
    if msg.deleted_at.is_some() {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "حُذفت هذه الرسالة؛ لا يمكن تعديلها.",
        ));
    }
    if !within_window(&msg) {
        return Err(ApiError::message(
            ErrorCode::Forbidden,
            "انتهت مهلة تعديل الرسالة (15 دقيقة بعد إرسالها).",
        ));
    }
    access.require_writable()?;
    messages::Entity::update_many()
        .col_expr(messages::Column::Body, Expr::value(body))
        .col_expr(messages::Column::EditedAt, Expr::value(now()))
        .filter(messages::Column::Id.eq(message_id))
        .exec(conn)
        .await?;
    let events = vec![Event::Updated {
        id: message_id,
        room: msg.room_id,
    }];
    Ok((message_dto(conn, message_id).await?, events))
}

/// Senders delete their own messages within the window; the group's owner and admins delete
/// any message at any time (logged in the audit log with the removed text).
pub async fn delete(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    ip: &str,
    message_id: i64,
) -> ApiResult<(ChatMessage, Vec<Event>)> {
    let msg = messages::Entity::find_by_id(message_id)
        .one(conn)
        .await?
        .ok_or_else(message_not_found)?;
    let own = msg.sender_id == user.id;
    if !user.is_admin() {
        let access = room_access(conn, user.id, msg.room_id)
            .await
            .map_err(|_| message_not_found())?;
        let member = access.require_member()?;
        if own {
            if !within_window(&msg) && msg.deleted_at.is_none() {
                return Err(ApiError::message(
                    ErrorCode::Forbidden,
                    "انتهت مهلة حذف الرسالة (15 دقيقة بعد إرسالها).",
                ));
            }
        } else if member.role != "owner" {
            return Err(ApiError::message(
                ErrorCode::Forbidden,
                "يمكنك حذف رسائلك فقط.",
            ));
        }
    }
    if msg.deleted_at.is_some() {
        return Ok((message_dto(conn, message_id).await?, Vec::new()));
    }
    // The text is erased, not hidden: a deleted message is gone for everyone.
    messages::Entity::update_many()
        .col_expr(messages::Column::Body, Expr::value(""))
        .col_expr(messages::Column::DeletedAt, Expr::value(now()))
        .col_expr(messages::Column::DeletedBy, Expr::value(user.id))
        .filter(messages::Column::Id.eq(message_id))
        .exec(conn)
        .await?;
    if !own {
        audit::Entry::by_user(user.id, "chat.message_delete")
            .target("chat_message", message_id)
            .ip(ip)
            .details(json!({"room_id": msg.room_id, "sender_id": msg.sender_id, "body": msg.body}))
            .write(conn)
            .await?;
    }
    let events = vec![Event::Updated {
        id: message_id,
        room: msg.room_id,
    }];
    Ok((message_dto(conn, message_id).await?, events))
}

/// Moves the caller's read marker forward (never back), to at most the room's newest message.
pub async fn mark_read(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    room_id: i64,
    message_id: i64,
) -> ApiResult<(ReadState, Vec<Event>)> {
    let access = room_access(conn, user.id, room_id).await?;
    let member = access.require_member()?;
    let target = message_id.min(access.room.last_message_id.unwrap_or(0));
    let mut events = Vec::new();
    let mut last_read = member.last_read_message_id;
    if target > last_read {
        let moved = cm::Entity::update_many()
            .col_expr(cm::Column::LastReadMessageId, Expr::value(target))
            .filter(cm::Column::Id.eq(member.id))
            .filter(cm::Column::LastReadMessageId.lt(target))
            .exec(conn)
            .await?
            .rows_affected;
        last_read = membership(conn, room_id, user.id)
            .await?
            .map_or(target, |m| m.last_read_message_id);
        if moved > 0 {
            events.push(Event::Read {
                room: room_id,
                user: user.id,
                upto: last_read,
            });
        }
    }
    Ok((
        ReadState {
            room_id,
            last_read_message_id: last_read,
            unread_count: unread_count(conn, room_id, user.id, last_read).await?,
        },
        events,
    ))
}

/// Whether `user_id` may announce typing in `room_id`: a direct room they belong to, with no
/// block either way. (The WebSocket ignores other typing frames.)
pub async fn typing_allowed(
    conn: &impl ConnectionTrait,
    room_id: i64,
    user_id: i64,
) -> ApiResult<bool> {
    let Some(room) = rooms::Entity::find_by_id(room_id).one(conn).await? else {
        return Ok(false);
    };
    if room.kind != "direct" || membership(conn, room_id, user_id).await?.is_none() {
        return Ok(false);
    }
    Ok(check_direct_blocks(conn, &room, user_id).await.is_ok())
}

// --- blocks ----------------------------------------------------------------------------------

pub async fn block(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    username: &str,
) -> ApiResult<BlockedUser> {
    let target = user_by_username(conn, username).await?;
    if target.id == user.id {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "username",
            "لا يمكنك حظر نفسك.",
        ));
    }
    blocks::Entity::insert(blocks::ActiveModel {
        blocker_id: Set(user.id),
        blocked_id: Set(target.id),
        created_at: Set(now()),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([blocks::Column::BlockerId, blocks::Column::BlockedId])
    .exec_without_returning(conn)
    .await?;
    let row = blocks::Entity::find()
        .filter(blocks::Column::BlockerId.eq(user.id))
        .filter(blocks::Column::BlockedId.eq(target.id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("block row vanished")))?;
    Ok(BlockedUser {
        user: chat_user(&target),
        blocked_at: row.created_at,
    })
}

pub async fn unblock(
    conn: &impl ConnectionTrait,
    user: &AuthUser,
    username: &str,
) -> ApiResult<()> {
    let target = user_by_username(conn, username).await?;
    blocks::Entity::delete_many()
        .filter(blocks::Column::BlockerId.eq(user.id))
        .filter(blocks::Column::BlockedId.eq(target.id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn list_blocks(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<BlockedUser>> {
    let rows = blocks::Entity::find()
        .filter(blocks::Column::BlockerId.eq(user_id))
        .order_by_desc(blocks::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|b| b.blocked_id).collect();
    let people: HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            people.get(&b.blocked_id).map(|u| BlockedUser {
                user: chat_user(u),
                blocked_at: b.created_at,
            })
        })
        .collect())
}

// --- admin -----------------------------------------------------------------------------------

pub async fn admin_update_room(
    conn: &impl ConnectionTrait,
    admin: &AuthUser,
    ip: &str,
    room_id: i64,
    req: &dto::AdminUpdateRoomRequest,
) -> ApiResult<(ChatRoom, Vec<Event>)> {
    let room = rooms::Entity::find_by_id(room_id)
        .one(conn)
        .await?
        .ok_or_else(room_not_found)?;
    if room.kind != "group" && (req.name.is_some() || req.description.is_some()) {
        return Err(ApiError::message(
            ErrorCode::Conflict,
            "لا يمكن تسمية محادثة خاصة أو وصفها.",
        ));
    }
    let mut update = rooms::Entity::update_many()
        .col_expr(rooms::Column::UpdatedAt, Expr::value(now()))
        .filter(rooms::Column::Id.eq(room_id));
    if let Some(name) = &req.name {
        update = update.col_expr(rooms::Column::Name, Expr::value(name.trim()));
    }
    if let Some(description) = &req.description {
        let d = description.trim();
        update = update.col_expr(
            rooms::Column::Description,
            Expr::value((!d.is_empty()).then(|| d.to_owned())),
        );
    }
    if let Some(archive) = req.archived {
        if archive != room.archived_at.is_some() {
            update = update.col_expr(rooms::Column::ArchivedAt, Expr::value(archive.then(now)));
        }
    }
    update.exec(conn).await?;
    audit::Entry::by_user(admin.id, "chat.room_update")
        .target("chat_room", room_id)
        .ip(ip)
        .details(
            json!({"name": req.name, "description": req.description, "archived": req.archived}),
        )
        .write(conn)
        .await?;
    let room = rooms::Entity::find_by_id(room_id)
        .one(conn)
        .await?
        .ok_or_else(room_not_found)?;
    // Members reload their lists (archived rooms turn read-only).
    let members = member_ids(conn, room_id).await?;
    let events = if members.len() <= MAX_USERS_IN_EVENT {
        vec![Event::Members {
            room: room_id,
            users: members,
        }]
    } else {
        Vec::new()
    };
    Ok((room_view(conn, admin.id, room).await?, events))
}

pub async fn admin_delete_room(
    conn: &impl ConnectionTrait,
    admin: &AuthUser,
    ip: &str,
    room_id: i64,
) -> ApiResult<((), Vec<Event>)> {
    let room = rooms::Entity::find_by_id(room_id)
        .one(conn)
        .await?
        .ok_or_else(room_not_found)?;
    let mut members = member_ids(conn, room_id).await?;
    let count = members.len();
    if members.len() > MAX_USERS_IN_EVENT {
        members.clear();
    }
    // Messages and memberships go with the room (ON DELETE CASCADE).
    rooms::Entity::delete_by_id(room_id).exec(conn).await?;
    audit::Entry::by_user(admin.id, "chat.room_delete")
        .target("chat_room", room_id)
        .ip(ip)
        .details(json!({"name": room.name, "kind": room.kind, "members": count}))
        .write(conn)
        .await?;
    Ok((
        (),
        vec![Event::RoomDeleted {
            room: room_id,
            users: members,
        }],
    ))
}

/// Every group room (archived included), newest first, for the admin section.
pub async fn admin_list_rooms(
    conn: &impl ConnectionTrait,
    admin_id: i64,
    cursor: Option<i64>,
    limit: u64,
) -> ApiResult<(Vec<ChatRoom>, Option<String>)> {
    let mut q = rooms::Entity::find().filter(rooms::Column::Kind.eq("group"));
    if let Some(c) = cursor {
        q = q.filter(rooms::Column::Id.lt(c));
    }
    let list = q
        .order_by_desc(rooms::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (list, next) = crate::routes::pagination::split_page(list, limit, |r| r.id);
    Ok((build_rooms(conn, admin_id, list).await?, next))
}
