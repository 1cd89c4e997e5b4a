//! One message in a room: own messages in the brand colour at the end of the line, others at the
//! start (with the sender's name in groups); time, «معدّلة», edit/delete buttons (handled by one
//! listener on the list, see `room`), and in direct rooms the read ticks of one's own messages.

use domain::chat::{ChatMessage, EDIT_WINDOW_SECS};
use js_sys::Date;
use leptos::prelude::*;

use super::when;
use crate::format::Fmt;
use crate::i18n;

/// What every bubble of a room needs to know besides its message.
#[derive(Clone, Copy)]
pub(super) struct BubbleCtx {
    pub me: i64,
    /// The room's owner or an admin: may delete any message.
    pub moderator: bool,
    pub group: bool,
    /// The other person's read marker in a direct room (0: nothing read).
    pub peer_read: RwSignal<i64>,
    pub fmt: Fmt,
}

pub(super) fn bubble(m: ChatMessage, ctx: BubbleCtx) -> impl IntoView {
    let BubbleCtx {
        me,
        moderator,
        group,
        peer_read,
        fmt,
    } = ctx;
    let mine = m.sender.id == me;
    let fresh =
        Date::now() - (m.created_at.timestamp_millis() as f64) < (EDIT_WINDOW_SECS * 1000) as f64;
    let can_edit = mine && fresh && !m.deleted;
    let can_delete = !m.deleted && (can_edit || moderator);
    let at = m.created_at;
    let id = m.id;
    // ✓ sent, ✓✓ read by the other person (direct rooms only: a group has many readers).
    let ticks = (mine && !group && !m.deleted).then(|| {
        let read = move || peer_read.get() >= id;
        view! {
            <span
                class="msg-ticks"
                class:read=read
                role="img"
                aria-label=move || if read() { i18n::MESSAGE_READ } else { i18n::MESSAGE_SENT }
                data-testid="ticks"
                data-read=move || read().to_string()
            >
                {move || if read() { "✓✓" } else { "✓" }}
            </span>
        }
    });
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
                {ticks}
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
}
