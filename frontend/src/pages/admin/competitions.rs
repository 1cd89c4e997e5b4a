//! Admin → competitions: the table (status filter with counts), the create/edit form (validated
//! with the `domain` rules before sending), quiz questions, publishing, judged results,
//! finalizing and deleting.

use std::collections::BTreeMap;

use domain::competitions::{
    changed_fields, Competition, CompetitionKind, CompetitionStatus, CreateCompetitionRequest,
    Prize, UpdateCompetitionRequest,
};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::kit::{
    self, error_text, from_local_input, load_more, tab_id, to_local_input, Paged, Tabs, TextArea,
};
use crate::components::{
    icons, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::{api, i18n};

use super::deep_link::DeepLink;
use super::zone::moment_hint;

const STATUSES: &[(&str, &str)] = &[
    ("all", i18n::FILTER_ALL),
    ("draft", i18n::STATE_DRAFT),
    ("published", i18n::ADMIN_STATE_PUBLISHED),
    ("running", i18n::STATE_RUNNING),
    ("ended", i18n::ADMIN_STATE_ENDED),
    ("finalized", i18n::STATE_FINALIZED),
];

#[component]
pub fn CompetitionsPanel() -> impl IntoView {
    // The open competition is in the address (`&competition=ID`, or `=new` for the form), so a
    // reload or a shared link lands on it.
    let link = DeepLink::new("competitions", "competition");
    let open = Callback::new(move |id: Option<i64>| {
        match (id, link.get().as_deref()) {
            // Just created: its address replaces the form's.
            (Some(id), Some("new")) => link.replace(id),
            (Some(id), _) => link.open(id),
            (None, _) => link.open("new"),
        }
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    let back = Callback::new(move |_| link.close());
    move || match link.get().as_deref() {
        None => view! { <CompetitionTable open=open /> }.into_any(),
        Some("new") => view! { <Editor id=None open=open back=back /> }.into_any(),
        Some(_) => match link.id() {
            Some(id) => view! { <Editor id=Some(id) open=open back=back /> }.into_any(),
            None => {
                view! { <Notice message=i18n::CONSOLE_RECORD_MISSING.to_owned() kind="error" /> }
                    .into_any()
            }
        },
    }
}

fn admin_state_tag(status: CompetitionStatus) -> &'static str {
    match status {
        CompetitionStatus::Draft => "tag tag-red",
        CompetitionStatus::Published => "tag tag-violet",
        CompetitionStatus::Running => "tag tag-gold",
        CompetitionStatus::Ended => "tag",
        CompetitionStatus::Finalized => "tag tag-green",
    }
}

#[component]
fn CompetitionTable(open: Callback<Option<i64>>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<Competition>::new();
    let counts = RwSignal::new(Vec::<Option<i64>>::new());
    spawn_local(async move {
        if let Ok(stats) = api::competitions::admin_stats().await {
            let by: BTreeMap<String, i64> = stats
                .competitions_by_status
                .into_iter()
                .map(|s| (s.status, s.count))
                .collect();
            counts.set(
                STATUSES
                    .iter()
                    .map(|(k, _)| match *k {
                        "all" => Some(stats.competitions_total),
                        k => Some(by.get(k).copied().unwrap_or(0)),
                    })
                    .collect(),
            );
        }
    });
    let status = move || match STATUSES[tab.get_untracked()].0 {
        "all" => "",
        k => k,
    };
    Effect::new(move |_| {
        tab.track();
        let s = status();
        paged.reload(async move {
            api::competitions::admin_list(s, None)
                .await
                .map(|p| (p.items, p.next_cursor))
        });
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            let s = status();
            paged.more(async move {
                api::competitions::admin_list(s, Some(&c))
                    .await
                    .map(|p| (p.items, p.next_cursor))
            });
        }
    };
    let row = move |c: Competition| {
        let id = c.id;
        let (starts, people, questions) = (c.starts_at, c.participants_count, c.question_count);
        let quiz = c.kind == CompetitionKind::Quiz;
        view! {
            <tr data-testid="admin-competition-row">
                <td>
                    <div class="comp-cell">
                        <bdi class="strong" dir="auto">{c.title.clone()}</bdi>
                        {c.category.clone().map(|cat| view! { <span class="muted small"><bdi>{cat}</bdi></span> })}
                    </div>
                </td>
                <td data-label=i18n::KIND><span class="tag tag-violet">{c.kind.label_ar()}</span></td>
                <td data-label=i18n::ADMIN_COL_STATUS><span class=admin_state_tag(c.status)>{c.status.label_ar()}</span></td>
                <td class="nowrap" data-label=i18n::STARTS_AT>{fmt.date_time(&starts)}</td>
                <td class="num" data-label=i18n::PARTICIPANTS>{fmt.int(people)}</td>
                <td class="num" data-label=i18n::QUESTION_COUNT>
                    {move || if quiz { fmt.int(questions) } else { "—".to_owned() }}
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="manage-competition" on:click=move |_| open.run(Some(id))>
                        <Icon svg=icons::EDIT />
                        <span>{i18n::MANAGE}</span>
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <div class="panel-head">
                <Tabs items=STATUSES selected=tab label=i18n::COMPETITION_FILTERS prefix="cstatus" counts=Signal::from(counts) />
                <button type="button" class="btn btn-primary" data-testid="new-competition" on:click=move |_| open.run(None)>
                    <Icon svg=icons::PLUS />
                    <span>{i18n::NEW_COMPETITION}</span>
                </button>
            </div>
            <div role="tabpanel" id="cstatus-panel" aria-labelledby=tab_id(STATUSES, "cstatus", tab)>
                {move || match paged.data.get() {
                    None => view! { <Skeleton lines=5 /> }.into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! {
                        <p class="empty-line">{i18n::ADMIN_NO_COMPETITIONS}</p>
                    }
                    .into_any(),
                    Some(Ok(items)) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::ADMIN_COMPETITIONS>
                            <table class="table" data-testid="competitions-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{i18n::COMPETITION_TITLE_FIELD}</th>
                                        <th scope="col">{i18n::KIND}</th>
                                        <th scope="col">{i18n::ADMIN_COL_STATUS}</th>
                                        <th scope="col">{i18n::STARTS_AT}</th>
                                        <th scope="col">{i18n::PARTICIPANTS}</th>
                                        <th scope="col">{i18n::QUESTION_COUNT}</th>
                                        <th scope="col">{i18n::ADMIN_COL_ACTIONS}</th>
                                    </tr>
                                </thead>
                                <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                }}
                {load_more(paged, more)}
            </div>
        </div>
    }
}

/// One competition: its form, then (once it exists) actions, questions and participants.
/// Saving the form or the questions does not rebuild the page (messages and focus stay); a
/// publish, a finalization or a reload does.
#[component]
fn Editor(id: Option<i64>, open: Callback<Option<i64>>, back: Callback<()>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let comp = RwSignal::new(None::<Result<Competition, ApiError>>);
    // What the header shows: follows every save.
    let latest = RwSignal::new(None::<Competition>);
    let load = move || {
        if let Some(id) = id {
            spawn_local(async move {
                let result = api::competitions::admin_get(id).await;
                latest.set(result.as_ref().ok().cloned());
                comp.set(Some(result));
            });
        }
    };
    load();
    let changed = Callback::new(move |c: Competition| {
        latest.set(Some(c.clone()));
        comp.set(Some(Ok(c)));
    });
    let saved = Callback::new(move |c: Competition| latest.set(Some(c)));
    // The last action's outcome; kept here because publishing and finalizing rebuild the page.
    let done = RwSignal::new(None::<String>);
    let head = move || {
        view! {
            <div class="editor-head">
                <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| back.run(())>
                    <Icon svg=icons::ARROW_BACK />
                    <span>{i18n::ALL_COMPETITIONS}</span>
                </button>
                <h2>
                    <bdi dir="auto">
                        {move || latest.with(|c| c.as_ref().map_or_else(|| i18n::NEW_COMPETITION.to_owned(), |c| c.title.clone()))}
                    </bdi>
                </h2>
                {move || latest.with(|c| c.as_ref().map(|c| c.status)).map(|s| view! {
                    <span class=admin_state_tag(s) data-testid="admin-state">{s.label_ar()}</span>
                })}
                {id.map(|id| view! {
                    <a class="btn btn-ghost btn-sm" href=format!("/competitions/{id}")>{i18n::VIEW_PUBLIC_PAGE}</a>
                })}
            </div>
        }
    };
    let body = move || {
        match (id, comp.get()) {
        (None, _) => view! {
            <DetailsForm initial=None on_saved=Callback::new(move |c: Competition| open.run(Some(c.id))) />
        }
        .into_any(),
        (Some(_), None) => view! { <Skeleton lines=6 /> }.into_any(),
        (Some(_), Some(Err(err))) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
        (Some(_), Some(Ok(c))) => {
            let quiz = c.kind == CompetitionKind::Quiz;
            let questions_editable = c.status.questions_editable();
            let shows_people = c.status != CompetitionStatus::Draft;
            let question_count = RwSignal::new(c.question_count);
            view! {
                <div class="editor-grid">
                    // The actions come first: on phones they sit above the long form.
                    <aside class="editor-aside">
                        <ActionsCard
                            c=c.clone()
                            question_count=question_count
                            done=done
                            on_changed=changed
                            reload=Callback::new(move |_| load())
                            back=back
                        />
                    </aside>
                    <div class="editor-main">
                        <DetailsForm initial=Some(c.clone()) on_saved=saved />
                        {quiz.then(|| view! { <super::questions::QuestionsEditor id=c.id editable=questions_editable count=question_count /> })}
                        {shows_people.then(|| view! { <super::participants::ParticipantsCard c=c.clone() /> })}
                    </div>
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        {head}
        {body}
    }
}

fn request_of(c: &Competition) -> CreateCompetitionRequest {
    CreateCompetitionRequest {
        title: c.title.clone(),
        title_en: c.title_en.clone(),
        description: c.description.clone(),
        description_en: c.description_en.clone(),
        rules: c.rules.clone(),
        category: c.category.clone(),
        cover_url: c.cover_url.clone(),
        kind: c.kind.as_str().to_owned(),
        starts_at: c.starts_at,
        ends_at: c.ends_at,
        registration_opens_at: c.registration_opens_at,
        registration_closes_at: c.registration_closes_at,
        quiz_duration_seconds: c.quiz_duration_seconds,
        max_participants: c.max_participants,
        entry_fee: c.entry_fee,
        participation_points: c.participation_points,
        prizes: c.prizes.clone(),
    }
}

/// The PATCH body: the fields that differ and that the status still allows changing.
fn update_of(
    before: &CreateCompetitionRequest,
    after: &CreateCompetitionRequest,
    editable: &[&str],
) -> UpdateCompetitionRequest {
    let mut u = UpdateCompetitionRequest::default();
    for field in changed_fields(before, after) {
        if !editable.contains(&field) {
            continue;
        }
        match field {
            "title" => u.title = Some(after.title.clone()),
            "title_en" => u.title_en = Some(after.title_en.clone()),
            "description" => u.description = Some(after.description.clone()),
            "description_en" => u.description_en = Some(after.description_en.clone()),
            "rules" => u.rules = Some(after.rules.clone()),
            "category" => u.category = Some(after.category.clone()),
            "cover_url" => u.cover_url = Some(after.cover_url.clone()),
            "kind" => u.kind = Some(after.kind.clone()),
            "starts_at" => u.starts_at = Some(after.starts_at),
            "ends_at" => u.ends_at = Some(after.ends_at),
            "registration_opens_at" => u.registration_opens_at = Some(after.registration_opens_at),
            "registration_closes_at" => {
                u.registration_closes_at = Some(after.registration_closes_at)
            }
            "quiz_duration_seconds" => u.quiz_duration_seconds = Some(after.quiz_duration_seconds),
            "max_participants" => u.max_participants = Some(after.max_participants),
            "entry_fee" => u.entry_fee = Some(after.entry_fee),
            "participation_points" => u.participation_points = Some(after.participation_points),
            "prizes" => u.prizes = Some(after.prizes.clone()),
            _ => {}
        }
    }
    u
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// An optional whole number; `Err` when something that is not one was typed.
fn opt_int(text: &str) -> Result<Option<i64>, ()> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        kit::parse_int(text).map(Some).ok_or(())
    }
}

pub(super) type Rows = RwSignal<Vec<(u32, RwSignal<String>)>>;

pub(super) fn rows_of(
    values: impl IntoIterator<Item = String>,
    next: &mut u32,
) -> Vec<(u32, RwSignal<String>)> {
    values
        .into_iter()
        .map(|v| {
            *next += 1;
            (*next, RwSignal::new(v))
        })
        .collect()
}

#[component]
fn DetailsForm(initial: Option<Competition>, on_saved: Callback<Competition>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let existing = initial.as_ref().map(|c| (c.id, c.status, request_of(c)));
    let editable: Vec<&'static str> = existing
        .as_ref()
        .map(|(_, s, _)| s.editable_fields())
        .unwrap_or_else(|| CompetitionStatus::Draft.editable_fields());
    let frozen = StoredValue::new(editable.clone());
    let locked = move |field: &'static str| -> Signal<bool> {
        Signal::derive(move || frozen.with_value(|e| !e.contains(&field)))
    };
    let some_locked = editable.len() < CompetitionStatus::Draft.editable_fields().len();

    let c = initial.as_ref();
    let text =
        |f: fn(&Competition) -> Option<String>| RwSignal::new(c.and_then(f).unwrap_or_default());
    let title = text(|c| Some(c.title.clone()));
    let title_en = text(|c| c.title_en.clone());
    let description = text(|c| Some(c.description.clone()));
    let description_en = text(|c| c.description_en.clone());
    let rules = text(|c| c.rules.clone());
    let category = text(|c| c.category.clone());
    let cover_url = text(|c| c.cover_url.clone());
    let starts_at = text(|c| Some(to_local_input(&c.starts_at)));
    let ends_at = text(|c| Some(to_local_input(&c.ends_at)));
    let opens_at = text(|c| c.registration_opens_at.as_ref().map(to_local_input));
    let closes_at = text(|c| c.registration_closes_at.as_ref().map(to_local_input));
    let max_participants = text(|c| c.max_participants.map(|n| n.to_string()));
    let entry_fee = text(|c| Some(c.entry_fee.to_string()));
    let participation = text(|c| Some(c.participation_points.to_string()));
    let duration = text(|c| c.quiz_duration_seconds.map(|n| n.to_string()));
    let kind = RwSignal::new(c.map_or(CompetitionKind::Quiz, |c| c.kind));
    let mut next_row = 0;
    let prizes: Rows = RwSignal::new(rows_of(
        c.map(|c| {
            c.prizes
                .iter()
                .map(|p| p.points.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_else(|| vec![String::new()]),
        &mut next_row,
    ));
    let next_row = RwSignal::new(next_row);
    let existing = StoredValue::new(existing);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let mut int = |name: &str, value: RwSignal<String>| match opt_int(&value.get_untracked()) {
            Ok(v) => v,
            Err(()) => {
                errors.insert(name.to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned());
                None
            }
        };
        let max_participants = int("max_participants", max_participants);
        let entry_fee = int("entry_fee", entry_fee).unwrap_or(0);
        let participation_points = int("participation_points", participation).unwrap_or(0);
        let quiz_duration_seconds = int("quiz_duration_seconds", duration);
        let mut when = |name: &str, value: RwSignal<String>, required: bool| {
            let v = value.get_untracked();
            match from_local_input(&v) {
                Some(t) => Some(t),
                None if v.trim().is_empty() && !required => None,
                None => {
                    errors.insert(name.to_owned(), i18n::ERR_DATETIME.to_owned());
                    None
                }
            }
        };
        let starts = when("starts_at", starts_at, true);
        let ends = when("ends_at", ends_at, true);
        let registration_opens_at = when("registration_opens_at", opens_at, false);
        let registration_closes_at = when("registration_closes_at", closes_at, false);
        let mut prize_list = Vec::new();
        for (i, (_, points)) in prizes.get_untracked().into_iter().enumerate() {
            let v = points.get_untracked();
            if v.trim().is_empty() {
                continue;
            }
            match kit::parse_int(&v) {
                Some(p) => prize_list.push(Prize {
                    rank: i as i64 + 1,
                    points: p,
                }),
                None => {
                    errors.insert("prizes".to_owned(), i18n::ERR_WHOLE_NUMBER.to_owned());
                }
            }
        }
        let quiz = kind.get_untracked() == CompetitionKind::Quiz;
        let now = crate::components::kit::now_utc();
        let req = CreateCompetitionRequest {
            title: title.get_untracked().trim().to_owned(),
            title_en: opt(&title_en.get_untracked()),
            description: description.get_untracked().trim().to_owned(),
            description_en: opt(&description_en.get_untracked()),
            rules: opt(&rules.get_untracked()),
            category: opt(&category.get_untracked()),
            cover_url: opt(&cover_url.get_untracked()),
            kind: kind.get_untracked().as_str().to_owned(),
            starts_at: starts.unwrap_or(now),
            ends_at: ends.unwrap_or(now),
            registration_opens_at,
            registration_closes_at,
            quiz_duration_seconds: if quiz { quiz_duration_seconds } else { None },
            max_participants,
            entry_fee,
            participation_points,
            prizes: prize_list,
        };
        // The server's own rules, so the messages match; parse errors win for their field.
        if let Err(rule_errors) = req.validate() {
            for (k, v) in rule_errors {
                errors.entry(k).or_insert(v);
            }
        }
        let before = existing.get_value();
        let schedule_changed = before
            .as_ref()
            .is_none_or(|(_, _, b)| b.ends_at != req.ends_at);
        if schedule_changed {
            if let Err(e) = req.validate_schedule(now) {
                for (k, v) in e {
                    errors.entry(k).or_insert(v);
                }
            }
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        let patch = before
            .as_ref()
            .map(|(id, status, b)| (*id, update_of(b, &req, &status.editable_fields())));
        if patch
            .as_ref()
            .is_some_and(|(_, u)| *u == UpdateCompetitionRequest::default())
        {
            form.errors.set(FieldErrors::new());
            form.banner.set(None);
            form.success.set(Some(i18n::PROFILE_NOTHING.to_owned()));
            return;
        }
        form.start();
        spawn_local(async move {
            let result = match &patch {
                Some((id, u)) => api::competitions::update(*id, u).await,
                None => api::competitions::create(&req).await,
            };
            form.pending.set(false);
            match result {
                Ok(c) => {
                    existing.set_value(Some((c.id, c.status, request_of(&c))));
                    form.success.set(Some(i18n::COMPETITION_SAVED.to_owned()));
                    on_saved.run(c);
                }
                Err(err) => form.failed(&err, fmt),
            }
        });
    };

    let add_prize = move |_| {
        next_row.update(|n| *n += 1);
        let id = next_row.get_untracked();
        prizes.update(|p| p.push((id, RwSignal::new(String::new()))));
    };
    let prizes_error = Memo::new(move |_| form.errors.with(|e| e.get("prizes").cloned()));
    let prizes_locked = locked("prizes");

    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="competition-form">
            <h3 class="card-heading">{i18n::COMPETITION_DETAILS}</h3>
            {some_locked.then(|| view! { <Notice message=i18n::FIELDS_LOCKED /> })}
            <FormMessages form=form />
            <div class="form-grid">
                <Field name="title" label=i18n::COMPETITION_TITLE_FIELD value=title form=form disabled=locked("title") />
                <Field name="title_en" label=i18n::COMPETITION_TITLE_EN value=title_en form=form dir="ltr" disabled=locked("title_en") />
                <div class="span-2">
                    <TextArea name="description" label=i18n::DESCRIPTION_FIELD value=description form=form rows=3 disabled=locked("description") />
                </div>
                <div class="span-2">
                    <TextArea name="description_en" label=i18n::DESCRIPTION_EN_FIELD value=description_en form=form rows=2 disabled=locked("description_en") />
                </div>
                <div class="span-2">
                    <TextArea name="rules" label=i18n::RULES value=rules form=form rows=4 disabled=locked("rules") />
                </div>
                <Field name="category" label=i18n::CATEGORY_FIELD value=category form=form disabled=locked("category") />
                <Field name="cover_url" label=i18n::COVER_FIELD value=cover_url form=form dir="ltr" disabled=locked("cover_url")
                    hint=Signal::derive(|| i18n::COVER_HINT.to_owned()) />
                <fieldset class="segmented span-2" disabled=move || locked("kind").get()>
                    <legend>{i18n::KIND}</legend>
                    <div class="segmented-options">
                        <input type="radio" id="kind-quiz" name="kind"
                            prop:checked=move || kind.get() == CompetitionKind::Quiz
                            on:change=move |_| kind.set(CompetitionKind::Quiz) />
                        <label for="kind-quiz">{CompetitionKind::Quiz.label_ar()}</label>
                        <input type="radio" id="kind-judged" name="kind"
                            prop:checked=move || kind.get() == CompetitionKind::Judged
                            on:change=move |_| kind.set(CompetitionKind::Judged) />
                        <label for="kind-judged">{CompetitionKind::Judged.label_ar()}</label>
                    </div>
                </fieldset>
                <Field name="starts_at" label=i18n::STARTS_AT value=starts_at form=form kind="datetime-local" dir="ltr" step="1" disabled=locked("starts_at")
                    hint=moment_hint(starts_at, fmt, None) />
                <Field name="ends_at" label=i18n::ENDS_AT value=ends_at form=form kind="datetime-local" dir="ltr" step="1" disabled=locked("ends_at")
                    hint=moment_hint(ends_at, fmt, None) />
                <Field name="registration_opens_at" label=i18n::REG_OPENS_FIELD value=opens_at form=form kind="datetime-local" dir="ltr" step="1"
                    disabled=locked("registration_opens_at") hint=moment_hint(opens_at, fmt, Some(i18n::REG_OPENS_HINT)) />
                <Field name="registration_closes_at" label=i18n::REG_CLOSES_FIELD value=closes_at form=form kind="datetime-local" dir="ltr" step="1"
                    disabled=locked("registration_closes_at") hint=moment_hint(closes_at, fmt, Some(i18n::REG_CLOSES_HINT)) />
                <Field name="max_participants" label=i18n::MAX_PARTICIPANTS_FIELD value=max_participants form=form dir="ltr" inputmode="numeric"
                    disabled=locked("max_participants") hint=Signal::derive(|| i18n::MAX_PARTICIPANTS_HINT.to_owned()) />
                <Field name="entry_fee" label=i18n::ENTRY_FEE value=entry_fee form=form dir="ltr" inputmode="numeric" disabled=locked("entry_fee") />
                <Field name="participation_points" label=i18n::PARTICIPATION_POINTS value=participation form=form dir="ltr" inputmode="numeric"
                    disabled=locked("participation_points") />
                <Show when=move || kind.get() == CompetitionKind::Quiz>
                    <Field name="quiz_duration_seconds" label=i18n::QUIZ_DURATION_FIELD value=duration form=form dir="ltr" inputmode="numeric"
                        disabled=locked("quiz_duration_seconds") hint=Signal::derive(move || fmt.text(i18n::QUIZ_DURATION_HINT)) />
                </Show>
            </div>
            <fieldset class="prize-editor" disabled=move || prizes_locked.get() aria-describedby="prizes-hint">
                <legend class="label-like">{i18n::PRIZE_TABLE}</legend>
                <p class="hint" id="prizes-hint">{i18n::PRIZES_HINT}</p>
                <ol class="prize-rows">
                    // Rebuilt only when a row is added or removed (typing changes the row's own
                    // signal), so each row's rank is a plain number.
                    {move || {
                        let invalid = prizes_error.with(Option::is_some).to_string();
                        prizes.get().into_iter().enumerate().map(|(i, (row_id, points))| {
                            let rank = i as i64 + 1;
                            let input_id = format!("prize-{row_id}");
                            view! {
                                <li class="prize-row">
                                    <label for=input_id.clone()>{i18n::rank_name(rank, &fmt.int(rank))}</label>
                                    <input id=input_id type="text" dir="ltr" inputmode="numeric" data-testid="prize-points"
                                        aria-invalid=invalid.clone() bind:value=points />
                                    <span class="muted small">{i18n::POINTS_UNIT}</span>
                                    <button type="button" class="icon-btn" aria-label=i18n::remove_rank(&fmt.int(rank))
                                        on:click=move |_| prizes.update(|p| p.retain(|(id, _)| *id != row_id))
                                        inner_html=icons::TRASH></button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
                {move || prizes_error.get().map(|m| view! {
                    <p class="field-error" id="f-prizes-err"><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
                })}
                <button type="button" class="btn btn-soft btn-sm" data-testid="add-prize" on:click=add_prize>
                    <Icon svg=icons::PLUS />
                    <span>{i18n::ADD_PRIZE}</span>
                </button>
            </fieldset>
            <div class="form-actions">
                <SubmitButton
                    label=if initial.is_some() { i18n::SAVE_CHANGES } else { i18n::CREATE_DRAFT }
                    pending_label=i18n::SAVING
                    pending=form.pending
                />
            </div>
        </form>
    }
}

/// Publish, finalize or delete, each confirmed first.
#[component]
fn ActionsCard(
    c: Competition,
    /// Kept current by the questions editor: a quiz needs one to be published.
    question_count: RwSignal<i64>,
    done: RwSignal<Option<String>>,
    on_changed: Callback<Competition>,
    reload: Callback<()>,
    back: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let id = c.id;
    let status = c.status;
    // Publishing after the registration deadline makes a competition nobody can join: say so.
    let deadline_passed = c.registration_deadline <= crate::components::kit::now_utc();
    let asking = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let key = RwSignal::new(None::<String>);
    let can_delete = status == CompetitionStatus::Draft
        || (status == CompetitionStatus::Published && c.participants_count == 0);
    let quiz = c.kind == CompetitionKind::Quiz;
    let needs_questions = move || quiz && question_count.get() == 0;

    let run = move |what: &'static str| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result: Result<Option<String>, ApiError> = match what {
                "publish" => api::competitions::publish(id).await.map(|c| {
                    on_changed.run(c);
                    Some(i18n::PUBLISHED_OK.to_owned())
                }),
                "finalize" => {
                    let k = kit::action_key(key);
                    let r = api::competitions::finalize(id, &k).await;
                    if let Err(e) = &r {
                        kit::forget_key_unless_retryable(key, e);
                    }
                    r.map(|report| {
                        reload.run(());
                        Some(i18n::finalized_ok(
                            &fmt.int(report.ranked),
                            &fmt.int(report.prize_points),
                            &fmt.int(report.participation_points),
                        ))
                    })
                }
                _ => api::competitions::delete(id).await.map(|_| {
                    back.run(());
                    None
                }),
            };
            match result {
                Ok(message) => {
                    asking.set(None);
                    done.set(message);
                }
                Err(err) => error.set(Some(error_text(&err, fmt))),
            }
            pending.set(false);
        });
    };

    let button = move |what: &'static str,
                       label: &'static str,
                       class: &'static str,
                       enabled: Signal<bool>| {
        view! {
            <button type="button" class=format!("btn btn-block {class}") data-testid=what
                disabled=move || !enabled.get() || pending.get()
                on:click=move |_| { error.set(None); asking.set(Some(what)); }>
                {label}
            </button>
        }
    };
    let (yes, no) = (Signal::derive(|| true), Signal::derive(|| false));
    let (hint, actions) = match status {
        CompetitionStatus::Draft => (
            Signal::derive(move || {
                if needs_questions() {
                    i18n::HINT_DRAFT_NEEDS_QUESTIONS
                } else {
                    i18n::HINT_DRAFT
                }
            }),
            view! {
                {button("publish", i18n::PUBLISH, "btn-primary", Signal::derive(move || !needs_questions()))}
                {button("delete", i18n::DELETE_COMPETITION, "btn-outline-danger", yes)}
            }
            .into_any(),
        ),
        CompetitionStatus::Published => (
            Signal::derive(|| i18n::HINT_PUBLISHED),
            can_delete
                .then(|| {
                    button(
                        "delete",
                        i18n::DELETE_COMPETITION,
                        "btn-outline-danger",
                        yes,
                    )
                })
                .into_any(),
        ),
        CompetitionStatus::Running => (
            Signal::derive(|| i18n::HINT_RUNNING),
            button("finalize", i18n::FINALIZE, "btn-primary", no).into_any(),
        ),
        CompetitionStatus::Ended => (
            Signal::derive(|| i18n::HINT_ENDED),
            button("finalize", i18n::FINALIZE, "btn-primary", yes).into_any(),
        ),
        CompetitionStatus::Finalized => (Signal::derive(|| i18n::HINT_FINALIZED), ().into_any()),
    };

    view! {
        <section class="card actions-card" aria-labelledby="actions-title" data-testid="competition-actions">
            <h3 id="actions-title" class="card-heading">{i18n::ACTIONS}</h3>
            <p class="muted small card-text">{move || hint.get()}</p>
            <div aria-live="polite">
                {move || done.get().map(|m| view! { <Notice message=m kind="success" /> })}
                {move || error.get().map(|m| view! { <Notice message=m kind="error" /> })}
            </div>
            {move || match asking.get() {
                Some(what) => {
                    let (text, yes, class) = match what {
                        "publish" if deadline_passed => (i18n::PUBLISH_CLOSED_CONFIRM, i18n::PUBLISH_ANYWAY, "btn btn-danger"),
                        "publish" => (i18n::PUBLISH_CONFIRM, i18n::PUBLISH, "btn btn-primary"),
                        "finalize" => (i18n::FINALIZE_CONFIRM, i18n::FINALIZE, "btn btn-primary"),
                        _ => (i18n::DELETE_CONFIRM, i18n::DELETE, "btn btn-danger"),
                    };
                    view! {
                        <div class="confirm-box" role="group" aria-labelledby="action-confirm" data-testid="action-confirm">
                            <p id="action-confirm" class="strong">{text}</p>
                            <div class="actions">
                                <button type="button" class=class data-testid="action-yes"
                                    disabled=pending
                                    on:click=move |_| run(what)>
                                    {move || pending.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                                    <span>{yes}</span>
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=move |_| asking.set(None)>{i18n::CANCEL}</button>
                            </div>
                        </div>
                    }
                    .into_any()
                }
                None => ().into_any(),
            }}
            <div class="stack">{actions}</div>
        </section>
    }
}
