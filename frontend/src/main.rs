//! Musabaqati's single-page app: Arabic, right-to-left, rendered in the browser by Leptos.

mod api;
mod app;
mod components;
mod format;
mod i18n;
mod pages;
mod session;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // index.html paints a static splash while the WASM loads; the app replaces it now.
    if let Some(splash) = leptos::prelude::document().get_element_by_id("boot") {
        splash.remove();
    }
    // Lets the browser tests measure time-to-app next to first paint.
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("app-mounted");
    }
}
