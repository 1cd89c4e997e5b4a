//! The rooms list: my rooms (groups and direct chats, most recent first) and public rooms to
//! join; «رسالة جديدة» and «مجموعة جديدة».

use domain::chat::{ChatRoom, CreateRoomRequest, RoomKind, UsernameRequest};
use domain::FieldErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use super::{count_badge, room_avatar, room_name, when, Ask, ICON_CHAT, ICON_MUTED};
use crate::chat_live::ChatLive;
use crate::components::commerce::ActionDialog;
use crate::components::kit::error_text;
use crate::components::{icons, initial, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub(super) fn RoomList() -> impl IntoView {
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
                                    // Invite to join only rooms that exist.
                                    let hint = if public.is_empty() { i18n::NO_CHATS } else { i18n::NO_CHATS_JOIN };
                                    view! { <p class="muted small chat-none">{hint}</p> }.into_any()
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
