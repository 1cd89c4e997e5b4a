use leptos::prelude::*;

use crate::components::{icons, set_title, Icon};
use crate::format::Fmt;
use crate::i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    set_title(i18n::NOT_FOUND_TITLE);
    view! {
        <div class="page">
            <section class="card empty-state not-found">
                <p class="big-code" aria-hidden="true">{move || fmt.int(404)}</p>
                <h1>{i18n::NOT_FOUND_TITLE}</h1>
                <p class="muted">{i18n::NOT_FOUND_TEXT}</p>
                <a class="btn btn-primary" href="/">
                    <Icon svg=icons::ARROW_BACK />
                    <span>{i18n::NOT_FOUND_HOME}</span>
                </a>
            </section>
        </div>
    }
}
