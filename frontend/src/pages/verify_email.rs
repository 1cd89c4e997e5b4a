//! The page an email-verification link opens: uses the token at once (signed in or not) and
//! says how it went.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::auth_layout::AuthLayout;
use crate::components::{set_title, Notice};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[derive(Clone, PartialEq)]
enum State {
    Working,
    Done(String),
    Failed(String),
}

#[component]
pub fn VerifyEmail() -> impl IntoView {
    set_title(i18n::VERIFY_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .filter(|t| !t.trim().is_empty());
    let state = RwSignal::new(State::Working);
    match token {
        None => state.set(State::Failed(i18n::VERIFY_NO_TOKEN.to_owned())),
        Some(token) => spawn_local(async move {
            match api::account::verify_email(&token).await {
                Ok(done) => {
                    state.set(State::Done(i18n::verify_done(&done.email)));
                    // The banner goes away for a signed-in owner.
                    session.user.update(|u| {
                        if let Some(u) = u.as_mut().filter(|u| u.email == done.email) {
                            u.email_verified = true;
                        }
                    });
                }
                Err(err) => {
                    let message = err
                        .fields()
                        .remove("token")
                        .unwrap_or_else(|| err.message(|s| fmt.int(i64::from(s))));
                    state.set(State::Failed(message));
                }
            }
        }),
    }
    view! {
        <AuthLayout title=i18n::VERIFY_TITLE subtitle=i18n::VERIFY_SUBTITLE>
            <div class="stack" data-testid="verify-result" aria-live="polite">
                {move || match state.get() {
                    State::Working => view! {
                        <p class="muted">
                            <span class="spinner" aria-hidden="true"></span>
                            " "
                            {i18n::VERIFY_PENDING}
                        </p>
                    }
                    .into_any(),
                    State::Done(message) => view! { <Notice message=message kind="success" /> }.into_any(),
                    State::Failed(message) => view! { <Notice message=message kind="error" /> }.into_any(),
                }}
            </div>
            <p class="auth-switch">
                {move || {
                    if session.signed_in() {
                        view! { <a href="/profile">{i18n::VERIFY_CONTINUE}</a> }.into_any()
                    } else {
                        view! { <a href="/login">{i18n::BACK_TO_LOGIN}</a> }.into_any()
                    }
                }}
                " · "
                <a href="/">{i18n::VERIFY_HOME}</a>
            </p>
        </AuthLayout>
    }
}
