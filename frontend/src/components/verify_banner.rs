//! The banner that asks a signed-in account to confirm its email, with a resend button. It
//! shows only when the `email_verification_required` setting is on (read once per page load,
//! and only for unverified accounts), since otherwise nothing waits on the address.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{icons, Icon};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn VerifyBanner() -> impl IntoView {
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let unverified = Memo::new(move |_| {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| !u.email_verified))
    });
    let required = RwSignal::new(false);
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        if unverified.get() && !asked.get_value() {
            asked.set_value(true);
            spawn_local(async move {
                if let Ok(s) = api::account::public_settings().await {
                    required.set(s.email_verification_required);
                }
            });
        }
    });
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let resend = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::account::resend_verification().await {
                Ok(sent) => {
                    message.set(Some((true, i18n::verify_sent(&sent.sent_to, &fmt.int(24)))))
                }
                Err(err) => {
                    let mut text = err.message(|s| fmt.int(i64::from(s)));
                    if let Some(secs) = err.retry_after() {
                        text.push(' ');
                        text.push_str(&i18n::retry_after(&fmt.relative_seconds(f64::from(secs))));
                    }
                    message.set(Some((false, text)));
                }
            }
            pending.set(false);
        });
    };
    view! {
        <Show when=move || unverified.get() && required.get()>
            <div class="container">
                <section class="verify-banner" role="region" aria-label=i18n::VERIFY_TITLE data-testid="verify-banner">
                    <Icon svg=icons::ALERT />
                    <p>{i18n::VERIFY_BANNER}</p>
                    <button
                        type="button"
                        class="btn btn-primary btn-sm"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().to_string()
                        on:click=resend
                    >
                        {move || if pending.get() { i18n::VERIFY_RESENDING } else { i18n::VERIFY_RESEND }}
                    </button>
                    <p class="verify-banner-note" aria-live="polite">
                        {move || {
                            message
                                .get()
                                .map(|(ok, text)| {
                                    view! {
                                        <span class=if ok { "ok" } else { "err" }>
                                            {text}
                                        </span>
                                    }
                                })
                        }}
                    </p>
                </section>
            </div>
        </Show>
    }
}
