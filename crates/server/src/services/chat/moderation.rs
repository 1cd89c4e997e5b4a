//! Blocks between people, and the admins' management of public rooms.

use super::*;

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
