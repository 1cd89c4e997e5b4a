//! Admin → rewards: the table, the create/edit form checked with the `domain` rules, retiring.
//! The redemption queue is in `redemptions.rs`.

use domain::rewards::{Reward, RewardRequest, RewardState, UpdateRewardRequest};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{admin_table, TableSpec};
use crate::components::commerce::{reward_visual, upsert, ActionDialog};
use crate::components::kit::{
    self, error_text, from_local_input, load_more, tab_id, to_local_input, Modal, Paged, Tabs,
    TextArea,
};
use crate::components::{icons, Field, FormMessages, FormState, Icon, Notice, SubmitButton};
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
