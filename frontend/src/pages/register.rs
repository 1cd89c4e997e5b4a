use domain::auth::RegisterRequest;
use domain::validation::{PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::auth_layout::AuthLayout;
use crate::components::guard::safe_next;
use crate::components::{set_title, Field, FormMessages, FormState, Notice, SubmitButton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn Register() -> impl IntoView {
    set_title(i18n::REGISTER_TITLE);
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let query = use_query_map();
    let navigate = use_navigate();
    let next = safe_next(query.with_untracked(|q| q.get("next")));
    let referral_from_link = query
        .with_untracked(|q| q.get("ref"))
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());

    Effect::new(move |_| {
        if session.ready.get() && session.signed_in() {
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let referral = RwSignal::new(referral_from_link.clone().unwrap_or_default());
    let form = FormState::new();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let code = referral.get_untracked().trim().to_owned();
        let req = RegisterRequest {
            username: username.get_untracked().trim().to_owned(),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            display_name: display_name.get_untracked().trim().to_owned(),
            referral_code: (!code.is_empty()).then_some(code),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            if let Err(err) = api::auth::register(&req).await {
                form.failed(&err, fmt);
            }
            form.pending.set(false);
        });
    };

    let username_hint = Signal::derive(move || {
        i18n::username_hint(&fmt.count(USERNAME_MIN), &fmt.count(USERNAME_MAX))
    });
    let password_hint = Signal::derive(move || i18n::password_hint(&fmt.count(PASSWORD_MIN)));

    view! {
        <AuthLayout title=i18n::REGISTER_TITLE subtitle=i18n::REGISTER_SUBTITLE>
            {referral_from_link
                .is_some()
                .then(|| view! { <Notice message=i18n::REFERRAL_APPLIED kind="success" /> })}
            <form class="form" novalidate=true on:submit=on_submit data-testid="register-form">
                <FormMessages form=form />
                <Field
                    name="display_name"
                    label=i18n::DISPLAY_NAME_FIELD
                    value=display_name
                    form=form
                    autocomplete="nickname"
                    hint=Signal::derive(|| i18n::DISPLAY_NAME_HINT.to_owned())
                    autofocus=true
                />
                <Field
                    name="username"
                    label=i18n::USERNAME_FIELD
                    value=username
                    form=form
                    autocomplete="username"
                    dir="ltr"
                    hint=username_hint
                />
                <Field
                    name="email"
                    label=i18n::EMAIL_FIELD
                    value=email
                    form=form
                    kind="email"
                    autocomplete="email"
                    dir="ltr"
                />
                <Field
                    name="password"
                    label=i18n::PASSWORD_FIELD
                    value=password
                    form=form
                    kind="password"
                    autocomplete="new-password"
                    dir="ltr"
                    hint=password_hint
                />
                <Field
                    name="referral_code"
                    label=i18n::REFERRAL_FIELD
                    value=referral
                    form=form
                    dir="ltr"
                    hint=Signal::derive(|| i18n::REFERRAL_HINT.to_owned())
                />
                <SubmitButton
                    label=i18n::REGISTER_SUBMIT
                    pending_label=i18n::REGISTER_PENDING
                    pending=form.pending
                    class="btn btn-primary btn-block btn-lg"
                />
            </form>
            <p class="auth-switch">
                <span class="muted">{i18n::REGISTER_HAVE_ACCOUNT}</span>
                " "
                <a href="/login">{i18n::NAV_LOGIN}</a>
            </p>
        </AuthLayout>
    }
}
