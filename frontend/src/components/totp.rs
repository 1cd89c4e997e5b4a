//! The step-up dialog the request layer opens on 403 `step_up_required`, and the QR code of an
//! `otpauth://` URI.

use domain::totp::ConfirmRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::kit::Modal;
use super::{Field, FormMessages, FormState, SubmitButton};
use crate::api;
use crate::format::Fmt;
use crate::i18n;

/// The QR code of `data` as an SVG string (dark modules only; drawn from our own server's URI).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Mounted once in the shell; shown while the request layer waits for a confirmation.
#[component]
pub fn StepUpDialog() -> impl IntoView {
    let open = RwSignal::new(false);
    api::totp::bind_prompt(open);
    move || open.get().then(|| view! { <StepUpForm /> })
}

#[component]
fn StepUpForm() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let value = RwSignal::new(String::new());
    // Whether the account has TOTP on decides what to ask for.
    let with_code = LocalResource::new(|| async {
        api::totp::status()
            .await
            .map(|s| s.enabled)
            .unwrap_or(false)
    });
    let cancel = Callback::new(|_| api::totp::answer_step_up(false));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let code = with_code.get_untracked().unwrap_or(false);
        let text = value.get_untracked().trim().to_owned();
        let req = if code {
            ConfirmRequest {
                code: Some(text),
                password: None,
            }
        } else {
            ConfirmRequest {
                code: None,
                password: Some(text),
            }
        };
        form.start();
        spawn_local(async move {
            match api::totp::step_up(&req).await {
                Ok(_) => {
                    // Answering closes (disposes) this form: its signals are done with first.
                    form.pending.set(false);
                    api::totp::answer_step_up(true);
                }
                Err(err) => {
                    form.failed(&err, fmt);
                    form.pending.set(false);
                }
            }
        });
    };

    view! {
        <Modal title=i18n::STEP_UP_TITLE on_close=cancel>
            <Suspense>
                {move || with_code.get().map(|code| {
                    let (hint, name, label, kind, autocomplete) = if code {
                        (i18n::STEP_UP_HINT_CODE, "code", i18n::TOTP_CODE_FIELD, "text", "one-time-code")
                    } else {
                        (i18n::STEP_UP_HINT_PASSWORD, "password", i18n::PASSWORD_FIELD, "password", "current-password")
                    };
                    view! {
                        <form class="form" novalidate=true on:submit=on_submit data-testid="step-up-form">
                            <p class="muted">{hint}</p>
                            <FormMessages form=form />
                            <Field
                                name=name
                                label=label
                                value=value
                                form=form
                                kind=kind
                                autocomplete=autocomplete
                                dir="ltr"
                                inputmode=if code { "numeric" } else { "text" }
                            />
                            <div class="actions">
                                <SubmitButton
                                    label=i18n::STEP_UP_SUBMIT
                                    pending_label=i18n::TOTP_LOGIN_PENDING
                                    pending=form.pending
                                    class="btn btn-primary"
                                />
                                <button type="button" class="btn" on:click=move |_| cancel.run(())>
                                    {i18n::STEP_UP_CANCEL}
                                </button>
                            </div>
                        </form>
                    }
                })}
            </Suspense>
        </Modal>
    }
}
