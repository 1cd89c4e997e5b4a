//! /api/v1/admin/chat: public rooms (create, rename, archive, delete). Message moderation is
//! `DELETE /api/v1/chat/messages/{id}`, which admins may use on any message.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::chat::{AdminCreateRoomRequest, AdminUpdateRoomRequest, ChatRoom, ChatRoomPage};
use domain::ErrorBody;

use crate::auth::{AdminUser, ClientInfo};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::routes::pagination::PageParams;
use crate::services::chat as svc;
use crate::state::AppState;

/// Create a public group room anyone can join.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = AdminCreateRoomRequest,
    responses((status = 201, body = ChatRoom), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/chat/rooms")]
#[tracing::instrument(skip_all)]
pub async fn create_chat_room(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    body: Json<AdminCreateRoomRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (admin_ref, ip, req_ref) = (&admin.0, client.ip.as_str(), &req);
    let created = crate::db::transaction(&state.db, |txn| async move {
        svc::create_public_room(&*txn, admin_ref, ip, req_ref).await
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Every group room, archived ones included, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ChatRoomPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/chat/rooms")]
#[tracing::instrument(skip_all)]
pub async fn list_chat_rooms(
    state: web::Data<AppState>,
    admin: AdminUser,
    page: web::Query<PageParams>,
) -> ApiResult<web::Json<ChatRoomPage>> {
    let (items, next_cursor) =
        svc::admin_list_rooms(&state.db, admin.id, page.cursor_id()?, page.limit()?).await?;
    Ok(web::Json(ChatRoomPage { items, next_cursor }))
}

/// Rename or describe a room, or archive it (read-only) / bring it back.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    request_body = AdminUpdateRoomRequest,
    responses((status = 200, body = ChatRoom), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/chat/rooms/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_chat_room(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
    body: Json<AdminUpdateRoomRequest>,
) -> ApiResult<web::Json<ChatRoom>> {
    let req = body.into_inner();
    req.validate().map_err(ApiError::Validation)?;
    let (room_id, admin_ref, ip, req_ref) = (path.into_inner(), &admin.0, client.ip.as_str(), &req);
    let updated = state
        .chat
        .transaction(|txn| async move {
            svc::admin_update_room(&*txn, admin_ref, ip, room_id, req_ref).await
        })
        .await?;
    Ok(web::Json(updated))
}

/// Delete a room with all its messages (audit-logged).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Room id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/chat/rooms/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_chat_room(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: ClientInfo,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (room_id, admin_ref, ip) = (path.into_inner(), &admin.0, client.ip.as_str());
    state
        .chat
        .transaction(
            |txn| async move { svc::admin_delete_room(&*txn, admin_ref, ip, room_id).await },
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
