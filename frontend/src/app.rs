//! The frame around every page: the app-wide contexts (session, number formatting), the router,
//! the header, the footer and the phone navigation.

use leptos::prelude::*;
use leptos_router::components::Router;

use crate::chat_live::ChatLive;
use crate::components::shell::{BottomNav, Footer, Header};
use crate::format::Fmt;
use crate::i18n;
use crate::session::Session;

/// Moves keyboard focus into the content (the router would only scroll to it).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        if let Ok(main) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(main) {
            let _ = main.focus();
        }
    }
}

/// Pages fade in when the person moves between them, not on the first page of a visit: the app
/// replaces the splash with that page, and a fade there only delayed its first paint (the home
/// page's largest contentful paint, docs/FRONTEND.md). Marks `<html class="navigated">` at the
/// first change of address; the stylesheet animates `.page` only under it.
#[component]
fn PageTransitions() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // Compared with the address the visit began at: the router may report the same path more
    // than once while it starts (the signed-in home page was marked before anyone moved).
    let first = window().location().pathname().unwrap_or_default();
    Effect::new(move |_| {
        if location.pathname.with(|p| *p != first) {
            let _ = document()
                .document_element()
                .map(|html| html.class_list().add_1("navigated"));
        }
    });
}

/// The shell around `children`, which are the app's `<Routes>` (frontend/src/main.rs).
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    provide_context(Fmt::new());
    provide_context(Session::start());
    provide_context(ChatLive::start());

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>
                {i18n::SKIP_TO_CONTENT}
            </a>
            <PageTransitions />
            <Header />
            <crate::components::verify_banner::VerifyBanner />
            <main id="main" class="container main" tabindex="-1">
                {children()}
            </main>
            <Footer />
            <BottomNav />
            <crate::components::totp::StepUpDialog />
        </Router>
    }
}
