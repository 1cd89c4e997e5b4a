//! Chat: the rooms list (/chat) and one room (/chat/:id) side by side on wide screens and as two
//! screens on phones; live delivery over the WebSocket through [`ChatLive`] (`crate::chat_live`),
//! which the whole app shares so the navigation can show the unread count; the "مراسلة" button
//! that opens a direct room from the leaderboard or a results table.
//!
//! Submodules: `list` (the rooms list), `room` (one room: history, live frames, actions),
//! `room_head` (its header and menu), `bubble` (one message with its read ticks), `composer`.

mod bubble;
mod composer;
mod list;
mod room;
mod room_head;

use domain::chat::{ChatMessage, ChatRoom};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

pub use crate::chat_live::ChatLive;
use crate::components::guard::RequireAuth;
use crate::components::kit::error_text;
use crate::components::{icons, set_title, Icon, Notice};
use crate::format::Fmt;
use crate::{api, i18n};
use list::RoomList;
use room::RoomView;

/// A speech bubble (the chat section) and a muted bell.
pub const ICON_CHAT: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"><path d="M4 5h16v11H9l-5 4z"/><path d="M8 9.5h8M8 12.5h5"/></svg>"#;
pub(crate) const ICON_MUTED: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"><path d="M6 16V11a6 6 0 0 1 9.5-4.9M18 11v5l2 2H6"/><path d="M10 21h4M3 3l18 18"/></svg>"#;

/// A count bubble (with its meaning for screen readers), nothing at zero.
pub(crate) fn count_badge(n: u64, fmt: Fmt) -> impl IntoView {
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

/// Inserts or replaces messages by id, keeping the list in id order.
fn merge(list: &mut Vec<ChatMessage>, items: Vec<ChatMessage>) {
    for m in items {
        match list.binary_search_by_key(&m.id, |x| x.id) {
            Ok(i) => list[i] = m,
            Err(i) => list.insert(i, m),
        }
    }
}
