//! Route guards. Written by hand rather than with `ProtectedRoute` because the redirect has to
//! carry the page the person wanted (`/login?next=/profile`) and the wait for the start-up refresh
//! should show a skeleton, not an empty page.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use super::{icons, Icon, Skeleton};
use crate::i18n;
use crate::session::Session;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Waiting,
    Anonymous,
    Forbidden,
    Allowed,
}

/// Renders `children` for a signed-in user (an admin when `admin` is set). Anonymous visitors are
/// sent to the login page, which brings them back afterwards.
#[component]
pub fn RequireAuth(#[prop(optional)] admin: bool, children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    // Only the transitions matter: a balance update must not rebuild the page and its forms.
    let gate = Memo::new(move |_| {
        if !session.ready.get() {
            Gate::Waiting
        } else if !session.signed_in() {
            Gate::Anonymous
        } else if admin && !session.is_admin() {
            Gate::Forbidden
        } else {
            Gate::Allowed
        }
    });
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        // A deliberate sign-out sets a notice first and navigates by itself.
        if gate.get() == Gate::Anonymous && session.notice.get_untracked().is_none() {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let next: String = js_sys::encode_uri_component(&here).into();
            navigate(
                &format!("/login?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || match gate.get() {
        Gate::Waiting | Gate::Anonymous => view! {
            <div class="page">
                <Skeleton lines=4 />
            </div>
        }
        .into_any(),
        Gate::Forbidden => view! {
            <div class="page">
                <section class="card empty-state">
                    <Icon svg=icons::SHIELD class="empty-icon" />
                    <h1>{i18n::FORBIDDEN_TITLE}</h1>
                    <p class="muted">{i18n::FORBIDDEN_TEXT}</p>
                    <a class="btn btn-primary" href="/">
                        {i18n::NOT_FOUND_HOME}
                    </a>
                </section>
            </div>
        }
        .into_any(),
        Gate::Allowed => children().into_any(),
    }
}

/// Only a same-site path may follow a login (and never the login or register page itself, which
/// would bounce forever); anything else falls back to home.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/login")
                && !n.starts_with("/register") =>
        {
            n
        }
        _ => "/".to_owned(),
    }
}
