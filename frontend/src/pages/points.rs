//! Points (كربتو): balance and points earned, the balance over 30 days, the ledger with its
//! filter, and transfers to another user (look-up and confirmation first, Idempotency-Key sent).

use domain::points::{
    Balance, BalancePoint, LedgerEntry, LedgerKind, TransferRequest, TransferStatus,
};
use domain::ErrorCode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::points::Recipient;
use crate::api::ApiError;
use crate::components::chart::BalanceChart;
use crate::components::kit::{self, digits_in_prose, error_text, load_more, Paged};
use crate::components::{
    icons, initial, set_title, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

const CHART_DAYS: u32 = 30;

#[component]
pub fn Points() -> impl IntoView {
    set_title(i18n::POINTS_TITLE);
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let totals = RwSignal::new(None::<Balance>);
    // Bumped after a transfer: the chart and the history reload.
    let changed = RwSignal::new(0u32);
    let history = RwSignal::new(None::<Result<Vec<BalancePoint>, ApiError>>);
    let kind = RwSignal::new(None::<LedgerKind>);

    Effect::new(move |_| {
        changed.track();
        spawn_local(async move {
            if let Ok(b) = api::points::balance().await {
                totals.set(Some(b));
            }
            history.set(Some(
                api::points::history(CHART_DAYS).await.map(|h| h.points),
            ));
        });
    });
    let balance = Memo::new(move |_| {
        session
            .user
            .with(|u| u.as_ref().map_or(0, |u| u.points_balance))
    });
    let earned = move || totals.with(|t| t.as_ref().map(|t| t.lifetime_earned));

    view! {
        <div class="page points">
            <header class="page-head">
                <h1>{i18n::POINTS_TITLE}</h1>
                <p class="muted">{i18n::POINTS_SUBTITLE}</p>
            </header>
            <div class="points-grid">
                <section class="balance-card" aria-labelledby="points-balance-title">
                    <div class="balance-top">
                        <h2 id="points-balance-title">{i18n::BALANCE_CARD_TITLE}</h2>
                        <span class="balance-coin" aria-hidden="true" inner_html=icons::COIN></span>
                    </div>
                    <p class="balance-amount" data-testid="points-balance">
                        <span class="num">{move || fmt.int(balance.get())}</span>
                        <span class="unit">{i18n::POINTS_UNIT}</span>
                    </p>
                    <p class="balance-sub">{i18n::BALANCE_AVAILABLE}</p>
                    <div class="balance-foot">
                        <Icon svg=icons::TRENDING />
                        <span>{i18n::LIFETIME_EARNED} ": "</span>
                        <strong data-testid="points-earned">
                            {move || earned().map(|e| fmt.int(e)).unwrap_or_else(|| "…".to_owned())}
                            " "
                            {i18n::POINTS_UNIT}
                        </strong>
                    </div>
                </section>

                <section class="card chart-card" aria-labelledby="chart-title">
                    <div class="card-title">
                        <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::CHART></span>
                        <h2 id="chart-title">{move || i18n::chart_title(&fmt.int(i64::from(CHART_DAYS)))}</h2>
                    </div>
                    {move || match history.get() {
                        None => view! { <Skeleton lines=4 /> }.into_any(),
                        Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                        Some(Ok(points)) => view! { <BalanceChart points=points /> }.into_any(),
                    }}
                </section>

                <TransferCard on_sent=Callback::new(move |_| changed.update(|c| *c += 1)) />

                <section class="card history-card" aria-labelledby="history-title">
                    <div class="history-head">
                        <div class="card-title">
                            <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::LIST></span>
                            <h2 id="history-title">{i18n::HISTORY_TITLE}</h2>
                        </div>
                        <div class="field inline-field">
                            <label for="history-kind">{i18n::HISTORY_FILTER}</label>
                            <div class="control">
                                <select
                                    id="history-kind"
                                    data-testid="history-kind"
                                    on:change=move |ev| kind.set(LedgerKind::parse(&event_target_value(&ev)))
                                >
                                    <option value="">{i18n::HISTORY_ALL}</option>
                                    {LedgerKind::ALL
                                        .into_iter()
                                        .map(|k| view! { <option value=k.as_str()>{k.label_ar()}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                        </div>
                    </div>
                    <LedgerList kind=kind refresh=changed />
                </section>
            </div>
        </div>
    }
}

/// "+١٠٠" / "-٢٠"; the mark before the sign keeps it in front of the number in RTL text.
pub fn signed(fmt: Fmt, amount: i64) -> String {
    if amount > 0 {
        format!("\u{061C}+{}", fmt.int(amount))
    } else {
        fmt.int(amount)
    }
}

/// A ledger, newest first, page by page: the caller's own, or a user's (admin).
#[component]
pub fn LedgerList(
    #[prop(optional)] user_id: Option<i64>,
    #[prop(optional, into)] kind: Option<Signal<Option<LedgerKind>>>,
    #[prop(optional, into)] refresh: Option<Signal<u32>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let paged = Paged::<LedgerEntry>::new();
    let fetch = move |k: Option<LedgerKind>, cursor: Option<String>| async move {
        let page = match user_id {
            Some(id) => api::points::user_transactions(id, cursor.as_deref()).await,
            None => api::points::transactions(k, cursor.as_deref()).await,
        };
        page.map(|p| (p.items, p.next_cursor))
    };
    Effect::new(move |_| {
        if let Some(r) = refresh {
            r.track();
        }
        let k = kind.and_then(|k| k.get());
        paged.reload(fetch(k, None));
    });
    let more = move || {
        if let Some(cursor) = paged.next.get_untracked() {
            let k = kind.and_then(|k| k.get_untracked());
            paged.more(fetch(k, Some(cursor)));
        }
    };

    let row = move |e: LedgerEntry| {
        let credit = e.amount > 0;
        let at = e.created_at;
        let (amount, after) = (e.amount, e.balance_after);
        let other = e.counterparty_username.clone().map(|u| match e.kind {
            LedgerKind::TransferIn => (i18n::FROM_USER, u),
            _ => (i18n::TO_USER, u),
        });
        view! {
            <li class="ledger-row" data-testid="ledger-row" data-kind=e.kind.as_str()>
                <span
                    class=if credit { "ledger-icon credit" } else { "ledger-icon debit" }
                    aria-hidden="true"
                    inner_html=if credit { icons::ARROW_UP } else { icons::ARROW_DOWN }
                ></span>
                <div class="ledger-main">
                    <p class="ledger-kind">{e.kind_label.clone()}</p>
                    {e.reason.clone().filter(|r| !r.trim().is_empty()).map(|r| view! {
                        <p class="ledger-reason"><bdi dir="auto">{digits_in_prose(fmt, &r)}</bdi></p>
                    })}
                    {other.map(|(prefix, u)| view! {
                        <p class="ledger-reason">{prefix} " " <bdi dir="ltr">{format!("@{u}")}</bdi></p>
                    })}
                    <time class="ledger-time" datetime=at.to_rfc3339()>{fmt.date_time(&at)}</time>
                </div>
                <div class="ledger-amounts">
                    <span class=if credit { "ledger-amount plus" } else { "ledger-amount minus" }>
                        {signed(fmt, amount)}
                    </span>
                    <span class="ledger-after">{i18n::BALANCE_AFTER} " " {fmt.int(after)}</span>
                </div>
            </li>
        }
    };

    view! {
        {move || match paged.data.get() {
            None => view! { <Skeleton lines=4 /> }.into_any(),
            Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! {
                <div class="empty-state compact">
                    <Icon svg=icons::COIN class="empty-icon" />
                    <p class="muted">{i18n::HISTORY_EMPTY}</p>
                </div>
            }
            .into_any(),
            Some(Ok(items)) => view! {
                <ul class="ledger-list">{items.into_iter().map(row).collect_view()}</ul>
            }
            .into_any(),
        }}
        {load_more(paged, more)}
    }
}

/// Send points: username, amount, note → who will receive it → confirm → sent.
#[component]
fn TransferCard(on_sent: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let to = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let confirm = RwSignal::new(None::<(Recipient, TransferRequest)>);
    let key = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let confirm_error = RwSignal::new(None::<String>);

    let on_next = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let Some(value) = kit::parse_int(&amount.get_untracked()) else {
            form.invalid([("amount".to_owned(), i18n::ERR_POSITIVE_NUMBER.to_owned())].into());
            return;
        };
        let note_text = note.get_untracked().trim().to_owned();
        let req = TransferRequest {
            to_username: to.get_untracked().trim().trim_start_matches('@').to_owned(),
            amount: value,
            note: (!note_text.is_empty()).then_some(note_text),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        let (me, balance) = session
            .user
            .with_untracked(|u| u.as_ref().map(|u| (u.username.clone(), u.points_balance)))
            .unwrap_or_default();
        if req.to_username.eq_ignore_ascii_case(&me) {
            form.invalid([("to_username".to_owned(), i18n::TRANSFER_SELF.to_owned())].into());
            return;
        }
        if req.amount > balance {
            let message = i18n::transfer_not_enough(&fmt.int(balance));
            form.invalid([("amount".to_owned(), message)].into());
            return;
        }
        form.start();
        spawn_local(async move {
            match api::points::recipient(&req.to_username).await {
                Ok(who) => {
                    // A new confirmation is a new action: a fresh Idempotency-Key.
                    key.set(None);
                    confirm_error.set(None);
                    confirm.set(Some((who, req)));
                    crate::components::focus_soon("[data-testid=\"transfer-send\"]");
                }
                Err(err) if err.status() == Some(404) => {
                    form.invalid(
                        [("to_username".to_owned(), i18n::TRANSFER_NO_USER.to_owned())].into(),
                    );
                }
                // Too many look-ups: the server's sentence belongs beside the name field.
                Err(err) if err.status() == Some(429) => {
                    form.invalid([("to_username".to_owned(), error_text(&err, fmt))].into());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };

    let send = move |_| {
        let Some((who, req)) = confirm.get_untracked() else {
            return;
        };
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        confirm_error.set(None);
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::points::transfer(&req, &k).await {
                Ok(sent) => {
                    key.set(None);
                    confirm.set(None);
                    to.set(String::new());
                    amount.set(String::new());
                    note.set(String::new());
                    form.errors.set(Default::default());
                    form.banner.set(None);
                    // A fraud rule may hold the transfer for review: the points left the
                    // sender, but the recipient gets them only once an admin releases them.
                    let text = if sent.status == TransferStatus::Held {
                        i18n::transfer_held(&fmt.int(req.amount), &who.display_name)
                    } else {
                        i18n::transfer_done(&fmt.int(req.amount), &who.display_name)
                    };
                    form.success.set(Some(text));
                    on_sent.run(());
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    let fields = err.fields();
                    if err.code() == Some(ErrorCode::TransferLimitExceeded.as_str()) {
                        // The daily limit belongs beside the amount.
                        confirm.set(None);
                        form.invalid([("amount".to_owned(), error_text(&err, fmt))].into());
                        form.banner.set(None);
                    } else if !fields.is_empty() {
                        confirm.set(None);
                        form.failed(&err, fmt);
                    } else {
                        confirm_error.set(Some(error_text(&err, fmt)));
                    }
                }
            }
            sending.set(false);
        });
    };

    view! {
        <section class="card transfer-card" aria-labelledby="transfer-title">
            <div class="card-title">
                <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::SEND></span>
                <h2 id="transfer-title">{i18n::TRANSFER_TITLE}</h2>
            </div>
            <p class="muted card-text">{i18n::TRANSFER_TEXT}</p>
            {move || match confirm.get() {
                None => view! {
                    <form class="form" novalidate=true on:submit=on_next data-testid="transfer-form">
                        <FormMessages form=form />
                        <Field name="to_username" label=i18n::TRANSFER_TO value=to form=form dir="ltr" autocomplete="off" />
                        <Field name="amount" label=i18n::AMOUNT_FIELD value=amount form=form dir="ltr" inputmode="numeric" />
                        <Field name="note" label=i18n::TRANSFER_NOTE value=note form=form />
                        <div class="form-actions">
                            <SubmitButton label=i18n::TRANSFER_NEXT pending_label=i18n::TRANSFER_LOOKING pending=form.pending />
                        </div>
                    </form>
                }
                .into_any(),
                Some((who, req)) => {
                    let after = session.user.with_untracked(|u| u.as_ref().map_or(0, |u| u.points_balance)) - req.amount;
                    view! {
                        <div class="transfer-confirm" role="group" aria-labelledby="transfer-confirm-title" data-testid="transfer-confirm">
                            <p id="transfer-confirm-title" class="strong">{i18n::TRANSFER_CONFIRM_TITLE}</p>
                            <div class="recipient">
                                <span class="avatar avatar-lg" aria-hidden="true">{initial(&who.display_name)}</span>
                                <div class="recipient-id">
                                    <bdi class="strong">{who.display_name.clone()}</bdi>
                                    <bdi class="handle" dir="ltr">{format!("@{}", who.username)}</bdi>
                                </div>
                            </div>
                            <dl class="stat-list compact">
                                <div class="stat">
                                    <dt>{i18n::AMOUNT_FIELD}</dt>
                                    <dd>{kit::points_text(fmt, req.amount)}</dd>
                                </div>
                                {req.note.clone().map(|n| view! {
                                    <div class="stat"><dt>{i18n::TRANSFER_NOTE}</dt><dd><bdi>{n}</bdi></dd></div>
                                })}
                                <div class="stat">
                                    <dt>{i18n::BALANCE_AFTER_TRANSFER}</dt>
                                    <dd>{kit::points_text(fmt, after)}</dd>
                                </div>
                            </dl>
                            {move || confirm_error.get().map(|m| view! { <Notice message=m kind="error" /> })}
                            <div class="actions">
                                <button
                                    type="button"
                                    class="btn btn-primary"
                                    data-testid="transfer-send"
                                    disabled=sending
                                    on:click=send
                                >
                                    {move || if sending.get() {
                                        view! { <span class="spinner" aria-hidden="true"></span> <span>{i18n::TRANSFER_SENDING}</span> }.into_any()
                                    } else {
                                        view! { <span>{i18n::TRANSFER_SEND}</span> }.into_any()
                                    }}
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=move |_| {
                                    confirm.set(None);
                                    crate::components::focus_soon("#f-to_username");
                                }>
                                    {i18n::EDIT}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
