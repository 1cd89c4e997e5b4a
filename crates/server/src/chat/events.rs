//! What changed in chat, as sent between processes (the NOTIFY payload). Payloads stay small
//! (ids, never message bodies: PostgreSQL caps a payload at 8000 bytes); the receiving process
//! loads the rows itself.

use serde::{Deserialize, Serialize};

/// The PostgreSQL channel every replica LISTENs on.
pub const CHANNEL: &str = "musabaqati_chat";

/// Largest list of user ids carried in one event; bigger lists are left out (see `RoomDeleted`).
pub const MAX_USERS_IN_EVENT: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Event {
    /// A new message.
    Message { id: i64, room: i64 },
    /// A message was edited or deleted.
    Updated { id: i64, room: i64 },
    /// Membership of `room` changed for `users` (join, leave, invite, a direct room opened,
    /// ownership moved): caches drop the room; those users get `rooms_changed`.
    Members { room: i64, users: Vec<i64> },
    /// The room is gone; `users` are its former members when there were few enough to list.
    RoomDeleted { room: i64, users: Vec<i64> },
    /// Someone types in a direct room (not stored).
    Typing {
        room: i64,
        user: i64,
        username: String,
    },
    /// `user` moved their read marker in `room` (synchronises their other devices). In a
    /// `direct` room the other member is told too (read ticks). `direct` defaults to false so
    /// payloads from a replica that predates it still parse.
    Read {
        room: i64,
        user: i64,
        upto: i64,
        #[serde(default)]
        direct: bool,
    },
}

impl Event {
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn payloads_are_small_and_round_trip() {
        let ev = Event::Message { id: 42, room: 7 };
        let text = ev.to_payload();
        assert_eq!(text, r#"{"k":"message","id":42,"room":7}"#);
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), ev);
        let big = Event::RoomDeleted {
            room: i64::MAX,
            users: vec![i64::MAX; MAX_USERS_IN_EVENT],
        };
        assert!(big.to_payload().len() < 8000, "fits a NOTIFY payload");
    }
}
