//! The live side of chat, one per app (created in `Shell`): the room list with unread counts
//! and the WebSocket while someone is signed in. It lives outside `pages` because the whole app
//! uses it — the navigation's unread count as much as the chat page (docs/FRONTEND.md).

use std::time::Duration;

use domain::chat::{ChatMessage, ChatRoom, ClientFrame};
use js_sys::Date;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::api::chat::Frame;
use crate::api::ApiError;
use crate::session::Session;

// Socket states.
const IDLE: u8 = 0;
const CONNECTING: u8 = 1;
const ONLINE: u8 = 2;
const WAITING: u8 = 3;
/// A socket we have heard nothing from for this long (not even a pong) is presumed dead.
const SILENCE_MS: f64 = 60_000.0;

/// The live side of chat, one per app: the room list with unread counts, and the WebSocket while
/// someone is signed in (reconnects with backoff, then `resume` from the last message id seen;
/// an application-level ping every 25 s).
#[derive(Clone, Copy)]
pub struct ChatLive {
    /// Public rooms and the caller's groups and direct rooms, most recently active first.
    pub rooms: RwSignal<Option<Result<Vec<ChatRoom>, ApiError>>>,
    /// Authenticated and delivering.
    pub online: RwSignal<bool>,
    me: StoredValue<Option<i64>>,
    state: StoredValue<u8>,
    /// The room on screen: its messages count as read, and its frames go to `handler`.
    pub(crate) open_room: StoredValue<Option<i64>>,
    /// (registration number, handler): a room view removes only its own registration, so a
    /// handler is never called after its view is gone.
    pub(crate) handler: StoredValue<Option<(u32, Callback<Frame>)>>,
    pub(crate) registrations: StoredValue<u32>,
    last_id: StoredValue<i64>,
    attempts: StoredValue<u32>,
    heard_at: StoredValue<f64>,
    /// Bumped by every (re)connect and sign-out: callbacks of an older socket are ignored.
    generation: StoredValue<u32>,
    rooms_generation: StoredValue<u32>,
}

impl ChatLive {
    /// Created once in `App`; connects whenever someone signs in and disconnects on sign-out.
    pub fn start() -> Self {
        let session = expect_context::<Session>();
        let live = Self {
            rooms: RwSignal::new(None),
            online: RwSignal::new(false),
            me: StoredValue::new(None),
            state: StoredValue::new(IDLE),
            open_room: StoredValue::new(None),
            handler: StoredValue::new(None),
            registrations: StoredValue::new(0),
            last_id: StoredValue::new(0),
            attempts: StoredValue::new(0),
            heard_at: StoredValue::new(0.0),
            generation: StoredValue::new(0),
            rooms_generation: StoredValue::new(0),
        };
        Effect::new(move |_| {
            let id = session.user.with(|u| u.as_ref().map(|u| u.id));
            let was = live.me.get_value();
            if id != was {
                live.me.set_value(id);
                // Signing out or in as someone else ends the old socket and forgets its rooms
                // (a first sign-in keeps a room list a page may already have asked for).
                if was.is_some() {
                    live.stop();
                }
                if id.is_some() {
                    live.connect();
                }
            }
        });
        let _ = set_interval_with_handle(move || live.beat(), Duration::from_secs(25));
        // Back from another tab or from sleep: try at once instead of waiting for the backoff.
        let focus = window_event_listener(leptos::ev::focus, move |_| {
            if live.state.get_value() == WAITING {
                live.connect();
            }
        });
        on_cleanup(move || focus.remove());
        live
    }

    fn stop(self) {
        self.generation.update_value(|g| *g += 1);
        self.rooms_generation.update_value(|g| *g += 1);
        api::chat::close();
        self.state.set_value(IDLE);
        self.online.set(false);
        self.rooms.set(None);
        self.last_id.set_value(0);
        self.attempts.set_value(0);
    }

    fn connect(self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.state.set_value(CONNECTING);
        spawn_local(async move {
            let token = api::chat::socket_token().await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match token {
                Ok(token) => {
                    self.heard_at.set_value(Date::now());
                    api::chat::open(
                        token,
                        move |frame| self.frame(frame),
                        move |code| self.closed(generation, code),
                    );
                }
                Err(_) => self.retry(generation, false),
            }
        });
    }

    fn closed(self, generation: u32, code: u16) {
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        self.online.set(false);
        // Refused token or ended session: the next attempt refreshes first (and a refused
        // refresh signs out, which stops everything).
        if matches!(code, 4401 | 4403) {
            api::chat::drop_token();
        }
        self.retry(generation, code == 4429);
    }

    /// 1, 2, 4 … 30 seconds between attempts; 30 s after "too many connections".
    fn retry(self, generation: u32, slow: bool) {
        self.state.set_value(WAITING);
        let n = self.attempts.get_value();
        self.attempts.set_value(n + 1);
        let ms = if slow {
            30_000
        } else {
            (1000u64 << n.min(5)).min(30_000)
        };
        set_timeout(
            move || {
                if self.generation.try_get_value() == Some(generation)
                    && self.state.get_value() == WAITING
                {
                    self.connect();
                }
            },
            Duration::from_millis(ms),
        );
    }

    fn beat(self) {
        if self.state.get_value() != ONLINE {
            return;
        }
        if Date::now() - self.heard_at.get_value() > SILENCE_MS {
            self.online.set(false);
            api::chat::close();
            self.connect();
        } else {
            api::chat::send_frame(&ClientFrame::Ping);
        }
    }

    fn frame(self, frame: Frame) {
        self.heard_at.set_value(Date::now());
        match &frame {
            Frame::Ready => {
                self.state.set_value(ONLINE);
                self.attempts.set_value(0);
                self.online.set(true);
                let last = self.last_id.get_value();
                if last > 0 {
                    api::chat::send_frame(&ClientFrame::Resume {
                        last_message_id: last,
                    });
                }
                self.load_rooms();
            }
            Frame::Message(m) => self.message(m),
            Frame::Updated(m) => self.rooms.update(|r| {
                if let Some(Ok(list)) = r {
                    for room in list.iter_mut() {
                        if room.last_message.as_ref().is_some_and(|l| l.id == m.id) {
                            room.last_message = Some(m.clone());
                        }
                    }
                }
            }),
            Frame::Read {
                room_id,
                last_read_message_id,
            } => self.read(*room_id, *last_read_message_id, None),
            Frame::PeerRead {
                room_id,
                last_read_message_id,
            } => self.peer_read(*room_id, *last_read_message_id),
            Frame::RoomsChanged { .. } => self.load_rooms(),
            _ => {}
        }
        if let Some((_, handler)) = self.handler.get_value() {
            handler.run(frame);
        }
    }

    fn message(self, m: &ChatMessage) {
        self.last_id.update_value(|l| *l = (*l).max(m.id));
        let mine = self.me.get_value() == Some(m.sender.id);
        let seen = self.open_room.get_value() == Some(m.room_id) && !document().hidden();
        let mut known = false;
        self.rooms.update(|r| {
            let Some(Ok(list)) = r else { return };
            let Some(pos) = list.iter().position(|x| x.id == m.room_id) else {
                return;
            };
            known = true;
            // A replayed message (resume) is not news.
            if list[pos].last_message.as_ref().is_none_or(|l| l.id < m.id) {
                let mut room = list.remove(pos);
                if !mine && !seen && m.id > room.last_read_message_id {
                    room.unread_count += 1;
                }
                room.last_message = Some(m.clone());
                list.insert(0, room);
            }
        });
        if !known {
            self.load_rooms();
        }
    }

    /// The read marker of a room moved; `unread` when the server said how many remain.
    pub(crate) fn read(self, room_id: i64, last_read: i64, unread: Option<u64>) {
        let mut stale = false;
        self.rooms.update(|r| {
            if let Some(Ok(list)) = r {
                if let Some(room) = list.iter_mut().find(|x| x.id == room_id) {
                    room.last_read_message_id = room.last_read_message_id.max(last_read);
                    match unread {
                        Some(n) => room.unread_count = n,
                        None if room.last_message.as_ref().is_none_or(|l| l.id <= last_read) => {
                            room.unread_count = 0
                        }
                        None => stale = true,
                    }
                }
            }
        });
        if stale {
            self.load_rooms();
        }
    }

    /// The other person of a direct room read up to `last_read` (the room's read ticks).
    fn peer_read(self, room_id: i64, last_read: i64) {
        self.rooms.update(|r| {
            if let Some(Ok(list)) = r {
                if let Some(room) = list.iter_mut().find(|x| x.id == room_id) {
                    let known = room.peer_last_read_message_id.unwrap_or(0);
                    room.peer_last_read_message_id = Some(known.max(last_read));
                }
            }
        });
    }

    /// Re-reads the room list; an older answer never overwrites a newer one, and a failure keeps
    /// the list already shown.
    pub fn load_rooms(self) {
        self.rooms_generation.update_value(|g| *g += 1);
        let generation = self.rooms_generation.get_value();
        spawn_local(async move {
            let result = api::chat::rooms().await;
            if self.rooms_generation.try_get_value() != Some(generation) {
                return;
            }
            if result.is_ok() || !self.rooms.with_untracked(|r| matches!(r, Some(Ok(_)))) {
                self.rooms.set(Some(result));
            }
        });
    }

    pub(crate) fn update_room(self, fresh: ChatRoom) {
        self.rooms.update(|r| {
            if let Some(Ok(list)) = r {
                match list.iter_mut().find(|x| x.id == fresh.id) {
                    Some(room) => *room = fresh,
                    None => list.insert(0, fresh),
                }
            }
        });
    }

    /// Drops a room the person just left (a private group disappears; a public one is reloaded
    /// as joinable by `load_rooms`).
    pub(crate) fn forget_room(self, id: i64) {
        self.rooms.update(|r| {
            if let Some(Ok(list)) = r {
                list.retain(|x| x.id != id);
            }
        });
    }

    /// Unread messages in the rooms the person belongs to and has not muted.
    pub fn unread(self) -> u64 {
        self.rooms.with(|r| match r {
            Some(Ok(list)) => list
                .iter()
                .filter(|x| x.is_member && !x.muted)
                .map(|x| x.unread_count)
                .sum(),
            _ => 0,
        })
    }
}
