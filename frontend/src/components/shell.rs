//! The frame around every page: header with navigation and account, footer, phone tab bar.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::notifications::NotificationBell;
use super::{icons, initial, Icon};
use crate::format::{Digits, Fmt};
use crate::pages::chat::{ChatUnread, ICON_CHAT};
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    let state = Memo::new(move |_| match (session.ready.get(), session.signed_in()) {
        (false, _) => 0u8,
        (true, true) => 1,
        (true, false) => 2,
    });
    view! {
        <header class="topbar">
            <div class="container topbar-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true" inner_html=icons::TROPHY></span>
                    <span class="brand-name">{i18n::APP_NAME}</span>
                </A>
                <Show when=move || state.get() == 1>
                    <nav class="nav-desktop" aria-label=i18n::MAIN_NAV>
                        <NavLinks phone=false />
                    </nav>
                </Show>
                <div class="topbar-end">
                    {move || match state.get() {
                        0 => view! { <span class="pill-skeleton" aria-hidden="true"></span> }.into_any(),
                        1 => view! {
                            <BalanceChip />
                            <NotificationBell />
                            <UserMenu />
                        }
                            .into_any(),
                        _ => view! {
                            <a class="btn btn-ghost btn-sm" href="/login">{i18n::NAV_LOGIN}</a>
                            <a class="btn btn-primary btn-sm" href="/register">{i18n::NAV_REGISTER}</a>
                        }
                            .into_any(),
                    }}
                </div>
            </div>
        </header>
    }
}

/// The main sections: in the header on wide screens (with the store, and administration for
/// admins; the profile is in the account menu there) and in the bottom tab bar on phones, where
/// six tabs are the most 360 px can hold: the store, "my redemptions", the profile and
/// administration sit behind "more" there.
#[component]
fn NavLinks(phone: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let admin = Memo::new(move |_| session.is_admin());
    view! {
        <A href="/" exact=true attr:class="nav-link">
            <Icon svg=icons::HOME />
            <span>{i18n::NAV_HOME}</span>
        </A>
        <A href="/competitions" attr:class="nav-link">
            <Icon svg=icons::TROPHY />
            <span>{i18n::NAV_COMPETITIONS}</span>
        </A>
        <A href="/leaderboard" attr:class="nav-link">
            <Icon svg=icons::MEDAL />
            <span>{i18n::NAV_LEADERBOARD}</span>
        </A>
        <A href="/points" attr:class="nav-link">
            <Icon svg=icons::COIN />
            <span>{i18n::NAV_POINTS}</span>
        </A>
        <A href="/rewards" attr:class="nav-link">
            <Icon svg=icons::GIFT />
            <span>{i18n::NAV_REWARDS}</span>
        </A>
        {if phone {
            view! { <MoreMenu /> }.into_any()
        } else {
            view! {
                <A href="/chat" attr:class="nav-link" {..} data-testid="chat-link">
                    <Icon svg=ICON_CHAT />
                    <span>{i18n::NAV_CHAT}</span>
                    <ChatUnread />
                </A>
                <A href="/store" attr:class="nav-link">
                    <Icon svg=icons::BAG />
                    <span>{i18n::NAV_STORE}</span>
                </A>
            }
            .into_any()
        }}
        <Show when=move || !phone && admin.get()>
            <A href="/admin" attr:class="nav-link" {..} data-testid="admin-link">
                <Icon svg=icons::SHIELD />
                <span>{i18n::NAV_ADMIN}</span>
            </A>
        </Show>
    }
}

#[component]
fn BalanceChip() -> impl IntoView {
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let balance = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.points_balance)));
    let amount = move || fmt.int(balance.get().unwrap_or_default());
    view! {
        <a
            class="balance-chip"
            href="/points"
            data-testid="balance"
            aria-label=move || format!("{}: {} {}", i18n::BALANCE_LABEL, amount(), i18n::POINTS_UNIT)
        >
            <span class="coin" aria-hidden="true" inner_html=icons::COIN></span>
            <span class="amount">{amount}</span>
            <span class="unit">{i18n::POINTS_UNIT}</span>
        </a>
    }
}

#[component]
fn UserMenu() -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let leaving = RwSignal::new(false);
    let name = Memo::new(move |_| {
        session
            .user
            .with(|u| {
                u.as_ref()
                    .map(|u| (u.display_name.clone(), u.username.clone()))
            })
            .unwrap_or_default()
    });
    let close = move || open.set(false);
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Ok(Some(el)) = document().query_selector(".avatar-button") {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        }
    };
    let sign_out = move |_| {
        if leaving.get_untracked() {
            return;
        }
        leaving.set(true);
        // Set before the session is cleared, so route guards leave the navigation to us.
        session.notice.set(Some(i18n::SIGNED_OUT));
        let navigate = navigate.clone();
        spawn_local(async move {
            api::auth::logout().await;
            leaving.set(false);
            open.set(false);
            navigate("/login", Default::default());
        });
    };
    view! {
        <div class="user-menu" on:keydown=on_key>
            <button
                type="button"
                class="avatar-button"
                aria-expanded=move || open.get().to_string()
                aria-controls=move || open.get().then_some("account-menu")
                aria-label=i18n::USER_MENU
                data-testid="user-menu"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="avatar" aria-hidden="true">
                    {move || initial(&name.get().0)}
                </span>
                <span class="chevron" aria-hidden="true" inner_html=icons::CHEVRON_DOWN></span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| close()></div>
                <div class="menu" id="account-menu">
                    <div class="menu-head">
                        <span class="avatar avatar-lg" aria-hidden="true">
                            {move || initial(&name.get().0)}
                        </span>
                        <div class="menu-id">
                            <bdi class="menu-name">{move || name.get().0}</bdi>
                            <bdi class="menu-handle" dir="ltr">
                                {move || format!("@{}", name.get().1)}
                            </bdi>
                        </div>
                    </div>
                    <a class="menu-item" href="/profile" on:click=move |_| close()>
                        <Icon svg=icons::USER />
                        <span>{i18n::NAV_PROFILE}</span>
                    </a>
                    <a class="menu-item" href="/my-competitions" on:click=move |_| close() data-testid="menu-my-competitions">
                        <Icon svg=icons::TROPHY />
                        <span>{i18n::MY_COMPETITIONS}</span>
                    </a>
                    <a class="menu-item" href="/redemptions" on:click=move |_| close()>
                        <Icon svg=icons::GIFT />
                        <span>{i18n::MY_REDEMPTIONS}</span>
                    </a>
                    <a class="menu-item" href="/friends" on:click=move |_| close()>
                        <Icon svg=icons::USERS />
                        <span>{i18n::NAV_FRIENDS}</span>
                    </a>
                    <Show when=move || session.is_admin()>
                        <a class="menu-item" href="/admin" on:click=move |_| close()>
                            <Icon svg=icons::SHIELD />
                            <span>{i18n::NAV_ADMIN}</span>
                        </a>
                    </Show>
                    <button
                        type="button"
                        class="menu-item danger"
                        data-testid="logout"
                        disabled=move || leaving.get()
                        on:click=sign_out.clone()
                    >
                        <Icon svg=icons::LOGOUT />
                        <span>
                            {move || if leaving.get() { i18n::SIGNING_OUT } else { i18n::NAV_LOGOUT }}
                        </span>
                    </button>
                </div>
            </Show>
        </div>
    }
}

/// "More" in the phone tab bar: the sections that do not fit as tabs, in a sheet above the bar.
#[component]
fn MoreMenu() -> impl IntoView {
    let session = expect_context::<Session>();
    let open = RwSignal::new(false);
    let location = leptos_router::hooks::use_location();
    // Navigating closes the sheet; the tab looks current when one of its pages is.
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    let here = Memo::new(move |_| {
        location.pathname.with(|p| {
            [
                "/store",
                "/redemptions",
                "/profile",
                "/admin",
                "/chat",
                "/friends",
            ]
            .iter()
            .any(|x| p.starts_with(x))
        })
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    let item = move |href: &'static str, svg: &'static str, label: &'static str| {
        view! {
            <a class="menu-item" href=href on:click=move |_| open.set(false)>
                <Icon svg=svg />
                <span>{label}</span>
            </a>
        }
    };
    view! {
        <div class="nav-more" on:keydown=on_key>
            <button
                type="button"
                class="nav-link more-button"
                aria-expanded=move || open.get().to_string()
                aria-controls=move || open.get().then_some("more-menu")
                aria-current=move || here.get().then_some("page")
                data-testid="more-menu"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <Icon svg=icons::MORE />
                <span>{i18n::NAV_MORE}</span>
                <ChatUnread />
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <div class="menu more-sheet" id="more-menu">
                    <a class="menu-item" href="/chat" data-testid="more-chat" on:click=move |_| open.set(false)>
                        <Icon svg=ICON_CHAT />
                        <span>{i18n::NAV_CHAT}</span>
                        <ChatUnread />
                    </a>
                    {item("/friends", icons::USERS, i18n::NAV_FRIENDS)}
                    {item("/store", icons::BAG, i18n::NAV_STORE)}
                    {item("/redemptions", icons::GIFT, i18n::MY_REDEMPTIONS)}
                    {item("/profile", icons::USER, i18n::NAV_PROFILE_SHORT)}
                    <Show when=move || session.is_admin()>
                        {item("/admin", icons::SHIELD, i18n::NAV_ADMIN)}
                    </Show>
                </div>
            </Show>
        </div>
    }
}

/// The phone tab bar (hidden on wide screens by CSS). A quiz runs full screen: the bar would cover
/// its buttons and invite leaving a timed attempt, so it is not there on `/competitions/:id/quiz`.
#[component]
pub fn BottomNav() -> impl IntoView {
    let session = expect_context::<Session>();
    let location = leptos_router::hooks::use_location();
    let in_quiz = Memo::new(move |_| location.pathname.with(|p| p.ends_with("/quiz")));
    view! {
        <Show when=move || session.signed_in() && !in_quiz.get()>
            <nav class="bottom-nav" aria-label=i18n::MAIN_NAV>
                <NavLinks phone=true />
            </nav>
        </Show>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <div class="container footer-inner">
                <p class="footer-brand">
                    <span class="brand-mark small" aria-hidden="true" inner_html=icons::TROPHY></span>
                    <span>{i18n::APP_NAME}</span>
                    <span class="muted">"— " {i18n::APP_TAGLINE}</span>
                </p>
                <DigitsSwitch group="digits-footer" />
            </div>
        </footer>
    }
}

/// The Arabic-Indic / Western digits setting, a native radio group (keyboard-friendly as is).
#[component]
pub fn DigitsSwitch(group: &'static str) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let option = move |digits: Digits, label: &'static str, id: String| {
        view! {
            <input
                type="radio"
                id=id.clone()
                name=group
                prop:checked=move || fmt.digits() == digits
                on:change=move |_| fmt.set_digits(digits)
            />
            <label for=id>{label}</label>
        }
    };
    view! {
        <fieldset class="segmented">
            <legend>{i18n::DIGITS_LABEL}</legend>
            <div class="segmented-options">
                {option(Digits::Arabic, i18n::DIGITS_ARABIC, format!("{group}-arab"))}
                {option(Digits::Western, i18n::DIGITS_WESTERN, format!("{group}-latn"))}
            </div>
        </fieldset>
    }
}
