//! Administration, one tab per section. A new section is a line in `TABS` (and its icon in
//! `TAB_ICONS`), an arm in `Admin`'s match and its own module.

mod api_key_form;
mod api_key_usage;
mod api_keys;
mod audit;
mod competitions;
mod emails;
mod overview;
mod participants;
mod referrals;
mod rewards;
mod settings;
mod store;
mod user_detail;
mod user_edit;
mod users;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::ApiError;
use crate::components::kit::{error_text, tab_id, Tabs};
use crate::components::{icons, set_title, Notice, Skeleton};
use crate::format::Fmt;
use crate::i18n;

/// (key, label): the key is the `?tab=` value and the tab's id (`tab-{key}`).
const TABS: &[(&str, &str)] = &[
    ("overview", i18n::ADMIN_OVERVIEW),
    ("users", i18n::ADMIN_USERS),
    ("competitions", i18n::ADMIN_COMPETITIONS),
    ("rewards", i18n::ADMIN_REWARDS),
    ("redemptions", i18n::ADMIN_REDEMPTIONS),
    ("packages", i18n::ADMIN_PACKAGES),
    ("purchases", i18n::ADMIN_PURCHASES),
    ("referrals", i18n::ADMIN_REFERRALS),
    ("api-keys", i18n::ADMIN_API_KEYS),
    ("settings", i18n::ADMIN_SETTINGS),
    ("emails", i18n::ADMIN_EMAILS),
    ("audit", i18n::ADMIN_AUDIT),
];
const TAB_ICONS: &[&str] = &[
    icons::CHART,
    icons::USERS,
    icons::TROPHY,
    icons::GIFT,
    icons::CHECK,
    icons::COIN,
    icons::BAG,
    icons::USERS,
    icons::KEY,
    icons::SLIDERS,
    icons::BELL,
    icons::LIST,
];

/// A paged admin table: the label of its scroll region, its test id and classes, its column
/// headings and the line shown when it has no rows.
struct TableSpec {
    label: &'static str,
    testid: &'static str,
    class: &'static str,
    headers: &'static [&'static str],
    empty: &'static str,
}

/// What a table's data shows: a skeleton while it loads, the error, the empty line, or the table
/// with one `row` per item.
fn admin_table<T>(
    state: Option<Result<Vec<T>, ApiError>>,
    fmt: Fmt,
    spec: &'static TableSpec,
    row: impl Fn(T) -> AnyView,
) -> AnyView {
    match state {
        None => view! { <Skeleton lines=5 /> }.into_any(),
        Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
        Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{spec.empty}</p> }.into_any(),
        Some(Ok(items)) => view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=spec.label>
                <table class=spec.class data-testid=spec.testid>
                    <thead><tr>
                        {spec.headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

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
    // `/admin?tab=users`, or a section's own address such as `/admin/referrals`.
    let section = use_params_map().with_untracked(|p| p.get("section"));
    let initial = query
        .with_untracked(|q| q.get("tab"))
        .or(section)
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
    // Waiting redemptions and purchases beside their tabs, re-read whenever the tab changes.
    let counts = RwSignal::new(Vec::<Option<i64>>::new());
    Effect::new(move |_| {
        tab.track();
        leptos::task::spawn_local(async move {
            if let Ok(s) = crate::api::competitions::admin_stats().await {
                let count = |key: &str| match key {
                    "redemptions" => Some(s.pending_redemptions),
                    "purchases" => Some(s.requested_purchases),
                    _ => None,
                };
                counts.set(
                    TABS.iter()
                        .map(|(k, _)| count(k).filter(|n| *n > 0))
                        .collect(),
                );
            }
        });
    });
    // On phones the tab row scrolls: keep the open tab in sight (a link may open the last one).
    Effect::new(move |_| {
        let id = format!("tab-{}", TABS[tab.get()].0);
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id) {
                let opts = js_sys::Object::new();
                for k in ["block", "inline"] {
                    let _ = js_sys::Reflect::set(&opts, &k.into(), &"nearest".into());
                }
                if let Ok(f) = js_sys::Reflect::get(&el, &"scrollIntoView".into()) {
                    let _ = js_sys::Function::from(f).call1(&el, &opts);
                }
            }
        });
    });
    let go = Callback::new(move |key: &'static str| {
        if let Some(i) = TABS.iter().position(|(k, _)| *k == key) {
            tab.set(i);
        }
    });
    view! {
        <div class="page admin">
            <header class="page-head">
                <h1>{i18n::ADMIN_TITLE}</h1>
                <p class="muted">{i18n::ADMIN_SUBTITLE}</p>
            </header>
            <Tabs items=TABS selected=tab label=i18n::ADMIN_TABS prefix="tab" icons=TAB_ICONS counts=Signal::from(counts) />
            <section role="tabpanel" id="tab-panel" aria-labelledby=tab_id(TABS, "tab", tab)>
                {move || match TABS[tab.get()].0 {
                    "overview" => view! { <overview::OverviewPanel go=go /> }.into_any(),
                    "users" => view! { <users::UsersPanel /> }.into_any(),
                    "rewards" => view! { <rewards::RewardsPanel /> }.into_any(),
                    "redemptions" => view! { <rewards::RedemptionsPanel /> }.into_any(),
                    "packages" => view! { <store::PackagesPanel /> }.into_any(),
                    "purchases" => view! { <store::PurchasesPanel /> }.into_any(),
                    "referrals" => view! { <referrals::ReferralsPanel /> }.into_any(),
                    "settings" => view! { <settings::SettingsPanel /> }.into_any(),
                    "api-keys" => view! { <api_keys::ApiKeysPanel /> }.into_any(),
                    "competitions" => view! { <competitions::CompetitionsPanel /> }.into_any(),
                    "emails" => view! { <emails::EmailsPanel /> }.into_any(),
                    _ => view! { <audit::AuditPanel /> }.into_any(),
                }}
            </section>
        </div>
    }
}
