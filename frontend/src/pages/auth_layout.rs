//! The two-column frame of the login and register pages: the form, and on wide screens a panel
//! that says what the product is.

use leptos::prelude::*;

use crate::components::{icons, Icon};
use crate::i18n;

#[component]
pub fn AuthLayout(
    title: &'static str,
    subtitle: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="auth">
            <section class="card auth-card">
                <header class="auth-head">
                    <h1>{title}</h1>
                    <p class="muted">{subtitle}</p>
                </header>
                {children()}
            </section>
            <aside class="auth-panel" aria-hidden="true">
                <span class="auth-panel-mark" inner_html=icons::TROPHY></span>
                <p class="auth-panel-title">{i18n::AUTH_PANEL_TITLE}</p>
                <ul class="auth-points">
                    <li>
                        <Icon svg=icons::TROPHY />
                        <span>{i18n::AUTH_PANEL_POINT_1}</span>
                    </li>
                    <li>
                        <Icon svg=icons::COIN />
                        <span>{i18n::AUTH_PANEL_POINT_2}</span>
                    </li>
                    <li>
                        <Icon svg=icons::USERS />
                        <span>{i18n::AUTH_PANEL_POINT_3}</span>
                    </li>
                </ul>
            </aside>
        </div>
    }
}
