//! Admin → competitions → quiz questions: the ordered list with edit and delete, and the
//! question form (validated with the `domain` rules before sending). Frozen once the quiz can be
//! answered.

use domain::competitions::{AdminQuestion, QuestionRequest, UpdateQuestionRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::kit::{self, error_text, TextArea};
use crate::components::{
    icons, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::{api, i18n};

use super::competitions::{rows_of, Rows};

#[component]
pub(super) fn QuestionsEditor(id: i64, editable: bool, count: RwSignal<i64>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let list = RwSignal::new(None::<Result<Vec<AdminQuestion>, ApiError>>);
    let editing = RwSignal::new(None::<i64>);
    let deleting = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let result = api::competitions::admin_questions(id)
                .await
                .map(|l| l.items);
            if let Ok(items) = &result {
                count.set(items.len() as i64);
            }
            list.set(Some(result));
        })
    };
    load();
    let saved = Callback::new(move |_| {
        editing.set(None);
        load();
    });
    let swap = move |a: AdminQuestion, b: AdminQuestion| {
        busy.set(true);
        spawn_local(async move {
            let move_a = UpdateQuestionRequest {
                position: Some(b.position),
                ..Default::default()
            };
            let move_b = UpdateQuestionRequest {
                position: Some(a.position),
                ..Default::default()
            };
            let result = match api::competitions::update_question(id, a.id, &move_a).await {
                Ok(_) => api::competitions::update_question(id, b.id, &move_b)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            if let Err(err) = result {
                note.set(Some(error_text(&err, fmt)));
            }
            busy.set(false);
            load();
        });
    };
    let remove = move |qid: i64| {
        busy.set(true);
        spawn_local(async move {
            if let Err(err) = api::competitions::delete_question(id, qid).await {
                note.set(Some(error_text(&err, fmt)));
            }
            deleting.set(None);
            busy.set(false);
            load();
        });
    };

    let card = move |(i, q, all): (usize, AdminQuestion, Vec<AdminQuestion>)| {
        let qid = q.id;
        let prev = i.checked_sub(1).and_then(|p| all.get(p).cloned());
        let next = all.get(i + 1).cloned();
        let q_edit = q.clone();
        view! {
            <li class="q-admin" data-testid="admin-question">
                {move || if editing.get() == Some(qid) {
                    view! { <QuestionForm comp_id=id existing=Some(q_edit.clone()) on_saved=saved on_cancel=Callback::new(move |_| editing.set(None)) /> }.into_any()
                } else {
                    let q = q_edit.clone();
                    let (prev, next) = (prev.clone(), next.clone());
                    let cur = q.clone();
                    let cur2 = q.clone();
                    let (first, last) = (prev.is_none(), next.is_none());
                    view! {
                        <div class="q-admin-head">
                            <span class="q-badge">{fmt.count(i + 1)}</span>
                            <p class="strong q-admin-text" dir="auto">{q.text.clone()}</p>
                            {(q.points > 1).then(|| view! { <span class="tag">{i18n::question_points(&fmt.int(q.points))}</span> })}
                        </div>
                        <ol class="q-admin-choices">
                            {q.choices.iter().enumerate().map(|(c, text)| {
                                let correct = c as i64 == q.correct_index;
                                view! {
                                    <li class:correct=correct>
                                        {correct.then(|| view! { <Icon svg=icons::CHECK /> })}
                                        <span dir="auto">{text.clone()}</span>
                                        {correct.then(|| view! { <span class="sr-only">{" — "}{i18n::CORRECT_ANSWER}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        {editable.then(|| view! {
                            <div class="q-admin-actions">
                                <button type="button" class="icon-btn" aria-label=i18n::MOVE_UP title=i18n::MOVE_UP
                                    disabled=move || busy.get() || first
                                    on:click={ let prev = prev.clone(); let cur = cur.clone(); move |_| if let Some(p) = prev.clone() { swap(cur.clone(), p) } }
                                    inner_html=icons::ARROW_UP></button>
                                <button type="button" class="icon-btn" aria-label=i18n::MOVE_DOWN title=i18n::MOVE_DOWN
                                    disabled=move || busy.get() || last
                                    on:click={ let next = next.clone(); let cur = cur2.clone(); move |_| if let Some(n) = next.clone() { swap(cur.clone(), n) } }
                                    inner_html=icons::ARROW_DOWN></button>
                                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| editing.set(Some(qid))>
                                    <Icon svg=icons::EDIT /><span>{i18n::EDIT}</span>
                                </button>
                                {move || if deleting.get() == Some(qid) {
                                    view! {
                                        <span class="inline-confirm">
                                            <span>{i18n::DELETE_QUESTION_CONFIRM}</span>
                                            <button type="button" class="btn btn-danger btn-sm" disabled=busy on:click=move |_| remove(qid)>{i18n::DELETE}</button>
                                            <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| deleting.set(None)>{i18n::CANCEL}</button>
                                        </span>
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <button type="button" class="btn btn-outline-danger btn-sm" on:click=move |_| deleting.set(Some(qid))>
                                            <Icon svg=icons::TRASH /><span>{i18n::DELETE}</span>
                                        </button>
                                    }
                                    .into_any()
                                }}
                            </div>
                        })}
                    }
                    .into_any()
                }}
            </li>
        }
    };

    view! {
        <section class="card" aria-labelledby="questions-title" data-testid="questions-editor">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::LIST></span>
                <h3 id="questions-title">{i18n::QUESTIONS}</h3>
            </div>
            {(!editable).then(|| view! { <Notice message=i18n::QUESTIONS_LOCKED /> })}
            <div aria-live="polite">{move || note.get().map(|m| view! { <Notice message=m kind="error" /> })}</div>
            {move || match list.get() {
                None => view! { <Skeleton lines=3 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line">{i18n::NO_QUESTIONS}</p> }.into_any(),
                Some(Ok(items)) => {
                    let all = items.clone();
                    view! {
                        <ol class="q-admin-list">
                            {items.into_iter().enumerate().map(|(i, q)| card((i, q, all.clone()))).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
            {editable.then(|| view! {
                <div class="q-new">
                    <h4>{i18n::ADD_QUESTION}</h4>
                    <QuestionForm comp_id=id existing=None on_saved=saved />
                </div>
            })}
        </section>
    }
}

/// A question's text, 2–6 choices (one marked correct) and points; adds or edits.
#[component]
fn QuestionForm(
    comp_id: i64,
    existing: Option<AdminQuestion>,
    on_saved: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let qid = existing.as_ref().map(|q| q.id);
    let text = RwSignal::new(
        existing
            .as_ref()
            .map(|q| q.text.clone())
            .unwrap_or_default(),
    );
    let points = RwSignal::new(
        existing
            .as_ref()
            .map_or("1".to_owned(), |q| q.points.to_string()),
    );
    let mut next = 0;
    let choices: Rows = RwSignal::new(rows_of(
        existing
            .as_ref()
            .map_or_else(|| vec![String::new(), String::new()], |q| q.choices.clone()),
        &mut next,
    ));
    let next = RwSignal::new(next);
    // The correct choice by row id, so removing another row keeps it.
    let correct = RwSignal::new(choices.with_untracked(|c| {
        let i = existing.as_ref().map_or(0, |q| q.correct_index as usize);
        c.get(i).map_or(1, |(id, _)| *id)
    }));
    let prefix = format!("q{}", qid.unwrap_or(0));
    let choices_error = Memo::new(move |_| {
        form.errors
            .with(|e| e.get("choices").or_else(|| e.get("correct_index")).cloned())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let rows = choices.get_untracked();
        let values: Vec<String> = rows
            .iter()
            .map(|(_, v)| v.get_untracked().trim().to_owned())
            .collect();
        let correct_index = rows
            .iter()
            .position(|(id, _)| *id == correct.get_untracked())
            .map_or(-1, |i| i as i64);
        let Some(pts) = kit::parse_int(&points.get_untracked()) else {
            form.invalid([("points".to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned())].into());
            return;
        };
        let req = QuestionRequest {
            text: text.get_untracked().trim().to_owned(),
            choices: values,
            correct_index,
            points: pts,
        };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            let result = match qid {
                Some(q) => {
                    let patch = UpdateQuestionRequest {
                        text: Some(req.text.clone()),
                        choices: Some(req.choices.clone()),
                        correct_index: Some(req.correct_index),
                        points: Some(req.points),
                        position: None,
                    };
                    api::competitions::update_question(comp_id, q, &patch).await
                }
                None => api::competitions::add_question(comp_id, &req).await,
            };
            form.pending.set(false);
            match result {
                Ok(_) => {
                    if qid.is_none() {
                        text.set(String::new());
                        points.set("1".to_owned());
                        next.update(|n| *n += 2);
                        let n = next.get_untracked();
                        choices.set(vec![
                            (n - 1, RwSignal::new(String::new())),
                            (n, RwSignal::new(String::new())),
                        ]);
                        correct.set(n - 1);
                    }
                    on_saved.run(());
                }
                Err(err) => form.failed(&err, fmt),
            }
        });
    };
    let add_choice = move |_| {
        if choices.with_untracked(|c| c.len()) < domain::competitions::CHOICES_MAX {
            next.update(|n| *n += 1);
            let id = next.get_untracked();
            choices.update(|c| c.push((id, RwSignal::new(String::new()))));
        }
    };
    let group = format!("{prefix}-correct");
    let hint_id = format!("{prefix}-choices-hint");
    let described_by = hint_id.clone();

    view! {
        <form class="form question-form" novalidate=true on:submit=on_submit data-testid="question-form">
            <FormMessages form=form />
            <TextArea name="text" label=i18n::QUESTION_TEXT value=text form=form rows=2 />
            <fieldset class="choice-editor" aria-describedby=described_by>
                <legend class="label-like">{i18n::CHOICES}</legend>
                <p class="hint" id=hint_id>{i18n::CHOICES_HINT}</p>
                <ol class="choice-rows">
                    // Rebuilt only when a choice is added or removed (typing changes the choice's
                    // own signal), so each row's number is plain text.
                    {move || {
                        let invalid = choices_error.with(Option::is_some).to_string();
                        let rows = choices.get();
                        let last_two = rows.len() <= domain::competitions::CHOICES_MIN;
                        let (group, prefix) = (group.clone(), prefix.clone());
                        rows.into_iter().enumerate().map(|(i, (row_id, value))| {
                            let n = fmt.count(i + 1);
                            let radio_id = format!("{prefix}-c{row_id}-ok");
                            let input_id = format!("{prefix}-c{row_id}");
                            view! {
                                <li class="choice-row" class:correct=move || correct.get() == row_id>
                                    <input type="radio" id=radio_id.clone() name=group.clone()
                                        prop:checked=move || correct.get() == row_id
                                        on:change=move |_| correct.set(row_id) />
                                    <label for=radio_id class="choice-correct" title=i18n::MARK_CORRECT>
                                        <span class="sr-only">{i18n::mark_correct_n(&n)}</span>
                                        <span aria-hidden="true" inner_html=icons::CHECK></span>
                                    </label>
                                    <label for=input_id.clone() class="sr-only">{i18n::choice_n(&n)}</label>
                                    <input id=input_id type="text" dir="auto" data-testid="choice-input"
                                        placeholder=i18n::choice_n(&n) aria-invalid=invalid.clone() bind:value=value />
                                    <button type="button" class="icon-btn" aria-label=i18n::remove_choice(&n)
                                        disabled=last_two
                                        on:click=move |_| choices.update(|c| c.retain(|(id, _)| *id != row_id))
                                        inner_html=icons::TRASH></button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
                {move || choices_error.get().map(|m| view! {
                    <p class="field-error"><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
                })}
                <button type="button" class="btn btn-soft btn-sm" data-testid="add-choice"
                    disabled=move || choices.with(|c| c.len() >= domain::competitions::CHOICES_MAX)
                    on:click=add_choice>
                    <Icon svg=icons::PLUS /><span>{i18n::ADD_CHOICE}</span>
                </button>
            </fieldset>
            <div class="form-row">
                <Field name="points" label=i18n::QUESTION_POINTS_FIELD value=points form=form dir="ltr" inputmode="numeric" />
            </div>
            <div class="form-actions">
                <SubmitButton label=if qid.is_some() { i18n::SAVE_CHANGES } else { i18n::ADD_QUESTION } pending_label=i18n::SAVING pending=form.pending />
                {on_cancel.map(|cb| view! { <button type="button" class="btn btn-ghost" on:click=move |_| cb.run(())>{i18n::CANCEL}</button> })}
            </div>
        </form>
    }
}
