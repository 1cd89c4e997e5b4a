//! Admin → a competition's participants; for a judged competition the judging table: each
//! participant's entry (text and link) beside the score field, optionally without names, and
//! the results form (PUT results). Split from `competitions.rs`.

use std::collections::BTreeMap;

use domain::competitions::{
    Competition, CompetitionKind, CompetitionStatus, Participant, ResultInput, ResultsRequest,
};
use domain::entries::AdminEntry;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::kit::{self, error_text, load_more, Paged};
use crate::components::{icons, FormMessages, FormState, Notice, Skeleton, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// Who takes part; for a judged competition, the score of each (PUT results).
#[component]
pub fn ParticipantsCard(c: Competition) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let id = c.id;
    let judged = c.kind == CompetitionKind::Judged
        && matches!(
            c.status,
            CompetitionStatus::Running | CompetitionStatus::Ended
        );
    let paged = Paged::<Participant>::new();
    // What the admin typed, per participant, as plain text in one signal. (Each row used to
    // create its own signal while the table rendered: the table's re-render after saving
    // disposed them while this map still held them, and the next save or finalize panicked —
    // "a reactive value that has already been disposed", then "RefCell already borrowed".)
    let scores = RwSignal::new(BTreeMap::<i64, String>::new());
    // The entries beside the scores, and whether the judges see names.
    let anonymous = RwSignal::new(false);
    let entries = RwSignal::new(BTreeMap::<i64, AdminEntry>::new());
    let without_entry = RwSignal::new(0i64);
    let load_entries = move || {
        if !judged {
            return;
        }
        let blind = anonymous.get_untracked();
        spawn_local(async move {
            if let Ok(list) = api::competitions::entries(id, blind).await {
                without_entry.set(list.without_entry);
                entries.set(list.items.into_iter().map(|e| (e.user_id, e)).collect());
            }
        });
    };
    load_entries();
    let form = FormState::new();
    let load = move || {
        paged.reload(async move {
            api::competitions::participants(id, None)
                .await
                .map(|p| (p.items, p.next_cursor))
        })
    };
    load();
    let more = move || {
        if let Some(cursor) = paged.next.get_untracked() {
            paged.more(async move {
                api::competitions::participants(id, Some(&cursor))
                    .await
                    .map(|p| (p.items, p.next_cursor))
            });
        }
    };
    // The typed value, or the saved score when nothing was typed.
    let typed_or_saved = move |p: &Participant| {
        scores
            .with_untracked(|m| m.get(&p.user_id).cloned())
            .unwrap_or_else(|| p.score.map(|s| s.to_string()).unwrap_or_default())
    };
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut results = Vec::new();
        let items = paged
            .data
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        for p in items.iter().filter(|p| p.status.is_active()) {
            let v = typed_or_saved(p);
            if v.trim().is_empty() {
                continue;
            }
            match kit::parse_int(&v) {
                Some(score) => results.push(ResultInput {
                    user_id: p.user_id,
                    score,
                }),
                None => {
                    form.invalid(
                        [("results".to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned())].into(),
                    );
                    return;
                }
            }
        }
        let req = ResultsRequest { results };
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::competitions::set_results(id, &req).await {
                Ok(r) => {
                    form.success
                        .set(Some(i18n::results_saved(&fmt.int(r.updated))));
                    scores.set(BTreeMap::new());
                    load();
                    load_entries();
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let row = move |p: Participant| {
        let user = p.user_id;
        let (display_name, username) = (p.display_name.clone(), p.username.clone());
        let saved = p.score.map(|s| s.to_string()).unwrap_or_default();
        let shown = move || {
            scores
                .with(|m| m.get(&user).cloned())
                .unwrap_or_else(|| saved.clone())
        };
        let typed = move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            scores.update(|m| {
                m.insert(user, v);
            });
        };
        let active = p.status.is_active();
        let (rank, awarded, value) = (p.rank, p.points_awarded, p.score);
        let input_id = format!("score-{}", p.user_id);
        view! {
            <tr data-testid="participant-row">
                <td>
                    {move || {
                        let entry = entries.with(|m| m.get(&user).cloned());
                        let name = if anonymous.get() {
                            view! {
                                <div class="comp-cell">
                                    <span class="strong">{entry.as_ref().map(|e| e.label.clone()).unwrap_or_else(|| i18n::JUDGED_ENTRIES.to_owned())}</span>
                                </div>
                            }
                            .into_any()
                        } else {
                            view! {
                                <div class="comp-cell">
                                    <bdi class="strong">{display_name.clone()}</bdi>
                                    <bdi class="handle" dir="ltr">{format!("@{}", username)}</bdi>
                                </div>
                            }
                            .into_any()
                        };
                        view! {
                            {name}
                            {entry.map(|e| {
                                let link = e.link.clone();
                                view! {
                                    <div class="entry-preview" data-testid="entry-preview">
                                        <p class="entry-text small" dir="auto">{e.text}</p>
                                        {link.map(|l| {
                                            let shown = l.clone();
                                            view! { <a href=l rel="noopener noreferrer nofollow" target="_blank" dir="ltr" class="small"><bdi>{shown}</bdi></a> }
                                        })}
                                    </div>
                                }
                            })}
                        }
                    }}
                </td>
                <td data-label=i18n::ADMIN_COL_STATUS><span class="tag">{i18n::participation_status(p.status)}</span></td>
                <td class="num" data-label=i18n::SCORE>
                    {if judged && active {
                        view! {
                            <label class="sr-only" for=input_id.clone()>{i18n::score_for(&p.display_name)}</label>
                            <input id=input_id class="score-input" type="text" dir="ltr" inputmode="numeric" prop:value=shown on:input=typed />
                        }
                        .into_any()
                    } else {
                        view! { <span>{move || value.map(|v| fmt.int(v)).unwrap_or_else(|| "—".to_owned())}</span> }.into_any()
                    }}
                </td>
                <td class="num" data-label=i18n::RANK>{move || rank.map(|r| fmt.int(r)).unwrap_or_else(|| "—".to_owned())}</td>
                <td class="num" data-label=i18n::POINTS_AWARDED>{fmt.int(awarded)}</td>
            </tr>
        }
    };
    let table = move || match paged.data.get() {
        None => view! { <Skeleton lines=3 /> }.into_any(),
        Some(Err(err)) => {
            view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any()
        }
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="empty-line">{i18n::NO_PARTICIPANTS}</p> }.into_any()
        }
        Some(Ok(items)) => view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::PARTICIPANTS>
                <table class="table" data-testid="participants-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n::ADMIN_COL_USER}</th>
                            <th scope="col">{i18n::ADMIN_COL_STATUS}</th>
                            <th scope="col">{i18n::SCORE}</th>
                            <th scope="col">{i18n::RANK}</th>
                            <th scope="col">{i18n::POINTS_AWARDED}</th>
                        </tr>
                    </thead>
                    <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card" aria-labelledby="people-title">
            <div class="card-title">
                <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::USERS></span>
                <h3 id="people-title">{if judged { i18n::ENTER_RESULTS } else { i18n::PARTICIPANTS }}</h3>
            </div>
            {if judged {
                view! {
                    <form class="form" novalidate=true on:submit=save data-testid="results-form">
                        <p class="muted small">{i18n::ENTER_RESULTS_HINT}</p>
                        <label class="check">
                            <input type="checkbox" data-testid="judge-anonymously"
                                prop:checked=move || anonymous.get()
                                on:change=move |ev| { anonymous.set(event_target_checked(&ev)); load_entries(); } />
                            <span>{i18n::JUDGE_WITHOUT_NAMES}</span>
                        </label>
                        {move || (without_entry.get() > 0).then(|| view! {
                            <p class="muted small">{i18n::entries_missing(&fmt.int(without_entry.get()))}</p>
                        })}
                        <FormMessages form=form />
                        {table}
                        <div class="form-actions">
                            <SubmitButton label=i18n::SAVE_RESULTS pending_label=i18n::SAVING pending=form.pending />
                        </div>
                    </form>
                }
                .into_any()
            } else {
                table.into_any()
            }}
            {load_more(paged, more)}
        </section>
    }
}
