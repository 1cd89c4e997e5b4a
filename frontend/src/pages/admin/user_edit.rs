//! Admin → users → one user: edit the name, username and email (with a reason), and issue a
//! one-time password-reset link (shown once). Kept apart from `user_detail.rs`, which only opens
//! these dialogs.

use domain::users::{AdminResetLink, AdminUpdateUserRequest, User};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::kit::{Modal, TextArea};
use crate::components::{CopyButton, Field, FormMessages, FormState, Notice, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// Which of this module's dialogs is open.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AccountDialog {
    Edit,
    ResetLink,
}

/// The open dialog, or nothing.
#[component]
pub fn AccountDialogs(
    user: User,
    open: RwSignal<Option<AccountDialog>>,
    on_changed: Callback<User>,
) -> impl IntoView {
    let close = Callback::new(move |_| open.set(None));
    move || match open.get() {
        Some(AccountDialog::Edit) => {
            view! { <EditUser user=user.clone() on_close=close on_changed=on_changed /> }.into_any()
        }
        Some(AccountDialog::ResetLink) => {
            view! { <ResetLink user=user.clone() on_close=close /> }.into_any()
        }
        None => ().into_any(),
    }
}

#[component]
fn EditUser(user: User, on_close: Callback<()>, on_changed: Callback<User>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let display_name = RwSignal::new(user.display_name.clone());
    let username = RwSignal::new(user.username.clone());
    let email = RwSignal::new(user.email.clone());
    let note = RwSignal::new(String::new());
    let id = user.id;
    let title = format!("{}: {}", i18n::EDIT_USER_TITLE, user.display_name);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let changed =
            |now: String, before: &str| (now.trim() != before).then(|| now.trim().to_owned());
        let req = AdminUpdateUserRequest {
            display_name: changed(display_name.get_untracked(), &user.display_name),
            username: changed(username.get_untracked(), &user.username),
            email: changed(email.get_untracked(), &user.email),
            note: Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            ..Default::default()
        };
        if !req.edits_identity() {
            form.invalid(
                [(
                    "display_name".to_owned(),
                    i18n::EDIT_USER_NOTHING.to_owned(),
                )]
                .into(),
            );
            return;
        }
        let mut fields = req.validate().err().unwrap_or_default();
        if req.note.is_none() {
            fields.insert(
                "note".into(),
                "اكتب سبب تعديل بيانات المستخدم؛ يُحفظ في سجل التدقيق.".into(),
            );
        }
        if !fields.is_empty() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::admin::update_user(id, &req).await {
                Ok(fresh) => {
                    on_changed.run(fresh);
                    on_close.run(());
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="edit-user-form">
                <p class="muted">{i18n::EDIT_USER_TEXT}</p>
                <FormMessages form=form />
                <Field name="display_name" label=i18n::DISPLAY_NAME_LABEL value=display_name form=form dir="auto" />
                <Field name="username" label=i18n::USERNAME_LABEL value=username form=form dir="ltr" autocomplete="off" />
                <Field name="email" label=i18n::EMAIL_FIELD_LABEL value=email form=form kind="email" dir="ltr" />
                <TextArea name="note" label=i18n::NOTE_REQUIRED_LABEL value=note form=form rows=2 />
                <div class="actions">
                    <SubmitButton label=i18n::EDIT_USER_SUBMIT pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn ResetLink(user: User, on_close: Callback<()>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let note = RwSignal::new(String::new());
    let issued = RwSignal::new(None::<AdminResetLink>);
    let id = user.id;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        if let Err(fields) = (domain::safety::RiskDecision {
            note: Some(text.clone()),
        })
        .validate(true)
        {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::admin::issue_reset_link(id, &text).await {
                Ok(link) => issued.set(Some(link)),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    view! {
        <Modal title=format!("{}: {}", i18n::RESET_LINK_OPEN, user.display_name) on_close=on_close>
            {move || match issued.get() {
                Some(link) => view! {
                    <div class="stack" data-testid="reset-link-issued">
                        <Notice message=format!("{} {}", i18n::RESET_LINK_ONCE, fmt.date_time(&link.expires_at)) kind="success" />
                        <code class="reset-link" dir="ltr" data-testid="reset-link">{link.link.clone()}</code>
                        <div class="actions">
                            <CopyButton text=link.link.clone() label=i18n::RESET_LINK_COPY done=i18n::RESET_LINK_COPIED />
                            <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::DONE}</button>
                        </div>
                    </div>
                }
                .into_any(),
                None => view! {
                    <form class="form" novalidate=true on:submit=on_submit data-testid="reset-link-form">
                        <p class="muted">{i18n::RESET_LINK_TEXT}</p>
                        <FormMessages form=form />
                        <TextArea name="note" label=i18n::RESET_LINK_NOTE value=note form=form rows=2 />
                        <div class="actions">
                            <SubmitButton label=i18n::RESET_LINK_SUBMIT pending_label=i18n::SAVING pending=form.pending />
                            <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </Modal>
    }
}
