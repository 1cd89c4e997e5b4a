//! Admin → overview: the numbers from GET /admin/stats as cards, the trust-and-safety counts
//! (live, from `alerts::SafetyLive`) as cards that open their queues, two small inline-SVG charts
//! (sign-ups per day; points minted, burned and moved), the queues with their pending counts,
//! and the CSV exports (fetched with the token, saved through a Blob URL).

use domain::admin::{AdminStats, KindFlow};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::alerts::SafetyLive;
use crate::api::ApiError;
use crate::components::chart::{bars_svg, nice_ceiling as nice};
use crate::components::kit::error_text;
use crate::components::{icons, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

/// Minted, burned and transferred over 30 days as three horizontal bars.
fn flow_svg(values: [i64; 3]) -> String {
    let top = nice(values.iter().copied().max().unwrap_or(0).max(1)) as f64;
    let rows: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let w = (*v as f64 / top * 300.0).max(if *v > 0 { 2.0 } else { 0.0 });
            let class = ["minted", "burned", "moved"][i];
            // Bars grow from the right edge, where an Arabic reader starts.
            format!(r#"<rect class="track" x="0" y="{y}" width="300" height="14" rx="7"/><rect class="bar {class}" x="{:.2}" y="{y}" width="{w:.2}" height="14" rx="7"/>"#, 300.0 - w, y = i * 26)
        })
        .collect();
    format!(r#"<svg viewBox="0 0 300 66" focusable="false">{rows}</svg>"#)
}

#[component]
pub fn OverviewPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    // A queue card opens its section (pushed, so "back" returns here).
    let navigate = leptos_router::hooks::use_navigate();
    let go = Callback::new(move |key: &'static str| {
        navigate(&super::nav::href(key), Default::default())
    });
    let stats = RwSignal::new(None::<Result<AdminStats, ApiError>>);
    spawn_local(async move { stats.set(Some(api::competitions::admin_stats().await)) });
    move || match stats.get() {
        None => view! { <Skeleton lines=6 /> }.into_any(),
        Some(Err(err)) => {
            view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any()
        }
        Some(Ok(s)) => overview(s, go, fmt).into_any(),
    }
}

/// Called from the panel's reactive closure (not a component), so numbers follow the digits.
fn overview(s: AdminStats, go: Callback<&'static str>, fmt: Fmt) -> impl IntoView {
    let card = move |svg: &'static str,
                     tone: &'static str,
                     label: &'static str,
                     value: i64,
                     sub: Option<String>| {
        view! {
            <div class="card kpi">
                <span class=format!("feature-icon {tone}") aria-hidden="true" inner_html=svg></span>
                <div class="kpi-body">
                    <p class="kpi-label">{label}</p>
                    <p class="kpi-value">{fmt.int(value)}</p>
                    {sub.map(|t| view! { <p class="kpi-sub">{t}</p> })}
                </div>
            </div>
        }
    };
    let queue = move |key: &'static str, label: &'static str, hint: &'static str, count: i64| {
        let hot = count > 0;
        view! {
            <button type="button" class="card queue-card" class:hot=hot data-testid=format!("queue-{key}") on:click=move |_| go.run(key)>
                <span class="queue-count">{fmt.int(count)}</span>
                <span class="queue-text"><span class="strong">{label}</span><span class="muted small">{hint}</span></span>
                <span class="chev" aria-hidden="true">"‹"</span>
            </button>
        }
    };
    let days = s.daily_signups.clone();
    let top = nice(days.iter().map(|d| d.count).max().unwrap_or(0).max(1));
    let total_signups: i64 = days.iter().map(|d| d.count).sum();
    let first = days.first().map(|d| d.date);
    let counts: Vec<i64> = days.iter().map(|d| d.count).collect();
    let svg = bars_svg(&counts, &[], top);
    let flows = [s.minted_30d, s.burned_30d, s.transferred_30d];
    let kinds: Vec<KindFlow> = s
        .flows_30d
        .iter()
        .filter(|f| f.credited != 0 || f.debited != 0)
        .cloned()
        .collect();
    let kind_top = kinds
        .iter()
        .map(|f| f.credited.max(f.debited))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let generated = s.generated_at;
    view! {
        <div class="overview">
            <div class="kpi-grid">
                {card(icons::USERS, "tone-violet", i18n::KPI_USERS, s.users_total, Some(i18n::kpi_users_sub(&fmt.int(s.signups_today), &fmt.int(s.users_suspended))))}
                {card(icons::TRENDING, "tone-teal", i18n::KPI_ACTIVE, s.active_today, None)}
                {card(icons::COIN, "tone-gold", i18n::KPI_CIRCULATION, s.points_in_circulation, Some(i18n::POINTS_UNIT.to_owned()))}
                {card(icons::TROPHY, "tone-violet", i18n::KPI_COMPETITIONS, s.competitions_total, None)}
            </div>
            <SafetyCards />
            <div class="queue-grid">
                {queue("redemptions", i18n::QUEUE_REDEMPTIONS, i18n::QUEUE_REDEMPTIONS_HINT, s.pending_redemptions)}
                {queue("purchases", i18n::QUEUE_PURCHASES, i18n::QUEUE_PURCHASES_HINT, s.requested_purchases)}
            </div>
            <div class="chart-grid-2">
                <section class="card" aria-labelledby="signups-title">
                    <div class="card-title">
                        <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::CHART></span>
                        <h2 id="signups-title">{i18n::SIGNUPS_CHART}</h2>
                    </div>
                    <figure class="chart" aria-label=i18n::signups_summary(&fmt.int(total_signups))>
                        <div class="chart-body small">
                            <div class="chart-y" aria-hidden="true">
                                <span>{fmt.int(top)}</span>
                                <span>{fmt.int(top / 2)}</span>
                                <span>{fmt.int(0)}</span>
                            </div>
                            <div class="chart-plot bars" aria-hidden="true"><div class="chart-svg" inner_html=svg></div></div>
                        </div>
                        <div class="chart-x" aria-hidden="true">
                            <span>{move || first.map(|d| fmt.day_month(&d)).unwrap_or_default()}</span>
                            <span>{i18n::TODAY}</span>
                        </div>
                        <figcaption class="muted small">{i18n::signups_summary(&fmt.int(total_signups))}</figcaption>
                    </figure>
                </section>
                <section class="card" aria-labelledby="flows-title">
                    <div class="card-title">
                        <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::COIN></span>
                        <h2 id="flows-title">{i18n::FLOWS_CHART}</h2>
                    </div>
                    <div class="flow-chart">
                        <ul class="flow-legend">
                            <li><span class="dot minted"></span><span>{i18n::MINTED}</span><strong>{fmt.int(flows[0])}</strong></li>
                            <li><span class="dot burned"></span><span>{i18n::BURNED}</span><strong>{fmt.int(flows[1])}</strong></li>
                            <li><span class="dot moved"></span><span>{i18n::MOVED}</span><strong>{fmt.int(flows[2])}</strong></li>
                        </ul>
                        <div class="flow-svg" aria-hidden="true" inner_html=flow_svg(flows)></div>
                    </div>
                    <ul class="kind-flows">
                        {kinds.into_iter().map(|f| {
                            let (c, d) = (f.credited, f.debited);
                            let cw = format!("width:{:.1}%", c as f64 / kind_top * 100.0);
                            let dw = format!("width:{:.1}%", d as f64 / kind_top * 100.0);
                            view! {
                                <li>
                                    <span class="kind-name">{f.kind_label}</span>
                                    <span class="kind-bars" aria-hidden="true"><span class="plus" style=cw></span><span class="minus" style=dw></span></span>
                                    <span class="kind-nums">
                                        {(c > 0).then(|| view! { <span class="success-text">{format!("\u{061C}+{}", fmt.int(c))}</span> })}
                                        {(d > 0).then(|| view! { <span class="danger-text">{fmt.int(-d)}</span> })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </div>
            <Exports />
            <p class="muted small">{i18n::generated_at(&fmt.date_time(&generated))}</p>
        </div>
    }
}

const EXPORTS: &[(&str, &str)] = &[
    ("users", i18n::EXPORT_USERS),
    ("transactions", i18n::EXPORT_TRANSACTIONS),
    ("redemptions", i18n::EXPORT_REDEMPTIONS),
    ("purchases", i18n::EXPORT_PURCHASES),
];

#[component]
fn Exports() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let busy = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="card" aria-labelledby="exports-title">
            <div class="card-title">
                <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::LIST></span>
                <div>
                    <h2 id="exports-title">{i18n::EXPORTS}</h2>
                    <p class="muted small">{i18n::EXPORTS_TEXT}</p>
                </div>
            </div>
            <div class="actions">
                {EXPORTS.iter().map(|(kind, label)| {
                    let kind = *kind;
                    view! {
                        <button type="button" class="btn btn-soft" data-testid=format!("export-{kind}")
                            disabled=move || busy.get().is_some() aria-busy=move || (busy.get() == Some(kind)).to_string()
                            on:click=move |_| {
                                busy.set(Some(kind));
                                error.set(None);
                                spawn_local(async move {
                                    if let Err(err) = api::settings::export_csv(kind).await {
                                        error.set(Some(error_text(&err, fmt)));
                                    }
                                    busy.set(None);
                                });
                            }>
                            {move || if busy.get() == Some(kind) {
                                view! { <span class="spinner" aria-hidden="true"></span> }.into_any()
                            } else {
                                view! { <Icon svg=icons::ARROW_DOWN /> }.into_any()
                            }}
                            <span>{*label}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
            {move || error.get().map(|m| view! { <Notice message=m kind="error" /> })}
        </section>
    }
}

/// Unread alerts, open flags, held transfers and held redemptions; each card opens its queue.
#[component]
fn SafetyCards() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<SafetyLive>();
    let card = move |href: &'static str,
                     testid: &'static str,
                     label: &'static str,
                     hint: &'static str,
                     count: Option<i64>| {
        let hot = count.is_some_and(|n| n > 0);
        view! {
            <a class="card queue-card" class:hot=hot href=href data-testid=testid>
                <span class="queue-count">{count.map_or_else(|| "…".to_owned(), |n| fmt.int(n))}</span>
                <span class="queue-text"><span class="strong">{label}</span><span class="muted small">{hint}</span></span>
                <span class="chev" aria-hidden="true">"‹"</span>
            </a>
        }
    };
    view! {
        <section class="safety-cards" aria-labelledby="safety-title">
            <h2 id="safety-title" class="section-title">
                <Icon svg=icons::SHIELD />
                <span>{i18n::SAFETY_TITLE}</span>
            </h2>
            <div class="safety-grid">
                {move || {
                    let s = live.and_then(|l| l.summary.get());
                    let n = |f: fn(&domain::safety::SafetySummary) -> i64| s.as_ref().map(f);
                    view! {
                        {card("/admin?tab=alerts", "card-alerts", i18n::CARD_UNREAD_ALERTS, i18n::CARD_UNREAD_ALERTS_HINT, n(|s| s.unread_alerts))}
                        {card("/admin?tab=alerts&view=flags", "card-flags", i18n::CARD_OPEN_FLAGS, i18n::CARD_OPEN_FLAGS_HINT, n(|s| s.open_flags))}
                        {card("/admin?tab=held-transfers", "card-held-transfers", i18n::CARD_HELD_TRANSFERS, i18n::CARD_HELD_TRANSFERS_HINT, n(|s| s.held_transfers))}
                        {card("/admin?tab=redemptions&flagged=true", "card-held-redemptions", i18n::CARD_HELD_REDEMPTIONS, i18n::CARD_HELD_REDEMPTIONS_HINT, n(|s| s.held_redemptions))}
                    }
                }}
            </div>
        </section>
    }
}
