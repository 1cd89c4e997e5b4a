//! Administration, one tab per section. A new section is a line in `TABS` (and its icon in
//! `TAB_ICONS`), an arm in `Admin`'s match and its own module.

mod alerts;
mod api_key_form;
mod api_key_usage;
mod api_keys;
mod audit;
mod chat_rooms;
mod competitions;
mod emails;
mod flags;
mod held_transfers;
mod overview;
mod participants;
mod questions;
mod referrals;
mod review;
mod rewards;
mod settings;
mod store;
mod user_detail;
mod user_edit;
mod user_risk;
mod users;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::ApiError;
use crate::components::kit::{error_text, tab_id, Tabs};
use crate::components::{icons, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::i18n;

/// (key, label): the key is the `?tab=` value and the tab's id (`tab-{key}`).
const TABS: &[(&str, &str)] = &[
    ("overview", i18n::ADMIN_OVERVIEW),
    ("alerts", i18n::ADMIN_ALERTS),
    ("held-transfers", i18n::ADMIN_HELD_TRANSFERS),
    ("users", i18n::ADMIN_USERS),
    ("competitions", i18n::ADMIN_COMPETITIONS),
    ("rewards", i18n::ADMIN_REWARDS),
    ("redemptions", i18n::ADMIN_REDEMPTIONS),
    ("packages", i18n::ADMIN_PACKAGES),
    ("purchases", i18n::ADMIN_PURCHASES),
    ("referrals", i18n::ADMIN_REFERRALS),
    ("chat-rooms", i18n::ADMIN_CHAT_ROOMS),
    ("api-keys", i18n::ADMIN_API_KEYS),
    ("settings", i18n::ADMIN_SETTINGS),
    ("emails", i18n::ADMIN_EMAILS),
    ("audit", i18n::ADMIN_AUDIT),
];
const TAB_ICONS: &[&str] = &[
    icons::CHART,
    icons::BELL,
    icons::SHIELD,
    icons::USERS,
    icons::TROPHY,
    icons::GIFT,
    icons::CHECK,
    icons::COIN,
    icons::BAG,
    icons::USERS,
    crate::pages::chat::ICON_CHAT,
    icons::KEY,
    icons::SLIDERS,
    icons::SEND,
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
    let fmt = expect_context::<Fmt>();
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
    // A link inside the section (an alert's subject, a dashboard card) changes `?tab=`: follow it.
    Effect::new(move |_| {
        let wanted = query
            .with(|q| q.get("tab"))
            .and_then(|key| TABS.iter().position(|(k, _)| *k == key));
        if let Some(i) = wanted {
            if tab.get_untracked() != i {
                tab.set(i);
            }
        }
    });
    // The open section is part of the address, so a reload or a shared link lands on it. A tab
    // opened by a link already has its address (with its own parameters, such as `&user=`).
    Effect::new(move |prev: Option<usize>| {
        let i = tab.get();
        let key = TABS[i].0;
        let shown = query.with_untracked(|q| q.get("tab"));
        if prev.is_some_and(|p| p != i) && shown.as_deref() != Some(key) {
            navigate(
                &format!("/admin?tab={key}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        i
    });
    // The safety counts, live while the section is open (see `alerts::SafetyLive`).
    let live = alerts::SafetyLive::start();
    provide_context(live);
    // Waiting redemptions and purchases beside their tabs, re-read whenever the tab changes.
    let queued = RwSignal::new((0i64, 0i64));
    Effect::new(move |_| {
        tab.track();
        leptos::task::spawn_local(async move {
            if let Ok(s) = crate::api::competitions::admin_stats().await {
                let _ = queued.try_set((s.pending_redemptions, s.requested_purchases));
            }
        });
    });
    let counts = Memo::new(move |_| {
        let (redemptions, purchases) = queued.get();
        let safety = live.summary.get().unwrap_or_default();
        TABS.iter()
            .map(|(k, _)| match *k {
                "alerts" => Some(safety.unread_alerts),
                "held-transfers" => Some(safety.held_transfers),
                "redemptions" => Some(redemptions),
                "purchases" => Some(purchases),
                _ => None,
            })
            .map(|n| n.filter(|n| *n > 0))
            .collect::<Vec<_>>()
    });
    let unread = move || {
        live.summary
            .with(|s| s.as_ref().map_or(0, |s| s.unread_alerts))
    };
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
                <div class="admin-title">
                    <h1>{i18n::ADMIN_TITLE}</h1>
                    // The unread badge: polled, so it moves while the admin looks at any tab.
                    <a href="/admin?tab=alerts" class="alerts-badge" class:has-unread=move || { unread() > 0 }
                        data-testid="alerts-badge" aria-label=move || i18n::unread_alerts_label(&fmt.int(unread()))>
                        <Icon svg=icons::BELL />
                        <span aria-hidden="true">{i18n::ADMIN_ALERTS}</span>
                        <span class="alerts-count" aria-hidden="true" data-testid="alerts-count">{move || fmt.int(unread())}</span>
                    </a>
                </div>
                <p class="muted">{i18n::ADMIN_SUBTITLE}</p>
            </header>
            <Tabs items=TABS selected=tab label=i18n::ADMIN_TABS prefix="tab" icons=TAB_ICONS counts=Signal::derive(move || counts.get()) />
            <section role="tabpanel" id="tab-panel" aria-labelledby=tab_id(TABS, "tab", tab)>
                {move || match TABS[tab.get()].0 {
                    "overview" => view! { <overview::OverviewPanel go=go /> }.into_any(),
                    "alerts" => view! { <alerts::AlertsPanel /> }.into_any(),
                    "held-transfers" => view! { <held_transfers::HeldTransfersPanel /> }.into_any(),
                    "users" => view! { <users::UsersPanel /> }.into_any(),
                    "rewards" => view! { <rewards::RewardsPanel /> }.into_any(),
                    "redemptions" => view! { <rewards::RedemptionsPanel /> }.into_any(),
                    "packages" => view! { <store::PackagesPanel /> }.into_any(),
                    "purchases" => view! { <store::PurchasesPanel /> }.into_any(),
                    "referrals" => view! { <referrals::ReferralsPanel /> }.into_any(),
                    "chat-rooms" => view! { <chat_rooms::ChatRoomsPanel /> }.into_any(),
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
