//! Pieces the trust-and-safety screens share (the alert inbox, held transfers, flags and the
//! user's investigation section): the inline note form that stands in for a prompt, the line
//! under a row that says how its last action went, the "someone else decided first" rule, and
//! where each kind of alert subject lives in the admin area.
//!
//! The state of a row's action (its open form, its running request, its outcome) belongs to the
//! panel, not the row: a decision replaces the row with the server's answer, which redraws it,
//! and the message must still stand beside the buttons afterwards.

use std::collections::HashMap;

use domain::safety::{AlertSubject, RiskDecision};
use domain::ErrorCode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::kit::digits_in_prose;
use crate::components::{icons, FormState, Icon};
use crate::format::Fmt;
use crate::i18n;

#[derive(Clone, PartialEq)]
pub(super) struct Outcome {
    pub ok: bool,
    pub text: String,
}

/// One panel's row actions. Keys are `"{row}"` for outcomes and `"{row}:{action}"` for forms
/// and requests, where `row` is unique across the panel's lists (`t12`, `f3`, `a40`…).
#[derive(Clone, Copy)]
pub(super) struct Review {
    pub open: RwSignal<Option<String>>,
    pub busy: RwSignal<Option<String>>,
    pub outcome: RwSignal<HashMap<String, Outcome>>,
    /// The `Idempotency-Key` of the decision being tried (kept for a retry of the same one).
    pub key: RwSignal<Option<String>>,
}

impl Review {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(None),
            busy: RwSignal::new(None),
            outcome: RwSignal::new(HashMap::new()),
            key: RwSignal::new(None),
        }
    }

    pub fn is_open(self, key: &str) -> bool {
        self.open.with(|o| o.as_deref() == Some(key))
    }

    pub fn is_busy(self, key: &str) -> bool {
        self.busy.with(|b| b.as_deref() == Some(key))
    }

    /// Opens the note form of `key` (or closes it when it is the one open). Another action is
    /// another decision, so it gets a new `Idempotency-Key`.
    pub fn toggle(self, key: String, row: &str) {
        let same = self
            .open
            .with_untracked(|o| o.as_deref() == Some(key.as_str()));
        self.open.set((!same).then_some(key));
        self.key.set(None);
        self.outcome.update(|o| {
            o.remove(row);
        });
    }

    pub fn close(self) {
        self.open.set(None);
    }

    pub fn report(self, row: &str, ok: bool, text: String) {
        self.outcome
            .update(|o| drop(o.insert(row.to_owned(), Outcome { ok, text })));
    }

    pub fn forget(self, row: &str) {
        self.outcome.update(|o| {
            o.remove(row);
        });
    }

    /// The line under a row: what its last action did, or why it failed.
    pub fn outcome_line(self, row: String) -> impl IntoView {
        move || {
            self.outcome.with(|o| o.get(&row).cloned()).map(|o| {
                let (class, role, svg) = if o.ok {
                    ("row-outcome ok", "status", icons::CHECK)
                } else {
                    ("row-outcome error", "alert", icons::ALERT)
                };
                view! {
                    <p class=class role=role data-testid="row-outcome">
                        <Icon svg=svg />
                        <span>{o.text}</span>
                    </p>
                }
            })
        }
    }
}

/// Server prose in the chosen digits, except addresses (`203.0.113.7`), which stay as written.
pub(super) fn prose(fmt: Fmt, text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let dots = word.chars().filter(|c| *c == '.' || *c == ':').count();
            if dots >= 2 && word.chars().any(|c| c.is_ascii_digit()) {
                word.to_owned()
            } else {
                digits_in_prose(fmt, word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Another admin decided first (or the state moved on): the server's 409 `invalid_transition`.
pub(super) fn decided_elsewhere(err: &ApiError) -> bool {
    err.status() == Some(409) && err.code() == Some(ErrorCode::InvalidTransition.as_str())
}

/// The admin user page (the users tab opens the account named in `?user=`).
pub(super) fn user_href(id: i64) -> String {
    format!("/admin?tab=users&user={id}")
}

/// Where an alert's subject is handled; `None` for an address (shown, not linked).
pub(super) fn subject_href(s: &AlertSubject) -> Option<String> {
    Some(match (s.kind.as_str(), s.id) {
        ("user", Some(id)) => user_href(id),
        ("held_transfer", Some(id)) => format!("/admin?tab=held-transfers&focus={id}"),
        ("held_transfer", None) => "/admin?tab=held-transfers".to_owned(),
        ("referral", _) => "/admin?tab=referrals".to_owned(),
        ("api_key", Some(id)) => format!("/admin?tab=api-keys&key={id}"),
        ("api_key", None) => "/admin?tab=api-keys".to_owned(),
        ("purchase", _) => "/admin?tab=purchases".to_owned(),
        ("redemption", _) => "/admin?tab=redemptions&flagged=true".to_owned(),
        _ => return None,
    })
}

/// A subject as a link (or, for an address, as the address itself).
pub(super) fn subject_view(s: &AlertSubject) -> AnyView {
    let what = i18n::subject_kind(&s.kind);
    // Usernames, addresses and key prefixes are Latin: isolated, left to right.
    let label = s.label.clone();
    let latin = label.is_ascii();
    let text = move || {
        view! { <bdi dir=if latin { "ltr" } else { "auto" }>{label.clone()}</bdi> }
    };
    match subject_href(s) {
        Some(href) => view! {
            <p class="alert-subject">
                <span class="muted">{what} ": "</span>
                <a href=href class="strong" data-testid="alert-subject">{text}</a>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="alert-subject">
                <span class="muted">{what} ": "</span>
                <span class="strong email" data-testid="alert-subject">{text}</span>
            </p>
        }
        .into_any(),
    }
}

/// The inline form that asks for a note (and, for a destructive action, for confirmation)
/// right under the button that opened it — never `window.prompt`. The note is checked with the
/// domain's `RiskDecision::validate` before `on_submit` runs; the parent reports through the
/// form it is handed (`form.failed` puts the server's message here, beside the field).
#[component]
pub(super) fn NoteForm(
    /// Unique on the page: the textarea's id is `note-{id}`.
    #[prop(into)]
    id: String,
    /// What the action does, asked before it is done.
    question: Option<String>,
    required: bool,
    #[prop(into)] submit: String,
    danger: bool,
    on_submit: Callback<(Option<String>, FormState)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let value = RwSignal::new(String::new());
    let field_id = format!("note-{id}");
    let err_id = format!("{field_id}-err");
    let err_ref = err_id.clone();
    let error = Memo::new(move |_| form.errors.with(|e| e.get("note").cloned()));
    {
        let field_id = field_id.clone();
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&field_id) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        });
    }
    let on_form = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = RiskDecision {
            note: Some(value.get_untracked()),
        };
        if let Err(fields) = req.validate(required) {
            form.errors.set(fields);
            form.banner.set(None);
            crate::components::focus_first_invalid();
            return;
        }
        on_submit.run((req.note(), form));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Escape closes this form only, not the dialog around it.
        if ev.key() == "Escape" {
            ev.stop_propagation();
            on_cancel.run(());
        }
    };
    let label = if required {
        i18n::NOTE_REQUIRED
    } else {
        i18n::NOTE_OPTIONAL
    };
    let class = if danger {
        "btn btn-danger btn-sm"
    } else {
        "btn btn-primary btn-sm"
    };
    view! {
        <form class="note-form" novalidate=true on:submit=on_form on:keydown=on_key data-testid="note-form">
            {question.map(|q| view! { <p class="note-question">{q}</p> })}
            <div class="field" class:has-error=move || error.with(Option::is_some)>
                <label for=field_id.clone()>{label}</label>
                <div class="control">
                    <textarea id=field_id.clone() name="note" rows="2" dir="auto"
                        aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby=move || error.with(Option::is_some).then(|| err_ref.clone())
                        bind:value=value
                        on:input=move |_| form.errors.maybe_update(|e| e.remove("note").is_some())></textarea>
                </div>
                {move || error.get().map(|m| view! {
                    <p class="field-error" id=err_id.clone()>
                        <Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span>
                    </p>
                })}
            </div>
            {move || form.banner.get().map(|m| view! {
                <p class="field-error" role="alert"><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
            })}
            <div class="actions">
                <button type="submit" class=class disabled=move || form.pending.get() aria-busy=move || form.pending.get().to_string()
                    data-testid="note-submit">
                    {move || form.pending.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                    <span>{move || if form.pending.get() { i18n::WORKING.to_owned() } else { submit.clone() }}</span>
                </button>
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| on_cancel.run(())>{i18n::CANCEL}</button>
            </div>
        </form>
    }
}
