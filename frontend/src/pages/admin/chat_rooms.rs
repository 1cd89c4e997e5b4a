//! Admin → chat rooms: every group room (archived ones too, with their state), a new public
//! room, renaming and describing a room, archiving (after a confirmation) and bringing it back.
//! The API is `/api/v1/admin/chat/rooms` (docs/CHAT.md); deleting stays an API-only action.

use domain::chat::{AdminCreateRoomRequest, AdminUpdateRoomRequest, ChatRoom, RoomVisibility};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{admin_table, TableSpec};
use crate::components::commerce::ActionDialog;
use crate::components::kit::{error_text, load_more, Modal, Paged, TextArea};
use crate::components::{icons, Field, FormMessages, FormState, Icon, Notice, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// An archive box (the tab's "archive" action).
const ICON_ARCHIVE: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false"><rect x="3" y="4" width="18" height="4" rx="1"/><path d="M5 8v11h14V8M10 12h4"/></svg>"#;

const ROOMS_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_CHAT_ROOMS,
    testid: "chat-rooms-table",
    class: "table",
    headers: &[
        i18n::CHAT_ROOM_COL,
        i18n::CHAT_ROOM_KIND_COL,
        i18n::CHAT_ROOM_MEMBERS_COL,
        i18n::ADMIN_COL_STATUS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_ADMIN_CHAT_ROOMS,
};

#[component]
pub fn ChatRoomsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let paged = Paged::<ChatRoom>::new();
    let fetch = move |cursor: Option<String>| async move {
        api::chat::admin_rooms(cursor.as_deref())
            .await
            .map(|p| (p.items, p.next_cursor))
    };
    let reload = move || paged.reload(fetch(None));
    reload();
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // None: closed; Some(None): a new room; Some(Some(room)): editing that room.
    let editing = RwSignal::new(None::<Option<ChatRoom>>);
    let archiving = RwSignal::new(None::<ChatRoom>);
    let done = RwSignal::new(None::<String>);
    let row_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<i64>);

    let unarchive = move |room: ChatRoom| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(room.id));
        row_error.set(None);
        spawn_local(async move {
            let req = AdminUpdateRoomRequest {
                archived: Some(false),
                ..Default::default()
            };
            let result = api::chat::admin_update_room(room.id, &req).await;
            busy.set(None);
            match result {
                Ok(r) => {
                    done.set(Some(i18n::chat_room_unarchived_done(
                        r.name.as_deref().unwrap_or_default(),
                    )));
                    reload();
                }
                Err(e) => row_error.set(Some(error_text(&e, fmt))),
            }
        });
    };

    let row = move |r: ChatRoom| {
        let name = r.name.clone().unwrap_or_default();
        let public = r.visibility == RoomVisibility::Public;
        let (for_edit, for_archive) = (r.clone(), r.clone());
        let id = r.id;
        view! {
            <tr data-testid="chat-room-row" data-archived=r.archived.to_string()>
                <td>
                    <div class="comp-cell">
                        <bdi class="strong" dir="auto">{name}</bdi>
                        {r.description.clone().filter(|d| !d.is_empty()).map(|d| view! {
                            <span class="muted small" dir="auto">{d}</span>
                        })}
                    </div>
                </td>
                <td data-label=i18n::CHAT_ROOM_KIND_COL>
                    {if public { i18n::PUBLIC_ROOM } else { i18n::PRIVATE_GROUP }}
                </td>
                <td class="num" data-label=i18n::CHAT_ROOM_MEMBERS_COL>{fmt.int(r.member_count as i64)}</td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <span class=if r.archived { "tag" } else { "tag tag-green" } data-testid="chat-room-state">
                        {if r.archived { i18n::CHAT_ROOM_ARCHIVED } else { i18n::CHAT_ROOM_OPEN }}
                    </span>
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="edit-chat-room"
                        on:click=move |_| { done.set(None); editing.set(Some(Some(for_edit.clone()))) }>
                        <Icon svg=icons::EDIT /><span>{i18n::EDIT}</span>
                    </button>
                    {if r.archived {
                        view! {
                            <button type="button" class="btn btn-soft btn-sm" data-testid="unarchive-chat-room"
                                disabled=move || busy.get().is_some() aria-busy=move || (busy.get() == Some(id)).to_string()
                                on:click=move |_| unarchive(for_archive.clone())>
                                <Icon svg=icons::ROTATE /><span>{i18n::UNARCHIVE_CHAT_ROOM}</span>
                            </button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="archive-chat-room"
                                on:click=move |_| { done.set(None); archiving.set(Some(for_archive.clone())) }>
                                <Icon svg=ICON_ARCHIVE /><span>{i18n::ARCHIVE_CHAT_ROOM}</span>
                            </button>
                        }
                        .into_any()
                    }}
                </td>
            </tr>
        }
    };

    view! {
        <div class="card">
            <div class="panel-head">
                <p class="muted">{i18n::CHAT_ROOMS_HINT}</p>
                <button type="button" class="btn btn-primary" data-testid="new-chat-room"
                    on:click=move |_| { done.set(None); editing.set(Some(None)) }>
                    <Icon svg=icons::PLUS /><span>{i18n::NEW_PUBLIC_ROOM}</span>
                </button>
            </div>
            {move || done.get().map(|m| view! { <Notice message=m kind="success" /> })}
            {move || row_error.get().map(|m| view! { <Notice message=m kind="error" /> })}
            {move || admin_table(paged.data.get(), fmt, &ROOMS_TABLE, move |item| row(item).into_any())}
            {load_more(paged, more)}
        </div>
        {move || editing.get().map(|room| view! {
            <RoomForm room=room on_close=Callback::new(move |_| editing.set(None))
                on_saved=Callback::new(move |name: String| {
                    done.set(Some(i18n::chat_room_saved(&name)));
                    reload();
                }) />
        })}
        {move || archiving.get().map(|room| {
            let form = FormState::new();
            let name = room.name.clone().unwrap_or_default();
            let id = room.id;
            view! {
                <ActionDialog title=i18n::archive_chat_room_title(&name) text=i18n::ARCHIVE_CHAT_ROOM_TEXT
                    submit=i18n::ARCHIVE_CHAT_ROOM class="btn btn-danger" form=form
                    on_close=Callback::new(move |_| archiving.set(None))
                    on_submit=Callback::new(move |_| {
                        form.start();
                        let name = name.clone();
                        spawn_local(async move {
                            let req = AdminUpdateRoomRequest { archived: Some(true), ..Default::default() };
                            match api::chat::admin_update_room(id, &req).await {
                                Ok(_) => {
                                    archiving.set(None);
                                    done.set(Some(i18n::chat_room_archived_done(&name)));
                                    reload();
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    }) />
            }
        })}
    }
}

/// Create a public room, or rename / describe one. The domain's validation runs first, so the
/// Arabic errors appear beside the field before any request (and the server's, if any, too).
#[component]
fn RoomForm(
    room: Option<ChatRoom>,
    on_close: Callback<()>,
    /// Called with the saved room's name.
    on_saved: Callback<String>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let id = room.as_ref().map(|r| r.id);
    let name = RwSignal::new(
        room.as_ref()
            .and_then(|r| r.name.clone())
            .unwrap_or_default(),
    );
    let description = RwSignal::new(
        room.as_ref()
            .and_then(|r| r.description.clone())
            .unwrap_or_default(),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let create = AdminCreateRoomRequest {
            name: name.get_untracked().trim().to_owned(),
            description: Some(description.get_untracked().trim().to_owned()),
        };
        if let Err(fields) = create.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            let result = match id {
                None => api::chat::admin_create_room(&create).await,
                Some(id) => {
                    let patch = AdminUpdateRoomRequest {
                        name: Some(create.name.clone()),
                        description: create.description.clone(),
                        archived: None,
                    };
                    api::chat::admin_update_room(id, &patch).await
                }
            };
            form.pending.set(false);
            match result {
                Ok(r) => {
                    on_saved.run(r.name.unwrap_or_default());
                    on_close.run(());
                }
                Err(err) => form.failed(&err, fmt),
            }
        });
    };
    view! {
        <Modal title=if id.is_some() { i18n::EDIT_CHAT_ROOM } else { i18n::NEW_PUBLIC_ROOM } on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="chat-room-form">
                <Field name="name" label=i18n::CHAT_ROOM_NAME value=name form=form autofocus=true />
                <TextArea name="description" label=i18n::CHAT_ROOM_DESCRIPTION value=description form=form rows=3 />
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=if id.is_some() { i18n::SAVE_CHANGES } else { i18n::CREATE_CHAT_ROOM }
                        pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}
