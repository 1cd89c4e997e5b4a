//! Routes and the app-wide contexts (session, number formatting).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::guard::RequireAuth;
use crate::components::shell::{BottomNav, Footer, Header};
use crate::format::Fmt;
use crate::i18n;
use crate::pages::chat::{Chat, ChatLive};
use crate::pages::competitions::{CompetitionDetail, CompetitionList};
use crate::pages::friends::Friends;
use crate::pages::rewards::{MyRedemptions, Rewards};
use crate::pages::store::Store;
use crate::pages::{admin::Admin, home::Home, login::Login, not_found::NotFound};
use crate::pages::{leaderboard::Leaderboard, points::Points, quiz::Quiz};
use crate::pages::{profile::Profile, register::Register};
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

/// One function for `/admin` and `/admin/:section` (a closure each would be two view types).
fn admin_page() -> impl IntoView {
    view! { <RequireAuth admin=true><Admin /></RequireAuth> }
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(Fmt::new());
    provide_context(Session::start());
    provide_context(ChatLive::start());

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>
                {i18n::SKIP_TO_CONTENT}
            </a>
            <Header />
            <main id="main" class="container main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/login") view=Login />
                    <Route path=path!("/register") view=Register />
                    <Route
                        path=path!("/profile")
                        view=|| view! { <RequireAuth><Profile /></RequireAuth> }
                    />
                    <Route path=path!("/competitions") view=CompetitionList />
                    <Route path=path!("/competitions/:id") view=CompetitionDetail />
                    <Route
                        path=path!("/competitions/:id/quiz")
                        view=|| view! { <RequireAuth><Quiz /></RequireAuth> }
                    />
                    <Route path=path!("/leaderboard") view=Leaderboard />
                    <Route
                        path=path!("/points")
                        view=|| view! { <RequireAuth><Points /></RequireAuth> }
                    />
                    <Route path=path!("/rewards") view=Rewards />
                    <Route
                        path=path!("/redemptions")
                        view=|| view! { <RequireAuth><MyRedemptions /></RequireAuth> }
                    />
                    <Route path=path!("/store") view=Store />
                    <Route path=path!("/chat") view=Chat />
                    <Route path=path!("/chat/:id") view=Chat />
                    <Route
                        path=path!("/friends")
                        view=|| view! { <RequireAuth><Friends /></RequireAuth> }
                    />
                    <Route path=path!("/admin") view=admin_page />
                    <Route path=path!("/admin/:section") view=admin_page />
                </Routes>
            </main>
            <Footer />
            <BottomNav />
        </Router>
    }
}
