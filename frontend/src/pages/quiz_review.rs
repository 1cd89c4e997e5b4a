//! The quiz's review step: every question with the answer chosen (or none yet) and a button back
//! to it, above the send confirmation (issue 13, item 7).

use domain::competitions::Question;
use leptos::prelude::*;

use crate::format::Fmt;
use crate::i18n;

#[component]
pub fn ReviewList(
    questions: StoredValue<Vec<Question>>,
    answers: RwSignal<Vec<Option<i64>>>,
    /// Opens question `i` again.
    go: Callback<usize>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let rows = move || {
        questions.with_value(|qs| {
            answers.with(|a| {
                qs.iter()
                    .zip(a)
                    .enumerate()
                    .map(|(i, (q, choice))| {
                        let n = fmt.count(i + 1);
                        let chosen = choice
                            .and_then(|c| q.choices.get(c as usize).cloned());
                        let missing = chosen.is_none();
                        view! {
                            <li class="review-row" class:missing=missing data-testid="review-answer">
                                <div class="review-text">
                                    <span class="review-q">
                                        <span class="q-num">{i18n::review_question(&n)} " "</span>
                                        <bdi dir="auto">{q.text.clone()}</bdi>
                                    </span>
                                    <span class="review-a">
                                        {match chosen {
                                            Some(text) => view! { <bdi dir="auto">{text}</bdi> }.into_any(),
                                            None => view! { <span>{i18n::NOT_ANSWERED}</span> }.into_any(),
                                        }}
                                    </span>
                                </div>
                                <button
                                    type="button"
                                    class="btn btn-ghost btn-sm"
                                    aria-label=i18n::change_answer_label(&n)
                                    on:click=move |_| go.run(i)
                                >
                                    {i18n::CHANGE_ANSWER}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <h2 class="review-title" id="review-title" tabindex="-1">{i18n::REVIEW_ANSWERS}</h2>
        <ol class="review-list">{rows}</ol>
    }
}
