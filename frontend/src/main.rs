//! The app's routes. Pages other than the landing ones are lazy routes: their code is cut out of
//! the main WASM into modules the browser fetches on first visit (wasm-split; see
//! docs/FRONTEND.md), so the first download stays small however many pages the app has.

use frontend::app::Shell;
use frontend::components::guard::RequireAuth;
use frontend::pages::admin::Admin;
use frontend::pages::chat::Chat;
use frontend::pages::competitions::{CompetitionDetail, CompetitionList};
use frontend::pages::friends::Friends;
use frontend::pages::my_competitions::MyCompetitions;
use frontend::pages::password_reset::{ForgotPassword, ResetPassword};
use frontend::pages::public_profile::PublicProfilePage;
use frontend::pages::rewards::{MyRedemptions, Rewards};
use frontend::pages::verify_email::VerifyEmail;
use frontend::pages::{home::Home, login::Login, not_found::NotFound, register::Register};
use frontend::pages::{leaderboard::Leaderboard, points::Points, profile::Profile};
use frontend::pages::{quiz::Quiz, store::Store};
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use leptos_router::components::{Route, Routes};
use leptos_router::{path, Lazy, LazyRoute};

/// `lazy_page!(module, Route, loader, view)`: a route whose page is fetched on first visit.
/// Pages that share a `module` travel in one WASM module: fewer, larger modules than one per
/// page, so a visit needs fewer requests (each module's code that other modules also use goes
/// to shared chunks).
macro_rules! lazy_page {
    ($module:ident, $route:ident, $loader:ident, $view:expr) => {
        #[wasm_split($module, wasm_split_path = ::leptos::wasm_split)]
        fn $loader() -> AnyView {
            $view.into_any()
        }

        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $loader().await
            }
        }
    };
}

lazy_page!(welcome, LoginRoute, login_page, view! { <Login /> });
lazy_page!(
    welcome,
    ForgotRoute,
    forgot_page,
    view! { <ForgotPassword /> }
);
lazy_page!(welcome, ResetRoute, reset_page, view! { <ResetPassword /> });
lazy_page!(welcome, VerifyRoute, verify_page, view! { <VerifyEmail /> });
lazy_page!(
    welcome,
    RegisterRoute,
    register_page,
    view! { <Register /> }
);
lazy_page!(
    compete,
    CompetitionsRoute,
    competitions_page,
    view! { <CompetitionList /> }
);
lazy_page!(
    compete,
    ProfilePageRoute,
    public_profile_page,
    view! { <PublicProfilePage /> }
);
lazy_page!(
    compete,
    MyCompetitionsRoute,
    my_competitions_page,
    view! { <RequireAuth><MyCompetitions /></RequireAuth> }
);
lazy_page!(
    compete,
    CompetitionRoute,
    competition_page,
    view! { <CompetitionDetail /> }
);
lazy_page!(
    compete,
    QuizRoute,
    quiz_page,
    view! { <RequireAuth><Quiz /></RequireAuth> }
);
lazy_page!(
    compete,
    LeaderboardRoute,
    leaderboard_page,
    view! { <Leaderboard /> }
);
lazy_page!(
    account,
    ProfileRoute,
    profile_page,
    view! { <RequireAuth><Profile /></RequireAuth> }
);
lazy_page!(
    account,
    PointsRoute,
    points_page,
    view! { <RequireAuth><Points /></RequireAuth> }
);
lazy_page!(shop, RewardsRoute, rewards_page, view! { <Rewards /> });
lazy_page!(
    shop,
    RedemptionsRoute,
    redemptions_page,
    view! { <RequireAuth><MyRedemptions /></RequireAuth> }
);
lazy_page!(shop, StoreRoute, store_page, view! { <Store /> });
lazy_page!(social, ChatRoute, chat_page, view! { <Chat /> });
lazy_page!(
    social,
    FriendsRoute,
    friends_page,
    view! { <RequireAuth><Friends /></RequireAuth> }
);
lazy_page!(
    admin,
    AdminRoute,
    admin_page,
    view! { <RequireAuth admin=true><Admin /></RequireAuth> }
);

fn main() {
    frontend::start(|| {
        view! {
            <Shell>
                <Routes fallback=NotFound>
                    // The front door is in the main module: a lazy home page made the first
                    // visit wait for its module after the app had started (LCP, docs/FRONTEND.md).
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} />
                    <Route path=path!("/forgot-password") view={Lazy::<ForgotRoute>::new()} />
                    <Route path=path!("/reset-password") view={Lazy::<ResetRoute>::new()} />
                    <Route path=path!("/verify-email") view={Lazy::<VerifyRoute>::new()} />
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} />
                    <Route path=path!("/competitions") view={Lazy::<CompetitionsRoute>::new()} />
                    <Route path=path!("/u/:username") view={Lazy::<ProfilePageRoute>::new()} />
                    <Route path=path!("/my-competitions") view={Lazy::<MyCompetitionsRoute>::new()} />
                    <Route path=path!("/competitions/:id") view={Lazy::<CompetitionRoute>::new()} />
                    <Route path=path!("/competitions/:id/quiz") view={Lazy::<QuizRoute>::new()} />
                    <Route path=path!("/leaderboard") view={Lazy::<LeaderboardRoute>::new()} />
                    <Route path=path!("/points") view={Lazy::<PointsRoute>::new()} />
                    <Route path=path!("/rewards") view={Lazy::<RewardsRoute>::new()} />
                    <Route path=path!("/redemptions") view={Lazy::<RedemptionsRoute>::new()} />
                    <Route path=path!("/store") view={Lazy::<StoreRoute>::new()} />
                    <Route path=path!("/chat") view={Lazy::<ChatRoute>::new()} />
                    <Route path=path!("/chat/:id") view={Lazy::<ChatRoute>::new()} />
                    <Route path=path!("/friends") view={Lazy::<FriendsRoute>::new()} />
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} />
                    <Route path=path!("/admin/:section") view={Lazy::<AdminRoute>::new()} />
                </Routes>
            </Shell>
        }
    });
}
