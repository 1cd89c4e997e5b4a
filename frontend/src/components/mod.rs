//! Building blocks shared by the pages.

pub mod chart;
pub mod commerce;
pub mod guard;
pub mod icons;
pub mod kit;
pub mod notifications;
pub mod shell;
pub mod totp;
pub mod verify_banner;

use domain::FieldErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;
use crate::format::Fmt;
use crate::i18n;

/// A decorative icon; the text next to it carries the meaning.
#[component]
pub fn Icon(svg: &'static str, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <span class=format!("icon {class}") aria-hidden="true" inner_html=svg></span> }
}

/// Sets the browser tab title for the current page.
pub fn set_title(page: &str) {
    document().set_title(&i18n::page_title(page));
}

/// Moves keyboard focus to the first invalid control once the DOM shows the errors.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        if let Ok(Some(el)) = document().query_selector("[aria-invalid=\"true\"]") {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

/// Moves keyboard focus to `selector` once the DOM shows it: a confirmation that replaces the
/// button which asked for it would otherwise leave focus on the page's body. The browser scrolls
/// it into view, clear of the phone tab bar (`scroll-padding` in main.css).
pub fn focus_soon(selector: &'static str) {
    request_animation_frame(move || {
        if let Ok(Some(el)) = document().query_selector(selector) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

/// The state every form carries: per-field errors, a banner, and whether a request runs.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<FieldErrors>,
    pub banner: RwSignal<Option<String>>,
    pub success: RwSignal<Option<String>>,
    pub pending: RwSignal<bool>,
}

impl FormState {
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(FieldErrors::new()),
            banner: RwSignal::new(None),
            success: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// Shows client-side validation errors (the same rules the server applies).
    pub fn invalid(self, fields: FieldErrors) {
        self.errors.set(fields);
        self.banner.set(Some(i18n::ERR_FIX_FIELDS.to_owned()));
        self.success.set(None);
        focus_first_invalid();
    }

    /// Shows a server error: field messages beside the fields, the main message in the banner.
    pub fn failed(self, err: &ApiError, fmt: Fmt) {
        let fields = err.fields();
        let mut message = err.message(|s| fmt.int(i64::from(s)));
        if let Some(secs) = err.retry_after() {
            message.push(' ');
            message.push_str(&i18n::retry_after(&fmt.relative_seconds(f64::from(secs))));
        }
        let focus = !fields.is_empty();
        self.errors.set(fields);
        self.banner.set(Some(message));
        self.success.set(None);
        if focus {
            focus_first_invalid();
        }
    }

    pub fn start(self) {
        self.pending.set(true);
        self.banner.set(None);
        self.success.set(None);
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// A labelled input with its hint and error, wired for screen readers (`aria-describedby`,
/// `aria-invalid`). Typing in a field clears its error.
#[component]
pub fn Field(
    /// The field's key in `FieldErrors` (the API's field name).
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    form: FormState,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// `ltr` for handles, emails and passwords; `auto` for free text in any script.
    #[prop(default = "auto")]
    dir: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] autofocus: bool,
    /// `numeric` for amounts: phones show a digit keypad.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// `1` lets a `datetime-local` take seconds.
    #[prop(optional)]
    step: Option<&'static str>,
    /// Fields a competition's status has frozen.
    #[prop(optional, into)]
    disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let errors = form.errors;
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-err");
    let error = Memo::new(move |_| errors.with(|e| e.get(name).cloned()));
    let has_hint = hint.is_some();
    let described = {
        let (hint_id, err_id) = (hint_id.clone(), err_id.clone());
        move || {
            let mut ids = Vec::new();
            if error.with(Option::is_some) {
                ids.push(err_id.clone());
            }
            if has_hint {
                ids.push(hint_id.clone());
            }
            if ids.is_empty() {
                None
            } else {
                Some(ids.join(" "))
            }
        }
    };
    let is_password = kind == "password";
    let revealed = RwSignal::new(false);
    let input_type = move || {
        if is_password && revealed.get() {
            "text"
        } else {
            kind
        }
    };

    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <div class="control" class:with-action=is_password>
                <input
                    id=id
                    name=name
                    type=input_type
                    dir=dir
                    autocomplete=autocomplete
                    autofocus=autofocus
                    inputmode=inputmode
                    step=step
                    disabled=move || disabled.is_some_and(|d| d.get())
                    spellcheck="false"
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=described
                    bind:value=value
                    on:input=move |_| errors.maybe_update(|e| e.remove(name).is_some())
                />
                {is_password
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="reveal"
                                aria-label=i18n::SHOW_PASSWORD
                                aria-pressed=move || revealed.get().to_string()
                                on:click=move |_| revealed.update(|r| *r = !*r)
                                inner_html=move || {
                                    if revealed.get() { icons::EYE_OFF } else { icons::EYE }
                                }
                            ></button>
                        }
                    })}
            </div>
            {move || {
                error
                    .get()
                    .map(|msg| {
                        view! {
                            <p class="field-error" id=err_id.clone()>
                                <Icon svg=icons::ALERT />
                                <span>{fmt.text(&msg)}</span>
                            </p>
                        }
                    })
            }}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.get()}</p> })}
        </div>
    }
}

/// A submit button that shows a spinner and a "working…" label while its form's request runs.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    pending: RwSignal<bool>,
    #[prop(default = "btn btn-primary")] class: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            disabled=move || pending.get()
            aria-busy=move || pending.get().to_string()
        >
            <Show when=move || pending.get() fallback=move || label>
                <span class="spinner" aria-hidden="true"></span>
                <span>{pending_label}</span>
            </Show>
        </button>
    }
}

/// The form's error banner (announced immediately) and success note (announced politely).
#[component]
pub fn FormMessages(form: FormState) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    view! {
        <div class="form-messages" aria-live="polite">
            {move || {
                form.banner
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <Icon svg=icons::ALERT />
                                <span>{fmt.text(&m)}</span>
                            </div>
                        }
                    })
            }}
            {move || {
                form.success
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-success" role="status">
                                <Icon svg=icons::CHECK />
                                <span>{m}</span>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// A standalone alert for page-level notices and load errors.
#[component]
pub fn Notice(
    #[prop(into)] message: String,
    #[prop(default = "info")] kind: &'static str,
) -> impl IntoView {
    let (role, svg) = match kind {
        "error" => ("alert", icons::ALERT),
        "success" => ("status", icons::CHECK),
        _ => ("status", icons::INFO),
    };
    view! {
        <div class=format!("alert alert-{kind}") role=role>
            <Icon svg=svg />
            <span>{message}</span>
        </div>
    }
}

/// Placeholder blocks shown while data loads (no text, so nothing unfinished is ever read out).
#[component]
pub fn Skeleton(#[prop(default = 3)] lines: usize) -> impl IntoView {
    view! {
        <div class="skeleton-card" aria-hidden="true">
            {(0..lines)
                .map(|i| {
                    view! { <div class="skeleton-line" class:short=i % 3 == 2></div> }
                })
                .collect_view()}
        </div>
        <p class="sr-only" role="status">{i18n::LOADING}</p>
    }
}

/// Copies `text` to the clipboard and confirms in a polite live region.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    label: &'static str,
    done: &'static str,
    #[prop(default = icons::COPY)] svg: &'static str,
) -> impl IntoView {
    let status = RwSignal::new(None::<&'static str>);
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let value = text.get_untracked();
        let clipboard = window().navigator().clipboard();
        spawn_local(async move {
            match JsFuture::from(clipboard.write_text(&value)).await {
                Ok(_) => {
                    status.set(Some(done));
                    copied.set(true);
                    set_timeout(
                        move || copied.set(false),
                        std::time::Duration::from_millis(2000),
                    );
                }
                Err(_) => status.set(Some(i18n::COPY_FAILED)),
            }
        });
    };
    view! {
        <button type="button" class="btn btn-soft" on:click=on_click>
            <span
                class="icon"
                aria-hidden="true"
                inner_html=move || if copied.get() { icons::CHECK } else { svg }
            ></span>
            <span>{label}</span>
        </button>
        <span class="sr-only" role="status">{move || status.get()}</span>
    }
}

/// The letter in the avatar bubble: the display name's first letter, skipping the Arabic article
/// (المشرف → م; a bare alef would read like a Latin "I").
pub fn initial(name: &str) -> String {
    let name = name.trim();
    let name = match name.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => name,
    };
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}
