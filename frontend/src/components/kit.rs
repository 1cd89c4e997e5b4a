//! Small pieces the competitions, points and leaderboard pages share: tabs, a countdown, a modal,
//! a textarea field, "load more" paging, rank medals, number and datetime-local parsing.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use js_sys::Date;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::{icons, FormState, Icon};
use crate::api::ApiError;
use crate::format::Fmt;
use crate::{api, i18n};

/// The server's (or our) Arabic message for an error, digits per the setting.
pub fn error_text(err: &ApiError, fmt: Fmt) -> String {
    fmt.text(&err.message(|s| fmt.int(i64::from(s))))
}

// Formatted values that follow the digits setting. Each returns the same closure type wherever
// it is used, so the renderer's generic code exists once for all of them (a `move ||` written at
// every call site would each cost its own copy in the WASM). Inside a block that is already
// reactive, plain `fmt.int(n)` is enough: the block re-renders when the setting changes.
pub fn int(fmt: Fmt, n: i64) -> impl Fn() -> String + Send + Sync + Copy + 'static {
    move || fmt.int(n)
}

/// "١٢٣ كربتو", once (inside a block that is already reactive).
pub fn points_text(fmt: Fmt, n: i64) -> String {
    format!("{} {}", fmt.int(n), i18n::POINTS_UNIT)
}

/// "١٢٣ كربتو"
pub fn points(fmt: Fmt, n: i64) -> impl Fn() -> String + Send + Sync + Copy + 'static {
    move || format!("{} {}", fmt.int(n), i18n::POINTS_UNIT)
}

/// Digits of server-written prose per the setting ("حوّل إليك 15 كربتو" → ١٥), leaving digits
/// that are part of a Latin token (a username such as `sara_99`) as they are.
pub fn digits_in_prose(fmt: Fmt, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut latin = false;
    for c in text.chars() {
        if c.is_ascii_digit() && !latin {
            out.push_str(&fmt.text(c.encode_utf8(&mut [0; 4])));
            continue;
        }
        latin = c.is_ascii_alphabetic()
            || c == '_'
            || c == '@'
            || (latin && (c.is_ascii_digit() || c == '.'));
        out.push(c);
    }
    out
}

/// The `Idempotency-Key` of the action in progress: the one kept from a failed attempt (so the
/// retry cannot run twice), or a fresh one.
pub fn action_key(key: RwSignal<Option<String>>) -> String {
    match key.get_untracked() {
        Some(k) => k,
        None => {
            let k = api::new_idempotency_key();
            key.set(Some(k.clone()));
            k
        }
    }
}

/// After an error the server answered (a refusal, nothing done), the next attempt may carry
/// different values and gets a new key; after a lost answer or a server fault the key is kept.
pub fn forget_key_unless_retryable(key: RwSignal<Option<String>>, err: &ApiError) {
    let retryable = match err {
        ApiError::Network => true,
        other => other.status().is_some_and(|s| s >= 500),
    };
    if !retryable {
        key.set(None);
    }
}

/// Now, from the browser's clock (`Utc::now()` has no clock to read on wasm32-unknown-unknown
/// and panics).
pub fn now_utc() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(Date::now() as i64).unwrap_or_default()
}

/// Whole number typed by a person: Arabic-Indic (٠-٩) and Persian (۰-۹) digits, grouping
/// separators and a leading minus are accepted. `None` when empty or not a number.
pub fn parse_int(text: &str) -> Option<i64> {
    let mut out = String::new();
    for c in text.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            '-' | '\u{2212}' if out.is_empty() => out.push('-'),
            ',' | '\u{066C}' | ' ' | '\u{061C}' | '\u{200F}' | '\u{200E}' => {}
            _ => return None,
        }
    }
    out.parse().ok()
}

/// `YYYY-MM-DDTHH:MM:SS` in the browser's time zone, for `<input type="datetime-local">`.
pub fn to_local_input(at: &DateTime<Utc>) -> String {
    let d = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// The UTC instant of a `datetime-local` value (read in the browser's time zone).
pub fn from_local_input(value: &str) -> Option<DateTime<Utc>> {
    let (date, time) = value.trim().split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<u32>().ok());
    let (y, mo, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time
        .split(':')
        .map(|p| p.split('.').next().and_then(|p| p.parse::<u32>().ok()));
    let (h, mi) = (t.next()??, t.next()??);
    let s = t.next().flatten().unwrap_or(0);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let local = Date::new_with_year_month_day_hr_min_sec(
        y,
        mo as i32 - 1,
        day as i32,
        h as i32,
        mi as i32,
        s as i32,
    );
    DateTime::from_timestamp_millis(local.get_time() as i64)
}

/// Milliseconds since the epoch, ticking once a second while the calling component lives.
pub fn use_now() -> ReadSignal<f64> {
    let (now, set_now) = signal(Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(Date::now()),
        Duration::from_millis(1000),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// A row of tabs (`role="tablist"`, arrow keys, Home/End). Tab ids are `{prefix}-{key}`; the
/// page renders one panel `id="{prefix}-panel"` labelled by the selected tab.
#[component]
pub fn Tabs(
    items: &'static [(&'static str, &'static str)],
    selected: RwSignal<usize>,
    label: &'static str,
    prefix: &'static str,
    #[prop(optional)] icons: &'static [&'static str],
    /// A number after each label (counts per status), when known.
    #[prop(optional, into)]
    counts: Option<Signal<Vec<Option<i64>>>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let focus = move |i: usize| {
        selected.set(i);
        if let Some(el) = document().get_element_by_id(&format!("{prefix}-{}", items[i].0)) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let last = items.len() - 1;
        let i = selected.get_untracked();
        // Right-to-left: the next tab sits to the left.
        let to = match ev.key().as_str() {
            "ArrowLeft" => Some(if i == last { 0 } else { i + 1 }),
            "ArrowRight" => Some(if i == 0 { last } else { i - 1 }),
            "Home" => Some(0),
            "End" => Some(last),
            _ => None,
        };
        if let Some(to) = to {
            ev.prevent_default();
            focus(to);
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_key>
            {items
                .iter()
                .enumerate()
                .map(|(i, (key, text))| {
                    let count = move || {
                        counts
                            .and_then(|c| c.with(|c| c.get(i).copied().flatten()))
                            .map(|n| view! { <span class="tab-count">{fmt.int(n)}</span> })
                    };
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("{prefix}-{key}")
                            class="tab"
                            aria-controls=format!("{prefix}-panel")
                            aria-selected=move || (selected.get() == i).to_string()
                            tabindex=move || if selected.get() == i { "0" } else { "-1" }
                            on:click=move |_| selected.set(i)
                        >
                            {icons.get(i).map(|svg| view! { <Icon svg=*svg /> })}
                            <span>{*text}</span>
                            {count}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The id of the selected tab, for the panel's `aria-labelledby`.
pub fn tab_id(
    items: &'static [(&'static str, &'static str)],
    prefix: &'static str,
    selected: RwSignal<usize>,
) -> impl Fn() -> String + Send + Sync + Copy + 'static {
    move || format!("{prefix}-{}", items[selected.get()].0)
}

/// Days, hours, minutes and seconds until `target`; `on_done` runs once when it is reached.
#[component]
pub fn Countdown(
    target: DateTime<Utc>,
    /// What the time is until ("يبدأ بعد", "ينتهي بعد").
    label: &'static str,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let now = use_now();
    let target_ms = target.timestamp_millis() as f64;
    let left = Memo::new(move |_| ((target_ms - now.get()) / 1000.0).ceil().max(0.0) as i64);
    let fired = RwSignal::new(false);
    Effect::new(move |_| {
        if left.get() == 0 && !fired.get_untracked() {
            fired.set(true);
            if let Some(cb) = on_done {
                cb.run(());
            }
        }
    });
    let unit = move |value: i64, name: &'static str| {
        view! {
            <span class="cd-unit">
                <span class="cd-num">{fmt.text(&format!("{value:02}"))}</span>
                <span class="cd-label">{name}</span>
            </span>
        }
    };
    view! {
        <div class="countdown" role="timer" aria-label=move || format!("{label} {}", fmt.relative(&target))>
            <p class="cd-title">{label}</p>
            <div class="cd-units" aria-hidden="true">
                {move || {
                    let s = left.get();
                    let days = s / 86_400;
                    view! {
                        {(days > 0).then(|| unit(days, i18n::CD_DAYS))}
                        {unit(s % 86_400 / 3600, i18n::CD_HOURS)}
                        {unit(s % 3600 / 60, i18n::CD_MINUTES)}
                        {unit(s % 60, i18n::CD_SECONDS)}
                    }
                }}
            </div>
        </div>
    }
}

/// Keeps Tab inside a modal dialog: from its last control to its first and back.
fn trap_focus(ev: leptos::ev::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(dialog) = ev
        .current_target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
    else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])",
    ) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
        .filter(|el| el.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = document().active_element();
    let at = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
    };
    if ev.shift_key() && at(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// A modal dialog: focus moves inside and stays there (Tab wraps), Escape and the backdrop close
/// it, and focus returns to what opened it.
#[component]
pub fn Modal(
    #[prop(into)] title: String,
    on_close: Callback<()>,
    /// A wider dialog on large screens (forms with a grid of options).
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    // Where focus was (the button that opened the dialog): it goes back there on close.
    let opener = document()
        .active_element()
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    on_cleanup(move || {
        if let Some(el) = opener {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
    });
    // Focus the first field (or, in a dialog without one, its first button) once shown.
    request_animation_frame(|| {
        let first = [
            ".modal input, .modal textarea, .modal select",
            ".modal .btn",
            ".modal .icon-btn",
        ]
        .into_iter()
        .find_map(|sel| document().query_selector(sel).ok().flatten());
        if let Some(el) = first {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
    // On the window: the focused element may have left the dialog (a form replaced by its result).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || escape.remove());
    view! {
        <div class="modal-layer">
            <div class="modal-backdrop" on:click=move |_| on_close.run(())></div>
            <div class="modal card" class:modal-wide=wide role="dialog" aria-modal="true" aria-labelledby="modal-title"
                on:keydown=trap_focus>
                <header class="modal-head">
                    <h2 id="modal-title">{title}</h2>
                    <button
                        type="button"
                        class="icon-btn"
                        aria-label=i18n::CLOSE
                        on:click=move |_| on_close.run(())
                        inner_html=icons::CLOSE
                    ></button>
                </header>
                {children()}
            </div>
        </div>
    }
}

/// A labelled multi-line field, wired like `Field` (error and hint described, error cleared on
/// typing).
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    form: FormState,
    #[prop(default = 3)] rows: u32,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let errors = form.errors;
    let id = format!("f-{name}");
    let err_id = format!("{id}-err");
    let hint_id = format!("{id}-hint");
    let error = Memo::new(move |_| errors.with(|e| e.get(name).cloned()));
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let ids: Vec<&str> = [
                error.with(Option::is_some).then_some(err_id.as_str()),
                has_hint.then_some(hint_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <div class="control">
                <textarea
                    id=id
                    name=name
                    rows=rows
                    dir="auto"
                    disabled=move || disabled.is_some_and(|d| d.get())
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=described
                    bind:value=value
                    on:input=move |_| errors.maybe_update(|e| e.remove(name).is_some())
                ></textarea>
            </div>
            {move || error.get().map(|msg| view! {
                <p class="field-error" id=err_id.clone()>
                    <Icon svg=icons::ALERT />
                    <span>{fmt.text(&msg)}</span>
                </p>
            })}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
        </div>
    }
}

/// A list loaded page by page (keyset cursors). Answers to an older `reload` are dropped.
pub struct Paged<T: Send + Sync + 'static> {
    pub data: RwSignal<Option<Result<Vec<T>, ApiError>>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    generation: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Default for Paged<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> Paged<T> {
    pub fn new() -> Self {
        Self {
            data: RwSignal::new(None),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            generation: RwSignal::new(0),
        }
    }

    /// Replaces the list with the first page `page` answers.
    pub fn reload(
        self,
        page: impl Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
    ) {
        self.run(true, page);
    }

    /// Appends the next page (`page` was built with `self.next`).
    pub fn more(
        self,
        page: impl Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
    ) {
        self.run(false, page);
    }

    fn run(
        self,
        replace: bool,
        page: impl Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
    ) {
        let gen = self.generation.get_untracked() + u32::from(replace);
        self.generation.set(gen);
        self.loading.set(true);
        spawn_local(async move {
            let result = page.await;
            if self.generation.try_get_untracked() != Some(gen) {
                return;
            }
            match result {
                Ok((items, next)) => {
                    self.next.set(next);
                    if replace {
                        self.data.set(Some(Ok(items)));
                    } else {
                        self.data.update(|d| match d {
                            Some(Ok(list)) => list.extend(items),
                            other => *other = Some(Ok(items)),
                        });
                    }
                }
                Err(e) => {
                    if replace || self.data.with_untracked(Option::is_none) {
                        self.data.set(Some(Err(e)));
                    }
                }
            }
            self.loading.set(false);
        });
    }
}

/// The "show more" button under a paged list; nothing when there is no next page.
pub fn load_more<T: Send + Sync + 'static>(
    paged: Paged<T>,
    on_more: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let on_more = Callback::new(move |_: ()| on_more());
    move || {
        paged.next.with(Option::is_some).then(|| {
            view! {
                <div class="more">
                    <button
                        type="button"
                        class="btn btn-soft"
                        disabled=move || paged.loading.get()
                        aria-busy=move || paged.loading.get().to_string()
                        on:click=move |_| on_more.run(())
                    >
                        {move || if paged.loading.get() { i18n::LOADING } else { i18n::LOAD_MORE }}
                    </button>
                </div>
            }
        })
    }
}

/// A rank as a medal for the podium (1–3) and a plain number below.
pub fn rank_badge(rank: i64, fmt: Fmt) -> impl IntoView {
    let class = match rank {
        1 => "rank rank-1",
        2 => "rank rank-2",
        3 => "rank rank-3",
        _ => "rank",
    };
    view! {
        <span class=class title=i18n::rank_title(&fmt.int(rank))>
            {(1..=3).contains(&rank).then(|| view! { <Icon svg=icons::MEDAL class="rank-medal" /> })}
            <span>{fmt.int(rank)}</span>
        </span>
    }
}

/// A competition's cover or, without one, a gradient with the trophy.
pub fn cover(url: Option<String>, class: &'static str) -> impl IntoView {
    match url.filter(|u| !u.trim().is_empty()) {
        Some(u) => view! {
            <div class=format!("cover {class}")>
                <img src=u alt="" loading="lazy" decoding="async" />
            </div>
        }
        .into_any(),
        None => view! {
            <div class=format!("cover cover-empty {class}") aria-hidden="true">
                <span inner_html=icons::TROPHY></span>
            </div>
        }
        .into_any(),
    }
}

/// The tab a link asked for with `?{param}=key` (the home page links to «جارية» and to the
/// week's board), else the first.
pub fn tab_from_query(items: &[(&str, &str)], param: &str) -> usize {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get(param))
        .and_then(|key| items.iter().position(|(k, _)| *k == key))
        .unwrap_or(0)
}
