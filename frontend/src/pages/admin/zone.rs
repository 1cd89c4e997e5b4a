//! Dates and times in admin forms. The platform has no time-zone setting, so a
//! `datetime-local` field is read in the browser's zone; the form names that zone and reads the
//! chosen moment back in Arabic words beside the field ("الأحد، ٧ ديسمبر ٢٠٢٦ في ٣:٠٥ م").

use leptos::prelude::*;

use crate::components::kit::from_local_input;
use crate::format::Fmt;
use crate::i18n;

/// The browser's IANA time zone ("Asia/Riyadh"), or "UTC" if it cannot be read.
pub fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}

/// The hint under a date-and-time field: the chosen moment in words and the zone it is in, or
/// just the zone while the field is empty or incomplete. `extra` is the field's own hint.
pub fn moment_hint(
    value: RwSignal<String>,
    fmt: Fmt,
    extra: Option<&'static str>,
) -> Signal<String> {
    let zone = browser_zone();
    Signal::derive(move || {
        let when = value.with(|v| from_local_input(v)).map_or_else(
            || i18n::zone_only(&zone),
            |at| i18n::moment_in_zone(&fmt.moment(&at), &zone),
        );
        match extra {
            Some(e) => format!("{when} {}", fmt.text(e)),
            None => when,
        }
    })
}
