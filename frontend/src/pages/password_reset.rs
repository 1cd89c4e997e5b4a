//! "Forgot password": ask for a link by email, then set a new password from the link.

use domain::auth::{PasswordResetConfirm, PasswordResetRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::auth_layout::AuthLayout;
use crate::components::{set_title, Field, FormMessages, FormState, Notice, SubmitButton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn ForgotPassword() -> impl IntoView {
    set_title(i18n::FORGOT_TITLE);
    let fmt = expect_context::<Fmt>();
    let email = RwSignal::new(String::new());
    let form = FormState::new();
    let sent = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = PasswordResetRequest {
            email: email.get_untracked().trim().to_owned(),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::auth::request_password_reset(&req).await {
                Ok(accepted) => sent.set(Some(accepted.message)),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <AuthLayout title=i18n::FORGOT_TITLE subtitle=i18n::FORGOT_SUBTITLE>
            {move || match sent.get() {
                Some(message) => view! {
                    <div class="stack" data-testid="forgot-sent">
                        <h2>{i18n::FORGOT_SENT_TITLE}</h2>
                        <Notice message=message kind="success" />
                        <p class="muted">{i18n::FORGOT_SPAM_HINT}</p>
                    </div>
                }
                .into_any(),
                None => view! {
                    <form class="form" novalidate=true on:submit=on_submit data-testid="forgot-form">
                        <FormMessages form=form />
                        <Field
                            name="email"
                            label=i18n::EMAIL_FIELD_LABEL
                            value=email
                            form=form
                            kind="email"
                            autocomplete="email"
                            dir="ltr"
                            autofocus=true
                        />
                        <SubmitButton
                            label=i18n::FORGOT_SUBMIT
                            pending_label=i18n::FORGOT_PENDING
                            pending=form.pending
                            class="btn btn-primary btn-block btn-lg"
                        />
                    </form>
                }
                .into_any(),
            }}
            <p class="auth-switch">
                <a href="/login">{i18n::BACK_TO_LOGIN}</a>
            </p>
        </AuthLayout>
    }
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    set_title(i18n::RESET_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .filter(|t| !t.trim().is_empty());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let form = FormState::new();
    let has_token = token.is_some();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = PasswordResetConfirm {
            token: token.clone().unwrap_or_default(),
            new_password: password.get_untracked(),
        };
        let mut fields = req.validate().err().unwrap_or_default();
        if !fields.contains_key("new_password") && req.new_password != confirm.get_untracked() {
            fields.insert("confirm_password".into(), i18n::PASSWORD_MISMATCH.into());
        }
        if !fields.is_empty() {
            form.invalid(fields);
            return;
        }
        form.start();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::confirm_password_reset(&req).await {
                Ok(()) => {
                    // Signed out everywhere, this browser included: on to sign in.
                    session.notice.set(Some(i18n::RESET_DONE));
                    navigate("/login", Default::default());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <AuthLayout title=i18n::RESET_TITLE subtitle=i18n::RESET_SUBTITLE>
            {if has_token {
                view! {
                    <form class="form" novalidate=true on:submit=on_submit data-testid="reset-form">
                        <FormMessages form=form />
                        <Field
                            name="new_password"
                            label=i18n::NEW_PASSWORD_FIELD
                            value=password
                            form=form
                            kind="password"
                            autocomplete="new-password"
                            dir="ltr"
                            autofocus=true
                        />
                        <Field
                            name="confirm_password"
                            label=i18n::CONFIRM_PASSWORD_FIELD
                            value=confirm
                            form=form
                            kind="password"
                            autocomplete="new-password"
                            dir="ltr"
                        />
                        <SubmitButton
                            label=i18n::RESET_SUBMIT
                            pending_label=i18n::RESET_PENDING
                            pending=form.pending
                            class="btn btn-primary btn-block btn-lg"
                        />
                    </form>
                }
                .into_any()
            } else {
                view! { <Notice message=i18n::RESET_NO_TOKEN kind="error" /> }.into_any()
            }}
            <p class="auth-switch">
                <a href="/forgot-password">{i18n::RESET_REQUEST_NEW}</a>
                " · "
                <a href="/login">{i18n::BACK_TO_LOGIN}</a>
            </p>
        </AuthLayout>
    }
}
