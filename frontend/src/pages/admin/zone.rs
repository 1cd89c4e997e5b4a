//! Dates and times in admin forms. The platform has no time-zone setting, so a
//! `datetime-local` field is read in the browser's zone; the form names that zone and reads the
//! chosen moment back in Arabic words beside the field ("الأحد، ٧ ديسمبر ٢٠٢٦ في ٣:٠٥ م").

use leptos::prelude::*;

use crate::components::kit::from_local_input;
use crate::format::Fmt;
use crate::i18n;

/// The browser's time zone by its Arabic name ("التوقيت العالمي المنسق", "توقيت السعودية"
/// as the browser's Intl data words it), or its IANA id if the browser has no such name.
pub fn browser_zone() -> String {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"timeZoneName".into(), &"long".into());
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&"ar".into()), &opts);
    let named = format
        .format_to_parts(&js_sys::Date::new_0())
        .iter()
        .find(|p| {
            js_sys::Reflect::get(p, &"type".into())
                .ok()
                .and_then(|t| t.as_string())
                .as_deref()
                == Some("timeZoneName")
        })
        .and_then(|p| js_sys::Reflect::get(&p, &"value".into()).ok())
        .and_then(|v| v.as_string());
    named.unwrap_or_else(|| {
        let resolved = format.resolved_options();
        js_sys::Reflect::get(&resolved, &"timeZone".into())
            .ok()
            .and_then(|z| z.as_string())
            .unwrap_or_else(|| "UTC".to_owned())
    })
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
