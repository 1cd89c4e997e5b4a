//! The profile's «التحقق بخطوتين» card: enrol (secret as text and a QR code drawn here),
//! confirm with a code, show the recovery codes once; turn it off with a code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::totp::qr_svg;
use crate::components::{icons, Field, FormMessages, FormState, SubmitButton};
use crate::format::Fmt;
use crate::i18n;

#[derive(Clone, PartialEq)]
enum Step {
    Loading,
    Off,
    /// Set up, waiting for the first code.
    Confirm {
        secret: String,
        qr: Option<String>,
    },
    /// Just enabled: the recovery codes, shown once.
    Codes(Vec<String>),
    On,
}

#[component]
pub fn TwoFactor() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let step = RwSignal::new(Step::Loading);
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    spawn_local(async move {
        match api::totp::status().await {
            Ok(s) if s.enabled => step.set(Step::On),
            _ => step.set(Step::Off),
        }
    });

    let start = move |_| {
        form.start();
        spawn_local(async move {
            match api::totp::setup().await {
                Ok(setup) => {
                    code.set(String::new());
                    step.set(Step::Confirm {
                        qr: qr_svg(&setup.otpauth_uri),
                        secret: setup.secret,
                    });
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let value = code.get_untracked().trim().to_owned();
        form.start();
        spawn_local(async move {
            match api::totp::enable(&value).await {
                Ok(codes) => step.set(Step::Codes(codes.recovery_codes)),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let disable = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let value = code.get_untracked().trim().to_owned();
        form.start();
        spawn_local(async move {
            match api::totp::disable(&value).await {
                Ok(()) => {
                    code.set(String::new());
                    step.set(Step::Off);
                    form.success.set(Some(i18n::TOTP_DISABLED.to_owned()));
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };

    let body = move || match step.get() {
        Step::Loading => ().into_any(),
        Step::Off => view! {
            <p class="muted card-text">{i18n::TOTP_OFF}</p>
            <FormMessages form=form />
            <button type="button" class="btn btn-primary" on:click=start data-testid="totp-start">
                {i18n::TOTP_START}
            </button>
        }
        .into_any(),
        Step::Confirm { secret, qr } => view! {
            <p class="muted card-text">{i18n::TOTP_SCAN}</p>
            {qr.map(|svg| view! { <div class="totp-qr" aria-hidden="true" inner_html=svg></div> })}
            <p>
                {i18n::TOTP_SECRET_LABEL} ": "
                <code dir="ltr" data-testid="totp-secret">{secret}</code>
            </p>
            <form class="form" novalidate=true on:submit=confirm data-testid="totp-enable-form">
                <FormMessages form=form />
                <Field
                    name="code"
                    label=i18n::TOTP_CODE_FIELD
                    value=code
                    form=form
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    dir="ltr"
                />
                <SubmitButton
                    label=i18n::TOTP_CONFIRM
                    pending_label=i18n::TOTP_LOGIN_PENDING
                    pending=form.pending
                    class="btn btn-primary"
                />
            </form>
        }
        .into_any(),
        Step::Codes(codes) => view! {
            <h3>{i18n::TOTP_RECOVERY_TITLE}</h3>
            <p class="muted card-text">{i18n::TOTP_RECOVERY_HINT}</p>
            <ul class="recovery-codes" dir="ltr" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <button type="button" class="btn" on:click=move |_| step.set(Step::On)>
                {i18n::TOTP_RECOVERY_DONE}
            </button>
        }
        .into_any(),
        Step::On => view! {
            <p class="card-text" data-testid="totp-on">{i18n::TOTP_ON}</p>
            <p class="muted">{i18n::TOTP_DISABLE_HINT}</p>
            <form class="form" novalidate=true on:submit=disable data-testid="totp-disable-form">
                <FormMessages form=form />
                <Field
                    name="code"
                    label=i18n::TOTP_CODE_FIELD
                    value=code
                    form=form
                    autocomplete="one-time-code"
                    dir="ltr"
                />
                <SubmitButton
                    label=i18n::TOTP_DISABLE
                    pending_label=i18n::TOTP_LOGIN_PENDING
                    pending=form.pending
                    class="btn btn-danger"
                />
            </form>
        }
        .into_any(),
    };

    view! {
        <section class="card" aria-labelledby="totp-title" data-testid="totp-card">
            <div class="card-title">
                <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::KEY></span>
                <h2 id="totp-title">{i18n::TOTP_SECTION}</h2>
            </div>
            <p class="muted card-text">{i18n::TOTP_INTRO}</p>
            {body}
        </section>
    }
}
