//! Admin → users → one user (`/admin?tab=users&user=ID`): profile, balance, suspend/reactivate,
//! role, balance adjustment (the users table's dialog), the investigation section
//! (`user_risk`), and their ledger, redemptions and purchases.

use domain::packages::Purchase;
use domain::rewards::Redemption;
use domain::users::{AdminUpdateUserRequest, Role, User, UserStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::user_edit::{AccountDialog, AccountDialogs};
use super::user_risk::UserRiskSection;
use super::users::AwardDialog;
use crate::components::commerce::{money, purchase_tag, redemption_tag, ActionDialog};
use crate::components::kit::{error_text, load_more, tab_id, Modal, Paged, Tabs};
use crate::components::{icons, initial, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::points::LedgerList;
use crate::{api, i18n};

const SECTIONS: &[(&str, &str)] = &[
    ("risk", i18n::INVESTIGATION),
    ("ledger", i18n::LEDGER_OPEN),
    ("redemptions", i18n::ADMIN_REDEMPTIONS),
    ("purchases", i18n::ADMIN_PURCHASES),
];

#[derive(Clone, Copy, PartialEq)]
enum Confirm {
    Status,
    Role,
}

#[component]
pub fn UserDetail(user: User, on_close: Callback<()>, on_changed: Callback<User>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let u = RwSignal::new(user);
    let id = u.with_untracked(|u| u.id);
    // The row may be stale: read the user again.
    spawn_local(async move {
        if let Ok(fresh) = api::admin::user(id).await {
            u.set(fresh);
        }
    });
    let section = RwSignal::new(0usize);
    let adjusting = RwSignal::new(false);
    let confirm = RwSignal::new(None::<Confirm>);
    let account = RwSignal::new(None::<AccountDialog>);
    let changed = move |fresh: User| {
        u.set(fresh.clone());
        on_changed.run(fresh);
    };
    let fact = move |label: &'static str, value: String| view! { <div class="stat"><dt>{label}</dt><dd>{value}</dd></div> };
    // One dialog at a time: the detail steps aside while a confirmation or the adjustment is
    // open, and comes back (lists re-read) when it closes.
    view! {
        <Show when=move || !adjusting.get() && confirm.get().is_none() && account.get().is_none()>
        <Modal title=i18n::USER_DETAILS on_close=on_close wide=true>
            <div class="user-detail" data-testid="user-detail">
                {move || u.with(|x| {
                    let admin = x.role == Role::Admin;
                    let active = x.status == UserStatus::Active;
                    view! {
                        <div class="profile-head">
                            <span class="avatar avatar-xl" aria-hidden="true">{initial(&x.display_name)}</span>
                            <div class="menu-id">
                                <bdi class="strong">{x.display_name.clone()}</bdi>
                                <bdi class="handle" dir="ltr">{format!("@{}", x.username)}</bdi>
                                <bdi class="email muted" dir="ltr">{x.email.clone()}</bdi>
                                <span class="tags">
                                    <span class=if admin { "tag tag-violet" } else { "tag" }>{if admin { i18n::ROLE_ADMIN } else { i18n::ROLE_USER }}</span>
                                    <span class=if active { "tag tag-green" } else { "tag tag-red" } data-testid="user-status">
                                        {if active { i18n::STATUS_ACTIVE } else { i18n::STATUS_SUSPENDED }}
                                    </span>
                                    <span class=if x.email_verified { "tag tag-green" } else { "tag" } data-testid="user-email-verified">
                                        {if x.email_verified { i18n::EMAIL_VERIFIED_TAG } else { i18n::EMAIL_UNVERIFIED_TAG }}
                                    </span>
                                </span>
                            </div>
                        </div>
                        <dl class="stat-list compact">
                            {fact(i18n::ADMIN_COL_BALANCE, format!("{} {}", fmt.int(x.points_balance), i18n::POINTS_UNIT))}
                            {fact(i18n::LIFETIME_EARNED, format!("{} {}", fmt.int(x.lifetime_earned), i18n::POINTS_UNIT))}
                            {fact(i18n::MEMBER_SINCE, fmt.date(&x.created_at))}
                            {fact(i18n::LAST_LOGIN, x.last_login_at.map(|t| fmt.date_time(&t)).unwrap_or_else(|| "—".to_owned()))}
                            {fact(i18n::REFERRAL_CODE, x.referral_code.clone())}
                        </dl>
                        <div class="actions">
                            <button type="button" class="btn btn-soft btn-sm" data-testid="detail-adjust" on:click=move |_| adjusting.set(true)>
                                <Icon svg=icons::COIN /><span>{i18n::AWARD_OPEN}</span>
                            </button>
                            <button type="button" class=if active { "btn btn-outline-danger btn-sm" } else { "btn btn-soft btn-sm" }
                                data-testid="toggle-status" on:click=move |_| confirm.set(Some(Confirm::Status))>
                                {if active { i18n::SUSPEND } else { i18n::REACTIVATE }}
                            </button>
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="toggle-role" on:click=move |_| confirm.set(Some(Confirm::Role))>
                                {if admin { i18n::MAKE_USER } else { i18n::MAKE_ADMIN }}
                            </button>
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="edit-user" on:click=move |_| account.set(Some(AccountDialog::Edit))>{i18n::EDIT_USER_OPEN}</button>
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="reset-link-open" on:click=move |_| account.set(Some(AccountDialog::ResetLink))>{i18n::RESET_LINK_OPEN}</button>
                        </div>
                    }
                })}
                <Tabs items=SECTIONS selected=section label=i18n::USER_SECTIONS prefix="usec" />
                <div role="tabpanel" id="usec-panel" aria-labelledby=tab_id(SECTIONS, "usec", section)>
                    {move || match section.get() {
                        0 => view! {
                            <UserRiskSection id=id
                                active=Signal::derive(move || u.with(|x| x.status == UserStatus::Active))
                                on_suspend=Callback::new(move |_| confirm.set(Some(Confirm::Status))) />
                        }
                        .into_any(),
                        1 => view! { <LedgerList user_id=id /> }.into_any(),
                        2 => view! { <UserRedemptions id=id /> }.into_any(),
                        _ => view! { <UserPurchases id=id /> }.into_any(),
                    }}
                </div>
            </div>
        </Modal>
        </Show>
        {move || adjusting.get().then(|| view! {
            <AwardDialog
                user=u.get_untracked()
                on_close=Callback::new(move |_| adjusting.set(false))
                on_done=Callback::new(move |(_, balance): (i64, i64)| {
                    let mut fresh = u.get_untracked();
                    fresh.points_balance = balance;
                    changed(fresh);
                    section.set(1);
                })
            />
        })}
        {move || account.get().is_some().then(|| view! { <AccountDialogs user=u.get_untracked() open=account on_changed=Callback::new(changed) /> })}
        {move || confirm.get().map(|c| {
            let form = FormState::new();
            let x = u.get_untracked();
            let (title, text, req) = match c {
                Confirm::Status if x.status == UserStatus::Active => (i18n::SUSPEND, i18n::SUSPEND_TEXT,
                    AdminUpdateUserRequest { status: Some(UserStatus::Suspended), ..Default::default() }),
                Confirm::Status => (i18n::REACTIVATE, i18n::REACTIVATE_TEXT,
                    AdminUpdateUserRequest { status: Some(UserStatus::Active), ..Default::default() }),
                Confirm::Role if x.role == Role::Admin => (i18n::MAKE_USER, i18n::MAKE_USER_TEXT,
                    AdminUpdateUserRequest { role: Some(Role::User), ..Default::default() }),
                Confirm::Role => (i18n::MAKE_ADMIN, i18n::MAKE_ADMIN_TEXT,
                    AdminUpdateUserRequest { role: Some(Role::Admin), ..Default::default() }),
            };
            let suspending = matches!(req.status, Some(UserStatus::Suspended));
            let danger = suspending || req.role == Some(Role::Admin);
            // Suspending asks for the reason the person will read when they try to sign in.
            let note_label = if suspending { i18n::SUSPEND_REASON } else { i18n::NOTE_OPTIONAL };
            view! {
                <ActionDialog title=format!("{title}: {}", x.display_name) text=text submit=title
                    field=("note", note_label, true)
                    class=if danger { "btn btn-danger" } else { "btn btn-primary" } form=form
                    on_close=Callback::new(move |_| confirm.set(None))
                    on_submit=Callback::new(move |note: String| {
                        form.start();
                        let mut req = req.clone();
                        req.note = (!note.is_empty()).then_some(note);
                        spawn_local(async move {
                            match api::admin::update_user(id, &req).await {
                                Ok(fresh) => {
                                    changed(fresh);
                                    confirm.set(None);
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    }) />
            }
        })}
    }
}

#[component]
fn UserRedemptions(id: i64) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let paged = Paged::<Redemption>::new();
    paged.reload(async move {
        api::rewards::of_user(id, None)
            .await
            .map(|p| (p.items, p.next_cursor))
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(async move {
                api::rewards::of_user(id, Some(&c))
                    .await
                    .map(|p| (p.items, p.next_cursor))
            });
        }
    };
    view! {
        {move || match paged.data.get() {
            None => view! { <Skeleton lines=3 /> }.into_any(),
            Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{i18n::NO_REDEMPTIONS}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="mini-list">
                    {items.into_iter().map(|r| {
                        let (at, cost) = (r.created_at, r.cost);
                        view! {
                            <li>
                                <div class="comp-cell">
                                    <bdi class="strong" dir="auto">{r.reward_name.clone()}</bdi>
                                    <span class="muted small">{fmt.date_time(&at)}</span>
                                </div>
                                <span class="num">{fmt.int(cost)}</span>
                                <span class=redemption_tag(r.status)>{r.status.label_ar()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        }}
        {load_more(paged, more)}
    }
}

#[component]
fn UserPurchases(id: i64) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let paged = Paged::<Purchase>::new();
    paged.reload(async move {
        api::store::of_user(id, None)
            .await
            .map(|p| (p.items, p.next_cursor))
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(async move {
                api::store::of_user(id, Some(&c))
                    .await
                    .map(|p| (p.items, p.next_cursor))
            });
        }
    };
    view! {
        {move || match paged.data.get() {
            None => view! { <Skeleton lines=3 /> }.into_any(),
            Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{i18n::NO_PURCHASES}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="mini-list">
                    {items.into_iter().map(|p| {
                        let (at, total) = (p.created_at, p.total_points);
                        let price = (p.price_minor, p.currency.clone());
                        view! {
                            <li>
                                <div class="comp-cell">
                                    <bdi class="ref-code strong" dir="ltr">{p.reference.clone()}</bdi>
                                    <span class="muted small">{fmt.date_time(&at)} " · " {money(fmt, price.0, &price.1)}</span>
                                </div>
                                <span class="num">{fmt.int(total)}</span>
                                <span class=purchase_tag(p.status)>{p.status.label_ar()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        }}
        {load_more(paged, more)}
    }
}
