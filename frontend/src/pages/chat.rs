//! Chat: the rooms list (/chat) and one room (/chat/:id) side by side on wide screens and as two
//! screens on phones; live delivery over the WebSocket through [`ChatLive`], which the whole app
//! shares so the navigation can show the unread count; the "مراسلة" button that opens a direct
//! room from the leaderboard or a results table.

use std::time::Duration;

use domain::chat::{
    validate_message_body, ChatMessage, ChatRoom, ClientFrame, CreateRoomRequest, MemberRole,
    RoomKind, RoomVisibility, UsernameRequest, EDIT_WINDOW_SECS, MESSAGE_MAX,
};
use domain::FieldErrors;
use js_sys::Date;
use leptos::ev::{KeyboardEvent, MouseEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};

use crate::components::guard::RequireAuth;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::api::chat::Frame;
use crate::api::ApiError;
use crate::components::commerce::ActionDialog;
use crate::components::kit::error_text;
use crate::components::{icons, initial, set_title, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

/// A speech bubble (the chat section) and a muted bell.
pub const ICON_CHAT: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"><path d="M4 5h16v11H9l-5 4z"/><path d="M8 9.5h8M8 12.5h5"/></svg>"#;
const ICON_MUTED: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"><path d="M6 16V11a6 6 0 0 1 9.5-4.9M18 11v5l2 2H6"/><path d="M10 21h4M3 3l18 18"/></svg>"#;

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
    open_room: StoredValue<Option<i64>>,
    /// (registration number, handler): a room view removes only its own registration, so a
    /// handler is never called after its view is gone.
    handler: StoredValue<Option<(u32, Callback<Frame>)>>,
    registrations: StoredValue<u32>,
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
    fn read(self, room_id: i64, last_read: i64, unread: Option<u64>) {
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

    fn update_room(self, fresh: ChatRoom) {
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
    fn forget_room(self, id: i64) {
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

/// A count bubble (with its meaning for screen readers), nothing at zero.
fn count_badge(n: u64, fmt: Fmt) -> impl IntoView {
    (n > 0).then(|| {
        let shown = if n > 99 {
            format!("{}+", fmt.int(99))
        } else {
            fmt.int(n as i64)
        };
        view! {
            <span class="count-badge">
                <span aria-hidden="true">{shown}</span>
                <span class="sr-only">{i18n::unread_messages(&fmt.int(n as i64))}</span>
            </span>
        }
    })
}

/// The total unread count, for the navigation (the header link, the phone "more" sheet).
#[component]
pub fn ChatUnread() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<ChatLive>();
    let unread = Memo::new(move |_| live.map_or(0, |l| l.unread()));
    move || count_badge(unread.get(), fmt)
}

/// "مراسلة": opens (or creates) the direct room with this person and goes there.
#[component]
pub fn MessageButton(username: String, name: String) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let label = i18n::message_user(&name);
    let on_click = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (username, navigate) = (username.clone(), navigate.clone());
        spawn_local(async move {
            let result = api::chat::direct(&username).await;
            busy.set(false);
            match result {
                Ok(room) => navigate(&format!("/chat/{}", room.id), Default::default()),
                Err(e) => error.set(Some(error_text(&e, fmt))),
            }
        });
    };
    view! {
        <button
            type="button"
            class="btn btn-soft btn-sm msg-btn"
            title=label.clone()
            aria-label=label
            disabled=move || busy.get()
            aria-busy=move || busy.get().to_string()
            data-testid="message-user"
            on:click=on_click
        >
            <Icon svg=ICON_CHAT />
            <span class="msg-btn-text">{i18n::MESSAGE_USER}</span>
        </button>
        {move || error.get().map(|e| view! { <span class="msg-btn-error" role="alert">{e}</span> })}
    }
}

/// A group's icon or the other person's initial.
fn room_avatar(group: bool, letter: String) -> impl IntoView {
    view! {
        <span class="avatar" class:group=group aria-hidden="true">
            <span class="icon" inner_html=if group { icons::USERS } else { "" }></span>
            {(!group).then_some(letter)}
        </span>
    }
}

fn room_name(r: &ChatRoom) -> String {
    match (&r.name, &r.peer) {
        (Some(name), _) => name.clone(),
        (None, Some(peer)) => peer.display_name.clone(),
        _ => i18n::DIRECT_CHAT.to_owned(),
    }
}

/// "٣:٠٥ م" today, with the date before that.
fn when(fmt: Fmt, at: &chrono::DateTime<chrono::Utc>) -> String {
    let today = js_sys::Date::new_0().to_date_string();
    let day = js_sys::Date::new(&(at.timestamp_millis() as f64).into()).to_date_string();
    if today == day {
        fmt.time(at)
    } else {
        fmt.date_time(at)
    }
}

/// /chat and /chat/:id: the list beside the open room (or a hint when none is open). Both routes
/// render this one component, so moving between rooms only swaps the room pane.
#[component]
pub fn Chat() -> impl IntoView {
    view! { <RequireAuth><ChatScreen /></RequireAuth> }
}

#[component]
fn ChatScreen() -> impl IntoView {
    let params = use_params_map();
    // None: no room in the address; Some(None): an address that is not a room id.
    let room = Memo::new(move |_| params.with(|p| p.get("id").map(|v| v.parse::<i64>().ok())));
    if let Some(live) = use_context::<ChatLive>() {
        live.load_rooms();
    }
    view! {
        <div class="page chat-page" class:in-room=move || room.with(Option::is_some)>
            <RoomList />
            <section class="card chat-main">
                {move || match room.get() {
                    Some(Some(id)) => view! { <RoomView id=id /> }.into_any(),
                    Some(None) => view! {
                        <div class="chat-pad">
                            <Notice message=i18n::ROOM_NOT_FOUND kind="error" />
                            <a class="btn btn-soft" href="/chat">{i18n::BACK_TO_CHATS}</a>
                        </div>
                    }
                    .into_any(),
                    None => {
                        set_title(i18n::CHAT_TITLE);
                        view! {
                            <div class="empty-state chat-empty">
                                <Icon svg=ICON_CHAT class="empty-icon" />
                                <p class="strong">{i18n::CHAT_PICK}</p>
                                <p class="muted">{i18n::CHAT_PICK_HINT}</p>
                            </div>
                        }
                        .into_any()
                    }
                }}
            </section>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    NewGroup,
    NewDirect,
    Invite,
    Leave,
    Block,
    Delete(i64),
}

#[component]
fn RoomList() -> impl IntoView {
    let live = expect_context::<ChatLive>();
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let location = use_location();
    let nav = StoredValue::new_local(use_navigate());
    // `try_`: an answer may arrive after the list is gone.
    let go = move |path: String| {
        nav.try_with_value(|n| n(&path, NavigateOptions::default()));
    };
    let ask = RwSignal::new(None::<Ask>);
    let form = FormState::new();
    let joining = RwSignal::new(None::<i64>);
    let join_error = RwSignal::new(None::<String>);

    let join = move |id: i64| {
        if joining.get_untracked().is_some() {
            return;
        }
        joining.set(Some(id));
        join_error.set(None);
        spawn_local(async move {
            let result = api::chat::join(id).await;
            joining.set(None);
            match result {
                Ok(room) => {
                    live.update_room(room);
                    go(format!("/chat/{id}"));
                }
                Err(e) => join_error.set(Some(error_text(&e, fmt))),
            }
        });
    };

    let on_submit = Callback::new(move |value: String| {
        let Some(which) = ask.get_untracked() else {
            return;
        };
        let checked = if which == Ask::NewGroup {
            CreateRoomRequest {
                name: value.clone(),
                ..Default::default()
            }
            .validate()
        } else {
            UsernameRequest {
                username: value.trim_start_matches('@').to_owned(),
            }
            .validate()
        };
        if let Err(fields) = checked {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            let result = if which == Ask::NewGroup {
                let req = CreateRoomRequest {
                    name: value.trim().to_owned(),
                    ..Default::default()
                };
                api::chat::create_room(&req).await
            } else {
                api::chat::direct(value.trim_start_matches('@')).await
            };
            form.pending.set(false);
            match result {
                Ok(room) => {
                    ask.set(None);
                    let id = room.id;
                    live.update_room(room);
                    go(format!("/chat/{id}"));
                }
                Err(e) => form.failed(&e, fmt),
            }
        });
    });
    let open = move |which: Ask| {
        form.errors.set(FieldErrors::new());
        form.banner.set(None);
        ask.set(Some(which));
    };

    let item = move |r: ChatRoom, current: Option<i64>, me: i64| {
        let id = r.id;
        let is_group = r.kind == RoomKind::Group;
        let name = room_name(&r);
        let letter = initial(&name);
        let join_label = i18n::join_room(&name);
        let last = r.last_message.clone();
        let preview = last.as_ref().map(|m| {
            let who = if m.sender.id == me {
                i18n::YOU_PREFIX.to_owned()
            } else if is_group {
                format!("{}: ", m.sender.display_name)
            } else {
                String::new()
            };
            let body = if m.deleted {
                i18n::MESSAGE_DELETED.to_owned()
            } else {
                m.body.replace('\n', " ")
            };
            (who, body)
        });
        let at = last.map_or(r.created_at, |m| m.created_at);
        let sub = if r.is_member {
            None
        } else {
            Some(i18n::members_n(&fmt.int(r.member_count as i64)))
        };
        view! {
            <li class="room-row">
                <a
                    class="room-item"
                    href=format!("/chat/{id}")
                    aria-current=(current == Some(id)).then_some("page")
                    data-testid="room-item"
                >
                    {room_avatar(is_group, letter)}
                    <span class="room-body">
                        <span class="room-top">
                            <bdi class="room-name">{name}</bdi>
                            {r.last_message.is_some().then(|| view! { <time class="room-time">{when(fmt, &at)}</time> })}
                        </span>
                        <span class="room-preview">
                            {match (preview, sub) {
                                (Some((who, body)), _) => view! { {who} <bdi>{body}</bdi> }.into_any(),
                                (None, Some(sub)) => view! { {sub} }.into_any(),
                                (None, None) => view! { {i18n::NO_MESSAGES_YET} }.into_any(),
                            }}
                        </span>
                    </span>
                    {r.muted.then(|| view! {
                        <span class="icon room-muted" inner_html=ICON_MUTED title=i18n::MUTED></span>
                        <span class="sr-only">{i18n::MUTED}</span>
                    })}
                    {count_badge(if r.muted { 0 } else { r.unread_count }, fmt)}
                </a>
                {(!r.is_member).then(|| view! {
                    <button
                        type="button"
                        class="btn btn-soft btn-sm"
                        data-testid="join-room"
                        aria-label=join_label
                        disabled=move || joining.get().is_some()
                        aria-busy=move || (joining.get() == Some(id)).to_string()
                        on:click=move |_| join(id)
                    >
                        {i18n::JOIN_ROOM}
                    </button>
                })}
            </li>
        }
    };

    view! {
        <aside class="card chat-side" aria-labelledby="chat-title">
            <div class="chat-side-head">
                <h1 id="chat-title">{i18n::CHAT_TITLE}</h1>
                <div class="actions">
                    <button type="button" class="btn btn-soft btn-sm" data-testid="new-direct" on:click=move |_| open(Ask::NewDirect)>
                        <Icon svg=ICON_CHAT />
                        <span>{i18n::NEW_DIRECT}</span>
                    </button>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="new-group" on:click=move |_| open(Ask::NewGroup)>
                        <Icon svg=icons::PLUS />
                        <span>{i18n::NEW_GROUP}</span>
                    </button>
                </div>
            </div>
            {move || join_error.get().map(|e| view! { <Notice message=e kind="error" /> })}
            {move || {
                let current = location
                    .pathname
                    .with(|p| p.strip_prefix("/chat/").and_then(|id| id.parse::<i64>().ok()));
                let me = session.user.with_untracked(|u| u.as_ref().map_or(0, |u| u.id));
                match live.rooms.get() {
                    None => view! { <Skeleton lines=4 /> }.into_any(),
                    Some(Err(e)) => view! { <Notice message=error_text(&e, fmt) kind="error" /> }.into_any(),
                    Some(Ok(list)) => {
                        let (mine, public): (Vec<ChatRoom>, Vec<ChatRoom>) =
                            list.into_iter().partition(|r| r.is_member);
                        view! {
                            <nav class="room-lists" aria-label=i18n::CHAT_ROOMS>
                                <h2 class="chat-section">{i18n::MY_CHATS}</h2>
                                {if mine.is_empty() {
                                    view! { <p class="muted small chat-none">{i18n::NO_CHATS}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="room-list" data-testid="my-rooms">
                                            {mine.into_iter().map(|r| item(r, current, me)).collect_view()}
                                        </ul>
                                    }
                                    .into_any()
                                }}
                                {(!public.is_empty()).then(|| view! {
                                    <h2 class="chat-section">{i18n::PUBLIC_ROOMS}</h2>
                                    <ul class="room-list" data-testid="public-rooms">
                                        {public.into_iter().map(|r| item(r, current, me)).collect_view()}
                                    </ul>
                                })}
                            </nav>
                        }
                        .into_any()
                    }
                }
            }}
        </aside>
        {move || ask.get().map(|which| {
            let group = which == Ask::NewGroup;
            view! {
                <ActionDialog
                    title=if group { i18n::NEW_GROUP_TITLE } else { i18n::NEW_DIRECT_TITLE }
                    text=if group { i18n::NEW_GROUP_TEXT } else { i18n::NEW_DIRECT_TEXT }
                    field=if group { ("name", i18n::GROUP_NAME, false) } else { ("username", i18n::USERNAME_TO_MESSAGE, false) }
                    submit=if group { i18n::CREATE_GROUP } else { i18n::START_CHAT }
                    form=form
                    on_submit=on_submit
                    on_close=Callback::new(move |_| ask.set(None))
                />
            }
        })}
    }
}

/// Inserts or replaces messages by id, keeping the list in id order.
fn merge(list: &mut Vec<ChatMessage>, items: Vec<ChatMessage>) {
    for m in items {
        match list.binary_search_by_key(&m.id, |x| x.id) {
            Ok(i) => list[i] = m,
            Err(i) => list.insert(i, m),
        }
    }
}

#[derive(Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(String),
    /// A public room the person has not joined.
    Visitor,
    /// A member; `true` when the room is archived (read-only).
    Member(bool),
}

#[component]
fn RoomView(id: i64) -> impl IntoView {
    let live = expect_context::<ChatLive>();
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let nav = StoredValue::new_local(use_navigate());
    let (me, admin) = session.user.with_untracked(|u| {
        u.as_ref()
            .map_or((0, false), |u| (u.id, u.role == domain::users::Role::Admin))
    });
    let room = RwSignal::new(None::<Result<ChatRoom, ApiError>>);
    let msgs = RwSignal::new(Vec::<ChatMessage>::new());
    // `before=` for the next older page; None once the start of the conversation is loaded.
    let older = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let loading_older = RwSignal::new(false);
    let history_error = RwSignal::new(None::<String>);
    let below = RwSignal::new(false);
    let typing = RwSignal::new(false);
    let typing_at = StoredValue::new(0.0);
    let sent_typing_at = StoredValue::new(0.0);
    let blocked = RwSignal::new(false);
    let read_upto = StoredValue::new(0i64);
    let moderator = StoredValue::new(admin);
    let menu = RwSignal::new(false);
    let ask = RwSignal::new(None::<Ask>);
    let ask_form = FormState::new();
    let text = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<i64>);
    let form = FormState::new();
    let muting = RwSignal::new(false);
    let list_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Textarea>::new();

    let scroll_el = move || list_ref.try_get_untracked().flatten();
    let near_bottom = move || {
        scroll_el().is_none_or(|el| el.scroll_height() - el.scroll_top() - el.client_height() < 120)
    };
    let to_bottom = move || {
        below.set(false);
        request_animation_frame(move || {
            if let Some(el) = scroll_el() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    };
    let focus_input = move || {
        request_animation_frame(move || {
            if let Some(el) = input_ref.try_get_untracked().flatten() {
                let _ = el.focus();
            }
        });
    };

    let mark_read = move || {
        if document().hidden() {
            return;
        }
        let Some(newest) = msgs
            .try_with_untracked(|l| l.last().map(|m| m.id))
            .flatten()
        else {
            return;
        };
        if newest <= read_upto.get_value() {
            return;
        }
        read_upto.set_value(newest);
        spawn_local(async move {
            if let Ok(state) = api::chat::mark_read(id, newest).await {
                live.read(id, state.last_read_message_id, Some(state.unread_count));
            }
        });
    };

    let load_page = move |before: Option<i64>| {
        if before.is_some() {
            if loading_older.get_untracked() {
                return;
            }
            loading_older.set(true);
        }
        spawn_local(async move {
            let result = api::chat::messages(id, before).await;
            if msgs.is_disposed() {
                return;
            }
            loading_older.set(false);
            let page = match result {
                Ok(page) => page,
                Err(e) => {
                    history_error.set(Some(error_text(&e, fmt)));
                    return;
                }
            };
            history_error.set(None);
            let first = !loaded.get_untracked();
            if first || before.is_some() {
                older.set(page.next_cursor.and_then(|c| c.parse().ok()));
            }
            // Older messages go on top without moving what the person is reading.
            let anchor = before
                .and(scroll_el())
                .map(|el| (el.scroll_height(), el.scroll_top()));
            let stick = first || near_bottom();
            msgs.update(|l| merge(l, page.items));
            loaded.set(true);
            if let Some((height, top)) = anchor {
                request_animation_frame(move || {
                    if let Some(el) = scroll_el() {
                        el.set_scroll_top(el.scroll_height() - height + top);
                    }
                });
            } else if stick {
                to_bottom();
            }
            mark_read();
        });
    };

    // Set while this person leaves the room: the server tells every member (the leaver too) that
    // the room changed, and reloading a private group one has just left would answer 404.
    let leaving = StoredValue::new(false);
    let load_room = move || {
        if leaving.get_value() {
            return;
        }
        spawn_local(async move {
            let result = api::chat::room(id).await;
            if room.is_disposed() {
                return;
            }
            if let Ok(r) = &result {
                set_title(&room_name(r));
                read_upto.set_value(read_upto.get_value().max(r.last_read_message_id));
                moderator.set_value(
                    admin || (r.kind == RoomKind::Group && r.role == Some(MemberRole::Owner)),
                );
                if r.is_member && !loaded.get_untracked() {
                    load_page(None);
                }
                if let Some(peer) = r.peer.clone() {
                    spawn_local(async move {
                        if let Ok(names) = api::chat::blocked().await {
                            blocked
                                .set(names.iter().any(|n| n.eq_ignore_ascii_case(&peer.username)));
                        }
                    });
                }
            }
            room.set(Some(result));
        });
    };
    load_room();

    let on_frame = Callback::new(move |frame: Frame| match frame {
        Frame::Message(m) if m.room_id == id => {
            let stick = m.sender.id == me || near_bottom();
            if m.sender.id != me {
                typing.set(false);
            }
            msgs.update(|l| merge(l, vec![m]));
            if stick {
                to_bottom();
            } else {
                below.set(true);
            }
            mark_read();
        }
        Frame::Updated(m) if m.room_id == id => msgs.update(|l| merge(l, vec![m])),
        Frame::Typing { room_id, user_id } if room_id == id && user_id != me => {
            typing.set(true);
            typing_at.set_value(Date::now());
            set_timeout(
                move || {
                    if Date::now() - typing_at.try_get_value().unwrap_or(0.0) > 4500.0 {
                        typing.set(false);
                    }
                },
                Duration::from_millis(5000),
            );
        }
        // Back after a disconnect: the newest page brings edits and deletions made meanwhile
        // (`resume` replays only new messages).
        Frame::Ready if loaded.get_untracked() => load_page(None),
        Frame::Resumed { complete: false } => load_page(None),
        Frame::RoomsChanged { room_id } if room_id == id => load_room(),
        _ => {}
    });
    live.registrations.update_value(|n| *n += 1);
    let registration = live.registrations.get_value();
    live.open_room.set_value(Some(id));
    live.handler.set_value(Some((registration, on_frame)));
    let focus = window_event_listener(leptos::ev::focus, move |_| mark_read());
    on_cleanup(move || {
        focus.remove();
        if live
            .handler
            .get_value()
            .is_some_and(|(n, _)| n == registration)
        {
            live.open_room.set_value(None);
            live.handler.set_value(None);
        }
    });

    let on_scroll = move |_| {
        if let Some(el) = scroll_el() {
            if el.scroll_top() < 80 {
                if let Some(before) = older.get_untracked() {
                    load_page(Some(before));
                }
            }
            if near_bottom() {
                below.set(false);
            }
        }
    };

    let submit = move || {
        if form.pending.get_untracked() {
            return;
        }
        let body = text.get_untracked();
        if let Err(message) = validate_message_body(&body) {
            form.errors
                .set([("body".to_owned(), message.to_owned())].into());
            form.banner.set(None);
            return;
        }
        let body = body.trim().to_owned();
        let edit = editing.get_untracked();
        form.start();
        form.errors.set(FieldErrors::new());
        spawn_local(async move {
            let result = match edit {
                Some(message_id) => api::chat::edit(message_id, &body).await,
                None => api::chat::post(id, &body).await,
            };
            if msgs.is_disposed() {
                return;
            }
            form.pending.set(false);
            match result {
                Ok(m) => {
                    msgs.update(|l| merge(l, vec![m]));
                    text.set(String::new());
                    editing.set(None);
                    if edit.is_none() {
                        to_bottom();
                    }
                    focus_input();
                }
                Err(e) => form.failed(&e, fmt),
            }
        });
    };
    let cancel_edit = move || {
        editing.set(None);
        text.set(String::new());
        form.errors.set(FieldErrors::new());
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        } else if ev.key() == "Escape" && editing.get_untracked().is_some() {
            cancel_edit();
        }
    };
    let is_direct =
        Memo::new(move |_| room.with(|r| matches!(r, Some(Ok(r)) if r.kind == RoomKind::Direct)));
    let on_input = move |_| {
        form.errors.maybe_update(|e| e.remove("body").is_some());
        form.banner.set(None);
        let now = Date::now();
        if is_direct.get_untracked() && now - sent_typing_at.get_value() > 3000.0 {
            sent_typing_at.set_value(now);
            api::chat::send_frame(&ClientFrame::Typing { room_id: id });
        }
    };

    // Edit and delete buttons of every message, handled once on the list.
    let on_list_click = move |ev: MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-act]").ok().flatten())
        else {
            return;
        };
        let Some(message_id) = button
            .get_attribute("data-id")
            .and_then(|v| v.parse::<i64>().ok())
        else {
            return;
        };
        match button.get_attribute("data-act").as_deref() {
            Some("edit") => {
                if let Some(body) = msgs.with_untracked(|l| {
                    l.iter()
                        .find(|m| m.id == message_id)
                        .map(|m| m.body.clone())
                }) {
                    editing.set(Some(message_id));
                    text.set(body);
                    form.errors.set(FieldErrors::new());
                    focus_input();
                }
            }
            Some("delete") => {
                ask_form.banner.set(None);
                ask.set(Some(Ask::Delete(message_id)));
            }
            _ => {}
        }
    };

    let toggle_mute = move |muted: bool| {
        menu.set(false);
        muting.set(true);
        spawn_local(async move {
            let result = api::chat::mute(id, muted).await;
            muting.set(false);
            match result {
                Ok(r) => {
                    live.update_room(r.clone());
                    room.set(Some(Ok(r)));
                }
                Err(e) => form.failed(&e, fmt),
            }
        });
    };
    let join = move |_| {
        muting.set(true);
        spawn_local(async move {
            let result = api::chat::join(id).await;
            muting.set(false);
            match result {
                Ok(r) => {
                    live.update_room(r.clone());
                    room.set(Some(Ok(r)));
                    load_page(None);
                }
                Err(e) => history_error.set(Some(error_text(&e, fmt))),
            }
        });
    };
    let unblock = move |username: String| {
        spawn_local(async move {
            match api::chat::unblock(&username).await {
                Ok(()) => blocked.set(false),
                Err(e) => form.failed(&e, fmt),
            }
        });
    };
    let open_ask = move |which: Ask| {
        menu.set(false);
        ask_form.errors.set(FieldErrors::new());
        ask_form.banner.set(None);
        ask_form.success.set(None);
        ask.set(Some(which));
    };

    let go_list = move || {
        nav.try_with_value(|n| n("/chat", NavigateOptions::default()));
    };
    let on_ask = Callback::new(move |value: String| {
        let Some(which) = ask.get_untracked() else {
            return;
        };
        let peer = room.with_untracked(|r| match r {
            Some(Ok(r)) => r.peer.as_ref().map(|p| p.username.clone()),
            _ => None,
        });
        if which == Ask::Invite {
            let req = UsernameRequest {
                username: value.trim_start_matches('@').to_owned(),
            };
            if let Err(fields) = req.validate() {
                ask_form.invalid(fields);
                return;
            }
        }
        ask_form.start();
        spawn_local(async move {
            let result = match which {
                Ask::Invite => api::chat::invite(id, value.trim_start_matches('@'))
                    .await
                    .map(|m| {
                        ask_form
                            .success
                            .set(Some(i18n::member_added(&m.user.display_name)));
                        load_room();
                    }),
                Ask::Leave => {
                    leaving.set_value(true);
                    let left = api::chat::leave(id).await;
                    if left.is_err() {
                        leaving.set_value(false);
                    }
                    left.map(|()| {
                        live.forget_room(id);
                        live.load_rooms();
                        go_list();
                    })
                }
                Ask::Block => match &peer {
                    Some(name) => api::chat::block(name).await.map(|()| blocked.set(true)),
                    None => Ok(()),
                },
                Ask::Delete(message_id) => api::chat::delete(message_id)
                    .await
                    .map(|m| msgs.update(|l| merge(l, vec![m]))),
                Ask::NewGroup | Ask::NewDirect => Ok(()),
            };
            ask_form.pending.set(false);
            match result {
                Ok(()) if which != Ask::Invite => ask.set(None),
                Ok(()) => {}
                Err(e) => ask_form.failed(&e, fmt),
            }
        });
    });

    let row = move |m: ChatMessage| {
        let mine = m.sender.id == me;
        let fresh = Date::now() - (m.created_at.timestamp_millis() as f64)
            < (EDIT_WINDOW_SECS * 1000) as f64;
        let can_edit = mine && fresh && !m.deleted;
        let can_delete = !m.deleted && (can_edit || moderator.get_value());
        let group = !is_direct.get_untracked();
        let at = m.created_at;
        let id = m.id;
        view! {
            <li class="msg" class:mine=mine class:deleted=m.deleted data-testid="message">
                {(!mine && group).then(|| view! { <bdi class="msg-sender">{m.sender.display_name.clone()}</bdi> })}
                {if m.deleted {
                    view! { <p class="msg-body">{i18n::MESSAGE_DELETED}</p> }.into_any()
                } else {
                    view! { <p class="msg-body" dir="auto">{m.body}</p> }.into_any()
                }}
                <p class="msg-meta">
                    <time datetime=at.to_rfc3339() title=move || fmt.date_time(&at)>{move || when(fmt, &at)}</time>
                    {(m.edited_at.is_some() && !m.deleted).then(|| view! { <span>{i18n::EDITED}</span> })}
                    {(can_edit || can_delete).then(|| view! {
                        <span class="msg-actions">
                            {can_edit.then(|| view! {
                                <button type="button" class="link-btn" data-act="edit" data-id=id>{i18n::EDIT_MESSAGE}</button>
                            })}
                            {can_delete.then(|| view! {
                                <button type="button" class="link-btn danger-text" data-act="delete" data-id=id>{i18n::DELETE_MESSAGE}</button>
                            })}
                        </span>
                    })}
                </p>
            </li>
        }
    };

    let head = move |r: &ChatRoom| {
        let group = r.kind == RoomKind::Group;
        let name = room_name(r);
        let letter = initial(&name);
        let sub = match (&r.peer, group) {
            (Some(peer), _) => format!("@{}", peer.username),
            (None, _) if r.visibility == RoomVisibility::Public => {
                format!(
                    "{} · {}",
                    i18n::PUBLIC_ROOM,
                    i18n::members_n(&fmt.int(r.member_count as i64))
                )
            }
            _ => format!(
                "{} · {}",
                i18n::PRIVATE_GROUP,
                i18n::members_n(&fmt.int(r.member_count as i64))
            ),
        };
        let muted = r.muted;
        let member = r.is_member;
        let can_invite =
            group && r.role == Some(MemberRole::Owner) && r.visibility == RoomVisibility::Private;
        let direct = !group;
        view! {
            <header class="room-head">
                <a class="icon-btn room-back" href="/chat" aria-label=i18n::BACK_TO_CHATS inner_html=icons::ARROW_BACK></a>
                {room_avatar(group, letter)}
                <div class="room-title">
                    <h2 id="room-title"><bdi>{name}</bdi></h2>
                    <p class="muted small"><bdi dir=if direct { "ltr" } else { "auto" }>{sub}</bdi></p>
                </div>
                {member.then(|| view! {
                    <div class="room-menu" on:keydown=move |ev: KeyboardEvent| if ev.key() == "Escape" { menu.set(false) }>
                        <button
                            type="button"
                            class="icon-btn"
                            aria-label=i18n::ROOM_OPTIONS
                            aria-expanded=move || menu.get().to_string()
                            aria-controls=move || menu.get().then_some("room-menu")
                            data-testid="room-menu"
                            on:click=move |_| menu.update(|o| *o = !*o)
                            inner_html=icons::MORE
                        ></button>
                        <Show when=move || menu.get()>
                            <div class="menu-backdrop" on:click=move |_| menu.set(false)></div>
                            <div class="menu" id="room-menu">
                                <button type="button" class="menu-item" data-testid="mute-room"
                                    disabled=move || muting.get() on:click=move |_| toggle_mute(!muted)>
                                    <span class="icon" aria-hidden="true" inner_html=if muted { icons::BELL } else { ICON_MUTED }></span>
                                    <span>{if muted { i18n::UNMUTE } else { i18n::MUTE }}</span>
                                </button>
                                {can_invite.then(|| view! {
                                    <button type="button" class="menu-item" data-testid="invite" on:click=move |_| open_ask(Ask::Invite)>
                                        <Icon svg=icons::PLUS />
                                        <span>{i18n::INVITE_MEMBER}</span>
                                    </button>
                                })}
                                {group.then(|| view! {
                                    <button type="button" class="menu-item danger" data-testid="leave-room" on:click=move |_| open_ask(Ask::Leave)>
                                        <Icon svg=icons::LOGOUT />
                                        <span>{i18n::LEAVE_ROOM}</span>
                                    </button>
                                })}
                                {direct.then(|| view! {
                                    <button type="button" class="menu-item danger" data-testid="block-user"
                                        disabled=move || blocked.get() on:click=move |_| open_ask(Ask::Block)>
                                        <Icon svg=icons::SHIELD />
                                        <span>{i18n::BLOCK_USER}</span>
                                    </button>
                                })}
                            </div>
                        </Show>
                    </div>
                })}
            </header>
        }
    };

    let composer = move || {
        let peer = room.with_untracked(|r| match r {
            Some(Ok(r)) => r.peer.as_ref().map(|p| p.username.clone()),
            _ => None,
        });
        if blocked.get() {
            let name = peer.unwrap_or_default();
            return view! {
                <div class="composer blocked-box" data-testid="blocked">
                    <p class="muted">{i18n::YOU_BLOCKED}</p>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="unblock" on:click=move |_| unblock(name.clone())>
                        {i18n::UNBLOCK_USER}
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <form class="composer" novalidate=true on:submit=move |ev| { ev.prevent_default(); submit(); } data-testid="composer">
                <Show when=move || editing.get().is_some()>
                    <p class="composer-editing">
                        <Icon svg=icons::EDIT />
                        <span>{i18n::EDITING_MESSAGE}</span>
                        <button type="button" class="link-btn" on:click=move |_| cancel_edit()>{i18n::CANCEL}</button>
                    </p>
                </Show>
                <div class="composer-row">
                    <label for="chat-input" class="sr-only">{i18n::MESSAGE_LABEL}</label>
                    <textarea
                        id="chat-input"
                        node_ref=input_ref
                        rows="1"
                        dir="auto"
                        placeholder=i18n::MESSAGE_PLACEHOLDER
                        aria-describedby="chat-input-help chat-input-err"
                        aria-invalid=move || form.errors.with(|e| e.contains_key("body")).to_string()
                        bind:value=text
                        on:keydown=on_key
                        on:input=on_input
                    ></textarea>
                    <button
                        type="submit"
                        class="btn btn-primary composer-send"
                        disabled=move || form.pending.get()
                        aria-busy=move || form.pending.get().to_string()
                        aria-label=move || if editing.get().is_some() { i18n::SAVE_EDIT } else { i18n::SEND }
                        data-testid="send"
                    >
                        {move || if form.pending.get() {
                            view! { <span class="spinner" aria-hidden="true"></span> }.into_any()
                        } else {
                            view! { <span class="icon" aria-hidden="true" inner_html=icons::SEND></span> }.into_any()
                        }}
                    </button>
                </div>
                <div class="composer-foot">
                    <p id="chat-input-err" class="composer-error" role="alert">
                        {move || {
                            form.errors
                                .with(|e| e.get("body").cloned())
                                .or_else(|| form.banner.get())
                                .map(|m| view! { <Icon svg=icons::ALERT /> <span>{fmt.text(&m)}</span> })
                        }}
                    </p>
                    <p id="chat-input-help" class="composer-help muted small">
                        {move || {
                            let n = text.with(|t| t.trim().chars().count());
                            if form.pending.get() {
                                i18n::SENDING.to_owned()
                            } else if n + 200 > MESSAGE_MAX {
                                i18n::chars_of(&fmt.count(n), &fmt.count(MESSAGE_MAX))
                            } else {
                                i18n::COMPOSER_HELP.to_owned()
                            }
                        }}
                    </p>
                </div>
            </form>
        }
        .into_any()
    };

    // What the pane shows. Only a change of phase rebuilds it, so muting, an invitation or a
    // renamed room never resets the message list and its scroll position.
    let phase = Memo::new(move |_| {
        room.with(|r| match r {
            None => Phase::Loading,
            Some(Err(e)) => Phase::Failed(error_text(e, fmt)),
            Some(Ok(r)) if !r.is_member => Phase::Visitor,
            Some(Ok(r)) => Phase::Member(r.archived),
        })
    });
    let header = move || {
        room.with(|r| match r {
            Some(Ok(r)) => Some(head(r)),
            _ => None,
        })
    };
    let conversation = move || {
        let archived = match phase.get() {
            Phase::Loading => {
                return view! { <div class="chat-pad"><Skeleton lines=5 /></div> }.into_any()
            }
            Phase::Failed(message) => {
                return view! {
                    <div class="chat-pad">
                        <Notice message=message kind="error" />
                        <a class="btn btn-soft" href="/chat">{i18n::BACK_TO_CHATS}</a>
                    </div>
                }
                .into_any()
            }
            Phase::Visitor => {
                let about = room.with_untracked(|r| match r {
                    Some(Ok(r)) => r.description.clone(),
                    _ => None,
                });
                return view! {
                    {header}
                    <div class="chat-pad join-box">
                        {about.map(|d| view! { <p dir="auto" class="pre-line">{d}</p> })}
                        <p class="muted">{i18n::JOIN_TO_READ}</p>
                        {move || history_error.get().map(|e| view! { <Notice message=e kind="error" /> })}
                        <button type="button" class="btn btn-primary" data-testid="join-room" disabled=move || muting.get() on:click=join>
                            {i18n::JOIN_ROOM}
                        </button>
                    </div>
                }
                .into_any();
            }
            Phase::Member(archived) => archived,
        };
        let peer = room.with_untracked(|r| match r {
            Some(Ok(r)) => r.peer.clone(),
            _ => None,
        });
        view! {
            {header}
            <div class="msgs" node_ref=list_ref on:scroll=on_scroll role="log" aria-labelledby="room-title" tabindex="0">
                {move || {
                    if loading_older.get() {
                        view! { <p class="msgs-note"><span class="spinner" aria-hidden="true"></span> {i18n::LOADING}</p> }.into_any()
                    } else if let Some(before) = older.get() {
                        view! {
                            <p class="msgs-note">
                                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| load_page(Some(before))>
                                    {i18n::OLDER_MESSAGES}
                                </button>
                            </p>
                        }
                        .into_any()
                    } else if loaded.get() {
                        view! {
                            <p class="msgs-note muted small">
                                {if msgs.with(Vec::is_empty) { i18n::NO_MESSAGES_YET } else { i18n::CONVERSATION_START }}
                            </p>
                        }
                        .into_any()
                    } else {
                        view! { <Skeleton lines=4 /> }.into_any()
                    }
                }}
                {move || history_error.get().map(|e| view! { <Notice message=e kind="error" /> })}
                <ol class="msg-list" on:click=on_list_click>
                    <For
                        each=move || msgs.get()
                        key=|m| (m.id, m.edited_at.map(|t| t.timestamp_millis()), m.deleted)
                        children=row
                    />
                </ol>
            </div>
            <Show when=move || below.get()>
                <button type="button" class="btn btn-primary btn-sm new-below" on:click=move |_| to_bottom()>
                    <Icon svg=icons::ARROW_DOWN />
                    <span>{i18n::NEW_MESSAGES}</span>
                </button>
            </Show>
            <p class="typing" aria-live="polite">
                {move || (typing.get() && is_direct.get()).then(|| {
                    i18n::is_typing(&peer.as_ref().map(|p| p.display_name.clone()).unwrap_or_default())
                })}
            </p>
            <Show when=move || !live.online.get()>
                <p class="chat-offline" role="status">{i18n::RECONNECTING}</p>
            </Show>
            {if archived {
                view! { <div class="chat-pad"><Notice message=i18n::ROOM_ARCHIVED /></div> }.into_any()
            } else {
                view! { {composer} }.into_any()
            }}
        }
        .into_any()
    };

    view! {
        <div class="room" data-testid="chat-room">
            {conversation}
        </div>
        {move || ask.get().map(|which| {
            let close = Callback::new(move |_| ask.set(None));
            let (title, text, submit) = match which {
                Ask::Leave => (i18n::LEAVE_ROOM, i18n::LEAVE_TEXT, i18n::LEAVE_ROOM),
                Ask::Block => (i18n::BLOCK_USER, i18n::BLOCK_TEXT, i18n::BLOCK_USER),
                _ => (i18n::DELETE_MESSAGE_TITLE, i18n::DELETE_TEXT, i18n::DELETE_MESSAGE),
            };
            if which == Ask::Invite {
                view! {
                    <ActionDialog title=i18n::INVITE_MEMBER text=i18n::INVITE_TEXT submit=i18n::ADD_MEMBER
                        field=("username", i18n::USERNAME_TO_ADD, false) form=ask_form on_submit=on_ask on_close=close />
                }
                .into_any()
            } else {
                view! {
                    <ActionDialog title=title text=text submit=submit class="btn btn-danger"
                        form=ask_form on_submit=on_ask on_close=close />
                }
                .into_any()
            }
        })}
    }
}
