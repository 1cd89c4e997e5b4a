//! Before a package goes on sale: if the payment instructions are still the text the platform
//! ships with, or no contact for the administration is set, buyers would be told to pay with
//! placeholder instructions. The package form then asks once, in words, before it saves an
//! active package (new, or one that was hidden), and links to the settings.

use domain::settings::{ADMIN_CONTACT, PAYMENT_INSTRUCTIONS};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{icons, Icon};
use crate::{api, i18n};

/// Which payment settings are still at their defaults (Arabic labels), read once.
#[derive(Clone, Copy)]
pub struct PaymentDefaults {
    left: RwSignal<Vec<String>>,
    /// Shown, waiting for the admin's answer.
    pub asking: RwSignal<bool>,
    /// The admin chose to activate anyway.
    pub confirmed: RwSignal<bool>,
}

impl PaymentDefaults {
    pub fn load() -> Self {
        let this = Self {
            left: RwSignal::new(Vec::new()),
            asking: RwSignal::new(false),
            confirmed: RwSignal::new(false),
        };
        spawn_local(async move {
            if let Ok(list) = api::settings::list().await {
                let left = list
                    .items
                    .into_iter()
                    .filter(|s| {
                        (s.key == PAYMENT_INSTRUCTIONS && s.is_default)
                            || (s.key == ADMIN_CONTACT
                                && s.value.as_str().is_none_or(|v| v.trim().is_empty()))
                    })
                    .map(|s| s.label)
                    .collect();
                let _ = this.left.try_set(left);
            }
        });
        this
    }

    /// Whether saving must wait for the admin's confirmation: the package goes live (`active`,
    /// and it was not live before) while payment settings are at their defaults.
    pub fn must_ask(self, active: bool, was_active: bool) -> bool {
        let needed = active && !was_active && self.left.with_untracked(|l| !l.is_empty());
        if needed && !self.confirmed.get_untracked() {
            self.asking.set(true);
            return true;
        }
        false
    }
}

/// The question, inside the form: activating anyway is a submit button of the same form.
#[component]
pub fn PaymentDefaultsWarning(state: PaymentDefaults) -> impl IntoView {
    move || {
        state.asking.get().then(|| {
            let which = state.left.get().join("، ");
            view! {
                <div class="alert alert-warning package-warning" role="alert" data-testid="package-payment-warning">
                    <Icon svg=icons::ALERT />
                    <div>
                        <p class="strong">{i18n::PACKAGE_DEFAULTS_TITLE}</p>
                        <p>{i18n::package_defaults_text(&which)}</p>
                        <div class="actions">
                            <button type="submit" class="btn btn-primary" data-testid="activate-anyway"
                                on:click=move |_| state.confirmed.set(true)>
                                {i18n::PACKAGE_ACTIVATE_ANYWAY}
                            </button>
                            <a class="btn btn-ghost" href="/admin?tab=settings">{i18n::PACKAGE_REVIEW_SETTINGS}</a>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
