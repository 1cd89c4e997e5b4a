//! A key's usage (totals, the calls-and-errors chart, the latest calls) and the refused key
//! attempts, for the «مفاتيح API» tab.

use domain::api_keys::{ApiKeyUsage, FailedAuthEntry, FailedAuthReason, UsageBucket};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::{admin_table, TableSpec};
use crate::components::chart::{bars_svg, nice_ceiling};
use crate::components::kit::{load_more, Paged};
use crate::format::Fmt;
use crate::{api, i18n};

const FAILED_TABLE: TableSpec = TableSpec {
    label: i18n::FAILED_ATTEMPTS,
    testid: "failed-table",
    class: "table",
    headers: &[
        i18n::COL_TIME,
        i18n::COL_IP,
        i18n::COL_PREFIX,
        i18n::FILTER_REASON,
        i18n::COL_REQUEST,
    ],
    empty: i18n::NO_FAILED,
};

/// Totals, the chart (calls as bars, errors over them) and the latest calls. Called from a
/// reactive closure, so the numbers follow the digits setting.
pub fn usage_view(u: ApiKeyUsage, fmt: Fmt) -> impl IntoView {
    let calls: Vec<i64> = u.series.iter().map(|p| p.calls).collect();
    let errors: Vec<i64> = u.series.iter().map(|p| p.errors).collect();
    // An even top, so the middle line is a whole number (5 → 6).
    let top = nice_ceiling(calls.iter().copied().max().unwrap_or(0).max(1));
    let top = top + top % 2;
    let svg = bars_svg(&calls, &errors, top);
    let first = u.series.first().map(|p| match u.bucket {
        UsageBucket::Hour => fmt.stamp(&p.start, false),
        UsageBucket::Day => fmt.day_month(&p.start.date_naive()),
    });
    let percent = (u.total_errors * 100 + u.total_calls / 2) / u.total_calls.max(1);
    let summary = i18n::usage_summary(&fmt.int(u.total_calls), &fmt.int(u.total_errors));
    let call_row = move |c: domain::api_keys::UsageCall| {
        let failed = c.status >= 400;
        view! {
            <tr data-testid="call-row">
                <td class="nowrap">{fmt.stamp(&c.created_at, true)}</td>
                <td data-label=i18n::COL_METHOD><code dir="ltr">{c.method}</code></td>
                <td data-label=i18n::COL_ROUTE><code dir="ltr" class="route">{c.route}</code></td>
                <td data-label=i18n::COL_HTTP_STATUS>
                    <span class=if failed { "tag tag-red" } else { "tag tag-green" }>{fmt.text(&c.status.to_string())}</span>
                </td>
                <td class="nowrap" data-label=i18n::COL_LATENCY>{i18n::millis(&fmt.int(i64::from(c.latency_ms)))}</td>
                <td data-label=i18n::COL_IP><bdi dir="ltr">{c.ip.unwrap_or_else(|| "—".to_owned())}</bdi></td>
            </tr>
        }
    };
    view! {
        <dl class="usage-totals">
            <div class="usage-total"><dt>{i18n::CALLS}</dt><dd data-testid="usage-calls">{fmt.int(u.total_calls)}</dd></div>
            <div class="usage-total errors"><dt>{i18n::ERRORS}</dt><dd data-testid="usage-errors">{fmt.int(u.total_errors)}</dd></div>
            <div class="usage-total"><dt>{i18n::ERROR_RATE}</dt><dd>{format!("{}٪", fmt.int(percent))}</dd></div>
        </dl>
        <figure class="chart" aria-label=summary>
            <div class="chart-body small">
                <div class="chart-y" aria-hidden="true">
                    <span>{fmt.int(top)}</span>
                    <span>{fmt.int(top / 2)}</span>
                    <span>{fmt.int(0)}</span>
                </div>
                <div class="chart-plot bars" aria-hidden="true"><div class="chart-svg" inner_html=svg></div></div>
            </div>
            <div class="chart-x" aria-hidden="true">
                <span>{first}</span>
                <span>{i18n::NOW}</span>
            </div>
            <figcaption class="chart-legend">
                <span><span class="dot calls" aria-hidden="true"></span>{i18n::CALLS}</span>
                <span><span class="dot errors" aria-hidden="true"></span>{i18n::ERRORS}</span>
            </figcaption>
        </figure>
        <p class="muted small">{i18n::USAGE_LAG}</p>
        <h3 class="section-title">{i18n::RECENT_CALLS}</h3>
        {if u.recent.is_empty() {
            view! { <p class="empty-line">{i18n::NO_CALLS}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::RECENT_CALLS>
                    <table class="table" data-testid="calls-table">
                        <thead><tr>
                            <th scope="col">{i18n::COL_TIME}</th>
                            <th scope="col">{i18n::COL_METHOD}</th>
                            <th scope="col">{i18n::COL_ROUTE}</th>
                            <th scope="col">{i18n::COL_HTTP_STATUS}</th>
                            <th scope="col">{i18n::COL_LATENCY}</th>
                            <th scope="col">{i18n::COL_IP}</th>
                        </tr></thead>
                        <tbody>{u.recent.into_iter().map(call_row).collect_view()}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// Refused key attempts, newest first, filtered by address (on submit) and reason.
#[component]
pub fn FailedList() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let ip = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let paged = Paged::<FailedAuthEntry>::new();
    let fetch = move |cursor: Option<String>| {
        let (ip, reason) = (ip.get_untracked(), reason.get_untracked());
        async move {
            api::api_keys::failed(&ip, &reason, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        reason.track();
        paged.reload(fetch(None));
    });
    let on_ip = move |ev: SubmitEvent| {
        ev.prevent_default();
        paged.reload(fetch(None));
    };
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let row = move |e: FailedAuthEntry| {
        view! {
            <tr data-testid="failed-row" data-reason=e.reason.clone()>
                <td class="nowrap">{fmt.stamp(&e.created_at, true)}</td>
                <td data-label=i18n::COL_IP><bdi dir="ltr">{e.ip}</bdi></td>
                <td data-label=i18n::COL_PREFIX>
                    {match e.key_prefix {
                        Some(p) => view! { <code class="key-prefix" dir="ltr">{p}</code> }.into_any(),
                        None => view! { <span class="muted">{i18n::UNREADABLE}</span> }.into_any(),
                    }}
                </td>
                <td data-label=i18n::FILTER_REASON><span class="tag tag-red">{e.reason_label}</span></td>
                <td data-label=i18n::COL_REQUEST><code dir="ltr" class="route">{format!("{} {}", e.method, e.path)}</code></td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <p class="muted small intro">{i18n::FAILED_INTRO}</p>
            <div class="filters">
                <form class="field inline-field" role="search" on:submit=on_ip>
                    <label for="failed-ip">{i18n::FILTER_IP}</label>
                    <div class="control with-button">
                        <input id="failed-ip" type="search" dir="ltr" autocomplete="off" maxlength="64" bind:value=ip />
                        <button type="submit" class="btn btn-soft btn-sm">{i18n::FILTER}</button>
                    </div>
                </form>
                <div class="field inline-field">
                    <label for="failed-reason">{i18n::FILTER_REASON}</label>
                    <div class="control">
                        <select id="failed-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{i18n::ALL_REASONS}</option>
                            {FailedAuthReason::ALL.map(|r| view! { <option value=r.as_str()>{r.label_ar()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
            </div>
            {move || admin_table(paged.data.get(), fmt, &FAILED_TABLE, move |item| row(item).into_any())}
            {load_more(paged, more)}
        </div>
    }
}
