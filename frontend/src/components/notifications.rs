//! The bell in the header: the unread count (polled every 30 s while the tab is visible, and when
//! the window regains focus) and a panel with the newest notifications.

use std::time::Duration;

use domain::notifications::Notification;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::kit::{digits_in_prose, error_text};
use super::{icons, Notice, Skeleton};
use crate::api::ApiError;
use crate::format::Fmt;
use crate::{api, i18n};

const POLL: Duration = Duration::from_secs(30);
const SHOWN: u32 = 15;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let unread = RwSignal::new(0u64);
    // The first count only tells what was already there: the page loading has just read the
    // account (refreshing it again here fetched /me twice on every load).
    let counted = RwSignal::new(false);
    let open = RwSignal::new(false);
    let list = RwSignal::new(None::<Result<Vec<Notification>, ApiError>>);
    let busy = RwSignal::new(false);

    // A new notification usually means points moved: refresh the balance in the header too.
    // Also called when an answer arrives after the bell is gone (signed out meanwhile).
    let set_unread = move |n: u64| {
        let Some(before) = unread.try_get_untracked() else {
            return;
        };
        if n > before && counted.get_untracked() {
            spawn_local(async {
                let _ = api::me::me().await;
            });
        }
        counted.set(true);
        unread.set(n);
    };
    let poll = move || {
        spawn_local(async move {
            if let Ok(page) = api::notifications::list(true, 1).await {
                set_unread(page.unread);
            }
        })
    };
    poll();
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !document().hidden() {
                poll();
            }
        },
        POLL,
    ) {
        on_cleanup(move || handle.clear());
    }
    let focus = window_event_listener(leptos::ev::focus, move |_| poll());
    on_cleanup(move || focus.remove());

    let load = move || {
        spawn_local(async move {
            let result = api::notifications::list(false, SHOWN).await;
            if let Ok(page) = &result {
                set_unread(page.unread);
            }
            list.set(Some(result.map(|p| p.items)));
        })
    };
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        if now_open {
            load();
        }
    };
    let close = move || {
        open.set(false);
        if let Ok(Some(el)) = document().query_selector(".bell-button") {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            close();
        }
    };
    let mark = move |id: i64| {
        spawn_local(async move {
            if api::notifications::mark_read(id).await.is_ok() {
                list.update(|l| {
                    if let Some(Ok(items)) = l {
                        if let Some(n) =
                            items.iter_mut().find(|n| n.id == id && n.read_at.is_none())
                        {
                            n.read_at = Some(crate::components::kit::now_utc());
                            unread.update(|u| *u = u.saturating_sub(1));
                        }
                    }
                });
            }
        })
    };
    let mark_all = move |_| {
        busy.set(true);
        spawn_local(async move {
            if api::notifications::mark_all_read().await.is_ok() {
                unread.set(0);
                list.update(|l| {
                    if let Some(Ok(items)) = l {
                        let now = crate::components::kit::now_utc();
                        for n in items.iter_mut().filter(|n| n.read_at.is_none()) {
                            n.read_at = Some(now);
                        }
                    }
                });
            }
            busy.set(false);
        })
    };

    let item = move |n: Notification| {
        let id = n.id;
        let is_unread = n.read_at.is_none();
        let at = n.created_at;
        let body = n.body.clone();
        view! {
            <li class="notif" class:unread=is_unread data-testid="notification">
                <span class="notif-dot" aria-hidden="true"></span>
                <div class="notif-body">
                    <p class="notif-title">
                        {is_unread.then(|| view! { <span class="sr-only">{i18n::NOTIF_UNREAD} ": "</span> })}
                        <bdi>{n.title.clone()}</bdi>
                    </p>
                    <p class="notif-text"><bdi>{digits_in_prose(fmt, &body)}</bdi></p>
                    <time class="notif-time" datetime=at.to_rfc3339()>{fmt.relative(&at)}</time>
                </div>
                {is_unread.then(|| view! {
                    <button
                        type="button"
                        class="icon-btn notif-read"
                        title=i18n::NOTIF_MARK_READ
                        aria-label=i18n::NOTIF_MARK_READ
                        on:click=move |_| mark(id)
                        inner_html=icons::CHECK
                    ></button>
                })}
            </li>
        }
    };

    view! {
        <div class="bell" on:keydown=on_key>
            <button
                type="button"
                class="bell-button"
                aria-expanded=move || open.get().to_string()
                aria-controls=move || open.get().then_some("notif-panel")
                data-testid="bell"
                aria-label=move || {
                    match unread.get() {
                        0 => i18n::NOTIFICATIONS.to_owned(),
                        n => i18n::notifications_unread(&fmt.int(n as i64)),
                    }
                }
                on:click=toggle
            >
                <span class="icon" aria-hidden="true" inner_html=icons::BELL></span>
                {move || (unread.get() > 0).then(|| view! {
                    <span class="bell-count" aria-hidden="true" data-testid="bell-count">
                        {fmt.int(unread.get().min(99) as i64)}
                    </span>
                })}
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| close()></div>
                <section class="menu notif-panel" id="notif-panel" aria-labelledby="notif-title">
                    <header class="notif-head">
                        <h2 id="notif-title">{i18n::NOTIFICATIONS}</h2>
                        <button
                            type="button"
                            class="btn btn-ghost btn-sm"
                            data-testid="mark-all-read"
                            disabled=move || busy.get() || unread.get() == 0
                            on:click=mark_all
                        >
                            {i18n::NOTIF_MARK_ALL}
                        </button>
                    </header>
                    {move || match list.get() {
                        None => view! { <Skeleton lines=3 /> }.into_any(),
                        Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                        Some(Ok(items)) if items.is_empty() => view! {
                            <p class="empty-line">{i18n::NOTIF_EMPTY}</p>
                        }
                        .into_any(),
                        Some(Ok(items)) => view! {
                            <ul class="notif-list">{items.into_iter().map(item).collect_view()}</ul>
                        }
                        .into_any(),
                    }}
                </section>
            </Show>
        </div>
    }
}
