//! The administration's navigation: a sidebar grouped by area on wide screens, a compact
//! section picker on phones. Both are ordinary navigation (links to `?tab=KEY`, a `<nav>` with
//! `aria-current`), not a tab list: each section has its own address, so the browser's back
//! button, a reload and a shared link all work, and Tab/Enter is all the keyboard needs.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::Icon;
use crate::format::Fmt;
use crate::i18n;

/// The areas the sidebar groups sections under, in order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Overview,
    Safety,
    Members,
    Competitions,
    Store,
    Platform,
}

const GROUPS: [Group; 6] = [
    Group::Overview,
    Group::Safety,
    Group::Members,
    Group::Competitions,
    Group::Store,
    Group::Platform,
];

impl Group {
    fn label(self) -> &'static str {
        match self {
            Group::Overview => i18n::CONSOLE_GROUP_OVERVIEW,
            Group::Safety => i18n::CONSOLE_GROUP_SAFETY,
            Group::Members => i18n::CONSOLE_GROUP_MEMBERS,
            Group::Competitions => i18n::CONSOLE_GROUP_COMPETITIONS,
            Group::Store => i18n::CONSOLE_GROUP_STORE,
            Group::Platform => i18n::CONSOLE_GROUP_PLATFORM,
        }
    }
}

/// The waiting count shown beside a section, if it has one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    None,
    Alerts,
    HeldTransfers,
    Redemptions,
    Purchases,
}

/// One section of the administration.
pub struct Section {
    /// The `?tab=` value, `/admin/{key}`, and the link's id `tab-{key}`.
    pub key: &'static str,
    pub label: &'static str,
    pub icon: &'static str,
    pub group: Group,
    pub badge: Badge,
    /// Builds the section's panel.
    pub panel: fn() -> AnyView,
}

pub fn href(key: &str) -> String {
    format!("/admin?tab={key}")
}

#[component]
pub fn SectionNav(
    sections: &'static [Section],
    current: Memo<String>,
    count: impl Fn(Badge) -> Option<i64> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let is_current = move |key: &'static str| current.with(|c| c == key);
    let groups = GROUPS
        .into_iter()
        .filter(|g| sections.iter().any(|s| s.group == *g))
        .collect::<Vec<_>>();
    let sidebar = groups
        .iter()
        .map(|g| {
            let heading = format!("admin-nav-{}", *g as u8);
            let links = sections
                .iter()
                .filter(|s| s.group == *g)
                .map(|s| {
                    let key = s.key;
                    let badge = s.badge;
                    view! {
                        <li>
                            <a id=format!("tab-{key}") class="admin-nav-link" href=href(key)
                                aria-current=move || is_current(key).then_some("page")>
                                <Icon svg=s.icon />
                                <span class="admin-nav-label">{s.label}</span>
                                {move || count(badge).map(|n| view! {
                                    <span class="tab-count">
                                        {fmt.int(n)}
                                        <span class="sr-only">{i18n::CONSOLE_WAITING}</span>
                                    </span>
                                })}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="admin-nav-group">
                    <h2 class="admin-nav-heading" id=heading.clone()>{g.label()}</h2>
                    <ul aria-labelledby=heading>{links}</ul>
                </li>
            }
        })
        .collect_view();
    // Phones: one select, grouped the same way, that opens the chosen section.
    let navigate = use_navigate();
    let on_pick = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        if sections.iter().any(|s| s.key == key) {
            navigate(&href(&key), Default::default());
        }
    };
    let options = groups
        .iter()
        .map(|g| {
            let opts = sections
                .iter()
                .filter(|s| s.group == *g)
                .map(|s| {
                    let (key, label, badge) = (s.key, s.label, s.badge);
                    view! {
                        <option value=key selected=move || is_current(key)>
                            {move || match count(badge) {
                                Some(n) => i18n::console_option_count(label, &fmt.int(n)),
                                None => label.to_owned(),
                            }}
                        </option>
                    }
                })
                .collect_view();
            view! { <optgroup label=g.label()>{opts}</optgroup> }
        })
        .collect_view();
    view! {
        <nav class="admin-nav" aria-label=i18n::ADMIN_TABS>
            <div class="admin-nav-picker field">
                <label for="admin-section-select">{i18n::CONSOLE_SECTION}</label>
                <select id="admin-section-select" class="input" on:change=on_pick
                    prop:value=move || current.get()>
                    {options}
                </select>
            </div>
            <ul class="admin-nav-list">{sidebar}</ul>
        </nav>
    }
}
