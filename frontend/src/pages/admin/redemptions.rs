//! Admin → redemptions: the queue (filters, row selection with bulk approve/reject, single
//! approve/reject/fulfil with a note). Redemptions a fraud rule flagged carry a visible badge with
//! the rule's reason, and «المعلّمة فقط» (`?flagged=true`, the dashboard card's link) keeps them.

use std::collections::BTreeSet;

use domain::rewards::{
    BulkAction, BulkDecisionRequest, DecisionRequest, Redemption, RedemptionStatus, Reward,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::api::rewards::QueueFilter;
use crate::components::commerce::{find_user, redemption_tag, upsert, ActionDialog};
use crate::components::kit::{self, error_text, load_more, tab_id, Paged, Tabs};
use crate::components::{icons, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::rewards::status_filter;
use crate::{api, i18n};

const QUEUE_TABS: &[(&str, &str)] = &[
    ("pending", i18n::R_PENDING),
    ("approved", i18n::R_APPROVED),
    ("fulfilled", i18n::R_FULFILLED),
    ("rejected", i18n::R_REJECTED),
    ("cancelled", i18n::R_CANCELLED),
    ("all", i18n::FILTER_ALL),
];

/// A decision waiting for its dialog: one id (approve/reject/fulfill) or the selection (bulk).
#[derive(Clone)]
enum Pending {
    One(i64, &'static str),
    Bulk(BulkAction),
}

#[component]
pub fn RedemptionsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let reward_id = RwSignal::new(None::<i64>);
    let user = RwSignal::new(None::<(i64, String)>);
    let user_q = RwSignal::new(String::new());
    let user_err = RwSignal::new(None::<String>);
    let oldest = RwSignal::new(true);
    let flagged = RwSignal::new(
        use_query_map()
            .with_untracked(|q| q.get("flagged"))
            .as_deref()
            == Some("true"),
    );
    let rewards = RwSignal::new(Vec::<Reward>::new());
    spawn_local(async move {
        if let Ok(p) = api::rewards::admin_all().await {
            rewards.set(p.items);
        }
    });
    let paged = Paged::<Redemption>::new();
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let dialog = RwSignal::new(None::<Pending>);
    let summary = RwSignal::new(None::<(String, Vec<String>)>);
    let filter = move || QueueFilter {
        status: status_filter(QUEUE_TABS, tab.get_untracked()),
        reward_id: reward_id.get_untracked(),
        user_id: user.with_untracked(|u| u.as_ref().map(|u| u.0)),
        oldest_first: oldest.get_untracked(),
        flagged: flagged.get_untracked(),
    };
    let fetch = move |cursor: Option<String>| {
        let f = filter();
        async move {
            api::rewards::queue(&f, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    let reload = move || {
        selected.set(BTreeSet::new());
        paged.reload(fetch(None));
    };
    Effect::new(move |_| {
        tab.track();
        reward_id.track();
        user.track();
        oldest.track();
        flagged.track();
        reload();
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let on_user = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = user_q.get_untracked();
        user_err.set(None);
        if name.trim().is_empty() {
            user.set(None);
            return;
        }
        spawn_local(async move {
            match find_user(&name).await {
                Ok(Some(u)) => user.set(Some((u.id, u.username))),
                Ok(None) => user_err.set(Some(i18n::TRANSFER_NO_USER_ANY.to_owned())),
                Err(err) => user_err.set(Some(error_text(&err, fmt))),
            }
        });
    };
    let pending_ids = move || {
        paged.data.with(|d| match d {
            Some(Ok(items)) => items
                .iter()
                .filter(|r| r.status == RedemptionStatus::Pending)
                .map(|r| r.id)
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let all_selected = move || {
        let ids = pending_ids();
        !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let toggle_all = move |_| {
        let ids = pending_ids();
        if all_selected() {
            selected.set(BTreeSet::new());
        } else {
            selected.set(ids.into_iter().collect());
        }
    };
    // A decided redemption keeps its row (with its new status) and the waiting count beside the
    // section moves at once.
    let queues_changed = super::queues_changed();
    let replace = move |r: Redemption| {
        upsert(paged, r, |x| x.id, false);
        queues_changed();
    };

    let row = move |r: Redemption| {
        let (id, cost, at, status) = (r.id, r.cost, r.created_at, r.status);
        let pending = status == RedemptionStatus::Pending;
        view! {
            <tr data-testid="queue-row" data-status=status.as_str()>
                <td>
                    <div class="user-cell">
                        {pending.then(|| view! {
                            <input type="checkbox" class="row-check" aria-label=i18n::SELECT_ROW
                                prop:checked=move || selected.with(|s| s.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                                } />
                        })}
                        <div>
                            <bdi class="strong">{r.display_name.clone()}</bdi>
                            <bdi class="handle" dir="ltr">{format!("@{}", r.username)}</bdi>
                        </div>
                    </div>
                </td>
                <td data-label=i18n::REWARD>
                    <div class="comp-cell">
                        <bdi dir="auto">{r.reward_name.clone()}</bdi>
                        {r.user_note.clone().map(|n| view! { <span class="muted small"><bdi dir="auto">{n}</bdi></span> })}
                        {r.risk_reason.clone().map(|why| view! {
                            <span class="risk-badge" data-testid="risk-badge">
                                <Icon svg=icons::FLAG /><span><span class="strong">{i18n::FLAGGED_BADGE}</span> ": " {why}</span>
                            </span>
                        })}
                    </div>
                </td>
                <td class="num" data-label=i18n::COST>{fmt.int(cost)}</td>
                <td class="nowrap" data-label=i18n::REQUESTED_AT>{fmt.date_time(&at)}</td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <div class="comp-cell">
                        <span class=redemption_tag(status)>{status.label_ar()}</span>
                        {r.admin_note.clone().map(|n| view! { <span class="muted small"><bdi dir="auto">{n}</bdi></span> })}
                    </div>
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    {pending.then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="approve"
                            on:click=move |_| dialog.set(Some(Pending::One(id, "approve")))>
                            <Icon svg=icons::CHECK /><span>{i18n::APPROVE}</span>
                        </button>
                        <button type="button" class="btn btn-outline-danger btn-sm" data-testid="reject"
                            on:click=move |_| dialog.set(Some(Pending::One(id, "reject")))>
                            <Icon svg=icons::CLOSE /><span>{i18n::REJECT}</span>
                        </button>
                    })}
                    {(status == RedemptionStatus::Approved).then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="fulfill"
                            on:click=move |_| dialog.set(Some(Pending::One(id, "fulfill")))>
                            <Icon svg=icons::GIFT /><span>{i18n::FULFIL}</span>
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    view! {
        <div class="card">
            <Tabs items=QUEUE_TABS selected=tab label=i18n::REDEMPTION_FILTERS prefix="qstatus" />
            <div class="filters">
                <div class="field inline-field">
                    <label for="queue-reward">{i18n::REWARD}</label>
                    <div class="control">
                        <select id="queue-reward" on:change=move |ev| reward_id.set(event_target_value(&ev).parse().ok())>
                            <option value="">{i18n::ALL_REWARDS}</option>
                            {move || rewards.get().into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <form class="field inline-field" on:submit=on_user>
                    <label for="queue-user">{i18n::ADMIN_COL_USER}</label>
                    <div class="control with-button">
                        <input id="queue-user" type="search" dir="ltr" placeholder=i18n::USERNAME_FIELD autocomplete="off" bind:value=user_q />
                        <button type="submit" class="btn btn-soft btn-sm">{i18n::FILTER}</button>
                    </div>
                </form>
                <label class="check flag-filter">
                    <input type="checkbox" id="queue-flagged" data-testid="flagged-only"
                        prop:checked=move || flagged.get() on:change=move |ev| flagged.set(event_target_checked(&ev)) />
                    <Icon svg=icons::FLAG />
                    <span>{i18n::FLAGGED_ONLY}</span>
                </label>
                <div class="field inline-field">
                    <label for="queue-sort">{i18n::SORT}</label>
                    <div class="control">
                        <select id="queue-sort" on:change=move |ev| oldest.set(event_target_value(&ev) == "oldest")>
                            <option value="oldest">{i18n::OLDEST_FIRST}</option>
                            <option value="newest">{i18n::NEWEST_FIRST}</option>
                        </select>
                    </div>
                </div>
            </div>
            {move || user_err.get().map(|m| view! { <p class="field-error" role="alert"><Icon svg=icons::ALERT /><span>{m}</span></p> })}
            {move || user.get().map(|(_, name)| view! {
                <p class="active-filter">
                    <span>{i18n::ADMIN_COL_USER} ": " <bdi dir="ltr">{format!("@{name}")}</bdi></span>
                    <button type="button" class="icon-btn" aria-label=i18n::CLEAR_FILTER inner_html=icons::CLOSE
                        on:click=move |_| { user.set(None); user_q.set(String::new()); }></button>
                </p>
            })}
            {move || summary.get().map(|(text, failures)| view! {
                <div class="alert alert-info" role="status" data-testid="bulk-summary">
                    <Icon svg=icons::INFO />
                    <div><p>{text}</p>{failures.into_iter().map(|f| view! { <p class="small">{f}</p> }).collect_view()}</div>
                </div>
            })}
            <Show when=move || selected.with(|s| !s.is_empty())>
                <div class="bulk-bar" role="region" aria-label=i18n::BULK_ACTIONS data-testid="bulk-bar">
                    <span class="strong">{move || i18n::selected_n(&fmt.count(selected.with(BTreeSet::len)))}</span>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="bulk-approve"
                        on:click=move |_| dialog.set(Some(Pending::Bulk(BulkAction::Approve)))>{i18n::APPROVE_SELECTED}</button>
                    <button type="button" class="btn btn-outline-danger btn-sm" data-testid="bulk-reject"
                        on:click=move |_| dialog.set(Some(Pending::Bulk(BulkAction::Reject)))>{i18n::REJECT_SELECTED}</button>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| selected.set(BTreeSet::new())>{i18n::CLEAR_SELECTION}</button>
                </div>
            </Show>
            <div role="tabpanel" id="qstatus-panel" aria-labelledby=tab_id(QUEUE_TABS, "qstatus", tab)>
                {move || match paged.data.get() {
                    None => view! { <Skeleton lines=5 /> }.into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{i18n::QUEUE_EMPTY}</p> }.into_any(),
                    Some(Ok(items)) => {
                        let any_pending = items.iter().any(|r| r.status == RedemptionStatus::Pending);
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::ADMIN_REDEMPTIONS>
                                <table class="table" data-testid="queue-table">
                                    <thead><tr>
                                        <th scope="col">
                                            <div class="user-cell">
                                                {any_pending.then(|| view! {
                                                    <input type="checkbox" class="row-check" aria-label=i18n::SELECT_ALL
                                                        prop:checked=all_selected on:change=toggle_all />
                                                })}
                                                <span>{i18n::ADMIN_COL_USER}</span>
                                            </div>
                                        </th>
                                        <th scope="col">{i18n::REWARD}</th>
                                        <th scope="col">{i18n::COST}</th>
                                        <th scope="col">{i18n::REQUESTED_AT}</th>
                                        <th scope="col">{i18n::ADMIN_COL_STATUS}</th>
                                        <th scope="col">{i18n::ADMIN_COL_ACTIONS}</th>
                                    </tr></thead>
                                    <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                                </table>
                            </div>
                        }
                        .into_any()
                    }
                }}
                {load_more(paged, more)}
            </div>
        </div>
        {move || dialog.get().map(|d| {
            let form = FormState::new();
            let key = RwSignal::new(None::<String>);
            let close = Callback::new(move |_| dialog.set(None));
            let (title, text, submit, class, note_required): (String, &str, &str, &str, bool) = match &d {
                Pending::One(_, "approve") => (i18n::APPROVE_TITLE.into(), i18n::APPROVE_TEXT, i18n::CONFIRM_APPROVE_REDEMPTION, "btn btn-primary", false),
                Pending::One(_, "reject") => (i18n::REJECT_TITLE.into(), i18n::REJECT_TEXT, i18n::CONFIRM_REJECT_REDEMPTION, "btn btn-danger", true),
                Pending::One(..) => (i18n::FULFIL_TITLE.into(), i18n::FULFIL_TEXT, i18n::CONFIRM_FULFIL, "btn btn-primary", false),
                Pending::Bulk(a) => {
                    let n = fmt.count(selected.with_untracked(BTreeSet::len));
                    match a {
                        BulkAction::Approve => (i18n::bulk_approve_title(&n), i18n::APPROVE_TEXT, i18n::CONFIRM_APPROVE_SELECTED, "btn btn-primary", false),
                        BulkAction::Reject => (i18n::bulk_reject_title(&n), i18n::REJECT_TEXT, i18n::CONFIRM_REJECT_SELECTED, "btn btn-danger", true),
                    }
                }
            };
            let label = if note_required { i18n::REJECT_REASON } else { i18n::NOTE_OPTIONAL };
            let submit_note = Callback::new(move |note: String| {
                let note = (!note.is_empty()).then_some(note);
                let d = d.clone();
                match d {
                    Pending::One(id, action) => {
                        let req = DecisionRequest { note };
                        if let Err(f) = req.validate(note_required) {
                            form.invalid(f);
                            return;
                        }
                        form.start();
                        let k = kit::action_key(key);
                        spawn_local(async move {
                            match api::rewards::decide(id, action, &req, &k).await {
                                Ok(r) => {
                                    replace(r);
                                    selected.update(|s| { s.remove(&id); });
                                    dialog.set(None);
                                }
                                Err(err) => {
                                    kit::forget_key_unless_retryable(key, &err);
                                    form.failed(&err, fmt);
                                }
                            }
                            form.pending.set(false);
                        });
                    }
                    Pending::Bulk(action) => {
                        let req = BulkDecisionRequest { ids: selected.get_untracked().into_iter().collect(), action, note };
                        if let Err(mut f) = req.validate() {
                            // The selection is not a field of this dialog; show its message above.
                            if let Some(m) = f.remove("ids") {
                                form.banner.set(Some(m));
                            }
                            if !f.is_empty() {
                                form.invalid(f);
                            }
                            return;
                        }
                        form.start();
                        spawn_local(async move {
                            match api::rewards::bulk(&req).await {
                                Ok(res) => {
                                    let failures = res.results.iter().filter(|r| !r.ok)
                                        .map(|r| format!("#{} — {}", r.id, r.error_message.clone().unwrap_or_default()))
                                        .collect();
                                    summary.set(Some((i18n::bulk_done(&fmt.count(res.succeeded), &fmt.count(res.failed)), failures)));
                                    dialog.set(None);
                                    reload();
                                    queues_changed();
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    }
                }
            });
            view! {
                <ActionDialog title=title text=text field=("note", label, true) submit=submit class=class
                    form=form on_submit=submit_note on_close=close />
            }
        })}
    }
}
