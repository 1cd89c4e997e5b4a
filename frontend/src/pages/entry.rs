//! The participant's entry in a judged competition (issue 13): a text and an optional link,
//! sent and edited until the competition ends, then shown read-only with the judges' score.

use domain::competitions::{Competition, CompetitionKind, CompetitionStatus};
use domain::entries::{Entry, EntryRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::kit::TextArea;
use crate::components::{icons, Field, FormMessages, FormState, Notice, Skeleton, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// Shown on a judged competition's page to a participant.
#[component]
pub fn EntryCard(c: Competition) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let id = c.id;
    let open = matches!(
        c.status,
        CompetitionStatus::Published | CompetitionStatus::Running
    );
    // None: loading; Some(None): nothing sent yet.
    let entry = RwSignal::new(None::<Result<Option<Entry>, String>>);
    let text = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let form = FormState::new();
    spawn_local(async move {
        let got = match api::competitions::entry(id).await {
            Ok(Some(e)) => {
                text.set(e.text.clone());
                link.set(e.link.clone().unwrap_or_default());
                Ok(Some(e))
            }
            Ok(None) => Ok(None),
            Err(err) => Err(crate::components::kit::error_text(&err, fmt)),
        };
        entry.set(Some(got));
    });
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let link_value = link.get_untracked();
        let req = EntryRequest {
            text: text.get_untracked(),
            link: (!link_value.trim().is_empty()).then_some(link_value),
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::competitions::put_entry(id, &req).await {
                Ok(e) => {
                    form.success.set(Some(i18n::ENTRY_SAVED.to_owned()));
                    entry.set(Some(Ok(Some(e))));
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let body = move || {
        match entry.get() {
        None => view! { <Skeleton lines=3 /> }.into_any(),
        Some(Err(message)) => view! { <Notice message=message kind="error" /> }.into_any(),
        Some(Ok(current)) if open => {
            let sent = current.as_ref().map(|e| fmt.date_time(&e.updated_at));
            view! {
                <form class="form" novalidate=true on:submit=save data-testid="entry-form">
                    <p class="muted small">
                        {i18n::entry_open_until(&fmt.date_time(&c.ends_at))}
                    </p>
                    {sent.map(|at| view! { <p class="muted small" data-testid="entry-sent">{i18n::entry_sent_at(&at)}</p> })}
                    <FormMessages form=form />
                    <TextArea name="text" label=i18n::ENTRY_TEXT value=text form=form rows=5 />
                    <Field name="link" label=i18n::ENTRY_LINK value=link form=form kind="url" dir="ltr"
                        hint=Signal::derive(|| i18n::ENTRY_LINK_HINT.to_owned()) />
                    <div class="form-actions">
                        <SubmitButton
                            label=if current.is_some() { i18n::ENTRY_UPDATE } else { i18n::ENTRY_SEND }
                            pending_label=i18n::SAVING
                            pending=form.pending
                        />
                    </div>
                </form>
            }
            .into_any()
        }
        Some(Ok(None)) => view! { <p class="muted">{i18n::ENTRY_NONE}</p> }.into_any(),
        Some(Ok(Some(e))) => view! {
            <div data-testid="entry-final">
                <p class="entry-text" dir="auto">{e.text.clone()}</p>
                {e.link.clone().map(|l| {
                    let shown = l.clone();
                    view! {
                        <p><a href=l rel="noopener noreferrer nofollow" target="_blank" dir="ltr"><bdi>{shown}</bdi></a></p>
                    }
                })}
                <p class="muted small">
                    {match e.score {
                        Some(s) => i18n::entry_score(&fmt.int(s)),
                        None => i18n::ENTRY_AWAITING_SCORE.to_owned(),
                    }}
                </p>
            </div>
        }
        .into_any(),
    }
    };
    (c.kind == CompetitionKind::Judged).then(|| {
        view! {
            <section class="card" aria-labelledby="entry-title" data-testid="entry-card">
                <div class="card-title">
                    <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::EDIT></span>
                    <h2 id="entry-title">{i18n::ENTRY_TITLE}</h2>
                </div>
                {body}
            </section>
        }
    })
}
