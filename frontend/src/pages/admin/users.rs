//! Admin → users: the directory (search, keyset pages), manual point awards and deductions, and
//! each user's ledger. A user's page is `?tab=users&user=ID` (links from alerts, held transfers
//! and linked accounts land there), shown over the directory.

use domain::users::{Role, User, UserStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::Paged;
use crate::api::ApiError;
use crate::components::kit::{self, Modal};
use crate::components::{
    icons, initial, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::pages::points::LedgerList;
use crate::{api, i18n};

#[component]
pub fn UsersPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let query = RwSignal::new(String::new());
    let data = RwSignal::new(None::<Result<Paged<User>, ApiError>>);
    let loading = RwSignal::new(false);
    // Answers to an older search must not overwrite a newer one.
    let generation = RwSignal::new(0u32);

    let fetch = move |q: String, cursor: Option<String>| {
        let gen = generation.get_untracked() + if cursor.is_none() { 1 } else { 0 };
        generation.set(gen);
        loading.set(true);
        spawn_local(async move {
            let result = api::admin::users(&q, cursor.as_deref()).await;
            if generation.try_get_untracked() != Some(gen) {
                return;
            }
            match (result, cursor.is_some()) {
                (Ok(page), true) => data.update(|d| {
                    if let Some(Ok(p)) = d {
                        p.items.extend(page.items);
                        p.next = page.next_cursor;
                    }
                }),
                (Ok(page), false) => data.set(Some(Ok(Paged {
                    items: page.items,
                    next: page.next_cursor,
                }))),
                (Err(e), _) => data.set(Some(Err(e))),
            }
            loading.set(false);
        });
    };
    fetch(String::new(), None);

    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        fetch(query.get_untracked(), None);
    };
    let more = move |_| {
        let next = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.next.clone(),
            _ => None,
        });
        if let Some(cursor) = next {
            fetch(query.get_untracked(), Some(cursor));
        }
    };

    // The user whose balance is being adjusted, or whose ledger is open.
    let award_for = RwSignal::new(None::<User>);
    let ledger_for = RwSignal::new(None::<User>);
    let detail_for = RwSignal::new(None::<User>);
    // `?user=ID` names the user whose page is open; the name buttons set it too, so "back"
    // and a reload keep the page.
    let params = use_query_map();
    // Stored so the row closures stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let wanted = Memo::new(move |_| {
        params
            .with(|q| q.get("user"))
            .and_then(|v| v.parse::<i64>().ok())
    });
    let open_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match wanted.get() {
        None => detail_for.set(None),
        Some(id) if detail_for.with_untracked(|d| d.as_ref().map(|u| u.id)) == Some(id) => {}
        Some(id) => {
            open_error.set(None);
            spawn_local(async move {
                match api::admin::user(id).await {
                    Ok(u) if wanted.try_get_untracked() == Some(Some(id)) => {
                        detail_for.set(Some(u))
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let _ = open_error.try_set(Some(kit::error_text(&err, fmt)));
                    }
                }
            });
        }
    });
    let open_user = move |u: User| {
        let path = format!("/admin?tab=users&user={}", u.id);
        detail_for.set(Some(u));
        let opts = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|nav| nav(&path, opts));
    };
    let close_user = move || {
        detail_for.set(None);
        if wanted.get_untracked().is_some() {
            let opts = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            navigate.with_value(|nav| nav("/admin?tab=users", opts));
        }
    };
    let awarded = move |user_id: i64, balance: i64| {
        data.update(|d| {
            if let Some(Ok(p)) = d {
                if let Some(u) = p.items.iter_mut().find(|u| u.id == user_id) {
                    u.points_balance = balance;
                }
            }
        });
    };

    let row = move |u: User| {
        let for_award = u.clone();
        let for_ledger = u.clone();
        // The name opens the user's page (profile, balance, histories).
        let for_detail = u.clone();
        let admin = u.role == Role::Admin;
        let active = u.status == UserStatus::Active;
        let created = u.created_at;
        let balance = u.points_balance;
        view! {
            <tr>
                <td>
                    <div class="user-cell">
                        <span class="avatar" aria-hidden="true">{initial(&u.display_name)}</span>
                        <div>
                            <button
                                type="button"
                                class="name-link"
                                data-testid="user-open"
                                title=i18n::USER_DETAILS_OPEN
                                on:click=move |_| open_user(for_detail.clone())
                            >
                                <bdi class="strong">{u.display_name.clone()}</bdi>
                            </button>
                            <bdi class="handle" dir="ltr">{format!("@{}", u.username)}</bdi>
                        </div>
                    </div>
                </td>
                <td data-label=i18n::ADMIN_COL_EMAIL><bdi dir="ltr" class="email">{u.email.clone()}</bdi></td>
                <td data-label=i18n::ADMIN_COL_ROLE>
                    <span class=if admin { "tag tag-violet" } else { "tag" }>
                        {if admin { i18n::ROLE_ADMIN } else { i18n::ROLE_USER }}
                    </span>
                </td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <span class=if active { "tag tag-green" } else { "tag tag-red" }>
                        {if active { i18n::STATUS_ACTIVE } else { i18n::STATUS_SUSPENDED }}
                    </span>
                </td>
                <td class="num" data-label=i18n::ADMIN_COL_BALANCE>{kit::int(fmt, balance)}</td>
                <td class="nowrap" data-label=i18n::ADMIN_COL_JOINED>{move || fmt.date(&created)}</td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    <button
                        type="button"
                        class="btn btn-soft btn-sm"
                        data-testid="award-open"
                        on:click=move |_| award_for.set(Some(for_award.clone()))
                    >
                        <Icon svg=icons::COIN />
                        <span>{i18n::AWARD_OPEN}</span>
                    </button>
                    <button
                        type="button"
                        class="btn btn-ghost btn-sm"
                        data-testid="ledger-open"
                        on:click=move |_| ledger_for.set(Some(for_ledger.clone()))
                    >
                        <Icon svg=icons::LIST />
                        <span>{i18n::LEDGER_OPEN}</span>
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        <div class="card">
            {move || open_error.get().map(|m| view! { <Notice message=m kind="error" /> })}
            <form class="search" role="search" on:submit=on_search>
                <label for="admin-q" class="sr-only">{i18n::ADMIN_SEARCH_LABEL}</label>
                <div class="search-box">
                    <Icon svg=icons::SEARCH />
                    <input
                        id="admin-q"
                        type="search"
                        dir="auto"
                        placeholder=i18n::ADMIN_SEARCH_PLACEHOLDER
                        autocomplete="off"
                        bind:value=query
                    />
                </div>
                <button type="submit" class="btn btn-primary">{i18n::ADMIN_SEARCH}</button>
            </form>
            {move || match data.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(err)) => view! {
                    <Notice message=err.message(|s| fmt.int(i64::from(s))) kind="error" />
                }
                .into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p class="empty-line">{i18n::ADMIN_NO_USERS}</p>
                }
                .into_any(),
                Some(Ok(page)) => {
                    let has_more = page.next.is_some();
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::ADMIN_USERS>
                            <table class="table" data-testid="users-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{i18n::ADMIN_COL_USER}</th>
                                        <th scope="col">{i18n::ADMIN_COL_EMAIL}</th>
                                        <th scope="col">{i18n::ADMIN_COL_ROLE}</th>
                                        <th scope="col">{i18n::ADMIN_COL_STATUS}</th>
                                        <th scope="col">{i18n::ADMIN_COL_BALANCE}</th>
                                        <th scope="col">{i18n::ADMIN_COL_JOINED}</th>
                                        <th scope="col">{i18n::ADMIN_COL_ACTIONS}</th>
                                    </tr>
                                </thead>
                                <tbody>{page.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                        {has_more.then(|| view! {
                            <div class="more">
                                <button type="button" class="btn btn-soft" disabled=move || loading.get() on:click=more>
                                    {i18n::LOAD_MORE}
                                </button>
                            </div>
                        })}
                    }
                    .into_any()
                }
            }}
        </div>
        {move || award_for.get().map(|u| view! {
            <AwardDialog
                user=u
                on_close=Callback::new(move |_| award_for.set(None))
                on_done=Callback::new(move |(id, balance)| awarded(id, balance))
            />
        })}
        {move || detail_for.get().map(|u| view! {
            <super::user_detail::UserDetail
                user=u
                on_close=Callback::new(move |_| close_user())
                on_changed=Callback::new(move |fresh: User| {
                    data.update(|d| {
                        if let Some(Ok(p)) = d {
                            if let Some(row) = p.items.iter_mut().find(|r| r.id == fresh.id) {
                                *row = fresh;
                            }
                        }
                    })
                })
            />
        })}
        {move || ledger_for.get().map(|u| view! {
            <Modal
                title=i18n::ledger_of(&u.display_name)
                on_close=Callback::new(move |_| ledger_for.set(None))
            >
                <LedgerList user_id=u.id />
            </Modal>
        })}
    }
}

/// Adds or deducts points with a mandatory reason (POST /admin/points/award, Idempotency-Key).
#[component]
pub(super) fn AwardDialog(
    user: User,
    on_close: Callback<()>,
    /// (user id, balance after)
    on_done: Callback<(i64, i64)>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let deduct = RwSignal::new(false);
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let key = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let user_id = user.id;
    let balance = user.points_balance;

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let Some(value) = kit::parse_int(&amount.get_untracked()).filter(|v| *v > 0) else {
            form.invalid([("amount".to_owned(), i18n::ERR_POSITIVE_NUMBER.to_owned())].into());
            return;
        };
        let req = domain::points::AwardRequest {
            user_id,
            amount: if deduct.get_untracked() {
                -value
            } else {
                value
            },
            reason: reason.get_untracked().trim().to_owned(),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        let k = kit::action_key(key);
        spawn_local(async move {
            match api::points::award(&req, &k).await {
                Ok(entry) => {
                    key.set(None);
                    on_done.run((user_id, entry.balance_after));
                    done.set(Some(i18n::award_done(
                        &fmt.int(entry.amount.abs()),
                        &fmt.int(entry.balance_after),
                        entry.amount < 0,
                    )));
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
        <Modal title=i18n::award_title(&user.display_name) on_close=on_close>
            {move || match done.get() {
                Some(message) => view! {
                    <div class="form" data-testid="award-done">
                        <Notice message=message kind="success" />
                        <div class="form-actions">
                            <button type="button" class="btn btn-primary" on:click=move |_| on_close.run(())>
                                {i18n::DONE}
                            </button>
                        </div>
                    </div>
                }
                .into_any(),
                None => view! {
                    <form class="form" novalidate=true on:submit=on_submit data-testid="award-form">
                        <p class="muted small">
                            {i18n::CURRENT_BALANCE} ": "
                            <strong>{kit::points(fmt, balance)}</strong>
                        </p>
                        <FormMessages form=form />
                        <fieldset class="segmented">
                            <legend>{i18n::AWARD_DIRECTION}</legend>
                            <div class="segmented-options">
                                <input type="radio" id="award-add" name="award-dir"
                                    prop:checked=move || !deduct.get() on:change=move |_| deduct.set(false) />
                                <label for="award-add">{i18n::AWARD_ADD}</label>
                                <input type="radio" id="award-deduct" name="award-dir"
                                    prop:checked=move || deduct.get() on:change=move |_| deduct.set(true) />
                                <label for="award-deduct">{i18n::AWARD_DEDUCT}</label>
                            </div>
                        </fieldset>
                        <Field name="amount" label=i18n::AMOUNT_FIELD value=amount form=form dir="ltr" inputmode="numeric" />
                        <kit::TextArea name="reason" label=i18n::REASON_FIELD value=reason form=form
                            hint=Signal::derive(|| i18n::REASON_HINT.to_owned()) />
                        <div class="form-actions">
                            <SubmitButton label=i18n::AWARD_SUBMIT pending_label=i18n::SAVING pending=form.pending />
                            <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>
                                {i18n::CANCEL}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </Modal>
    }
}
