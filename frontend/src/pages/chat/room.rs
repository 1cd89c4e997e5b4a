//! One room: its history (newest page first, older pages on scroll), live frames from
//! [`ChatLive`], the read marker, typing, and the actions of its menu and messages. The header,
//! the bubbles and the composer are their own modules; this one holds the room's state.

use std::time::Duration;

use domain::chat::{
    validate_message_body, ChatMessage, ChatRoom, ClientFrame, MemberRole, RoomKind,
    UsernameRequest,
};
use domain::FieldErrors;
use js_sys::Date;
use leptos::ev::MouseEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use super::bubble::{bubble, BubbleCtx};
use super::composer::Composer;
use super::room_head::RoomHead;
use super::{merge, room_name, Ask};
use crate::api::chat::Frame;
use crate::api::ApiError;
use crate::chat_live::ChatLive;
use crate::components::commerce::ActionDialog;
use crate::components::kit::error_text;
use crate::components::{icons, set_title, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

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
pub(super) fn RoomView(id: i64) -> impl IntoView {
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
    // The other person's read marker in a direct room: own messages up to it show ✓✓.
    let peer_read = RwSignal::new(0i64);
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
                if let Some(upto) = r.peer_last_read_message_id {
                    peer_read.update(|p| *p = (*p).max(upto));
                }
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
        Frame::PeerRead {
            room_id,
            last_read_message_id,
        } if room_id == id => peer_read.update(|p| *p = (*p).max(last_read_message_id)),
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
    let is_direct =
        Memo::new(move |_| room.with(|r| matches!(r, Some(Ok(r)) if r.kind == RoomKind::Direct)));
    // `typing` frames in direct rooms, at most every 3 s.
    let on_typing = Callback::new(move |()| {
        let now = Date::now();
        if is_direct.get_untracked() && now - sent_typing_at.get_value() > 3000.0 {
            sent_typing_at.set_value(now);
            api::chat::send_frame(&ClientFrame::Typing { room_id: id });
        }
    });

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
    let on_mute = Callback::new(toggle_mute);
    let on_menu_ask = Callback::new(open_ask);
    let header = move || {
        room.with(|r| match r {
            Some(Ok(r)) => Some(view! {
                <RoomHead room=r.clone() menu=menu muting=muting blocked=blocked on_mute=on_mute on_ask=on_menu_ask />
            }),
            _ => None,
        })
    };
    let row = move |m: ChatMessage| {
        let ctx = BubbleCtx {
            me,
            moderator: moderator.get_value(),
            group: !is_direct.get_untracked(),
            peer_read,
            fmt,
        };
        bubble(m, ctx)
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
                let peer = room.with_untracked(|r| match r {
                    Some(Ok(r)) => r.peer.as_ref().map(|p| p.username.clone()),
                    _ => None,
                });
                view! {
                    <Composer text=text editing=editing form=form input_ref=input_ref blocked=blocked peer=peer
                        on_send=Callback::new(move |()| submit()) on_cancel=Callback::new(move |()| cancel_edit())
                        on_unblock=Callback::new(unblock) on_typing=on_typing />
                }
                .into_any()
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
