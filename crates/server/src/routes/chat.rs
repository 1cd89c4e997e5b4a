//! /api/v1/chat: rooms, direct rooms, messages, read markers and blocks. Live delivery is the
//! WebSocket at /api/v1/ws (routes::ws); the rules are in services::chat.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::chat::{
    BlockList, BlockedUser, ChatMessage, ChatRoom, ChatRoomList, CreateRoomRequest, MessagePage,
    MessageRequest, MuteRequest, ReadRequest, ReadState, RoomMember, RoomMemberPage,
    UsernameRequest, MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT,
};
use domain::{ErrorBody, ErrorCode};
use serde::Deserialize;

use crate::auth::{AuthUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::chat as svc;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Older messages than this id, newest first (pass the previous page's `next_cursor`).
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// Newer messages than this id, oldest first (catching up after a gap).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Messages per page (1–100, default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl HistoryQuery {
    fn checked(&self) -> ApiResult<(Option<i64>, Option<i64>, u64)> {
        if self.before.is_some() && self.after.is_some() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "after",
                "استخدم before أو after، لا كليهما.",
            ));
        }
        if self.before.is_some_and(|b| b < 1) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "before",
                "مؤشر الصفحة غير صالح.",
            ));
        }
        if self.after.is_some_and(|a| a < 0) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "after",
                "مؤشر الصفحة غير صالح.",
            ));
        }
        let limit = match self.limit {
            None => MESSAGES_DEFAULT_LIMIT,
            Some(n) if (1..=MESSAGES_MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                return Err(ApiError::field(
                    ErrorCode::ValidationFailed,
                    "limit",
                    "يجب أن يكون الحد بين 1 و100.",
                ))
            }
        };
        Ok((self.before, self.after, limit))
    }
}

/// Rooms the caller can see: every public room plus their private groups and direct rooms, most
/// recently active first, each with unread count, last message preview and member count.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    responses((status = 200, body = ChatRoomList), (status = 401, body = ErrorBody))
)]
#[get("/rooms")]
#[tracing::instrument(skip_all)]
pub async fn list_rooms(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<ChatRoomList>> {
    Ok(web::Json(ChatRoomList {
        items: svc::list_rooms(&state.db, user.id).await?,
    }))
}

/// Create a private group; the caller becomes its owner and can add members.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    request_body = CreateRoomRequest,
    responses(
        (status = 201, body = ChatRoom),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Public rooms are created by admins", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/rooms")]
#[tracing::instrument(skip_all)]
pub async fn create_room(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreateRoomRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (user_ref, req_ref) = (&user, &req);
    let created = state
        .chat
        .transaction(|txn| async move { svc::create_private_room(&*txn, user_ref, req_ref).await })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// One room as the caller sees it.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses((status = 200, body = ChatRoom), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/rooms/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_room(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<ChatRoom>> {
    let access = svc::room_access(&state.db, user.id, path.into_inner()).await?;
    Ok(web::Json(
        svc::room_view(&state.db, user.id, access.room).await?,
    ))
}

/// Join a public room (joining twice changes nothing).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses(
        (status = 200, body = ChatRoom),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such room, or a private room", body = ErrorBody),
        (status = 409, description = "The room is archived", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/join")]
#[tracing::instrument(skip_all)]
pub async fn join_room(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<web::Json<ChatRoom>> {
    let (room_id, user_ref) = (path.into_inner(), &user);
    let joined = state
        .chat
        .transaction(|txn| async move { svc::join(&*txn, user_ref, room_id).await })
        .await?;
    Ok(web::Json(joined))
}

/// Leave a group room. When a private group's owner leaves, the longest-standing member becomes
/// owner; an empty private group is removed. Direct rooms cannot be left (mute or block instead).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses(
        (status = 204, description = "Left"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A direct room", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/leave")]
#[tracing::instrument(skip_all)]
pub async fn leave_room(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (room_id, user_ref) = (path.into_inner(), &user);
    state
        .chat
        .transaction(|txn| async move { svc::leave(&*txn, user_ref, room_id).await })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add someone to a private group (owner only). They are added at once and notified.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = UsernameRequest,
    responses(
        (status = 201, body = RoomMember),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the owner, or the person blocked the owner", body = ErrorBody),
        (status = 404, description = "No such room or user", body = ErrorBody),
        (status = 409, description = "Already a member, or not a private group", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/rooms/{id}/invite")]
#[tracing::instrument(skip_all)]
pub async fn invite_member(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<UsernameRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (room_id, user_ref, name) = (path.into_inner(), &user, req.username.as_str());
    let added = state
        .chat
        .transaction(|txn| async move { svc::invite(&*txn, user_ref, room_id, name).await })
        .await?;
    Ok(HttpResponse::Created().json(added))
}

/// Members of a room (members, or anyone for a public room).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id"), PageParams),
    responses((status = 200, body = RoomMemberPage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/rooms/{id}/members")]
#[tracing::instrument(skip_all)]
pub async fn list_members(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<RoomMemberPage>> {
    let limit = page.limit()?;
    let cursor = page.cursor_id()?;
    let access = svc::room_access(&state.db, user.id, path.into_inner()).await?;
    Ok(web::Json(
        svc::members_page(&state.db, access.room.id, cursor, limit).await?,
    ))
}

/// Mute or unmute a room for the caller (the SPA stops notifying; messages still arrive).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = MuteRequest,
    responses((status = 200, body = ChatRoom), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/rooms/{id}/mute")]
#[tracing::instrument(skip_all)]
pub async fn mute_room(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<MuteRequest>,
) -> ApiResult<web::Json<ChatRoom>> {
    let muted = body.muted;
    Ok(web::Json(
        svc::set_muted(&state.db, &user, path.into_inner(), muted).await?,
    ))
}

/// Mark messages read up to and including `message_id` (the marker never moves backwards).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = ReadRequest,
    responses((status = 200, body = ReadState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/rooms/{id}/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_room_read(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<ReadRequest>,
) -> ApiResult<web::Json<ReadState>> {
    let message_id = body.message_id;
    if message_id < 1 {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "message_id",
            "معرّف الرسالة غير صالح.",
        ));
    }
    let (room_id, user_ref) = (path.into_inner(), &user);
    let read = state
        .chat
        .transaction(
            |txn| async move { svc::mark_read(&*txn, user_ref, room_id, message_id).await },
        )
        .await?;
    Ok(web::Json(read))
}

/// A room's messages by id: newest first with `before=` (or nothing), oldest first with `after=`.
/// Deleted messages keep their place with an empty body and `deleted: true`.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id"), HistoryQuery),
    responses(
        (status = 200, body = MessagePage),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a member of this public room", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[get("/rooms/{id}/messages")]
#[tracing::instrument(skip_all)]
pub async fn list_messages(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> ApiResult<web::Json<MessagePage>> {
    let (before, after, limit) = query.checked()?;
    let access = svc::room_access(&state.db, user.id, path.into_inner()).await?;
    access.require_reader(&user)?;
    let (items, next_cursor) =
        svc::history(&state.db, access.room.id, before, after, limit).await?;
    Ok(web::Json(MessagePage { items, next_cursor }))
}

/// Send a message (1–2000 characters, plain text). At most 10 messages per 10 seconds per user.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = MessageRequest,
    responses(
        (status = 201, body = ChatMessage),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a member, or blocked in this direct room", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The room is archived", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Sending too fast; see Retry-After", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/messages")]
#[tracing::instrument(skip_all)]
pub async fn send_message(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<MessageRequest>,
) -> ApiResult<HttpResponse> {
    let text = body.validated_body().map_err(ApiError::Validation)?;
    let (room_id, user_ref, text_ref) = (path.into_inner(), &user, text.as_str());
    let sent = state
        .chat
        .transaction(|txn| async move { svc::send(&*txn, user_ref, room_id, text_ref).await })
        .await?;
    Ok(HttpResponse::Created().json(sent))
}

/// Edit one's own message within 15 minutes of sending it.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    request_body = MessageRequest,
    responses(
        (status = 200, body = ChatMessage),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the sender, or the edit window has passed", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Deleted message or archived room", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[patch("/messages/{id}")]
#[tracing::instrument(skip_all)]
pub async fn edit_message(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    body: Json<MessageRequest>,
) -> ApiResult<web::Json<ChatMessage>> {
    let text = body.validated_body().map_err(ApiError::Validation)?;
    let (message_id, user_ref, text_ref) = (path.into_inner(), &user, text.as_str());
    let edited = state
        .chat
        .transaction(|txn| async move { svc::edit(&*txn, user_ref, message_id, text_ref).await })
        .await?;
    Ok(web::Json(edited))
}

/// Delete a message: one's own within 15 minutes; any message for the group's owner or an admin.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 200, description = "The message as it now reads (deleted)", body = ChatMessage),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not allowed, or the window has passed", body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[delete("/messages/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_message(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<web::Json<ChatMessage>> {
    let (message_id, user_ref, ip) = (path.into_inner(), &user, client.ip.as_str());
    let removed = state
        .chat
        .transaction(|txn| async move { svc::delete(&*txn, user_ref, ip, message_id).await })
        .await?;
    Ok(web::Json(removed))
}

/// Open the direct room with someone: the one room of this pair, created on first use
/// (201) or returned (200).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    request_body = UsernameRequest,
    responses(
        (status = 200, description = "The existing room", body = ChatRoom),
        (status = 201, description = "Created", body = ChatRoom),
        (status = 401, body = ErrorBody),
        (status = 403, description = "This person blocked the caller", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/direct")]
#[tracing::instrument(skip_all)]
pub async fn open_direct_room(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<UsernameRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (user_ref, name) = (&user, req.username.as_str());
    let (room, created) = state
        .chat
        .transaction(|txn| async move { svc::open_direct(&*txn, user_ref, name).await })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(room)
    } else {
        HttpResponse::Ok().json(room)
    })
}

/// People the caller has blocked.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    responses((status = 200, body = BlockList), (status = 401, body = ErrorBody))
)]
#[get("/blocks")]
#[tracing::instrument(skip_all)]
pub async fn list_blocks(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<BlockList>> {
    Ok(web::Json(BlockList {
        items: svc::list_blocks(&state.db, user.id).await?,
    }))
}

/// Block someone: they can no longer message the caller directly, open a direct room with them
/// or add them to a group. Blocking twice changes nothing.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    request_body = UsernameRequest,
    responses((status = 201, body = BlockedUser), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/blocks")]
#[tracing::instrument(skip_all)]
pub async fn block_user(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<UsernameRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (user_ref, name) = (&user, req.username.as_str());
    let blocked = crate::db::transaction(&state.db, |txn| async move {
        svc::block(&*txn, user_ref, name).await
    })
    .await?;
    Ok(HttpResponse::Created().json(blocked))
}

/// Unblock someone (unblocking someone not blocked changes nothing).
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "Username")),
    responses((status = 204, description = "Unblocked"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/blocks/{username}")]
#[tracing::instrument(skip_all)]
pub async fn unblock_user(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    svc::unblock(&state.db, &user, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
