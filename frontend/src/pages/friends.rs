//! /friends — Friend Challenge (تحدي الصديق): the person's code and invite link (copy, WhatsApp),
//! the bonuses from the settings, how it works, and the friends they invited with each one's status
//! and the points it earned them (GET /api/v1/referrals).

use std::time::Duration;

use domain::referrals::{InvitedFriend, ReferralStatus, ReferralSummary};
use js_sys::Reflect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;
use crate::components::kit::{self, error_text};
use crate::components::{icons, initial, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::chat::MessageButton;
use crate::{api, i18n};

/// The colour of a referral status.
pub fn status_class(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Pending => "tag",
        ReferralStatus::Qualified => "tag tag-gold",
        ReferralStatus::Rewarded => "tag tag-green",
        ReferralStatus::Rejected => "tag tag-red",
        ReferralStatus::Flagged => "tag tag-violet",
    }
}

/// Copies `text` with the Clipboard API where the page may use it (secure origins), otherwise —
/// or when the browser refuses — through a selected off-screen textarea and `execCommand`.
async fn copy_text(text: &str) -> bool {
    let navigator = window().navigator();
    let has_api = Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_api
        && JsFuture::from(navigator.clipboard().write_text(text))
            .await
            .is_ok()
    {
        return true;
    }
    let doc = document();
    let (Ok(el), Some(body)) = (doc.create_element("textarea"), doc.body()) else {
        return false;
    };
    el.set_text_content(Some(text));
    let _ = el.set_attribute("readonly", "");
    let _ = el.set_attribute("style", "position:fixed;inset-block-start:0;opacity:0");
    if body.append_child(&el).is_err() {
        return false;
    }
    if let Ok(select) = Reflect::get(&el, &JsValue::from_str("select")) {
        let _ = js_sys::Function::from(select).call0(&el);
    }
    let copied = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    el.remove();
    copied
}

#[component]
pub fn Friends() -> impl IntoView {
    set_title(i18n::FRIENDS_TITLE);
    let fmt = expect_context::<Fmt>();
    let data = RwSignal::new(None::<Result<ReferralSummary, ApiError>>);
    spawn_local(async move {
        let result = api::referrals::summary().await;
        data.set(Some(result));
    });
    view! {
        <div class="page friends">
            <header class="page-head">
                <h1>{i18n::FRIENDS_TITLE}</h1>
                <p class="muted">{i18n::FRIENDS_SUBTITLE}</p>
            </header>
            {move || match data.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(e)) => view! { <Notice message=error_text(&e, fmt) kind="error" /> }.into_any(),
                Some(Ok(summary)) => view! { <FriendsBody summary=summary /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn FriendsBody(summary: ReferralSummary) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let link = format!(
        "{}{}",
        window().location().origin().unwrap_or_default(),
        summary.share_path
    );
    let whatsapp = format!(
        "https://wa.me/?text={}",
        String::from(js_sys::encode_uri_component(&i18n::whatsapp_text(&link)))
    );
    // 0 idle, 1 copied, 2 copying failed (the link is selected for a manual copy)
    let copied = RwSignal::new(0u8);
    let to_copy = link.clone();
    let copy = move |_| {
        let text = to_copy.clone();
        spawn_local(async move {
            let ok = copy_text(&text).await;
            copied.set(if ok { 1 } else { 2 });
            if !ok {
                if let Ok(Some(input)) = document().query_selector("#invite-link") {
                    if let Ok(select) = Reflect::get(&input, &JsValue::from_str("select")) {
                        let _ = js_sys::Function::from(select).call0(&input);
                    }
                }
            }
            set_timeout(
                move || {
                    if copied.try_get_untracked() == Some(1) {
                        copied.set(0);
                    }
                },
                Duration::from_millis(2500),
            );
        });
    };
    let select_all = |ev: leptos::ev::FocusEvent| {
        if let Some(t) = ev.target() {
            if let Ok(select) = Reflect::get(&t, &JsValue::from_str("select")) {
                let _ = js_sys::Function::from(select).call0(&t);
            }
        }
    };
    let (you, friend) = (summary.referrer_bonus, summary.referee_bonus);
    let stats = [
        (i18n::STAT_INVITED, summary.total_invited, false),
        (i18n::STAT_REWARDED, summary.total_rewarded, false),
        (i18n::STAT_EARNED, summary.total_points_earned, true),
    ];
    let invited = summary.invited;

    view! {
        <div class="friends-grid">
            <section class="card share-card" aria-labelledby="share-title">
                <div class="card-title">
                    <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::GIFT></span>
                    <h2 id="share-title">{i18n::SHARE_LINK}</h2>
                </div>
                <p class="code-label">{i18n::YOUR_CODE}</p>
                <p class="referral-code" dir="ltr" data-testid="friends-code">{summary.code}</p>
                <label class="label-like" for="invite-link">{i18n::SHARE_LINK}</label>
                <div class="share-row">
                    <input
                        id="invite-link"
                        class="share-input"
                        type="text"
                        dir="ltr"
                        readonly=true
                        prop:value=link
                        on:focus=select_all
                        data-testid="invite-link"
                    />
                    <button type="button" class="btn btn-primary" data-testid="copy-link" on:click=copy>
                        <span class="icon" aria-hidden="true"
                            inner_html=move || if copied.get() == 1 { icons::CHECK } else { icons::COPY }></span>
                        <span>{move || if copied.get() == 1 { i18n::COPIED } else { i18n::COPY }}</span>
                    </button>
                </div>
                <p class="copy-status" class:danger-text=move || copied.get() == 2 role="status" data-testid="copy-status">
                    {move || match copied.get() {
                        1 => Some(view! { <Icon svg=icons::CHECK /> <span>{i18n::COPIED}</span> }.into_any()),
                        2 => Some(view! { <Icon svg=icons::ALERT /> <span>{i18n::COPY_BY_HAND}</span> }.into_any()),
                        _ => None,
                    }}
                </p>
                <a class="btn btn-soft btn-block" href=whatsapp target="_blank" rel="noopener noreferrer" data-testid="share-whatsapp">
                    <Icon svg=icons::LINK />
                    <span>{i18n::SHARE_WHATSAPP}</span>
                </a>
            </section>

            <section class="card bonus-card" aria-labelledby="bonus-title">
                <div class="card-title">
                    <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::COIN></span>
                    <h2 id="bonus-title">{i18n::BONUSES_TITLE}</h2>
                </div>
                <div class="bonus-pair" data-testid="bonuses">
                    <p><span class="muted">{i18n::BONUS_YOU}</span><strong>{kit::points(fmt, you)}</strong></p>
                    <p><span class="muted">{i18n::BONUS_FRIEND}</span><strong>{kit::points(fmt, friend)}</strong></p>
                </div>
                <p class="muted small">{i18n::BONUS_WHEN}</p>
                <h3 class="how-title">{i18n::FRIENDS_HOW}</h3>
                <ol class="how-steps">
                    {[i18n::FRIENDS_STEP_1, i18n::FRIENDS_STEP_2, i18n::FRIENDS_STEP_3]
                        .into_iter()
                        .enumerate()
                        .map(|(i, step)| view! {
                            <li><span class="step-num" aria-hidden="true">{kit::int(fmt, i as i64 + 1)}</span><span>{step}</span></li>
                        })
                        .collect_view()}
                </ol>
                <p class="hint-box small"><Icon svg=icons::SHIELD /><span>{i18n::FAIR_PLAY}</span></p>
            </section>
        </div>

        <section class="card invited-card" aria-labelledby="invited-title">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::USERS></span>
                <h2 id="invited-title">{i18n::INVITED_FRIENDS}</h2>
            </div>
            <dl class="friend-stats" data-testid="friend-stats">
                {stats.into_iter().map(|(label, n, pts)| view! {
                    <div>
                        <dt>{label}</dt>
                        <dd>{move || if pts { kit::points_text(fmt, n) } else { fmt.int(n) }}</dd>
                    </div>
                }).collect_view()}
            </dl>
            {if invited.is_empty() {
                view! {
                    <div class="empty-state compact">
                        <Icon svg=icons::USERS class="empty-icon" />
                        <p class="strong">{i18n::NO_FRIENDS}</p>
                        <p class="muted">{i18n::NO_FRIENDS_HINT}</p>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <ul class="friend-list" data-testid="friend-list">
                        {invited.into_iter().map(|f| friend_row(f, fmt)).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

fn friend_row(f: InvitedFriend, fmt: Fmt) -> impl IntoView {
    let joined = f.joined_at;
    let qualified = f.qualified_at;
    let earned = f.points_earned;
    view! {
        <li class="friend-row" data-testid="friend-row">
            <span class="avatar" aria-hidden="true">{initial(&f.display_name)}</span>
            <div class="friend-main">
                <bdi class="strong">{f.display_name.clone()}</bdi>
                <bdi class="handle" dir="ltr">{format!("@{}", f.username)}</bdi>
                <p class="muted small">
                    {move || match &qualified {
                        Some(at) => i18n::qualified_on(&fmt.date(at)),
                        None => i18n::joined_on(&fmt.date(&joined)),
                    }}
                </p>
            </div>
            <div class="friend-side">
                <span class=status_class(f.status) data-testid="friend-status">{f.status.label_ar()}</span>
                {(earned > 0).then(|| view! {
                    <strong class="success-text">{move || crate::pages::points::signed(fmt, earned)} " " {i18n::POINTS_UNIT}</strong>
                })}
            </div>
            <MessageButton username=f.username.clone() name=f.display_name.clone() />
        </li>
    }
}
