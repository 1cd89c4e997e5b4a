//! Rooms as the caller sees them (unread counts, previews), and changing them: create, join, leave, invite, mute, direct rooms.

use super::*;

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
    // Read ticks: the other member's marker in each direct room the caller belongs to.
    let direct_ids: Vec<i64> = list
        .iter()
        .filter(|r| r.kind == "direct" && mine.contains_key(&r.id))
        .map(|r| r.id)
        .collect();
    let peer_reads: HashMap<i64, i64> = if direct_ids.is_empty() {
        HashMap::new()
    } else {
        cm::Entity::find()
            .select_only()
            .column(cm::Column::RoomId)
            .column(cm::Column::LastReadMessageId)
            .filter(cm::Column::RoomId.is_in(direct_ids))
            .filter(cm::Column::UserId.ne(user_id))
            .into_tuple::<(i64, i64)>()
            .all(conn)
            .await?
            .into_iter()
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
                peer_last_read_message_id: peer_reads.get(&r.id).copied(),
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

pub(super) async fn unread_count(
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
