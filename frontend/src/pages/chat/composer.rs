//! The composer: Enter sends, Shift+Enter adds a line (not while an IME composes), Escape ends an
//! edit; the error beside it and the help line (the count near the limit, «جارٍ الإرسال…»). When
//! the caller blocked the other person it offers «إلغاء الحظر» instead.

use domain::chat::MESSAGE_MAX;
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

use crate::components::{icons, FormState, Icon};
use crate::format::Fmt;
use crate::i18n;

#[component]
pub(super) fn Composer(
    text: RwSignal<String>,
    /// The message being edited, if any.
    editing: RwSignal<Option<i64>>,
    form: FormState,
    input_ref: NodeRef<html::Textarea>,
    blocked: RwSignal<bool>,
    /// The other person's username in a direct room.
    peer: Option<String>,
    on_send: Callback<()>,
    on_cancel: Callback<()>,
    on_unblock: Callback<String>,
    /// Called on every keystroke (the room throttles `typing` frames).
    on_typing: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            on_send.run(());
        } else if ev.key() == "Escape" && editing.get_untracked().is_some() {
            on_cancel.run(());
        }
    };
    let on_input = move |_| {
        form.errors.maybe_update(|e| e.remove("body").is_some());
        form.banner.set(None);
        on_typing.run(());
    };
    move || {
        if blocked.get() {
            let name = peer.clone().unwrap_or_default();
            return view! {
                <div class="composer blocked-box" data-testid="blocked">
                    <p class="muted">{i18n::YOU_BLOCKED}</p>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="unblock" on:click=move |_| on_unblock.run(name.clone())>
                        {i18n::UNBLOCK_USER}
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <form class="composer" novalidate=true on:submit=move |ev| { ev.prevent_default(); on_send.run(()); } data-testid="composer">
                <Show when=move || editing.get().is_some()>
                    <p class="composer-editing">
                        <Icon svg=icons::EDIT />
                        <span>{i18n::EDITING_MESSAGE}</span>
                        <button type="button" class="link-btn" on:click=move |_| on_cancel.run(())>{i18n::CANCEL}</button>
                    </p>
                </Show>
                <div class="composer-row">
                    <label for="chat-input" class="sr-only">{i18n::MESSAGE_LABEL}</label>
                    <textarea
                        id="chat-input"
                        node_ref=input_ref
                        rows="1"
                        dir="auto"
                        placeholder=i18n::MESSAGE_PLACEHOLDER
                        aria-describedby="chat-input-help chat-input-err"
                        aria-invalid=move || form.errors.with(|e| e.contains_key("body")).to_string()
                        bind:value=text
                        on:keydown=on_key
                        on:input=on_input
                    ></textarea>
                    <button
                        type="submit"
                        class="btn btn-primary composer-send"
                        disabled=move || form.pending.get()
                        aria-busy=move || form.pending.get().to_string()
                        aria-label=move || if editing.get().is_some() { i18n::SAVE_EDIT } else { i18n::SEND }
                        data-testid="send"
                    >
                        {move || if form.pending.get() {
                            view! { <span class="spinner" aria-hidden="true"></span> }.into_any()
                        } else {
                            view! { <span class="icon" aria-hidden="true" inner_html=icons::SEND></span> }.into_any()
                        }}
                    </button>
                </div>
                <div class="composer-foot">
                    <p id="chat-input-err" class="composer-error" role="alert">
                        {move || {
                            form.errors
                                .with(|e| e.get("body").cloned())
                                .or_else(|| form.banner.get())
                                .map(|m| view! { <Icon svg=icons::ALERT /> <span>{fmt.text(&m)}</span> })
                        }}
                    </p>
                    <p id="chat-input-help" class="composer-help muted small">
                        {move || {
                            let n = text.with(|t| t.trim().chars().count());
                            if form.pending.get() {
                                i18n::SENDING.to_owned()
                            } else if n + 200 > MESSAGE_MAX {
                                i18n::chars_of(&fmt.count(n), &fmt.count(MESSAGE_MAX))
                            } else {
                                i18n::COMPOSER_HELP.to_owned()
                            }
                        }}
                    </p>
                </div>
            </form>
        }
        .into_any()
    }
}
