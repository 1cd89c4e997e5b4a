//! Administration, one section per area of the platform. A new section is one entry in
//! `SECTIONS` (its `?tab=` key, label, icon, group and panel) and its own module; the sidebar,
//! the phone picker, the address and the panel all read that table, and a key that is not in it
//! shows a "no such section" notice rather than some other section.

mod alerts;
mod api_key_form;
mod api_key_usage;
mod api_keys;
mod audit;
mod audit_details;
mod chat_rooms;
mod competitions;
mod deep_link;
mod emails;
mod flags;
mod held_transfers;
mod nav;
mod overview;
mod package_warning;
mod participants;
mod questions;
mod redemptions;
mod referrals;
mod review;
mod rewards;
mod settings;
mod store;
mod user_detail;
mod user_edit;
mod user_risk;
mod users;
mod zone;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::ApiError;
use crate::components::kit::error_text;
use crate::components::{icons, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::i18n;

use nav::{Badge, Group, Section};

/// Every section of the administration, in the sidebar's order. `key` is the `?tab=` value
/// (also `/admin/{key}`) and the id of its link (`tab-{key}`). One line per section, so adding
/// one is a one-line change.
#[rustfmt::skip]
const SECTIONS: &[Section] = &[
    Section { key: "overview", label: i18n::ADMIN_OVERVIEW, icon: icons::CHART, group: Group::Overview, badge: Badge::None, panel: || view! { <overview::OverviewPanel /> }.into_any() },
    Section { key: "alerts", label: i18n::ADMIN_ALERTS, icon: icons::BELL, group: Group::Safety, badge: Badge::Alerts, panel: || view! { <alerts::AlertsPanel /> }.into_any() },
    Section { key: "held-transfers", label: i18n::ADMIN_HELD_TRANSFERS, icon: icons::SHIELD, group: Group::Safety, badge: Badge::HeldTransfers, panel: || view! { <held_transfers::HeldTransfersPanel /> }.into_any() },
    Section { key: "users", label: i18n::ADMIN_USERS, icon: icons::USERS, group: Group::Members, badge: Badge::None, panel: || view! { <users::UsersPanel /> }.into_any() },
    Section { key: "referrals", label: i18n::ADMIN_REFERRALS, icon: icons::LINK, group: Group::Members, badge: Badge::None, panel: || view! { <referrals::ReferralsPanel /> }.into_any() },
    Section { key: "chat-rooms", label: i18n::ADMIN_CHAT_ROOMS, icon: crate::pages::chat::ICON_CHAT, group: Group::Members, badge: Badge::None, panel: || view! { <chat_rooms::ChatRoomsPanel /> }.into_any() },
    Section { key: "competitions", label: i18n::ADMIN_COMPETITIONS, icon: icons::TROPHY, group: Group::Competitions, badge: Badge::None, panel: || view! { <competitions::CompetitionsPanel /> }.into_any() },
    Section { key: "rewards", label: i18n::ADMIN_REWARDS, icon: icons::GIFT, group: Group::Store, badge: Badge::None, panel: || view! { <rewards::RewardsPanel /> }.into_any() },
    Section { key: "redemptions", label: i18n::ADMIN_REDEMPTIONS, icon: icons::CHECK, group: Group::Store, badge: Badge::Redemptions, panel: || view! { <redemptions::RedemptionsPanel /> }.into_any() },
    Section { key: "packages", label: i18n::ADMIN_PACKAGES, icon: icons::COIN, group: Group::Store, badge: Badge::None, panel: || view! { <store::PackagesPanel /> }.into_any() },
    Section { key: "purchases", label: i18n::ADMIN_PURCHASES, icon: icons::BAG, group: Group::Store, badge: Badge::Purchases, panel: || view! { <store::PurchasesPanel /> }.into_any() },
    Section { key: "api-keys", label: i18n::ADMIN_API_KEYS, icon: icons::KEY, group: Group::Platform, badge: Badge::None, panel: || view! { <api_keys::ApiKeysPanel /> }.into_any() },
    Section { key: "settings", label: i18n::ADMIN_SETTINGS, icon: icons::SLIDERS, group: Group::Platform, badge: Badge::None, panel: || view! { <settings::SettingsPanel /> }.into_any() },
    Section { key: "emails", label: i18n::ADMIN_EMAILS, icon: icons::SEND, group: Group::Platform, badge: Badge::None, panel: || view! { <emails::EmailsPanel /> }.into_any() },
    Section { key: "audit", label: i18n::ADMIN_AUDIT, icon: icons::LIST, group: Group::Platform, badge: Badge::None, panel: || view! { <audit::AuditPanel /> }.into_any() },
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
    // `/admin?tab=users`, or a section's own address such as `/admin/referrals`; `/admin` alone
    // is the overview.
    let params = use_params_map();
    let current = Memo::new(move |_| {
        query
            .with(|q| q.get("tab"))
            .or_else(|| params.with(|p| p.get("section")))
            .unwrap_or_else(|| SECTIONS[0].key.to_owned())
    });
    // The safety counts, live while the section is open (see `alerts::SafetyLive`).
    let live = alerts::SafetyLive::start();
    provide_context(live);
    // Waiting redemptions and purchases beside their sections: read when the open section
    // changes and whenever a panel says a queue moved (`queues_changed`), so a decision shows in
    // the badges at once.
    let queues = Queues(RwSignal::new(0));
    provide_context(queues);
    let queued = RwSignal::new((0i64, 0i64));
    Effect::new(move |_| {
        current.track();
        queues.0.track();
        leptos::task::spawn_local(async move {
            if let Ok(s) = crate::api::competitions::admin_stats().await {
                let _ = queued.try_set((s.pending_redemptions, s.requested_purchases));
            }
        });
    });
    let count = move |badge: Badge| -> Option<i64> {
        let n = match badge {
            Badge::None => return None,
            Badge::Alerts => live
                .summary
                .with(|s| s.as_ref().map_or(0, |s| s.unread_alerts)),
            Badge::HeldTransfers => live
                .summary
                .with(|s| s.as_ref().map_or(0, |s| s.held_transfers)),
            Badge::Redemptions => queued.get().0,
            Badge::Purchases => queued.get().1,
        };
        (n > 0).then_some(n)
    };
    let unread = move || {
        live.summary
            .with(|s| s.as_ref().map_or(0, |s| s.unread_alerts))
    };
    let section = move || SECTIONS.iter().find(|s| current.with(|c| c == s.key));
    view! {
        <div class="page admin">
            <header class="page-head">
                <div class="admin-title">
                    <h1>{i18n::ADMIN_TITLE}</h1>
                    // The unread badge: polled, so it moves while the admin looks at any section.
                    <a href="/admin?tab=alerts" class="alerts-badge" class:has-unread=move || { unread() > 0 }
                        data-testid="alerts-badge" aria-label=move || i18n::unread_alerts_label(&fmt.int(unread()))>
                        <Icon svg=icons::BELL />
                        <span aria-hidden="true">{i18n::ADMIN_ALERTS}</span>
                        <span class="alerts-count" aria-hidden="true" data-testid="alerts-count">{move || fmt.int(unread())}</span>
                    </a>
                </div>
                <p class="muted">{i18n::ADMIN_SUBTITLE}</p>
            </header>
            <div class="admin-layout">
                <nav::SectionNav sections=SECTIONS current=current count=count />
                <section id="admin-panel" class="admin-panel" aria-labelledby="admin-section-title"
                    data-section=move || current.get()>
                    {move || match section() {
                        Some(s) => view! {
                            <h2 id="admin-section-title" class="admin-section-title">
                                <Icon svg=s.icon />{s.label}
                            </h2>
                            {(s.panel)()}
                        }
                        .into_any(),
                        None => view! {
                            <h2 id="admin-section-title" class="admin-section-title">{i18n::CONSOLE_NO_SECTION_TITLE}</h2>
                            <div data-testid="admin-no-section">
                                <Notice message=i18n::CONSOLE_NO_SECTION.to_owned() kind="error" />
                            </div>
                            <p><a href="/admin?tab=overview">{i18n::CONSOLE_BACK_TO_OVERVIEW}</a></p>
                        }
                        .into_any(),
                    }}
                </section>
            </div>
        </div>
    }
}

/// Bumped by a panel after a decision that moves a queue (a redemption approved, a purchase
/// marked paid), so the sidebar's counts are read again.
#[derive(Clone, Copy)]
struct Queues(RwSignal<u32>);

/// Call while the panel is being built; the returned closure may run later (after an answer).
fn queues_changed() -> impl Fn() + Copy + 'static {
    let queues = use_context::<Queues>();
    let live = use_context::<alerts::SafetyLive>();
    move || {
        if let Some(q) = queues {
            let _ = q.0.try_update(|n| *n = n.wrapping_add(1));
        }
        if let Some(l) = live {
            l.refresh();
        }
    }
}
