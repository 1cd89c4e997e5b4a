//! Messages: loading and history, sending (rate limit, blocks), editing and deleting within the window, read markers, typing.

use super::*;

// --- loading messages ------------------------------------------------------------------------

#[derive(Debug, FromQueryResult)]
pub(super) struct MessageRow {
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

pub(super) fn message_select() -> Select<messages::Entity> {
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

pub(super) fn to_message(row: MessageRow) -> ChatMessage {
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
                direct: access.room.kind == "direct",
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
