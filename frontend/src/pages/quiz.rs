//! The quiz: one question at a time (native radio groups, so arrow keys choose), a progress bar
//! and the personal timer, a review-and-send confirmation, then the score. It only uses what the
//! API gives participants: the questions and choices, never the answers.

use domain::competitions::{AnswerInput, QuestionSet, SubmissionRequest, SubmissionResult};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::components::kit::{error_text, use_now};
use crate::components::{icons, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::quiz_review::ReviewList;
use crate::{api, i18n, storage};

/// Auto-send this long before the deadline, so the answers arrive in time.
const SAFETY_MS: f64 = 2000.0;
const LETTERS: [&str; 6] = ["أ", "ب", "ج", "د", "هـ", "و"];

fn answers_key(id: i64) -> String {
    format!("musabaqati.quiz.{id}")
}

#[component]
pub fn Quiz() -> impl IntoView {
    set_title(i18n::QUIZ_TITLE);
    let fmt = expect_context::<Fmt>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let set = RwSignal::new(None::<Result<QuestionSet, ApiError>>);
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            set.set(Some(Err(ApiError::Unexpected(404))));
            return;
        };
        spawn_local(async move {
            if let Ok(c) = api::competitions::get_one(id).await {
                set_title(&c.title);
                title.set(c.title);
            }
            set.set(Some(api::competitions::questions(id).await));
        });
    });
    let back = move || format!("/competitions/{}", id.get().unwrap_or(0));

    view! {
        <div class="page quiz">
            <a class="back-link" href=back>
                <Icon svg=icons::ARROW_BACK />
                <span>{i18n::BACK_TO_COMPETITION}</span>
            </a>
            <header class="page-head">
                <p class="muted">{i18n::QUIZ_TITLE}</p>
                <h1><bdi dir="auto">{move || title.get()}</bdi></h1>
            </header>
            {move || match set.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(err)) => {
                    let text = match err.code() {
                        Some("not_participant") => i18n::QUIZ_NOT_PARTICIPANT.to_owned(),
                        Some("competition_not_running") => i18n::QUIZ_NOT_RUNNING.to_owned(),
                        _ if err.status() == Some(404) => i18n::COMPETITION_NOT_FOUND.to_owned(),
                        _ => error_text(&err, fmt),
                    };
                    view! {
                        <section class="card empty-state">
                            <Icon svg=icons::ALERT class="empty-icon" />
                            <p class="strong">{text}</p>
                            <a class="btn btn-primary" href=back()>{i18n::BACK_TO_COMPETITION}</a>
                        </section>
                    }
                    .into_any()
                }
                Some(Ok(qs)) if qs.submitted => view! { <AlreadySent id=qs.competition_id /> }.into_any(),
                Some(Ok(qs)) if qs.questions.is_empty() => view! {
                    <section class="card empty-state"><p>{i18n::QUIZ_NO_QUESTIONS}</p></section>
                }
                .into_any(),
                Some(Ok(qs)) => view! { <Runner qs=qs /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Runner(qs: QuestionSet) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let id = qs.competition_id;
    let total = qs.questions.len();
    let questions = StoredValue::new(qs.questions);
    // Answers survive a reload of the page (same competition, same attempt).
    let saved: Option<Vec<Option<i64>>> = storage::get(&answers_key(id))
        .and_then(|s| serde_json::from_str(&s).ok())
        .filter(|v: &Vec<Option<i64>>| v.len() == total);
    let answers = RwSignal::new(saved.unwrap_or_else(|| vec![None; total]));
    let current = RwSignal::new(0usize);
    let reviewing = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<(SubmissionResult, bool)>);
    let answered = Memo::new(move |_| answers.with(|a| a.iter().filter(|x| x.is_some()).count()));

    let now = use_now();
    let deadline_ms = qs.deadline.timestamp_millis() as f64;
    let left_ms = Memo::new(move |_| (deadline_ms - now.get()).max(0.0));

    let submit = move |timed_out: bool| {
        if pending.get_untracked() || result.with_untracked(Option::is_some) {
            return;
        }
        pending.set(true);
        error.set(None);
        let req = SubmissionRequest {
            answers: questions.with_value(|qs| {
                answers.with_untracked(|a| {
                    qs.iter()
                        .zip(a)
                        .filter_map(|(q, choice)| {
                            choice.map(|c| AnswerInput {
                                question_id: q.id,
                                choice_index: c,
                            })
                        })
                        .collect()
                })
            }),
        };
        spawn_local(async move {
            match api::competitions::submit(id, &req).await {
                Ok(r) => {
                    storage::remove(&answers_key(id));
                    result.set(Some((r, timed_out)));
                }
                Err(err) => error.set(Some(error_text(&err, fmt))),
            }
            pending.set(false);
            reviewing.set(false);
        });
    };
    Effect::new(move |_| {
        if left_ms.get() <= SAFETY_MS && result.with_untracked(Option::is_none) {
            submit(true);
        }
    });

    let choose = move |q: usize, c: i64| {
        answers.update(|a| a[q] = Some(c));
        answers.with_untracked(|a| {
            if let Ok(json) = serde_json::to_string(a) {
                storage::set(&answers_key(id), &json);
            }
        });
    };
    let go = move |to: usize| {
        current.set(to);
        reviewing.set(false);
        request_animation_frame(|| {
            if let Some(el) = document().get_element_by_id("question") {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        });
    };

    // The review replaces the question: every answer is listed, with a way back to each.
    let open_review = move || {
        reviewing.set(true);
        crate::components::focus_soon("#review-title");
    };

    let timer = move || {
        let s = (left_ms.get() / 1000.0).ceil() as i64;
        let text = if s >= 3600 {
            format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
        } else {
            format!("{:02}:{:02}", s / 60, s % 60)
        };
        fmt.text(&text)
    };

    let question = move || {
        let i = current.get();
        questions.with_value(|qs| {
            let q = qs[i].clone();
            let name = format!("q-{}", q.id);
            view! {
                <fieldset class="question" id="question" tabindex="-1" data-testid="question">
                    <legend>
                        <span class="q-num">{i18n::question_of(&fmt.count(i + 1), &fmt.count(total))}</span>
                        <span class="q-text" dir="auto">{q.text.clone()}</span>
                    </legend>
                    {(q.points > 1).then(|| view! {
                        <p class="muted small">{i18n::question_points(&fmt.int(q.points))}</p>
                    })}
                    <div class="choices">
                        {q.choices.iter().enumerate().map(|(c, text)| {
                            let c = c as i64;
                            let input_id = format!("{name}-{c}");
                            let label_for = input_id.clone();
                            view! {
                                <label class="choice" for=label_for>
                                    <input
                                        type="radio"
                                        id=input_id
                                        name=name.clone()
                                        value=c
                                        prop:checked=move || answers.with(|a| a[i] == Some(c))
                                        on:change=move |_| choose(i, c)
                                    />
                                    <span class="choice-letter" aria-hidden="true">{LETTERS.get(c as usize).copied().unwrap_or("•")}</span>
                                    <span class="choice-text" dir="auto">{text.clone()}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
        })
    };

    let runner = move || {
        view! {
            <div class="quiz-bar card">
                <div class="quiz-progress">
                    <p class="small">
                        {move || i18n::answered_of(&fmt.count(answered.get()), &fmt.count(total))}
                    </p>
                    <div
                        class="progress"
                        role="progressbar"
                        aria-label=i18n::QUIZ_PROGRESS
                        aria-valuemin="0"
                        aria-valuemax=total
                        aria-valuenow=move || answered.get()
                    >
                        <span style=move || format!("width:{:.1}%", answered.get() as f64 * 100.0 / total as f64)></span>
                    </div>
                </div>
                <div
                    class="quiz-timer"
                    class:urgent=move || left_ms.get() < 60_000.0
                    role="timer"
                    aria-label=i18n::TIME_LEFT
                >
                    <Icon svg=icons::CLOCK />
                    <span dir="ltr" data-testid="quiz-timer">{timer}</span>
                </div>
            </div>
            <Show when=move || !reviewing.get()>
            <section class="card question-card">
                {question}
                <div class="quiz-nav">
                    <button
                        type="button"
                        class="btn btn-ghost"
                        disabled=move || current.get() == 0
                        on:click=move |_| go(current.get_untracked().saturating_sub(1))
                    >
                        {i18n::PREVIOUS}
                    </button>
                    {move || if current.get() + 1 < total {
                        view! {
                            <button type="button" class="btn btn-primary" data-testid="next" on:click=move |_| go(current.get_untracked() + 1)>
                                {i18n::NEXT}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button type="button" class="btn btn-primary" data-testid="review" on:click=move |_| open_review()>
                                {i18n::REVIEW_AND_SEND}
                            </button>
                        }
                        .into_any()
                    }}
                </div>
                <nav class="q-dots" aria-label=i18n::QUESTIONS_NAV>
                    {(0..total).map(|i| view! {
                        <button
                            type="button"
                            class="q-dot"
                            class:done=move || answers.with(|a| a[i].is_some())
                            aria-current=move || (current.get() == i).then_some("step")
                            aria-label=i18n::go_to_question(&fmt.count(i + 1))
                            on:click=move |_| go(i)
                        >
                            {fmt.count(i + 1)}
                        </button>
                    }).collect_view()}
                </nav>
            </section>
            </Show>
            <div aria-live="assertive">{move || error.get().map(|m| view! { <Notice message=m kind="error" /> })}</div>
            {move || if reviewing.get() {
                let missing = total - answered.get();
                view! {
                    <section class="card confirm-box review-box" role="group" aria-labelledby="send-title" data-testid="send-confirm">
                        <ReviewList questions=questions answers=answers go=Callback::new(go) />
                        <p id="send-title" class="strong">{i18n::answered_of(&fmt.count(answered.get()), &fmt.count(total))}</p>
                        {(missing > 0).then(|| view! {
                            <p class="field-error"><Icon svg=icons::ALERT />{i18n::unanswered(&fmt.count(missing))}</p>
                        })}
                        <p class="muted small">{i18n::SEND_FINAL}</p>
                        <div class="actions">
                            <button
                                type="button"
                                class="btn btn-primary"
                                data-testid="send"
                                disabled=pending
                                on:click=move |_| submit(false)
                            >
                                {move || pending.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                                <span>{i18n::SEND_ANSWERS}</span>
                            </button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| go(current.get_untracked())>
                                {i18n::BACK_TO_QUESTIONS}
                            </button>
                        </div>
                    </section>
                }
                .into_any()
            } else {
                view! {
                    <div class="quiz-send">
                        <button type="button" class="btn btn-soft" on:click=move |_| open_review()>
                            <Icon svg=icons::SEND />
                            <span>{i18n::SEND_ANSWERS}</span>
                        </button>
                    </div>
                }
                .into_any()
            }}
        }
    };

    move || match result.get() {
        Some((r, timed_out)) => view! { <Score r=r timed_out=timed_out /> }.into_any(),
        None => runner().into_any(),
    }
}

#[component]
fn Score(r: SubmissionResult, timed_out: bool) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let perfect = r.max_score > 0 && r.score == r.max_score;
    view! {
        <section class="card score-card" data-testid="quiz-score" aria-labelledby="score-title">
            {timed_out.then(|| view! { <Notice message=i18n::TIME_UP_SENT /> })}
            <span class="score-icon" aria-hidden="true" inner_html=if perfect { icons::TROPHY } else { icons::CHECK }></span>
            <h2 id="score-title">{if perfect { i18n::SCORE_PERFECT } else { i18n::SCORE_TITLE }}</h2>
            <p class="score-big">
                <span data-testid="score-value">{fmt.int(r.score)}</span>
                <span class="muted">" / " {fmt.int(r.max_score)}</span>
            </p>
            <p class="muted">
                {i18n::correct_of(&fmt.int(r.correct_count), &fmt.int(r.question_count))}
            </p>
            <p class="muted small">{i18n::RESULTS_AFTER_END}</p>
            <div class="actions center">
                <a class="btn btn-primary" href=format!("/competitions/{}", r.competition_id)>{i18n::BACK_TO_COMPETITION}</a>
                <a class="btn btn-ghost" href="/leaderboard">{i18n::NAV_LEADERBOARD}</a>
            </div>
        </section>
    }
}

/// The answers went in earlier (another tab, a reload after sending): the score so far.
#[component]
fn AlreadySent(id: i64) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let score = RwSignal::new(None::<i64>);
    spawn_local(async move {
        if let Ok(b) = api::competitions::leaderboard(id, 1).await {
            score.set(b.me.and_then(|m| m.score));
        }
    });
    view! {
        <section class="card empty-state" data-testid="quiz-already-sent">
            <Icon svg=icons::CHECK class="empty-icon" />
            <h2>{i18n::ANSWERS_SENT}</h2>
            {move || score.get().map(|s| view! { <p>{i18n::YOUR_SCORE} " " <strong>{fmt.int(s)}</strong></p> })}
            <p class="muted">{i18n::RESULTS_AFTER_END}</p>
            <a class="btn btn-primary" href=format!("/competitions/{id}")>{i18n::BACK_TO_COMPETITION}</a>
        </section>
    }
}
