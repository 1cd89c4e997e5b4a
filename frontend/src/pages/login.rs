use domain::auth::LoginRequest;
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
pub fn Login() -> impl IntoView {
    set_title(i18n::LOGIN_TITLE);
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let query = use_query_map();
    let navigate = use_navigate();
    let next_raw = query.with_untracked(|q| q.get("next"));
    let asked_for_page = next_raw.is_some();
    let next = safe_next(next_raw);
    let notice = session.notice.get_untracked();
    session.notice.set(None);

    // Already signed in (or just became so): continue to where the person was going.
    {
        let navigate = navigate.clone();
        let next = next.clone();
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
    }

    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let form = FormState::new();
    // Set after a right password when the account has two-factor sign-in on.
    let challenge = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = LoginRequest {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            // On success the session's user is set and the effect above navigates away.
            match api::auth::login(&req).await {
                Ok(api::auth::LoginOutcome::TotpRequired { challenge: ch }) => {
                    challenge.set(Some(ch));
                }
                Ok(api::auth::LoginOutcome::SignedIn(_)) => {}
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };

    let on_code = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let Some(ch) = challenge.get_untracked() else {
            return;
        };
        let req = domain::totp::TotpLoginRequest {
            challenge: ch,
            code: code.get_untracked().trim().to_owned(),
        };
        form.start();
        spawn_local(async move {
            if let Err(err) = api::auth::login_totp(&req).await {
                // A spent or expired challenge: back to the password.
                if err.fields().contains_key("challenge") {
                    challenge.set(None);
                }
                form.failed(&err, fmt);
            }
            form.pending.set(false);
        });
    };

    let register_href = if asked_for_page {
        format!(
            "/register?next={}",
            String::from(js_sys::encode_uri_component(&next))
        )
    } else {
        "/register".to_owned()
    };

    view! {
        <AuthLayout title=i18n::LOGIN_TITLE subtitle=i18n::LOGIN_SUBTITLE>
            {notice.map(|n| view! { <Notice message=n kind="success" /> })}
            {(asked_for_page && notice.is_none())
                .then(|| view! { <Notice message=i18n::LOGIN_NEED_AUTH /> })}
            <Show
                when=move || challenge.get().is_some()
                fallback=move || view! {
                <form class="form" novalidate=true on:submit=on_submit data-testid="login-form">
                    <FormMessages form=form />
                    <Field
                        name="login"
                        label=i18n::LOGIN_FIELD
                        value=login
                        form=form
                        autocomplete="username"
                        dir="ltr"
                        autofocus=true
                    />
                    <Field
                        name="password"
                        label=i18n::PASSWORD_FIELD
                        value=password
                        form=form
                        kind="password"
                        autocomplete="current-password"
                        dir="ltr"
                    />
                    <p class="form-aside">
                        <a href="/forgot-password" data-testid="forgot-link">{i18n::FORGOT_LINK}</a>
                    </p>
                    <SubmitButton
                        label=i18n::LOGIN_SUBMIT
                        pending_label=i18n::LOGIN_PENDING
                        pending=form.pending
                        class="btn btn-primary btn-block btn-lg"
                    />
                </form>
                }
            >
                <form class="form" novalidate=true on:submit=on_code data-testid="totp-form">
                    <p class="muted">{i18n::TOTP_LOGIN_HINT}</p>
                    <FormMessages form=form />
                    <Field
                        name="code"
                        label=i18n::TOTP_CODE_FIELD
                        value=code
                        form=form
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        dir="ltr"
                        autofocus=true
                    />
                    <SubmitButton
                        label=i18n::TOTP_LOGIN_SUBMIT
                        pending_label=i18n::TOTP_LOGIN_PENDING
                        pending=form.pending
                        class="btn btn-primary btn-block btn-lg"
                    />
                </form>
            </Show>
            <p class="auth-switch">
                <span class="muted">{i18n::LOGIN_NO_ACCOUNT}</span>
                " "
                <a href=register_href>{i18n::NAV_REGISTER}</a>
            </p>
        </AuthLayout>
    }
}
