//! Musabaqati's single-page app: Arabic, right-to-left, rendered in the browser by Leptos.
//!
//! This library holds the pages and the shell; the binary (`src/main.rs`) declares the routes,
//! most of them lazy, so each page's code is fetched on first visit.

pub mod api;
pub mod app;
pub mod chat_live;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod session;
pub mod storage;

use leptos::prelude::IntoView;

/// Mounts the app and removes the static splash `index.html` paints while the WASM loads.
pub fn start<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app);
    if let Some(splash) = leptos::prelude::document().get_element_by_id("boot") {
        splash.remove();
    }
    // Lets the browser tests measure time-to-app next to first paint.
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("app-mounted");
    }
}
