//! Rewards for participants: the catalogue (category chips, search, "what my balance covers",
//! redeem with a confirmation and an Idempotency-Key) and "my redemptions" (status timeline,
//! cancel while pending).

use std::time::Duration;

use domain::rewards::{CatalogueItem, RedeemRequest, Redemption, RedemptionStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::commerce::{redemption_tag, reward_visual, upsert};
use crate::components::kit::{self, error_text, load_more, tab_id, Modal, Paged, Tabs, TextArea};
use crate::components::{
    icons, set_title, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn Rewards() -> impl IntoView {
    set_title(i18n::REWARDS_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let signed_in = Memo::new(move |_| session.signed_in());
    let category = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let keystrokes = RwSignal::new(0u32);
    let affordable = RwSignal::new(false);
    let categories = RwSignal::new(Vec::<String>::new());
    let paged = Paged::<CatalogueItem>::new();
    let redeeming = RwSignal::new(None::<CatalogueItem>);
    let done = RwSignal::new(None::<String>);

    let fetch = move |cursor: Option<String>| {
        let (c, q) = (category.get_untracked(), query.get_untracked());
        let a = affordable.get_untracked() && signed_in.get_untracked();
        async move {
            let page = api::rewards::catalogue(&c, &q, a, cursor.as_deref()).await?;
            categories.set(page.categories);
            Ok((page.items, page.next_cursor))
        }
    };
    let reload = move || paged.reload(fetch(None));
    Effect::new(move |_| {
        category.track();
        query.track();
        affordable.track();
        signed_in.track();
        reload();
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let on_input = move |ev| {
        typed.set(event_target_value(&ev));
        let n = keystrokes.get_untracked() + 1;
        keystrokes.set(n);
        set_timeout(
            move || {
                if keystrokes.get_untracked() == n {
                    query.set(typed.get_untracked());
                }
            },
            Duration::from_millis(350),
        );
    };
    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        query.set(typed.get_untracked());
    };
    let balance = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.points_balance)));
    let chip = move |value: String, label: String| {
        let v = value.clone();
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || (category.with(|c| *c == v)).to_string()
                on:click=move |_| category.set(value.clone())
            >
                <bdi>{label}</bdi>
            </button>
        }
    };

    view! {
        <div class="page rewards">
            <header class="page-head with-actions">
                <div>
                    <h1>{i18n::REWARDS_TITLE}</h1>
                    <p class="muted">{i18n::REWARDS_SUBTITLE}</p>
                </div>
                <Show when=move || signed_in.get()>
                    <a class="btn btn-ghost" href="/redemptions" data-testid="my-redemptions-link">
                        <Icon svg=icons::LIST />
                        <span>{i18n::MY_REDEMPTIONS}</span>
                    </a>
                </Show>
            </header>
            {move || balance.get().map(|b| view! {
                <div class="wallet-strip">
                    <span class="coin" aria-hidden="true" inner_html=icons::COIN></span>
                    <span>{i18n::CURRENT_BALANCE} ": " <strong>{fmt.int(b)} " " {i18n::POINTS_UNIT}</strong></span>
                    <span class="wallet-links">
                        <a href="/competitions">{i18n::EARN_MORE}</a>
                        <a href="/store">{i18n::BUY_POINTS}</a>
                    </span>
                </div>
            })}
            {move || done.get().map(|name| view! {
                <div class="alert alert-success" role="status" data-testid="redeem-done">
                    <Icon svg=icons::CHECK />
                    <span>{i18n::redeem_done(&name)} " " <a href="/redemptions">{i18n::FOLLOW_REQUESTS}</a></span>
                </div>
            })}
            <div class="toolbar">
                <div class="chips" role="group" aria-label=i18n::REWARD_CATEGORIES>
                    {chip(String::new(), i18n::FILTER_ALL.to_owned())}
                    {move || categories.get().into_iter().map(|c| chip(c.clone(), c)).collect_view()}
                    <Show when=move || signed_in.get()>
                        <button
                            type="button"
                            class="chip chip-gold"
                            aria-pressed=move || affordable.get().to_string()
                            on:click=move |_| affordable.update(|a| *a = !*a)
                        >
                            <Icon svg=icons::COIN />
                            <span>{i18n::AFFORDABLE_ONLY}</span>
                        </button>
                    </Show>
                </div>
                <form class="search" role="search" on:submit=on_search>
                    <label for="reward-q" class="sr-only">{i18n::SEARCH_REWARDS}</label>
                    <div class="search-box">
                        <Icon svg=icons::SEARCH />
                        <input id="reward-q" type="search" dir="auto" placeholder=i18n::SEARCH_REWARDS
                            autocomplete="off" maxlength="100" prop:value=move || typed.get() on:input=on_input />
                    </div>
                </form>
            </div>
            {move || match paged.data.get() {
                None => view! { <div class="reward-grid"><Skeleton lines=4 /><Skeleton lines=4 /><Skeleton lines=4 /></div> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <div class="card empty-state">
                        <Icon svg=icons::GIFT class="empty-icon" />
                        <h2>{i18n::REWARDS_EMPTY}</h2>
                        <p class="muted">{i18n::REWARDS_EMPTY_HINT}</p>
                    </div>
                }
                .into_any(),
                Some(Ok(items)) => view! {
                    <div class="reward-grid">
                        {items.into_iter().map(|item| reward_card(item, fmt, redeeming)).collect_view()}
                    </div>
                }
                .into_any(),
            }}
            {load_more(paged, more)}
        </div>
        {move || redeeming.get().map(|item| view! {
            <RedeemDialog
                item=item
                on_close=Callback::new(move |_| redeeming.set(None))
                on_done=Callback::new(move |name: String| {
                    redeeming.set(None);
                    done.set(Some(name));
                    reload();
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                })
            />
        })}
    }
}

fn reward_card(
    item: CatalogueItem,
    fmt: Fmt,
    redeeming: RwSignal<Option<CatalogueItem>>,
) -> impl IntoView {
    let stock_tag = match item.stock {
        _ if !item.in_stock => Some(("tag tag-red", i18n::SOLD_OUT.to_owned())),
        Some(n) if n <= 10 => Some(("tag tag-gold", i18n::stock_left(&fmt.int(n)))),
        _ => None,
    };
    let limit = item.per_user_limit.map(|l| match item.remaining_allowance {
        Some(r) => i18n::limit_left(&fmt.int(l), &fmt.int(r)),
        None => i18n::limit_per_user(&fmt.int(l)),
    });
    let until = item.available_until;
    let cost = item.cost;
    // What the person can do, from the API's own verdict.
    let state = match (item.can_redeem, item.affordable, item.points_needed) {
        (None, ..) => view! {
            <a class="btn btn-soft btn-block" href="/login?next=%2Frewards">{i18n::SIGN_IN_TO_REDEEM}</a>
        }
        .into_any(),
        (Some(true), ..) => {
            let it = item.clone();
            view! {
                <p class="afford ok"><Icon svg=icons::CHECK /><span>{i18n::YOU_CAN_AFFORD}</span></p>
                <button type="button" class="btn btn-primary btn-block" data-testid="redeem"
                    on:click=move |_| redeeming.set(Some(it.clone()))>
                    <Icon svg=icons::GIFT />
                    <span>{i18n::REDEEM_NOW}</span>
                </button>
            }
            .into_any()
        }
        (Some(false), Some(false), Some(needed)) if item.in_stock && item.remaining_allowance != Some(0) => {
            let pct = ((cost - needed).max(0) as f64 / cost.max(1) as f64 * 100.0).round();
            view! {
                <div class="afford need">
                    <p><Icon svg=icons::COIN /><span>{i18n::you_need(&fmt.int(needed))}</span></p>
                    <div class="progress" role="progressbar" aria-label=i18n::BALANCE_PROGRESS
                        aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct.to_string()>
                        <span style=format!("width:{pct}%")></span>
                    </div>
                </div>
                <a class="btn btn-ghost btn-block" href="/competitions">{i18n::EARN_MORE}</a>
            }
            .into_any()
        }
        _ => view! {
            <p class="afford blocked"><Icon svg=icons::ALERT /><span>{item.blocked_reason.clone().unwrap_or_default()}</span></p>
            <button type="button" class="btn btn-ghost btn-block" disabled=true>{i18n::REDEEM_NOW}</button>
        }
        .into_any(),
    };
    view! {
        <article class="card reward-card" class:dimmed=!item.in_stock data-testid="reward-card">
            <div class="reward-media">
                {reward_visual(item.image_url.clone(), item.icon.clone(), "")}
                {stock_tag.map(|(c, t)| view! { <span class=format!("{c} reward-stock")>{t}</span> })}
            </div>
            <div class="reward-body">
                {item.category.clone().map(|c| view! { <span class="tag tag-violet"><bdi>{c}</bdi></span> })}
                <h2 class="reward-name"><bdi dir="auto">{item.name.clone()}</bdi></h2>
                <p class="reward-cost"><span class="num">{fmt.int(cost)}</span> " " {i18n::POINTS_UNIT}</p>
                {(!item.description.trim().is_empty()).then(|| view! { <p class="reward-desc" dir="auto">{item.description.clone()}</p> })}
                <ul class="reward-meta">
                    {limit.map(|l| view! { <li><Icon svg=icons::USER /><span>{l}</span></li> })}
                    {until.map(|u| view! { <li><Icon svg=icons::CLOCK /><span>{i18n::available_until(&fmt.date(&u))}</span></li> })}
                </ul>
                <div class="reward-action">{state}</div>
            </div>
        </article>
    }
}

/// "Redeem X for N كربتو?": the balance after, an optional note, then the request.
#[component]
fn RedeemDialog(
    item: CatalogueItem,
    on_close: Callback<()>,
    on_done: Callback<String>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let form = FormState::new();
    let note = RwSignal::new(String::new());
    let key = RwSignal::new(None::<String>);
    let (id, cost) = (item.id, item.cost);
    let balance = session
        .user
        .with_untracked(|u| u.as_ref().map_or(0, |u| u.points_balance));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        let req = RedeemRequest {
            note: (!text.is_empty()).then_some(text),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::rewards::redeem(id, &req, &k).await {
                Ok(resp) => {
                    key.set(None);
                    on_done.run(resp.redemption.reward_name);
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    form.failed(&err, fmt);
                }
            }
            form.pending.set(false);
        });
    };
    view! {
        <Modal title=i18n::REDEEM_CONFIRM_TITLE on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="redeem-form">
                <div class="reward-line">
                    {reward_visual(item.image_url.clone(), item.icon.clone(), "small")}
                    <bdi class="strong" dir="auto">{item.name.clone()}</bdi>
                </div>
                <dl class="stat-list compact">
                    <div class="stat"><dt>{i18n::COST}</dt><dd>{fmt.int(cost)} " " {i18n::POINTS_UNIT}</dd></div>
                    <div class="stat"><dt>{i18n::CURRENT_BALANCE}</dt><dd>{fmt.int(balance)} " " {i18n::POINTS_UNIT}</dd></div>
                    <div class="stat"><dt>{i18n::BALANCE_AFTER_REDEEM}</dt><dd>{fmt.int(balance - cost)} " " {i18n::POINTS_UNIT}</dd></div>
                </dl>
                <TextArea name="note" label=i18n::REDEEM_NOTE value=note form=form rows=2
                    hint=Signal::derive(move || fmt.text(i18n::REDEEM_NOTE_HINT)) />
                <p class="hint-box"><Icon svg=icons::INFO /><span>{i18n::REDEEM_REFUND_NOTE}</span></p>
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=i18n::REDEEM_CONFIRM pending_label=i18n::REDEEMING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}

// ----- My redemptions -----

const STATUS_TABS: &[(&str, &str)] = &[
    ("all", i18n::FILTER_ALL),
    ("pending", i18n::R_PENDING),
    ("approved", i18n::R_APPROVED),
    ("fulfilled", i18n::R_FULFILLED),
    ("rejected", i18n::R_REJECTED),
    ("cancelled", i18n::R_CANCELLED),
];

/// The tab's API filter ("" for all).
pub fn status_filter(tabs: &'static [(&'static str, &'static str)], i: usize) -> &'static str {
    match tabs[i].0 {
        "all" => "",
        k => k,
    }
}

#[component]
pub fn MyRedemptions() -> impl IntoView {
    set_title(i18n::MY_REDEMPTIONS);
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<Redemption>::new();
    // Decisions refund points while the person is away: the header balance catches up here.
    spawn_local(async {
        let _ = api::points::balance().await;
    });
    let fetch = move |cursor: Option<String>| {
        let s = status_filter(STATUS_TABS, tab.get_untracked());
        async move {
            api::rewards::mine(s, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        tab.track();
        paged.reload(fetch(None));
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let changed = Callback::new(move |r: Redemption| upsert(paged, r, |x| x.id, false));
    view! {
        <div class="page redemptions">
            <header class="page-head with-actions">
                <div>
                    <h1>{i18n::MY_REDEMPTIONS}</h1>
                    <p class="muted">{i18n::MY_REDEMPTIONS_SUBTITLE}</p>
                </div>
                <a class="btn btn-ghost" href="/rewards">
                    <Icon svg=icons::GIFT />
                    <span>{i18n::BROWSE_REWARDS}</span>
                </a>
            </header>
            <Tabs items=STATUS_TABS selected=tab label=i18n::REDEMPTION_FILTERS prefix="rstatus" />
            <section role="tabpanel" id="rstatus-panel" aria-labelledby=tab_id(STATUS_TABS, "rstatus", tab)>
                {move || match paged.data.get() {
                    None => view! { <Skeleton lines=4 /> }.into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! {
                        <div class="card empty-state">
                            <Icon svg=icons::GIFT class="empty-icon" />
                            <h2>{i18n::NO_REDEMPTIONS}</h2>
                            <p class="muted">{i18n::NO_REDEMPTIONS_HINT}</p>
                            <a class="btn btn-primary" href="/rewards">{i18n::BROWSE_REWARDS}</a>
                        </div>
                    }
                    .into_any(),
                    Some(Ok(items)) => view! {
                        <ul class="redemption-list">
                            {items.into_iter().map(|r| redemption_card(r, fmt, changed)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
                {load_more(paged, more)}
            </section>
        </div>
    }
}

/// One request with its timeline; "cancel" while it waits for a decision. A plain function
/// called from the list's reactive closure, so the digits setting re-renders its numbers.
fn redemption_card(r: Redemption, fmt: Fmt, on_changed: Callback<Redemption>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let key = RwSignal::new(None::<String>);
    let (id, cost, at, status) = (r.id, r.cost, r.created_at, r.status);
    let cancel = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::rewards::cancel(id, &k).await {
                Ok(updated) => {
                    confirming.set(false);
                    on_changed.run(updated);
                    let _ = api::points::balance().await;
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    error.set(Some(error_text(&err, fmt)));
                }
            }
            busy.set(false);
        });
    };
    let next = match status {
        RedemptionStatus::Pending => Some(i18n::NEXT_REVIEW),
        RedemptionStatus::Approved => Some(i18n::NEXT_DELIVERY),
        _ => None,
    };
    let steps = r.timeline.clone();
    view! {
        <li class="card redemption" data-testid="redemption" data-status=status.as_str()>
            <div class="redemption-head">
                {reward_visual(r.reward_image_url.clone(), r.reward_icon.clone(), "small")}
                <div class="redemption-title">
                    <bdi class="strong" dir="auto">{r.reward_name.clone()}</bdi>
                    <span class="muted small">{fmt.date_time(&at)}</span>
                </div>
                <span class="reward-cost">{fmt.int(cost)} " " {i18n::POINTS_UNIT}</span>
                <span class=redemption_tag(status) data-testid="redemption-status">{status.label_ar()}</span>
            </div>
            <ol class="timeline" aria-label=i18n::REQUEST_HISTORY>
                {steps.into_iter().map(|s| {
                    let at = s.at;
                    let note_label = if s.status == RedemptionStatus::Pending { i18n::YOUR_NOTE } else { i18n::ADMIN_NOTE };
                    view! {
                        <li class=format!("step step-{}", s.status.as_str())>
                            <span class="step-dot" aria-hidden="true"></span>
                            <div class="step-body">
                                <p class="step-label">{s.label.clone()}</p>
                                <time class="step-time" datetime=at.to_rfc3339()>{fmt.date_time(&at)}</time>
                                {s.note.clone().filter(|n| !n.trim().is_empty()).map(|n| view! {
                                    <p class="step-note"><span class="muted">{note_label} ": "</span><bdi dir="auto">{n}</bdi></p>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
                {next.map(|n| view! {
                    <li class="step step-next">
                        <span class="step-dot" aria-hidden="true"></span>
                        <div class="step-body"><p class="step-label">{n}</p></div>
                    </li>
                })}
            </ol>
            {r.can_cancel.then(|| view! {
                <div class="redemption-actions">
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button type="button" class="btn btn-outline-danger btn-sm" data-testid="cancel-redemption"
                                on:click=move |_| confirming.set(true)>{i18n::CANCEL_REQUEST}</button>
                        }
                    >
                        <div class="inline-confirm" role="group">
                            <span>{i18n::cancel_request_confirm(&fmt.int(cost))}</span>
                            <button type="button" class="btn btn-danger btn-sm" disabled=move || busy.get()
                                aria-busy=move || busy.get().to_string() on:click=cancel>{i18n::CANCEL_REQUEST_YES}</button>
                            <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| confirming.set(false)>{i18n::KEEP_REQUEST}</button>
                        </div>
                    </Show>
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert"><Icon svg=icons::ALERT /><span>{m}</span></p> })}
                </div>
            })}
        </li>
    }
}
