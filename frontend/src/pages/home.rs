//! Home: a dashboard of the account for signed-in people, the product's front door otherwise.

use domain::users::{Role, User};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{icons, set_title, CopyButton, Icon, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n, storage};

/// Accounts younger than this, with nothing earned yet, get the welcome card.
const NEW_ACCOUNT_DAYS: i64 = 14;

#[component]
pub fn Home() -> impl IntoView {
    let session = expect_context::<Session>();
    let state = Memo::new(move |_| match (session.ready.get(), session.signed_in()) {
        (false, _) => 0u8,
        (true, true) => 1,
        (true, false) => 2,
    });
    move || match state.get() {
        0 => view! {
            <div class="page">
                <Skeleton lines=5 />
            </div>
        }
        .into_any(),
        1 => view! { <Dashboard /> }.into_any(),
        _ => view! { <Landing /> }.into_any(),
    }
}

#[component]
fn Landing() -> impl IntoView {
    set_title(i18n::APP_TAGLINE);
    let feature = |svg: &'static str,
                   title: &'static str,
                   text: &'static str,
                   tone: &'static str| {
        view! {
            <article class="card feature">
                <span class=format!("feature-icon tone-{tone}") aria-hidden="true" inner_html=svg></span>
                <h2>{title}</h2>
                <p class="muted">{text}</p>
            </article>
        }
    };
    view! {
        <div class="page landing">
            <section class="hero">
                <div class="hero-text">
                    <span class="badge">
                        <Icon svg=icons::SPARKLES />
                        <span>{i18n::HERO_BADGE}</span>
                    </span>
                    <h1>{i18n::HERO_TITLE}</h1>
                    <p class="hero-lead">{i18n::HERO_TEXT}</p>
                    <div class="hero-actions">
                        <a class="btn btn-primary btn-lg" href="/register">
                            {i18n::HERO_CTA_REGISTER}
                        </a>
                        <a class="btn btn-ghost btn-lg" href="/login">
                            {i18n::HERO_CTA_LOGIN}
                        </a>
                    </div>
                </div>
                <div class="hero-art" aria-hidden="true">
                    <div class="hero-orb"></div>
                    <div class="hero-coin" inner_html=icons::COIN></div>
                    <div class="hero-trophy" inner_html=icons::TROPHY></div>
                </div>
            </section>
            <Suspense>{Suspend::new(super::home_feed::visitor_feed())}</Suspense>
            <section class="features">
                {feature(icons::TROPHY, i18n::FEATURE_COMPETE_TITLE, i18n::FEATURE_COMPETE_TEXT, "violet")}
                {feature(icons::COIN, i18n::FEATURE_POINTS_TITLE, i18n::FEATURE_POINTS_TEXT, "gold")}
                {feature(icons::USERS, i18n::FEATURE_FRIENDS_TITLE, i18n::FEATURE_FRIENDS_TEXT, "teal")}
            </section>
        </div>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    set_title(i18n::NAV_HOME);
    let session = expect_context::<Session>();
    // Fresh figures on every visit; the session already holds the user, so nothing blanks out.
    // Not when the account has just been read (the start-up refresh or the sign-in answer carry
    // it): a page load reads the account once.
    if api::user_age_ms() > 5_000.0 {
        spawn_local(async {
            let _ = api::me::me().await;
        });
    }
    let user = Memo::new(move |_| session.user.get());
    move || user.get().map(|u| view! { <DashboardBody user=u /> })
}

fn welcome_key(id: i64) -> String {
    format!("musabaqati.welcome_dismissed.{id}")
}

#[component]
fn DashboardBody(user: User) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let hour = js_sys::Date::new_0().get_hours();
    let salutation = if (4..12).contains(&hour) {
        i18n::GREETING_MORNING
    } else {
        i18n::GREETING_EVENING
    };
    let age_days = (js_sys::Date::now() - user.created_at.timestamp_millis() as f64) / 86_400_000.0;
    let welcome = RwSignal::new(
        user.lifetime_earned == 0
            && age_days < NEW_ACCOUNT_DAYS as f64
            && storage::get(&welcome_key(user.id)).is_none(),
    );
    let user_id = user.id;
    let invite_link = format!(
        "{}/register?ref={}",
        window().location().origin().unwrap_or_default(),
        String::from(js_sys::encode_uri_component(&user.referral_code))
    );
    let is_admin = user.role == Role::Admin;
    let balance = user.points_balance;
    let earned = user.lifetime_earned;
    let created = user.created_at;
    let last_login = user.last_login_at;
    let code = user.referral_code.clone();

    view! {
        <div class="page dashboard">
            <header class="page-head">
                <h1>
                    {i18n::greeting(salutation)}
                    " "
                    <bdi>{user.display_name.clone()}</bdi>
                </h1>
                <p class="muted">{i18n::DASHBOARD_SUBTITLE}</p>
            </header>

            <Show when=move || welcome.get()>
                <section class="card welcome" data-testid="welcome">
                    <div class="welcome-icon" aria-hidden="true" inner_html=icons::SPARKLES></div>
                    <div class="welcome-body">
                        <h2>{i18n::WELCOME_TITLE}</h2>
                        <p>{i18n::WELCOME_TEXT}</p>
                        <ol class="steps">
                            <li class="done">
                                <Icon svg=icons::CHECK />
                                <span>{i18n::WELCOME_STEP_ACCOUNT}</span>
                            </li>
                            <li>
                                <Icon svg=icons::USER />
                                <a href="/profile">{i18n::WELCOME_STEP_PROFILE}</a>
                            </li>
                            <li>
                                <Icon svg=icons::GIFT />
                                <a href="#referral">{i18n::WELCOME_STEP_INVITE}</a>
                            </li>
                        </ol>
                    </div>
                    <button
                        type="button"
                        class="btn btn-ghost btn-sm welcome-dismiss"
                        on:click=move |_| {
                            storage::set(&welcome_key(user_id), "1");
                            welcome.set(false);
                        }
                    >
                        {i18n::WELCOME_DISMISS}
                    </button>
                </section>
            </Show>

            <div class="dash-grid">
                <section class="balance-card" aria-labelledby="balance-title">
                    <div class="balance-top">
                        <h2 id="balance-title">{i18n::BALANCE_CARD_TITLE}</h2>
                        <span class="balance-coin" aria-hidden="true" inner_html=icons::COIN></span>
                    </div>
                    <p class="balance-amount" data-testid="dashboard-balance">
                        <span class="num">{move || fmt.int(balance)}</span>
                        <span class="unit">{i18n::POINTS_UNIT}</span>
                    </p>
                    <p class="balance-sub">{i18n::BALANCE_AVAILABLE}</p>
                    <div class="balance-foot">
                        <Icon svg=icons::TRENDING />
                        <span>{i18n::LIFETIME_EARNED} ": "</span>
                        <strong>{move || fmt.int(earned)} " " {i18n::POINTS_UNIT}</strong>
                    </div>
                </section>

                <section class="card stats" aria-label=i18n::ACCOUNT_SUMMARY>
                    <dl class="stat-list">
                        <div class="stat">
                            <dt>
                                <Icon svg=icons::CALENDAR />
                                {i18n::MEMBER_SINCE}
                            </dt>
                            <dd>{move || fmt.date(&created)}</dd>
                        </div>
                        <div class="stat">
                            <dt>
                                <Icon svg=icons::CLOCK />
                                {i18n::LAST_LOGIN}
                            </dt>
                            <dd>
                                {move || match &last_login {
                                    Some(at) => fmt.relative(at),
                                    None => i18n::LAST_LOGIN_NOW.to_owned(),
                                }}
                            </dd>
                        </div>
                        <div class="stat">
                            <dt>
                                <Icon svg=icons::SHIELD />
                                {i18n::ACCOUNT_TYPE}
                            </dt>
                            <dd>
                                <span class=if is_admin { "tag tag-violet" } else { "tag" }>
                                    {if is_admin { i18n::ROLE_ADMIN } else { i18n::ROLE_USER }}
                                </span>
                            </dd>
                        </div>
                    </dl>
                    <nav class="stat-links" aria-label=i18n::QUICK_LINKS>
                        <a class="quick-link" href="/profile">
                            <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::USER></span>
                            <span>{i18n::QUICK_PROFILE}</span>
                            <span class="chev" aria-hidden="true">"‹"</span>
                        </a>
                        <a class="quick-link" href="/my-competitions">
                            <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::TROPHY></span>
                            <span>{i18n::MY_COMPETITIONS}</span>
                            <span class="chev" aria-hidden="true">"‹"</span>
                        </a>
                        {is_admin
                            .then(|| {
                                view! {
                                    <a class="quick-link" href="/admin">
                                        <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::SHIELD></span>
                                        <span>{i18n::QUICK_ADMIN}</span>
                                        <span class="chev" aria-hidden="true">"‹"</span>
                                    </a>
                                }
                            })}
                    </nav>
                </section>

                <super::next_competition::NextCompetition />
                <Suspense>{Suspend::new(super::home_feed::participant_feed())}</Suspense>

                <section class="card referral" id="referral" aria-labelledby="referral-title">
                    <div class="referral-about">
                        <div class="card-title">
                            <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::GIFT></span>
                            <h2 id="referral-title">{i18n::REFERRAL_TITLE}</h2>
                        </div>
                        <p class="muted">{i18n::REFERRAL_TEXT}</p>
                        <a href="/friends" data-testid="friends-link">{i18n::FRIENDS_DETAILS}</a>
                    </div>
                    <div class="referral-share">
                        <p class="code-label">{i18n::REFERRAL_CODE_LABEL}</p>
                        <p class="referral-code" dir="ltr" data-testid="referral-code">{code.clone()}</p>
                        <div class="actions">
                            <CopyButton text=code label=i18n::COPY_CODE done=i18n::COPIED_CODE />
                            <CopyButton
                                text=invite_link
                                label=i18n::COPY_LINK
                                done=i18n::COPIED_LINK
                                svg=icons::LINK
                            />
                        </div>
                    </div>
                </section>
            </div>
        </div>
    }
}
