//! The profile's «بياناتي» section: download everything as one JSON file, and delete the
//! account (typed confirmation, password, and a two-factor code when it is on).

use domain::account::DeleteAccountRequest;
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::components::{icons, Field, FormMessages, FormState, SubmitButton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn MyData() -> impl IntoView {
    view! {
        <section class="card my-data" aria-labelledby="my-data-title" data-testid="my-data">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::LIST></span>
                <h2 id="my-data-title">{i18n::MY_DATA_TITLE}</h2>
            </div>
            <Download />
            <DeleteAccount />
        </section>
    }
}

#[component]
fn Download() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let download = move |_| {
        if form.pending.get_untracked() {
            return;
        }
        form.start();
        spawn_local(async move {
            match api::account::download_export().await {
                Ok(()) => form.success.set(Some(i18n::EXPORT_DONE.to_owned())),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <div class="stack">
            <p class="muted card-text">{i18n::MY_DATA_TEXT}</p>
            <FormMessages form=form />
            <Show when=move || form.pending.get()>
                <progress class="export-progress" aria-label=i18n::EXPORT_PENDING></progress>
            </Show>
            <div class="form-actions">
                <button
                    type="button"
                    class="btn btn-ghost"
                    data-testid="export-data"
                    disabled=move || form.pending.get()
                    aria-busy=move || form.pending.get().to_string()
                    on:click=download
                >
                    <Show when=move || form.pending.get() fallback=|| i18n::EXPORT_BUTTON>
                        <span class="spinner" aria-hidden="true"></span>
                        <span>{i18n::EXPORT_PENDING}</span>
                    </Show>
                </button>
            </div>
        </div>
    }
}

/// Why the server refused: the pending items it named, one line each.
fn blocked_reasons(errors: &FieldErrors) -> Vec<String> {
    ["redemptions", "held_transfers", "purchases"]
        .iter()
        .filter_map(|k| errors.get(*k).cloned())
        .collect()
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let username = Memo::new(move |_| {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.username.clone()))
            .unwrap_or_default()
    });
    let confirm = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let totp_on = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(s) = api::totp::status().await {
            totp_on.set(s.enabled);
        }
    });
    let form = FormState::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = DeleteAccountRequest {
            password: password.get_untracked(),
            totp_code: totp_on
                .get_untracked()
                .then(|| code.get_untracked().trim().to_owned()),
        };
        let mut fields = req.validate().err().unwrap_or_default();
        if confirm.get_untracked().trim() != username.get_untracked() {
            fields.insert(
                "confirm".into(),
                i18n::ACCOUNT_DELETE_CONFIRM_MISMATCH.into(),
            );
        }
        if !fields.is_empty() {
            form.invalid(fields);
            return;
        }
        form.start();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::account::delete_account(&req).await {
                Ok(()) => {
                    // The notice first: forgetting the session lets the page guard move on.
                    session.notice.set(Some(i18n::ACCOUNT_DELETED));
                    api::forget();
                    navigate("/login", Default::default());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <div class="stack delete-account">
            <h3>{i18n::ACCOUNT_DELETE_TITLE}</h3>
            <p class="muted card-text">{i18n::ACCOUNT_DELETE_TEXT}</p>
            <p class="hint">{i18n::ACCOUNT_DELETE_BLOCKED_HINT}</p>
            <form class="form" novalidate=true on:submit=on_submit data-testid="delete-account-form">
                <FormMessages form=form />
                {move || {
                    let reasons = form.errors.with(blocked_reasons);
                    (!reasons.is_empty())
                        .then(|| {
                            view! {
                                <ul class="blocked-list" data-testid="delete-blocked">
                                    {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                </ul>
                            }
                        })
                }}
                <Field
                    name="confirm"
                    label=i18n::ACCOUNT_DELETE_CONFIRM_LABEL
                    value=confirm
                    form=form
                    dir="ltr"
                    hint=Signal::derive(move || i18n::account_delete_confirm_hint(&username.get()))
                />
                <Field
                    name="password"
                    label=i18n::ACCOUNT_DELETE_PASSWORD
                    value=password
                    form=form
                    kind="password"
                    autocomplete="current-password"
                    dir="ltr"
                />
                <Show when=move || totp_on.get()>
                    <Field
                        name="totp_code"
                        label=i18n::ACCOUNT_DELETE_TOTP
                        value=code
                        form=form
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        dir="ltr"
                    />
                </Show>
                <div class="form-actions">
                    <SubmitButton
                        label=i18n::ACCOUNT_DELETE_SUBMIT
                        pending_label=i18n::ACCOUNT_DELETE_PENDING
                        pending=form.pending
                        class="btn btn-danger"
                    />
                </div>
            </form>
        </div>
    }
}
