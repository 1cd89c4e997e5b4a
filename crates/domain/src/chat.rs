//! Chat: group rooms, direct (1:1) rooms, messages, read markers, blocks, and the WebSocket
//! protocol (`/api/v1/ws`, see docs/CHAT.md). Message bodies are plain text: the SPA renders
//! them as text with `dir="auto"`, never as HTML.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::text::{check_text, TextKind};
use crate::validation::{validate_username, Validator};

/// Longest message body, in characters, after trimming.
pub const MESSAGE_MAX: usize = 2000;
pub const ROOM_NAME_MAX: usize = 60;
pub const ROOM_DESCRIPTION_MAX: usize = 500;
/// How long after sending a message its sender may edit or delete it.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;
/// Send rate limit: at most this many messages per user…
pub const RATE_LIMIT_MESSAGES: u64 = 10;
/// …within this many seconds (across every room and every server replica).
pub const RATE_LIMIT_WINDOW_SECS: i64 = 10;
/// Message pages: default and largest `limit`.
pub const MESSAGES_DEFAULT_LIMIT: u64 = 50;
pub const MESSAGES_MAX_LIMIT: u64 = 100;
/// Room-list previews are cut to this many characters.
pub const PREVIEW_MAX: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    Group,
    Direct,
}

impl RoomKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Direct => "direct",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "group" => Some(Self::Group),
            "direct" => Some(Self::Direct),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomVisibility {
    /// Listed for everyone; anyone may join. Created by admins.
    Public,
    /// Visible to members only; members are added by the owner.
    #[default]
    Private,
}

impl RoomVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "public" => Some(Self::Public),
            "private" => Some(Self::Private),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Owner,
    Member,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Member => "member",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "member" => Some(Self::Member),
            _ => None,
        }
    }
}

/// A person as chat shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

/// One message. Deleted messages keep their place (id, sender, time) with `body` = "" and
/// `deleted` = true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// Increases with every message on the platform: the keyset cursor and the resume point.
    pub id: i64,
    pub room_id: i64,
    pub sender: ChatUser,
    /// Plain text (render with `dir="auto"`, never as HTML).
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A room as the caller sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatRoom {
    pub id: i64,
    pub kind: RoomKind,
    pub visibility: RoomVisibility,
    /// Group name; `null` for direct rooms (show `peer` instead).
    pub name: Option<String>,
    pub description: Option<String>,
    /// Archived rooms are read-only.
    pub archived: bool,
    pub member_count: u64,
    pub is_member: bool,
    /// The caller's role; `null` when not a member.
    pub role: Option<MemberRole>,
    pub muted: bool,
    /// Messages from others after the caller's read marker (0 when not a member).
    pub unread_count: u64,
    pub last_read_message_id: i64,
    /// The newest message, its body cut to a preview.
    pub last_message: Option<ChatMessage>,
    /// The other person of a direct room.
    pub peer: Option<ChatUser>,
    /// Direct rooms: the other person's read marker — the caller's messages with an id up to
    /// it have been read (✓✓). `null` for groups. Moves live with `peer_read` frames.
    #[serde(default)]
    pub peer_last_read_message_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatRoomList {
    /// Most recently active first.
    pub items: Vec<ChatRoom>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatRoomPage {
    pub items: Vec<ChatRoom>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomMember {
    pub user: ChatUser,
    pub role: MemberRole,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomMemberPage {
    pub items: Vec<RoomMember>,
    pub next_cursor: Option<String>,
}

/// A page of messages. Without `after`: newest first, pass `next_cursor` as `before=` for older
/// ones. With `after`: oldest first, pass `next_cursor` as `after=` for newer ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub items: Vec<ChatMessage>,
    pub next_cursor: Option<String>,
}

/// POST /chat/rooms: a private group; the creator becomes its owner.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateRoomRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "أصدقاء المسابقات",
            min_length = 1,
            max_length = 60,
            pattern = r"\S"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
    /// Only `private` for people; public rooms are created by admins.
    #[serde(default)]
    pub visibility: RoomVisibility,
}

impl CreateRoomRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        v.check("name", validate_room_name(&self.name));
        if let Some(d) = &self.description {
            v.check("description", validate_room_description(d));
        }
        v.finish()
    }
}

/// POST /admin/chat/rooms: a public group room.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCreateRoomRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "الغرفة العامة",
            min_length = 1,
            max_length = 60,
            pattern = r"\S"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
}

impl AdminCreateRoomRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        v.check("name", validate_room_name(&self.name));
        if let Some(d) = &self.description {
            v.check("description", validate_room_description(d));
        }
        v.finish()
    }
}

/// PATCH /admin/chat/rooms/{id}: rename, describe, archive (read-only) or unarchive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUpdateRoomRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, pattern = r"\S")
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
}

impl AdminUpdateRoomRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.name.is_none() && self.description.is_none() && self.archived.is_none() {
            v.add("name", "حدّد ما تريد تغييره في الغرفة.");
        }
        if let Some(n) = &self.name {
            v.check("name", validate_room_name(n));
        }
        if let Some(d) = &self.description {
            v.check("description", validate_room_description(d));
        }
        v.finish()
    }
}

/// POST /chat/direct, POST /chat/rooms/{id}/invite, POST /chat/blocks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsernameRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "layla",
            min_length = 3,
            max_length = 30,
            pattern = r"^[A-Za-z][A-Za-z0-9_.]*$"
        )
    )]
    pub username: String,
}

impl UsernameRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if validate_username(self.username.trim()).is_err() {
            v.add("username", "اسم المستخدم غير صحيح.");
        }
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MuteRequest {
    pub muted: bool,
}

/// POST /chat/rooms/{id}/read: everything up to and including `message_id` is read. The marker
/// never moves backwards.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub message_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadState {
    pub room_id: i64,
    pub last_read_message_id: i64,
    pub unread_count: u64,
}

/// POST /chat/rooms/{id}/messages and PATCH /chat/messages/{id}.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "مرحبًا بالجميع!",
            min_length = 1,
            max_length = 2000,
            pattern = r"\S"
        )
    )]
    pub body: String,
}

impl MessageRequest {
    /// The body to store (trimmed), or the field error.
    pub fn validated_body(&self) -> Result<String, FieldErrors> {
        match validate_message_body(&self.body) {
            Ok(()) => Ok(self.body.trim().to_owned()),
            Err(message) => {
                let mut fields = FieldErrors::new();
                fields.insert("body".to_owned(), message.to_owned());
                Err(fields)
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockedUser {
    pub user: ChatUser,
    pub blocked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockList {
    pub items: Vec<BlockedUser>,
}

/// 1–2000 characters after trimming; line breaks and tabs are fine, other control characters
/// (NUL and the like), bidi overrides and messages with nothing visible are not.
pub fn validate_message_body(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("لا يمكن إرسال رسالة فارغة.".to_owned());
    }
    if trimmed.chars().count() > MESSAGE_MAX {
        return Err("يجب ألا تزيد الرسالة على 2000 حرف.".to_owned());
    }
    check_text(trimmed, TextKind::Multiline, "الرسالة")
}

pub fn validate_room_name(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("اسم الغرفة مطلوب.".to_owned());
    }
    if trimmed.chars().count() > ROOM_NAME_MAX {
        return Err("يجب ألا يزيد اسم الغرفة على 60 حرفًا.".to_owned());
    }
    check_text(trimmed, TextKind::Line, "اسم الغرفة")
}

pub fn validate_room_description(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > ROOM_DESCRIPTION_MAX {
        return Err("يجب ألا يزيد وصف الغرفة على 500 حرف.".to_owned());
    }
    check_text(trimmed, TextKind::Multiline, "وصف الغرفة")
}

/// Cuts a body to the room-list preview length (on a character boundary).
pub fn preview(body: &str) -> String {
    if body.chars().count() <= PREVIEW_MAX {
        body.to_owned()
    } else {
        let mut out: String = body.chars().take(PREVIEW_MAX).collect();
        out.push('…');
        out
    }
}

// ---------------------------------------------------------------------------------------------
// WebSocket protocol (JSON text frames). See docs/CHAT.md.

/// Frames the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Authenticated; live delivery has started.
    Ready {
        user_id: i64,
        username: String,
    },
    /// A new message in one of the caller's rooms.
    Message(ChatMessage),
    /// A message was edited or deleted.
    MessageUpdated(ChatMessage),
    /// Someone is typing in a direct room.
    Typing {
        room_id: i64,
        user_id: i64,
        username: String,
    },
    /// The caller's read marker moved (on another device or tab).
    Read {
        room_id: i64,
        last_read_message_id: i64,
    },
    /// The other person of a direct room read up to `last_read_message_id` (read ticks: the
    /// caller's messages with an id up to it have been read).
    PeerRead {
        room_id: i64,
        user_id: i64,
        last_read_message_id: i64,
    },
    /// The caller's room list changed (joined, left, invited, a direct room opened, a room
    /// deleted): reload `GET /chat/rooms`.
    RoomsChanged {
        room_id: i64,
    },
    /// Answer to `resume`: every message with a larger id was sent before this frame. When
    /// `complete` is false there were more than one batch; fetch the rest per room with
    /// `GET /chat/rooms/{id}/messages?after=`.
    Resumed {
        last_message_id: i64,
        complete: bool,
    },
    Pong,
    /// A client frame was refused (bad JSON, unknown room…); the connection stays open unless
    /// a close frame follows.
    Error {
        code: String,
        message: String,
    },
}

/// Frames the client sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The first frame when the token was not given as `?token=` (within 5 seconds).
    Auth {
        token: String,
    },
    Ping,
    /// "I am typing" in a direct room (send at most every few seconds).
    Typing {
        room_id: i64,
    },
    /// Send every message in my rooms with an id greater than this one.
    Resume {
        last_message_id: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_bodies() {
        assert!(validate_message_body("مرحبا").is_ok());
        assert!(validate_message_body("سطر\nسطر آخر").is_ok());
        assert!(validate_message_body(&"ب".repeat(MESSAGE_MAX)).is_ok());
        assert!(validate_message_body(&format!("  {}  ", "ب".repeat(MESSAGE_MAX))).is_ok());
        for bad in [
            "".to_owned(),
            "   \n\t ".to_owned(),
            "ب".repeat(MESSAGE_MAX + 1),
            "a\u{0}b".to_owned(),
        ] {
            assert!(validate_message_body(&bad).is_err(), "{bad:?}");
        }
        let req = MessageRequest {
            body: "  مرحبا  ".into(),
        };
        assert_eq!(req.validated_body().unwrap(), "مرحبا");
    }

    #[test]
    fn room_names() {
        assert!(validate_room_name("غرفة").is_ok());
        assert!(validate_room_name(" ").is_err());
        assert!(validate_room_name(&"ا".repeat(61)).is_err());
    }

    #[test]
    fn preview_cuts_on_characters() {
        let long = "ع".repeat(PREVIEW_MAX + 5);
        let p = preview(&long);
        assert_eq!(p.chars().count(), PREVIEW_MAX + 1);
        assert_eq!(preview("قصير"), "قصير");
    }

    #[test]
    fn frames_are_tagged_with_type() {
        let msg = ChatMessage {
            id: 5,
            room_id: 2,
            sender: ChatUser {
                id: 1,
                username: "ali".into(),
                display_name: "علي".into(),
            },
            body: "hi".into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            edited_at: None,
            deleted: false,
            deleted_at: None,
        };
        let json = serde_json::to_value(ServerFrame::Message(msg.clone())).unwrap();
        assert_eq!(json["type"], "message");
        assert_eq!(json["room_id"], 2);
        assert_eq!(json["sender"]["username"], "ali");
        let back: ServerFrame = serde_json::from_value(json).unwrap();
        assert_eq!(back, ServerFrame::Message(msg));
        assert_eq!(
            serde_json::to_value(ServerFrame::Pong).unwrap(),
            serde_json::json!({"type": "pong"})
        );
        let frame: ClientFrame =
            serde_json::from_str(r#"{"type":"resume","last_message_id":7}"#).unwrap();
        assert_eq!(frame, ClientFrame::Resume { last_message_id: 7 });
    }
}
