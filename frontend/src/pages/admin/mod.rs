//! Administration, one tab per section. A new section is a line in `TABS` (and its icon in
//! `TAB_ICONS`), an arm in `Admin`'s match and its own module.

mod audit;
mod competitions;
mod users;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::kit::{tab_id, Tabs};
use crate::components::{icons, set_title};
use crate::i18n;

/// (key, label): the key is the `?tab=` value and the tab's id (`tab-{key}`).
const TABS: &[(&str, &str)] = &[
    ("users", i18n::ADMIN_USERS),
    ("competitions", i18n::ADMIN_COMPETITIONS),
    ("audit", i18n::ADMIN_AUDIT),
];
const TAB_ICONS: &[&str] = &[icons::USERS, icons::TROPHY, icons::LIST];

/// A list that grows page by page.
#[derive(Clone)]
struct Paged<T> {
    items: Vec<T>,
    next: Option<String>,
}

#[component]
pub fn Admin() -> impl IntoView {
    set_title(i18n::ADMIN_TITLE);
    let query = use_query_map();
    let navigate = use_navigate();
    let initial = query
        .with_untracked(|q| q.get("tab"))
        .and_then(|key| TABS.iter().position(|(k, _)| *k == key))
        .unwrap_or(0);
    let tab = RwSignal::new(initial);
    // The open section is part of the address, so a reload or a shared link lands on it.
    Effect::new(move |prev: Option<usize>| {
        let i = tab.get();
        if prev.is_some_and(|p| p != i) {
            navigate(
                &format!("/admin?tab={}", TABS[i].0),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        i
    });
    view! {
        <div class="page admin">
            <header class="page-head">
                <h1>{i18n::ADMIN_TITLE}</h1>
                <p class="muted">{i18n::ADMIN_SUBTITLE}</p>
            </header>
            <Tabs items=TABS selected=tab label=i18n::ADMIN_TABS prefix="tab" icons=TAB_ICONS />
            <section role="tabpanel" id="tab-panel" aria-labelledby=tab_id(TABS, "tab", tab)>
                {move || match TABS[tab.get()].0 {
                    "users" => view! { <users::UsersPanel /> }.into_any(),
                    "competitions" => view! { <competitions::CompetitionsPanel /> }.into_any(),
                    _ => view! { <audit::AuditPanel /> }.into_any(),
                }}
            </section>
        </div>
    }
}
