//! /api/v1/chat/* and the chat WebSocket (/api/v1/ws, protocol in docs/CHAT.md).

use std::cell::RefCell;

use domain::chat::{
    AdminCreateRoomRequest, AdminUpdateRoomRequest, BlockList, ChatMessage, ChatRoom, ChatRoomList,
    ChatRoomPage, ClientFrame, CreateRoomRequest, MessagePage, MessageRequest, MuteRequest,
    ReadRequest, ReadState, RoomMember, UsernameRequest,
};
use gloo_net::http::Method;
use js_sys::Reflect;
use serde::Deserialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::WebSocket;

use super::{call, decode, empty, enc, get, send, ApiError};

/// Messages per history page (the server's default and a screenful and a half on a desktop).
const PAGE: u32 = 50;

pub async fn rooms() -> Result<Vec<ChatRoom>, ApiError> {
    Ok(get::<ChatRoomList>("/chat/rooms").await?.items)
}

pub async fn room(id: i64) -> Result<ChatRoom, ApiError> {
    get(&format!("/chat/rooms/{id}")).await
}

/// A private group; the caller becomes its owner.
pub async fn create_room(req: &CreateRoomRequest) -> Result<ChatRoom, ApiError> {
    call(Method::POST, "/chat/rooms", req).await
}

pub async fn join(id: i64) -> Result<ChatRoom, ApiError> {
    decode(send(Method::POST, &format!("/chat/rooms/{id}/join"), None).await?).await
}

pub async fn leave(id: i64) -> Result<(), ApiError> {
    empty(send(Method::POST, &format!("/chat/rooms/{id}/leave"), None).await?).await
}

pub async fn invite(id: i64, username: &str) -> Result<RoomMember, ApiError> {
    let req = UsernameRequest {
        username: username.trim().to_owned(),
    };
    call(Method::POST, &format!("/chat/rooms/{id}/invite"), &req).await
}

pub async fn mute(id: i64, muted: bool) -> Result<ChatRoom, ApiError> {
    call(
        Method::POST,
        &format!("/chat/rooms/{id}/mute"),
        &MuteRequest { muted },
    )
    .await
}

pub async fn mark_read(id: i64, message_id: i64) -> Result<ReadState, ApiError> {
    call(
        Method::POST,
        &format!("/chat/rooms/{id}/read"),
        &ReadRequest { message_id },
    )
    .await
}

/// Newest first; `before` (the previous page's `next_cursor`) pages back through history.
pub async fn messages(id: i64, before: Option<i64>) -> Result<MessagePage, ApiError> {
    let mut path = format!("/chat/rooms/{id}/messages?limit={PAGE}");
    if let Some(b) = before {
        path.push_str(&format!("&before={b}"));
    }
    get(&path).await
}

pub async fn post(room_id: i64, body: &str) -> Result<ChatMessage, ApiError> {
    let req = MessageRequest {
        body: body.to_owned(),
    };
    call(
        Method::POST,
        &format!("/chat/rooms/{room_id}/messages"),
        &req,
    )
    .await
}

pub async fn edit(message_id: i64, body: &str) -> Result<ChatMessage, ApiError> {
    let req = MessageRequest {
        body: body.to_owned(),
    };
    call(Method::PATCH, &format!("/chat/messages/{message_id}"), &req).await
}

pub async fn delete(message_id: i64) -> Result<ChatMessage, ApiError> {
    decode(
        send(
            Method::DELETE,
            &format!("/chat/messages/{message_id}"),
            None,
        )
        .await?,
    )
    .await
}

/// The direct room with `username` (created on first use).
pub async fn direct(username: &str) -> Result<ChatRoom, ApiError> {
    let req = UsernameRequest {
        username: username.trim().to_owned(),
    };
    call(Method::POST, "/chat/direct", &req).await
}

/// Usernames the caller has blocked.
pub async fn blocked() -> Result<Vec<String>, ApiError> {
    Ok(get::<BlockList>("/chat/blocks")
        .await?
        .items
        .into_iter()
        .map(|b| b.user.username)
        .collect())
}

pub async fn block(username: &str) -> Result<(), ApiError> {
    let req = UsernameRequest {
        username: username.to_owned(),
    };
    empty(send(Method::POST, "/chat/blocks", Some(super::to_json(&req)?)).await?).await
}

pub async fn unblock(username: &str) -> Result<(), ApiError> {
    empty(
        send(
            Method::DELETE,
            &format!("/chat/blocks/{}", enc(username)),
            None,
        )
        .await?,
    )
    .await
}

// ----- Admin: group rooms (/api/v1/admin/chat/rooms) -----

/// Every group room, archived ones included, newest first (100 a page).
pub async fn admin_rooms(cursor: Option<&str>) -> Result<ChatRoomPage, ApiError> {
    let path = match cursor {
        Some(c) => format!("/admin/chat/rooms?limit=100&cursor={}", enc(c)),
        None => "/admin/chat/rooms?limit=100".to_owned(),
    };
    get(&path).await
}

/// A public room.
pub async fn admin_create_room(req: &AdminCreateRoomRequest) -> Result<ChatRoom, ApiError> {
    call(Method::POST, "/admin/chat/rooms", req).await
}

/// Rename, describe, archive or unarchive.
pub async fn admin_update_room(
    id: i64,
    req: &AdminUpdateRoomRequest,
) -> Result<ChatRoom, ApiError> {
    call(Method::PATCH, &format!("/admin/chat/rooms/{id}"), req).await
}

// ----- The WebSocket -----

/// A server frame (`domain::chat::ServerFrame`, see docs/CHAT.md), decoded without that enum's
/// internally tagged deserializer, which costs about 20 KB of WASM: the `type` and the few
/// numbers first, then, for messages, the same text as a plain `ChatMessage` (whose decoder the
/// REST calls already need; the extra `type` field is ignored).
pub enum Frame {
    Ready,
    Message(ChatMessage),
    Updated(ChatMessage),
    Typing {
        room_id: i64,
        user_id: i64,
    },
    Read {
        room_id: i64,
        last_read_message_id: i64,
    },
    /// The other person of a direct room read up to this id (read ticks).
    PeerRead {
        room_id: i64,
        last_read_message_id: i64,
    },
    RoomsChanged {
        room_id: i64,
    },
    Resumed {
        complete: bool,
    },
    Other,
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    room_id: i64,
    #[serde(default)]
    user_id: i64,
    #[serde(default)]
    last_read_message_id: i64,
    #[serde(default)]
    complete: bool,
}

fn decode_frame(text: &str) -> Option<Frame> {
    let head: Head = serde_json::from_str(text).ok()?;
    let message = || serde_json::from_str::<ChatMessage>(text).ok();
    Some(match head.kind.as_str() {
        "ready" => Frame::Ready,
        "message" => Frame::Message(message()?),
        "message_updated" => Frame::Updated(message()?),
        "typing" => Frame::Typing {
            room_id: head.room_id,
            user_id: head.user_id,
        },
        "read" => Frame::Read {
            room_id: head.room_id,
            last_read_message_id: head.last_read_message_id,
        },
        "peer_read" => Frame::PeerRead {
            room_id: head.room_id,
            last_read_message_id: head.last_read_message_id,
        },
        "rooms_changed" => Frame::RoomsChanged {
            room_id: head.room_id,
        },
        "resumed" => Frame::Resumed {
            complete: head.complete,
        },
        _ => Frame::Other,
    })
}

/// A token for the socket's `auth` frame (refreshed first when it is about to expire).
pub async fn socket_token() -> Result<String, ApiError> {
    super::valid_token().await
}

/// The server refused the socket's token (close 4401/4403): forget it, so the next call refreshes.
pub fn drop_token() {
    super::TOKEN.with(|t| t.borrow_mut().take());
}

struct Socket {
    ws: WebSocket,
    _handlers: [Closure<dyn FnMut(JsValue)>; 3],
}

thread_local! {
    static SOCKET: RefCell<Option<Socket>> = const { RefCell::new(None) };
}

/// Opens the socket (closing any previous one). It authenticates with its first frame rather than
/// `?token=`: a refused token then ends in close code 4401 instead of a failed handshake, which the
/// browser would log as a console error. `on_frame` gets every server frame; `on_close` the close
/// code (1006 when the connection just dropped).
pub fn open(token: String, on_frame: impl Fn(Frame) + 'static, on_close: impl Fn(u16) + 'static) {
    close();
    let location = web_sys::window().map(|w| w.location());
    let (protocol, host) = location
        .map(|l| {
            (
                l.protocol().unwrap_or_default(),
                l.host().unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    let Ok(ws) = WebSocket::new(&format!("{scheme}://{host}/api/v1/ws")) else {
        on_close(1006);
        return;
    };
    let auth = serde_json::to_string(&ClientFrame::Auth { token }).unwrap_or_default();
    let socket = ws.clone();
    let opened = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        let _ = socket.send_with_str(&auth);
    });
    let message = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let frame = Reflect::get(&ev, &JsValue::from_str("data"))
            .ok()
            .and_then(|d| d.as_string())
            .and_then(|d| decode_frame(&d));
        if let Some(frame) = frame {
            on_frame(frame);
        }
    });
    let closed = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let code = Reflect::get(&ev, &JsValue::from_str("code"))
            .ok()
            .and_then(|c| c.as_f64())
            .unwrap_or(1006.0);
        on_close(code as u16);
    });
    ws.set_onopen(Some(opened.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(closed.as_ref().unchecked_ref()));
    SOCKET.with(|s| {
        *s.borrow_mut() = Some(Socket {
            ws,
            _handlers: [opened, message, closed],
        })
    });
}

/// Closes the socket without calling its `on_close` (a deliberate close needs no reconnect).
pub fn close() {
    if let Some(old) = SOCKET.with(|s| s.borrow_mut().take()) {
        old.ws.set_onopen(None);
        old.ws.set_onmessage(None);
        old.ws.set_onclose(None);
        let _ = old.ws.close();
    }
}

/// Sends a frame if the socket is open; false otherwise.
pub fn send_frame(frame: &ClientFrame) -> bool {
    SOCKET.with(|s| {
        s.borrow().as_ref().is_some_and(|s| {
            s.ws.ready_state() == WebSocket::OPEN
                && serde_json::to_string(frame)
                    .ok()
                    .is_some_and(|json| s.ws.send_with_str(&json).is_ok())
        })
    })
}
