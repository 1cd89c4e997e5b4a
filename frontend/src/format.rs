//! Numbers and dates for Arabic readers, in the digits the person chose (Arabic-Indic ٠١٢ or
//! Western 012). Integers are grouped here (cheap and exact); dates and relative times go through
//! the browser's `Intl`, which knows Arabic month names and plural forms (دقيقة، دقيقتان، دقائق).

use chrono::{DateTime, Utc};
use js_sys::{Array, Date, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::storage;

const DIGITS_KEY: &str = "musabaqati.digits";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// ٠١٢٣٤٥٦٧٨٩ — the default for an Arabic-first product.
    Arabic,
    /// 0123456789
    Western,
}

impl Digits {
    fn load() -> Self {
        match storage::get(DIGITS_KEY).as_deref() {
            Some("latn") => Self::Western,
            _ => Self::Arabic,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Arabic => "arab",
            Self::Western => "latn",
        }
    }

    /// BCP 47 locale for `Intl`: Arabic, Gregorian calendar, the chosen numbering system.
    fn locale(self) -> &'static str {
        match self {
            Self::Arabic => "ar-u-ca-gregory-nu-arab",
            Self::Western => "ar-u-ca-gregory-nu-latn",
        }
    }
}

/// The formatter, shared through context. Reading it inside a reactive closure subscribes to the
/// digits setting, so every number on screen switches at once.
#[derive(Clone, Copy)]
pub struct Fmt {
    digits: RwSignal<Digits>,
}

impl Fmt {
    pub fn new() -> Self {
        Self {
            digits: RwSignal::new(Digits::load()),
        }
    }

    pub fn digits(self) -> Digits {
        self.digits.get()
    }

    pub fn set_digits(self, digits: Digits) {
        storage::set(DIGITS_KEY, digits.code());
        self.digits.set(digits);
    }

    /// Rewrites ASCII digits in our own or the server's messages ("بين 3 و30 حرفًا"), with a
    /// decimal point between digits as the Arabic decimal separator («9.99» → «٩٫٩٩»). Codes the
    /// server isolated left-to-right (`domain::text::ltr`, e.g. a purchase reference) are left
    /// exactly as they are: a reference must read `MQ-74ZWE7` wherever it is quoted.
    pub fn text(self, text: &str) -> String {
        match self.digits() {
            Digits::Western => text.to_owned(),
            Digits::Arabic => arabic_digits(text),
        }
    }

    /// An integer with thousands grouping: ١٢٬٣٤٥ or 12,345.
    pub fn int(self, value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let (sep, arabic) = match self.digits() {
            Digits::Arabic => ('\u{066C}', true),
            Digits::Western => (',', false),
        };
        let mut out = String::with_capacity(digits.len() * 3);
        if value < 0 {
            // A leading ARABIC LETTER MARK keeps the minus sign before the number in RTL text.
            out.push('\u{061C}');
            out.push('-');
        }
        let len = digits.len();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (len - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(if arabic { to_arabic_digit(c) } else { c });
        }
        out
    }

    pub fn count(self, value: usize) -> String {
        self.int(i64::try_from(value).unwrap_or(i64::MAX))
    }

    /// "١٢ نوفمبر ٢٠٢٥"
    pub fn date(self, at: &DateTime<Utc>) -> String {
        let opts = options(&[("day", "numeric"), ("month", "long"), ("year", "numeric")]);
        js_date(at)
            .to_locale_date_string(self.digits().locale(), &opts)
            .into()
    }

    /// "١٢ نوفمبر" for a calendar day (chart axes); the day is read in UTC, as the API sends it.
    pub fn day_month(self, day: &chrono::NaiveDate) -> String {
        let noon = day
            .and_hms_opt(12, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis());
        let opts = options(&[("day", "numeric"), ("month", "long"), ("timeZone", "UTC")]);
        Date::new(&JsValue::from_f64(noon as f64))
            .to_locale_date_string(self.digits().locale(), &opts)
            .into()
    }

    /// A length of time in words with Arabic plural forms ("٥ دقائق", "ساعتان", "٩٠ ثانية"):
    /// whole hours or minutes when it divides evenly, seconds otherwise.
    pub fn duration(self, seconds: i64) -> String {
        let (value, unit) = if seconds % 3600 == 0 {
            (seconds / 3600, "hour")
        } else if seconds % 60 == 0 {
            (seconds / 60, "minute")
        } else {
            (seconds, "second")
        };
        let locales = Array::of1(&JsValue::from_str(self.digits().locale()));
        let opts = options(&[("style", "unit"), ("unit", unit), ("unitDisplay", "long")]);
        js_sys::Intl::NumberFormat::new(&locales, &opts)
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(value as f64))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| self.int(value))
    }

    /// "الأحد، ٧ ديسمبر ٢٠٢٦ في ٣:٠٥:٠٠ م" in the browser's time zone: the preview beside an
    /// admin's date and time fields, so the chosen moment is read back in words.
    pub fn moment(self, at: &DateTime<Utc>) -> String {
        let opts = options(&[
            ("weekday", "long"),
            ("day", "numeric"),
            ("month", "long"),
            ("year", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
        ]);
        js_date(at)
            .to_locale_string(self.digits().locale(), &opts)
            .into()
    }

    /// "١٢ نوفمبر ٢٠٢٥، ٣:٠٥ م"
    pub fn date_time(self, at: &DateTime<Utc>) -> String {
        let opts = options(&[
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ]);
        js_date(at)
            .to_locale_string(self.digits().locale(), &opts)
            .into()
    }

    /// "٣:٠٥ م" (chat messages of today).
    pub fn time(self, at: &DateTime<Utc>) -> String {
        let opts = options(&[("hour", "numeric"), ("minute", "2-digit")]);
        js_date(at)
            .to_locale_time_string_with_options(self.digits().locale(), &opts)
            .into()
    }

    /// "٢٧ نوفمبر، ٣:٠٥:٠٩ م" (or "٢٧ نوفمبر، ٣:٠٥ م" without `seconds`): a moment within
    /// recent days (call logs, hourly chart axes).
    pub fn stamp(self, at: &DateTime<Utc>, seconds: bool) -> String {
        let mut pairs = vec![
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ];
        if seconds {
            pairs.push(("second", "2-digit"));
        }
        let opts = options(&pairs);
        js_date(at)
            .to_locale_string(self.digits().locale(), &opts)
            .into()
    }

    /// "منذ ٥ دقائق", "أمس", "خلال ٣ أيام".
    pub fn relative(self, at: &DateTime<Utc>) -> String {
        let seconds = (at.timestamp_millis() as f64 - Date::now()) / 1000.0;
        self.relative_seconds(seconds)
    }

    /// Relative time from a signed number of seconds (negative = in the past).
    pub fn relative_seconds(self, seconds: f64) -> String {
        let abs = seconds.abs();
        let (value, unit) = if abs < 45.0 {
            (seconds, "second")
        } else if abs < 45.0 * 60.0 {
            (seconds / 60.0, "minute")
        } else if abs < 22.0 * 3600.0 {
            (seconds / 3600.0, "hour")
        } else if abs < 26.0 * 86400.0 {
            (seconds / 86400.0, "day")
        } else if abs < 320.0 * 86400.0 {
            (seconds / (30.0 * 86400.0), "month")
        } else {
            (seconds / (365.0 * 86400.0), "year")
        };
        let locales = Array::of1(&JsValue::from_str(self.digits().locale()));
        let opts = options(&[("numeric", "auto")]);
        let rtf = js_sys::Intl::RelativeTimeFormat::new(&locales, &opts);
        rtf.format(value.round(), unit).into()
    }
}

impl Default for Fmt {
    fn default() -> Self {
        Self::new()
    }
}

/// [`Fmt::text`] for Arabic digits.
fn arabic_digits(text: &str) -> String {
    use domain::text::{LRI, PDI};
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut isolated = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            LRI => isolated += 1,
            PDI => isolated = isolated.saturating_sub(1),
            _ => {}
        }
        if isolated > 0 {
            out.push(c);
            continue;
        }
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        out.push(match c {
            '.' if between_digits => '\u{066B}',
            _ => to_arabic_digit(c),
        });
    }
    out
}

fn to_arabic_digit(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
        _ => c,
    }
}

fn js_date(at: &DateTime<Utc>) -> Date {
    Date::new(&JsValue::from_f64(at.timestamp_millis() as f64))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let obj = Object::new();
    for (k, v) in pairs {
        // Reflect::set on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    obj
}
