//! The point store: packages (bonus, ribbon, price from minor units), a purchase request that
//! answers with the reference to quote and how to pay, and the person's purchases. Payment
//! happens outside the platform; while a request waits, the list is re-read now and then so the
//! balance in the header moves as soon as an admin confirms the payment.

use std::time::Duration;

use domain::packages::{Package, Purchase, PurchaseCreated, PurchaseStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::commerce::{money, purchase_tag};
use crate::components::kit::{self, error_text, load_more, Modal, Paged};
use crate::components::{icons, set_title, CopyButton, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

const POLL: Duration = Duration::from_secs(15);

#[component]
pub fn Store() -> impl IntoView {
    set_title(i18n::STORE_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let signed_in = Memo::new(move |_| session.signed_in());
    let packages = RwSignal::new(None::<Result<Vec<Package>, crate::api::ApiError>>);
    spawn_local(async move { packages.set(Some(api::store::packages().await.map(|p| p.items))) });
    let picking = RwSignal::new(None::<Package>);
    let purchases = Paged::<Purchase>::new();
    let how_to_pay = RwSignal::new(None::<(String, String)>);
    // Paid purchases seen on the first page, to notice a payment confirmed meanwhile.
    let paid_seen = RwSignal::new(None::<usize>);

    let fetch = move |cursor: Option<String>| async move {
        let page = api::store::mine(cursor.as_deref()).await?;
        how_to_pay.set(Some((page.payment_instructions, page.admin_contact)));
        if cursor.is_none() {
            let paid = page
                .items
                .iter()
                .filter(|p| p.status == PurchaseStatus::Paid)
                .count();
            if paid_seen.get_untracked().is_some_and(|seen| paid > seen) {
                let _ = api::points::balance().await;
            }
            paid_seen.set(Some(paid));
        }
        Ok((page.items, page.next_cursor))
    };
    let reload = move || {
        if signed_in.get_untracked() {
            purchases.reload(fetch(None));
        }
    };
    Effect::new(move |_| {
        signed_in.track();
        reload();
    });
    let waiting = move || {
        purchases.data.with_untracked(|d| match d {
            Some(Ok(items)) => items.iter().any(|p| p.status == PurchaseStatus::Requested),
            _ => false,
        })
    };
    let poll = move || {
        if waiting() && !document().hidden() && !purchases.loading.get_untracked() {
            reload();
        }
    };
    if let Ok(handle) = set_interval_with_handle(poll, POLL) {
        on_cleanup(move || handle.clear());
    }
    let focus = window_event_listener(leptos::ev::focus, move |_| poll());
    on_cleanup(move || focus.remove());
    let more = move || {
        if let Some(c) = purchases.next.get_untracked() {
            purchases.more(fetch(Some(c)));
        }
    };

    let card = move |p: Package| {
        let featured = p.label.is_some();
        let (points, bonus, total) = (p.points, p.bonus_points, p.total_points);
        let price = (p.price_minor, p.currency.clone());
        let pick = p.clone();
        view! {
            <article class="card package-card" class:featured=featured data-testid="package">
                {p.label.clone().map(|l| view! { <span class="ribbon"><Icon svg=icons::SPARKLES /><bdi>{l}</bdi></span> })}
                <h2 class="package-name"><bdi dir="auto">{p.name.clone()}</bdi></h2>
                <p class="package-points">
                    <span class="num">{fmt.int(points)}</span>
                    <span class="unit">{i18n::POINTS_UNIT}</span>
                </p>
                {(bonus > 0).then(|| view! {
                    <p class="package-bonus"><Icon svg=icons::GIFT /><span>{i18n::bonus_points(&fmt.int(bonus))}</span></p>
                })}
                <p class="muted small">{i18n::you_receive(&fmt.int(total))}</p>
                <p class="package-price" data-testid="package-price">{money(fmt, price.0, &price.1)}</p>
                {move || if signed_in.get() {
                    let pick = pick.clone();
                    view! {
                        <button type="button" class=if featured { "btn btn-primary btn-block" } else { "btn btn-soft btn-block" }
                            data-testid="buy" on:click=move |_| picking.set(Some(pick.clone()))>
                            {i18n::BUY_PACKAGE}
                        </button>
                    }
                    .into_any()
                } else {
                    view! { <a class="btn btn-soft btn-block" href="/login?next=%2Fstore">{i18n::SIGN_IN_TO_BUY}</a> }.into_any()
                }}
            </article>
        }
    };

    view! {
        <div class="page store">
            <header class="page-head">
                <h1>{i18n::STORE_TITLE}</h1>
                <p class="muted">{i18n::STORE_SUBTITLE}</p>
            </header>
            <ol class="how-steps" aria-label=i18n::HOW_IT_WORKS>
                <li><span class="step-num">{move || fmt.int(1)}</span><span>{i18n::HOW_1}</span></li>
                <li><span class="step-num">{move || fmt.int(2)}</span><span>{i18n::HOW_2}</span></li>
                <li><span class="step-num">{move || fmt.int(3)}</span><span>{i18n::HOW_3}</span></li>
            </ol>
            {move || match packages.get() {
                None => view! { <div class="package-grid"><Skeleton lines=4 /><Skeleton lines=4 /><Skeleton lines=4 /></div> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <div class="card empty-state">
                        <Icon svg=icons::COIN class="empty-icon" />
                        <h2>{i18n::NO_PACKAGES}</h2>
                        <p class="muted">{i18n::NO_PACKAGES_HINT}</p>
                    </div>
                }
                .into_any(),
                Some(Ok(list)) => view! { <div class="package-grid">{list.into_iter().map(card).collect_view()}</div> }.into_any(),
            }}
            <Show when=move || signed_in.get()>
                <section class="card" aria-labelledby="my-purchases-title" data-testid="my-purchases">
                    <div class="card-title">
                        <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::LIST></span>
                        <h2 id="my-purchases-title">{i18n::MY_PURCHASES}</h2>
                    </div>
                    {move || waiting().then(|| how_to_pay.get().map(|(text, contact)| view! {
                        <div class="pay-box">
                            <p class="strong">{i18n::HOW_TO_PAY}</p>
                            <p class="pre-line" dir="auto">{text}</p>
                            {(!contact.trim().is_empty()).then(|| view! {
                                <p><span class="muted">{i18n::ADMIN_CONTACT} ": "</span><bdi dir="auto">{contact}</bdi></p>
                            })}
                        </div>
                    })).flatten()}
                    {move || match purchases.data.get() {
                        None => view! { <Skeleton lines=3 /> }.into_any(),
                        Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                        Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{i18n::NO_PURCHASES}</p> }.into_any(),
                        Some(Ok(items)) => view! {
                            <ul class="purchase-list">{items.into_iter().map(|p| purchase_row(p, fmt, how_to_pay, Callback::new(move |_| reload()))).collect_view()}</ul>
                        }
                        .into_any(),
                    }}
                    {load_more(purchases, more)}
                </section>
            </Show>
        </div>
        {move || picking.get().map(|p| view! {
            <PurchaseDialog
                package=p
                on_close=Callback::new(move |created: bool| {
                    picking.set(None);
                    if created {
                        reload();
                    }
                })
            />
        })}
    }
}

/// One purchase. While it waits for payment, its owner can open how to pay it (the amount, the
/// reference to quote, the instructions and the contact) and withdraw it.
fn purchase_row(
    p: Purchase,
    fmt: Fmt,
    how_to_pay: RwSignal<Option<(String, String)>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let (id, at, paid, total, status) = (p.id, p.created_at, p.paid_at, p.total_points, p.status);
    let price = (p.price_minor, p.currency.clone());
    let reference = p.reference.clone();
    let waiting = status == PurchaseStatus::Requested;
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let key = RwSignal::new(None::<String>);
    let cancel = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::store::cancel_mine(id, &k).await {
                Ok(_) => {
                    confirming.set(false);
                    on_changed.run(());
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    error.set(Some(error_text(&err, fmt)));
                }
            }
            busy.set(false);
        });
    };
    let pay_ref = reference.clone();
    view! {
        <li class="purchase-row" data-testid="purchase" data-status=status.as_str()>
            <div class="purchase-main">
                <p class="strong"><bdi dir="auto">{p.package_name.clone().unwrap_or_else(|| i18n::CUSTOM_AMOUNT.to_owned())}</bdi></p>
                <p class="purchase-meta">
                    <span>{i18n::REFERENCE} ": " <bdi class="ref-code" dir="ltr" data-testid="purchase-ref">{reference.clone()}</bdi></span>
                    <span>{money(fmt, price.0, &price.1)}</span>
                    <time datetime=at.to_rfc3339()>{fmt.date_time(&at)}</time>
                </p>
                {paid.map(|t| view! { <p class="small success-text">{i18n::paid_on(&fmt.date_time(&t))}</p> })}
                {p.note.clone().map(|n| view! { <p class="small muted"><bdi dir="auto">{n}</bdi></p> })}
                {waiting.then(|| view! {
                    <details class="pay-again" data-testid="pay-again">
                        <summary>{i18n::HOW_TO_PAY_THIS}</summary>
                        <p>{i18n::pay_this(&money(fmt, price.0, &price.1))}</p>
                        <p class="referral-code" dir="ltr">{pay_ref.clone()}</p>
                        <CopyButton text=pay_ref.clone() label=i18n::COPY_REFERENCE done=i18n::COPIED_REFERENCE />
                        {move || how_to_pay.get().map(|(text, contact)| view! {
                            <p class="pre-line" dir="auto">{text}</p>
                            {(!contact.trim().is_empty()).then(|| view! {
                                <p><span class="muted">{i18n::ADMIN_CONTACT} ": "</span><bdi dir="ltr">{contact}</bdi></p>
                            })}
                        })}
                    </details>
                    <div class="redemption-actions">
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! {
                                <button type="button" class="btn btn-outline-danger btn-sm" data-testid="cancel-purchase"
                                    on:click=move |_| confirming.set(true)>{i18n::CANCEL_REQUEST}</button>
                            }
                        >
                            <div class="inline-confirm" role="group">
                                <span>{i18n::CANCEL_PURCHASE_CONFIRM}</span>
                                <button type="button" class="btn btn-danger btn-sm" data-testid="confirm-cancel-purchase"
                                    disabled=move || busy.get() aria-busy=move || busy.get().to_string() on:click=cancel>
                                    {i18n::CANCEL_PURCHASE_YES}
                                </button>
                                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| confirming.set(false)>{i18n::KEEP_REQUEST}</button>
                            </div>
                        </Show>
                        {move || error.get().map(|m| view! { <p class="field-error" role="alert"><Icon svg=icons::ALERT /><span>{m}</span></p> })}
                    </div>
                })}
            </div>
            <div class="purchase-side">
                <span class="ledger-amount plus">{format!("\u{061C}+{}", fmt.int(total))}</span>
                <span class=purchase_tag(status)>{status.label_ar()}</span>
            </div>
        </li>
    }
}

/// Confirm the package, then show the reference, how to pay and whom to contact.
#[component]
fn PurchaseDialog(package: Package, on_close: Callback<bool>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let created = RwSignal::new(None::<PurchaseCreated>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let key = RwSignal::new(None::<String>);
    let id = package.id;
    let (points, bonus) = (package.points, package.bonus_points);
    let price = (package.price_minor, package.currency.clone());
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::store::request(id, &k).await {
                Ok(c) => created.set(Some(c)),
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    error.set(Some(error_text(&err, fmt)));
                }
            }
            busy.set(false);
        });
    };
    let close = Callback::new(move |_| on_close.run(created.with_untracked(Option::is_some)));
    view! {
        <Modal title=i18n::BUY_TITLE on_close=close>
            {move || match created.get() {
                None => {
                    let price = price.clone();
                    view! {
                        <div class="form">
                            <dl class="stat-list compact">
                                <div class="stat"><dt>{i18n::PACKAGE}</dt><dd><bdi dir="auto">{package.name.clone()}</bdi></dd></div>
                                <div class="stat"><dt>{i18n::POINTS_FIELD}</dt><dd>{fmt.int(points)} " " {i18n::POINTS_UNIT}</dd></div>
                                {(bonus > 0).then(|| view! { <div class="stat"><dt>{i18n::BONUS_FIELD}</dt><dd>{fmt.int(bonus)} " " {i18n::POINTS_UNIT}</dd></div> })}
                                <div class="stat"><dt>{i18n::PRICE}</dt><dd>{money(fmt, price.0, &price.1)}</dd></div>
                            </dl>
                            <p class="hint-box"><Icon svg=icons::INFO /><span>{i18n::BUY_NOTE}</span></p>
                            // A refusal (too many open requests, too many today) stays beside the button.
                            {move || error.get().map(|m| view! { <div data-testid="buy-error"><Notice message=m kind="error" /></div> })}
                            <div class="actions">
                                <button type="button" class="btn btn-primary" data-testid="confirm-buy" disabled=move || busy.get()
                                    aria-busy=move || busy.get().to_string() on:click=confirm>
                                    {move || if busy.get() { i18n::SENDING } else { i18n::CONFIRM_BUY }}
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=move |_| close.run(())>{i18n::CANCEL}</button>
                            </div>
                        </div>
                    }
                    .into_any()
                }
                Some(c) => {
                    let (reference, text, contact) = (c.reference.clone(), c.payment_instructions.clone(), c.admin_contact.clone());
                    let amount = money(fmt, c.purchase.price_minor, &c.purchase.currency);
                    let total = c.purchase.total_points;
                    let (r, t, ct) = (reference.clone(), text.clone(), contact.clone());
                    view! {
                        <div class="form purchase-created" data-testid="purchase-created">
                            <Notice message=i18n::BUY_DONE kind="success" />
                            <div class="ref-block">
                                <p class="code-label">{i18n::YOUR_REFERENCE}</p>
                                <p class="referral-code" dir="ltr" data-testid="purchase-reference">{reference}</p>
                                <CopyButton text=Signal::derive(move || r.clone()) label=i18n::COPY_REFERENCE done=i18n::COPIED_REFERENCE />
                            </div>
                            <dl class="stat-list compact">
                                <div class="stat"><dt>{i18n::AMOUNT_DUE}</dt><dd>{amount}</dd></div>
                                <div class="stat"><dt>{i18n::POINTS_AFTER_PAYMENT}</dt><dd>{fmt.int(total)} " " {i18n::POINTS_UNIT}</dd></div>
                            </dl>
                            <div class="pay-box">
                                <p class="strong">{i18n::HOW_TO_PAY}</p>
                                <p class="pre-line" dir="auto">{text}</p>
                                <CopyButton text=Signal::derive(move || t.clone()) label=i18n::COPY_INSTRUCTIONS done=i18n::COPIED_INSTRUCTIONS />
                            </div>
                            {(!contact.trim().is_empty()).then(|| view! {
                                <div class="pay-box">
                                    <p class="strong">{i18n::ADMIN_CONTACT}</p>
                                    <p><bdi dir="auto">{contact}</bdi></p>
                                    <CopyButton text=Signal::derive(move || ct.clone()) label=i18n::COPY_CONTACT done=i18n::COPIED_CONTACT />
                                </div>
                            })}
                            <div class="actions">
                                <button type="button" class="btn btn-primary" on:click=move |_| close.run(())>{i18n::DONE}</button>
                            </div>
                        </div>
                    }
                    .into_any()
                }
            }}
        </Modal>
    }
}
