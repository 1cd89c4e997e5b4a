//! A room's header: back arrow (phones), avatar, name and who it is with; the menu with mute,
//! add a member (owner of a private group), leave (groups) and block (direct rooms).

use domain::chat::{ChatRoom, MemberRole, RoomKind, RoomVisibility};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::{room_avatar, room_name, Ask, ICON_MUTED};
use crate::components::{icons, initial, Icon};
use crate::format::Fmt;
use crate::i18n;

#[component]
pub(super) fn RoomHead(
    room: ChatRoom,
    /// The menu is open.
    menu: RwSignal<bool>,
    /// A mute or join request is running.
    muting: RwSignal<bool>,
    /// The caller blocked the other person of a direct room.
    blocked: RwSignal<bool>,
    on_mute: Callback<bool>,
    on_ask: Callback<Ask>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let r = &room;
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
                                disabled=move || muting.get() on:click=move |_| on_mute.run(!muted)>
                                <span class="icon" aria-hidden="true" inner_html=if muted { icons::BELL } else { ICON_MUTED }></span>
                                <span>{if muted { i18n::UNMUTE } else { i18n::MUTE }}</span>
                            </button>
                            {can_invite.then(|| view! {
                                <button type="button" class="menu-item" data-testid="invite" on:click=move |_| on_ask.run(Ask::Invite)>
                                    <Icon svg=icons::PLUS />
                                    <span>{i18n::INVITE_MEMBER}</span>
                                </button>
                            })}
                            {group.then(|| view! {
                                <button type="button" class="menu-item danger" data-testid="leave-room" on:click=move |_| on_ask.run(Ask::Leave)>
                                    <Icon svg=icons::LOGOUT />
                                    <span>{i18n::LEAVE_ROOM}</span>
                                </button>
                            })}
                            {direct.then(|| view! {
                                <button type="button" class="menu-item danger" data-testid="block-user"
                                    disabled=move || blocked.get() on:click=move |_| on_ask.run(Ask::Block)>
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
}
