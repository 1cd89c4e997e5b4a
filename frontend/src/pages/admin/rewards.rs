//! Admin → rewards (the table, the create/edit form checked with the `domain` rules, retiring)
//! and the redemption queue (filters, row selection with bulk approve/reject, single
//! approve/reject/fulfil with a note). Redemptions a fraud rule flagged carry a visible badge with
//! the rule's reason, and «المعلّمة فقط» (`?flagged=true`, the dashboard card's link) keeps them.

use std::collections::BTreeSet;

use domain::rewards::{
    BulkAction, BulkDecisionRequest, DecisionRequest, Redemption, RedemptionStatus, Reward,
    RewardRequest, RewardState, UpdateRewardRequest,
};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::{admin_table, TableSpec};
use crate::api::rewards::QueueFilter;
use crate::components::commerce::{find_user, redemption_tag, reward_visual, upsert, ActionDialog};
use crate::components::kit::{
    self, error_text, from_local_input, load_more, tab_id, to_local_input, Modal, Paged, Tabs,
    TextArea,
};
use crate::components::{
    icons, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::pages::rewards::status_filter;
use crate::{api, i18n};

const STATES: &[(&str, &str)] = &[
    ("all", i18n::FILTER_ALL),
    ("active", i18n::REWARDS_ACTIVE),
    ("inactive", i18n::REWARDS_INACTIVE),
    ("retired", i18n::REWARDS_RETIRED),
];

fn state_tag(s: RewardState) -> &'static str {
    match s {
        RewardState::Available => "tag tag-green",
        RewardState::OutOfStock | RewardState::Expired => "tag tag-red",
        RewardState::Scheduled => "tag tag-violet",
        RewardState::Inactive | RewardState::Retired => "tag",
    }
}

/// The search box every admin table uses.
pub fn search_box(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    on_search: impl Fn() + 'static,
) -> impl IntoView {
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_search();
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for=id class="sr-only">{label}</label>
            <div class="search-box">
                <Icon svg=icons::SEARCH />
                <input id=id type="search" dir="auto" placeholder=label autocomplete="off" maxlength="100" bind:value=value />
            </div>
            <button type="submit" class="btn btn-soft">{i18n::ADMIN_SEARCH}</button>
        </form>
    }
}

const REWARDS_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_REWARDS,
    testid: "rewards-table",
    class: "table",
    headers: &[
        i18n::REWARD,
        i18n::COST,
        i18n::STOCK,
        i18n::PER_USER,
        i18n::ADMIN_COL_STATUS,
        i18n::REQUESTS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::ADMIN_NO_REWARDS,
};

#[component]
pub fn RewardsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let q = RwSignal::new(String::new());
    let paged = Paged::<Reward>::new();
    // `Some(None)`: the form for a new reward.
    let editing = RwSignal::new(None::<Option<Reward>>);
    let retiring = RwSignal::new(None::<Reward>);
    // `&reward=ID` opens that reward's form (reload, shared link, an audit entry's target).
    let link = super::deep_link::DeepLink::new("rewards", "reward");
    let missing = RwSignal::new(None::<String>);
    Effect::new(move |_| match link.id() {
        None => {
            missing.set(None);
            if editing.with_untracked(|e| matches!(e, Some(Some(_)))) {
                editing.set(None);
            }
        }
        Some(id)
            if editing.with_untracked(|e| e.as_ref().and_then(|r| r.as_ref().map(|r| r.id)))
                == Some(id) => {}
        Some(id) => spawn_local(async move {
            match api::rewards::admin_get(id).await {
                Ok(r) if link.id_untracked() == Some(id) => editing.set(Some(Some(r))),
                Ok(_) => {}
                Err(err) => missing.set(Some(error_text(&err, fmt))),
            }
        }),
    });
    let close_form = Callback::new(move |_| {
        editing.set(None);
        link.close();
    });
    let fetch = move |cursor: Option<String>| {
        let (s, text) = (
            status_filter(STATES, tab.get_untracked()),
            q.get_untracked(),
        );
        async move {
            api::rewards::admin_list(&text, s, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    let reload = move || paged.reload(fetch(None));
    Effect::new(move |_| {
        tab.track();
        reload();
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // A saved reward replaces its row, a new one goes on top.
    let saved = Callback::new(move |r: Reward| upsert(paged, r, |x| x.id, true));
    let row = move |r: Reward| {
        let (cost, stock, limit, pending, approved) = (
            r.cost,
            r.stock,
            r.per_user_limit,
            r.pending_count,
            r.approved_count,
        );
        let retired = r.retired_at.is_some();
        let (for_edit, for_retire) = (r.clone(), r.clone());
        view! {
            <tr data-testid="admin-reward-row">
                <td>
                    <div class="user-cell">
                        {reward_visual(r.image_url.clone(), r.icon.clone(), "small")}
                        <div>
                            <bdi class="strong" dir="auto">{r.name.clone()}</bdi>
                            {r.category.clone().map(|c| view! { <span class="muted small"><bdi>{c}</bdi></span> })}
                        </div>
                    </div>
                </td>
                <td class="num" data-label=i18n::COST>{fmt.int(cost)}</td>
                <td class="num" data-label=i18n::STOCK>
                    {match stock { Some(n) => fmt.int(n), None => i18n::UNLIMITED.to_owned() }}
                </td>
                <td class="num" data-label=i18n::PER_USER>
                    {limit.map(|l| fmt.int(l)).unwrap_or_else(|| "—".to_owned())}
                </td>
                <td data-label=i18n::ADMIN_COL_STATUS><span class=state_tag(r.state)>{r.state_label.clone()}</span></td>
                <td class="num" data-label=i18n::REQUESTS>
                    {i18n::pending_and_approved(&fmt.int(pending), &fmt.int(approved))}
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    {(!retired).then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="edit-reward"
                            on:click=move |_| {
                                editing.set(Some(Some(for_edit.clone())));
                                link.open(for_edit.id);
                            }>
                            <Icon svg=icons::EDIT /><span>{i18n::EDIT}</span>
                        </button>
                        <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| retiring.set(Some(for_retire.clone()))>
                            <Icon svg=icons::TRASH /><span>{i18n::RETIRE}</span>
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <div class="panel-head">
                <Tabs items=STATES selected=tab label=i18n::REWARD_STATES prefix="rwstate" />
                <button type="button" class="btn btn-primary" data-testid="new-reward" on:click=move |_| editing.set(Some(None))>
                    <Icon svg=icons::PLUS /><span>{i18n::NEW_REWARD}</span>
                </button>
            </div>
            {search_box("reward-admin-q", i18n::SEARCH_REWARDS, q, reload)}
            {move || missing.get().map(|m| view! { <Notice message=m kind="error" /> })}
            <div role="tabpanel" id="rwstate-panel" aria-labelledby=tab_id(STATES, "rwstate", tab)>
                {move || admin_table(paged.data.get(), fmt, &REWARDS_TABLE, move |item| row(item).into_any())}
                {load_more(paged, more)}
            </div>
        </div>
        {move || editing.get().map(|r| view! {
            <RewardForm reward=r on_close=close_form on_saved=saved />
        })}
        {move || retiring.get().map(|r| {
            let form = FormState::new();
            let id = r.id;
            let close = Callback::new(move |_| retiring.set(None));
            view! {
                <ActionDialog
                    title=i18n::retire_title(&r.name)
                    text=i18n::RETIRE_TEXT
                    submit=i18n::CONFIRM_RETIRE_REWARD
                    class="btn btn-danger"
                    form=form
                    on_close=close
                    on_submit=Callback::new(move |_| {
                        form.start();
                        spawn_local(async move {
                            match api::rewards::retire(id).await {
                                Ok(r) => {
                                    saved.run(r);
                                    retiring.set(None);
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    })
                />
            }
        })}
    }
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Create or edit a reward; the whole form is sent (PATCH with every field) and checked first
/// with `RewardRequest::validate`, so the messages beside the fields match the server's.
#[component]
fn RewardForm(
    reward: Option<Reward>,
    on_close: Callback<()>,
    on_saved: Callback<Reward>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let id = reward.as_ref().map(|r| r.id);
    let r = reward.as_ref();
    let text = |f: fn(&Reward) -> Option<String>| RwSignal::new(r.and_then(f).unwrap_or_default());
    let name = text(|r| Some(r.name.clone()));
    let description = text(|r| Some(r.description.clone()));
    let image_url = text(|r| r.image_url.clone());
    let icon = text(|r| r.icon.clone());
    let category = text(|r| r.category.clone());
    let cost = text(|r| Some(r.cost.to_string()));
    let stock = text(|r| r.stock.map(|s| s.to_string()));
    let limit = text(|r| r.per_user_limit.map(|s| s.to_string()));
    let from = text(|r| r.available_from.as_ref().map(to_local_input));
    let until = text(|r| r.available_until.as_ref().map(to_local_input));
    let unlimited = RwSignal::new(r.is_none_or(|r| r.stock.is_none()));
    let active = RwSignal::new(r.is_none_or(|r| r.active));
    let use_image = RwSignal::new(r.is_some_and(|r| r.image_url.is_some()));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let mut int = |field: &str, value: RwSignal<String>, required: bool| {
            let v = value.get_untracked();
            match kit::parse_int(&v) {
                Some(n) => Some(n),
                None if v.trim().is_empty() && !required => None,
                None => {
                    let msg = if required {
                        i18n::ERR_POSITIVE_NUMBER
                    } else {
                        i18n::ERR_WHOLE_NUMBER
                    };
                    errors.insert(field.to_owned(), msg.to_owned());
                    None
                }
            }
        };
        let cost = int("cost", cost, true).unwrap_or(0);
        let stock = if unlimited.get_untracked() {
            None
        } else {
            Some(int("stock", stock, true).unwrap_or(0))
        };
        let per_user_limit = int("per_user_limit", limit, false);
        let mut when = |field: &str, value: RwSignal<String>| {
            let v = value.get_untracked();
            match from_local_input(&v) {
                Some(t) => Some(t),
                None if v.trim().is_empty() => None,
                None => {
                    errors.insert(field.to_owned(), i18n::ERR_DATETIME.to_owned());
                    None
                }
            }
        };
        let available_from = when("available_from", from);
        let available_until = when("available_until", until);
        let image = use_image.get_untracked();
        let req = RewardRequest {
            name: name.get_untracked(),
            description: description.get_untracked(),
            cost,
            stock,
            per_user_limit,
            active: active.get_untracked(),
            name_en: None,
            image_url: if image {
                opt(&image_url.get_untracked())
            } else {
                None
            },
            icon: if image {
                None
            } else {
                opt(&icon.get_untracked())
            },
            category: opt(&category.get_untracked()),
            available_from,
            available_until,
        }
        .normalized();
        if let Err(rule_errors) = req.validate() {
            for (k, v) in rule_errors {
                errors.entry(k).or_insert(v);
            }
        }
        if image && req.image_url.is_none() {
            errors
                .entry("image_url".into())
                .or_insert(i18n::IMAGE_REQUIRED.into());
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        form.start();
        spawn_local(async move {
            let result = match id {
                None => api::rewards::create(&req).await,
                Some(id) => {
                    let patch = UpdateRewardRequest {
                        name: Some(req.name.clone()),
                        description: Some(req.description.clone()),
                        cost: Some(req.cost),
                        stock: Some(req.stock),
                        per_user_limit: Some(req.per_user_limit),
                        active: Some(req.active),
                        name_en: None,
                        image_url: Some(req.image_url.clone()),
                        icon: Some(req.icon.clone()),
                        category: Some(req.category.clone()),
                        available_from: Some(req.available_from),
                        available_until: Some(req.available_until),
                    };
                    api::rewards::update(id, &patch).await
                }
            };
            match result {
                Ok(r) => {
                    on_saved.run(r);
                    on_close.run(());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let title = if id.is_some() {
        i18n::EDIT_REWARD
    } else {
        i18n::NEW_REWARD
    };
    let hint = move |t: &'static str| Signal::derive(move || fmt.text(t));
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="reward-form">
                <div class="form-grid">
                    <div class="span-2"><Field name="name" label=i18n::REWARD_NAME value=name form=form autofocus=true /></div>
                    <div class="span-2"><TextArea name="description" label=i18n::DESCRIPTION_FIELD value=description form=form rows=3 /></div>
                    <fieldset class="segmented span-2">
                        <legend>{i18n::REWARD_LOOK}</legend>
                        <div class="segmented-options">
                            <input type="radio" id="look-icon" name="look" prop:checked=move || !use_image.get() on:change=move |_| use_image.set(false) />
                            <label for="look-icon">{i18n::LOOK_ICON}</label>
                            <input type="radio" id="look-image" name="look" prop:checked=move || use_image.get() on:change=move |_| use_image.set(true) />
                            <label for="look-image">{i18n::LOOK_IMAGE}</label>
                        </div>
                    </fieldset>
                    <div class="span-2">
                        <Show when=move || use_image.get()
                            fallback=move || view! { <Field name="icon" label=i18n::ICON_FIELD value=icon form=form hint=hint(i18n::ICON_HINT) /> }>
                            <Field name="image_url" label=i18n::IMAGE_FIELD value=image_url form=form dir="ltr" hint=hint(i18n::COVER_HINT) />
                        </Show>
                    </div>
                    <Field name="cost" label=i18n::COST_FIELD value=cost form=form dir="ltr" inputmode="numeric" />
                    <Field name="category" label=i18n::CATEGORY_FIELD value=category form=form />
                    <div class="field-group">
                        <label class="check">
                            <input type="checkbox" prop:checked=move || unlimited.get() on:change=move |ev| unlimited.set(event_target_checked(&ev)) />
                            <span>{i18n::UNLIMITED_STOCK}</span>
                        </label>
                        <Field name="stock" label=i18n::STOCK_FIELD value=stock form=form dir="ltr" inputmode="numeric"
                            disabled=Signal::derive(move || unlimited.get()) />
                    </div>
                    <Field name="per_user_limit" label=i18n::LIMIT_FIELD value=limit form=form dir="ltr" inputmode="numeric" hint=hint(i18n::LIMIT_HINT) />
                    <Field name="available_from" label=i18n::AVAILABLE_FROM value=from form=form kind="datetime-local" dir="ltr" hint=super::zone::moment_hint(from, fmt, Some(i18n::WINDOW_HINT)) />
                    <Field name="available_until" label=i18n::AVAILABLE_UNTIL value=until form=form kind="datetime-local" dir="ltr" hint=super::zone::moment_hint(until, fmt, None) />
                    <label class="check span-2">
                        <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                        <span>{i18n::REWARD_ACTIVE}</span>
                    </label>
                </div>
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=if id.is_some() { i18n::SAVE_CHANGES } else { i18n::CREATE_REWARD } pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}

// ----- The redemption queue -----

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
