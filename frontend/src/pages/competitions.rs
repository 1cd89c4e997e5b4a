//! Competitions for participants: the list (status tabs, search, "load more") and one
//! competition (rules, prizes, countdown, join/withdraw, results with "my rank").

use std::time::Duration;

use domain::competitions::{
    Competition, CompetitionKind, CompetitionLeaderboard, CompetitionRank, CompetitionStatus,
    ParticipationStatus,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::components::kit::{
    self, cover, error_text, load_more, rank_badge, tab_id, Countdown, Paged, Tabs,
};
use crate::components::{icons, initial, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

/// (key, label); the key is the API's `status` filter ("all" = none).
const FILTERS: &[(&str, &str)] = &[
    ("open", i18n::FILTER_OPEN),
    ("upcoming", i18n::FILTER_UPCOMING),
    ("running", i18n::FILTER_RUNNING),
    ("ended", i18n::FILTER_ENDED),
    ("all", i18n::FILTER_ALL),
];

/// The tag a participant sees for a competition's state.
pub fn status_tag(c: &Competition) -> (&'static str, &'static str) {
    match c.status {
        CompetitionStatus::Published if c.registration_open && !c.is_full => {
            ("tag tag-green", i18n::STATE_OPEN)
        }
        CompetitionStatus::Published => ("tag tag-violet", i18n::STATE_SOON),
        CompetitionStatus::Running => ("tag tag-gold", i18n::STATE_RUNNING),
        CompetitionStatus::Ended => ("tag", i18n::STATE_ENDED),
        CompetitionStatus::Finalized => ("tag", i18n::STATE_FINALIZED),
        CompetitionStatus::Draft => ("tag tag-red", i18n::STATE_DRAFT),
    }
}

/// "تبدأ خلال ٣ ساعات", "تنتهي خلال دقيقتين", "انتهت منذ يومين".
fn when_text(c: &Competition, fmt: Fmt) -> String {
    match c.status {
        CompetitionStatus::Draft | CompetitionStatus::Published => {
            i18n::starts_when(&fmt.relative(&c.starts_at))
        }
        CompetitionStatus::Running => i18n::ends_when(&fmt.relative(&c.ends_at)),
        CompetitionStatus::Ended => i18n::ended_when(&fmt.relative(&c.ends_at)),
        CompetitionStatus::Finalized => i18n::STATE_FINALIZED_LONG.to_owned(),
    }
}

/// Why a published or running competition cannot be joined now, or `None` when it can (or the
/// question does not arise): full, registration not open yet, or already closed — with when.
fn join_blocked(c: &Competition, fmt: Fmt) -> Option<String> {
    if !matches!(
        c.status,
        CompetitionStatus::Published | CompetitionStatus::Running
    ) || c.joined == Some(true)
    {
        return None;
    }
    if c.is_full {
        return Some(i18n::COMPETITION_FULL.to_owned());
    }
    if c.registration_open {
        return None;
    }
    let now = crate::components::kit::now_utc();
    match c.registration_opens_at {
        Some(opens) if opens > now => Some(i18n::registration_opens(&fmt.relative(&opens))),
        _ if c.registration_closes_at.is_none() => {
            Some(i18n::REGISTRATION_CLOSED_AT_START.to_owned())
        }
        _ => Some(i18n::registration_closed(
            &fmt.relative(&c.registration_deadline),
        )),
    }
}

fn fee_text(fee: i64, fmt: Fmt) -> String {
    if fee == 0 {
        i18n::FREE.to_owned()
    } else {
        format!("{} {}", fmt.int(fee), i18n::POINTS_UNIT)
    }
}

fn participants_text(c: &Competition, fmt: Fmt) -> String {
    match c.max_participants {
        Some(max) => format!("{} / {}", fmt.int(c.participants_count), fmt.int(max)),
        None => fmt.int(c.participants_count),
    }
}

fn prize_total(c: &Competition) -> i64 {
    c.prizes.iter().map(|p| p.points).sum()
}

#[component]
pub fn CompetitionList() -> impl IntoView {
    set_title(i18n::COMPETITIONS_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let tab = RwSignal::new(crate::components::kit::tab_from_query(FILTERS, "status"));
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let keystrokes = RwSignal::new(0u32);
    let paged = Paged::<Competition>::new();
    let signed_in = Memo::new(move |_| session.signed_in());

    let status = move |i: usize| match FILTERS[i].0 {
        "all" => "",
        key => key,
    };
    let fetch = move |cursor: Option<String>| {
        let (s, q) = (status(tab.get_untracked()), query.get_untracked());
        async move {
            api::competitions::list(s, &q, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        tab.track();
        query.track();
        signed_in.track();
        paged.reload(fetch(None));
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // Searching as one types, once the typing pauses.
    let on_input = move |ev| {
        typed.set(event_target_value(&ev));
        let n = keystrokes.get_untracked() + 1;
        keystrokes.set(n);
        set_timeout(
            move || {
                // The page may be gone by then.
                if keystrokes.try_get_untracked() == Some(n) {
                    query.set(typed.get_untracked());
                }
            },
            Duration::from_millis(350),
        );
    };
    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        query.set(typed.get_untracked());
    };

    view! {
        <div class="page competitions">
            <header class="page-head">
                <h1>{i18n::COMPETITIONS_TITLE}</h1>
                <p class="muted">{i18n::COMPETITIONS_SUBTITLE}</p>
            </header>
            <div class="toolbar">
                <Tabs items=FILTERS selected=tab label=i18n::COMPETITION_FILTERS prefix="filter" />
                <form class="search" role="search" on:submit=on_search>
                    <label for="comp-q" class="sr-only">{i18n::SEARCH_COMPETITIONS}</label>
                    <div class="search-box">
                        <Icon svg=icons::SEARCH />
                        <input
                            id="comp-q"
                            type="search"
                            dir="auto"
                            placeholder=i18n::SEARCH_COMPETITIONS
                            autocomplete="off"
                            maxlength="100"
                            prop:value=move || typed.get()
                            on:input=on_input
                        />
                    </div>
                </form>
            </div>
            <section role="tabpanel" id="filter-panel" aria-labelledby=tab_id(FILTERS, "filter", tab)>
                {move || match paged.data.get() {
                    None => view! {
                        <div class="comp-grid">
                            <Skeleton lines=4 />
                            <Skeleton lines=4 />
                            <Skeleton lines=4 />
                        </div>
                    }
                    .into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! {
                        <div class="card empty-state">
                            <Icon svg=icons::TROPHY class="empty-icon" />
                            <h2>{i18n::COMPETITIONS_EMPTY}</h2>
                            <p class="muted">
                                {if query.with(|q| q.trim().is_empty()) {
                                    i18n::COMPETITIONS_EMPTY_HINT
                                } else {
                                    i18n::COMPETITIONS_EMPTY_SEARCH
                                }}
                            </p>
                        </div>
                    }
                    .into_any(),
                    Some(Ok(items)) => view! {
                        <div class="comp-grid">
                            {items.into_iter().map(|c| view! { <CompetitionCard c=c /> }).collect_view()}
                        </div>
                    }
                    .into_any(),
                }}
                {load_more(paged, more)}
            </section>
        </div>
    }
}

#[component]
fn CompetitionCard(c: Competition) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let (tag_class, tag_label) = status_tag(&c);
    let joined = c.joined == Some(true) && c.my_status.is_some_and(ParticipationStatus::is_active);
    // One closure for the card: its numbers and times follow the digits setting together.
    move || {
        let total = prize_total(&c);
        view! {
            <article class="card comp-card" data-testid="competition-card">
                <div class="comp-card-cover">
                    {cover(c.cover_url.clone(), "")}
                    <span class=format!("{tag_class} comp-state")>{tag_label}</span>
                </div>
                <div class="comp-card-body">
                    <div class="comp-tags">
                        <span class="tag tag-violet">{c.kind.label_ar()}</span>
                        {c.category.clone().map(|cat| view! { <span class="tag"><bdi>{cat}</bdi></span> })}
                        {joined.then(|| view! {
                            <span class="tag tag-green"><Icon svg=icons::CHECK />{i18n::JOINED}</span>
                        })}
                    </div>
                    <h2 class="comp-title">
                        <a href=format!("/competitions/{}", c.id) class="stretched">
                            <bdi dir="auto">{c.title.clone()}</bdi>
                        </a>
                    </h2>
                    <p class="comp-when"><Icon svg=icons::CLOCK /><span>{when_text(&c, fmt)}</span></p>
                    {join_blocked(&c, fmt).map(|why| view! {
                        <p class="comp-blocked muted small" data-testid="join-blocked">{why}</p>
                    })}
                    <dl class="comp-facts">
                        <div>
                            <dt>{i18n::PRIZES}</dt>
                            <dd>
                                {if total > 0 {
                                    kit::points_text(fmt, total)
                                } else {
                                    i18n::NO_PRIZES.to_owned()
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt>{i18n::ENTRY_FEE}</dt>
                            <dd>{fee_text(c.entry_fee, fmt)}</dd>
                        </div>
                        <div>
                            <dt>{i18n::PARTICIPANTS}</dt>
                            <dd>{participants_text(&c, fmt)}</dd>
                        </div>
                    </dl>
                </div>
            </article>
        }
    }
}

#[component]
pub fn CompetitionDetail() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let data = RwSignal::new(None::<Result<Competition, ApiError>>);
    let user_id = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.id)));
    let reload = move || {
        if let Some(id) = id.try_get_untracked().flatten() {
            spawn_local(async move {
                let result = api::competitions::get_one(id).await;
                data.set(Some(result));
            });
        }
    };
    Effect::new(move |_| {
        user_id.track();
        match id.get() {
            Some(_) => reload(),
            None => data.set(Some(Err(ApiError::Unexpected(404)))),
        }
    });
    let reload_cb = Callback::new(move |_| reload());
    move || {
        match data.get() {
        None => view! {
            <div class="page">
                <Skeleton lines=6 />
            </div>
        }
        .into_any(),
        Some(Err(err)) if err.status() == Some(404) => view! {
            <div class="page">
                <section class="card empty-state">
                    <Icon svg=icons::TROPHY class="empty-icon" />
                    <h1>{i18n::COMPETITION_NOT_FOUND}</h1>
                    <p class="muted">{i18n::COMPETITION_NOT_FOUND_TEXT}</p>
                    <a class="btn btn-primary" href="/competitions">{i18n::BROWSE_COMPETITIONS}</a>
                </section>
            </div>
        }
        .into_any(),
        Some(Err(err)) => view! {
            <div class="page">
                <Notice message=error_text(&err, fmt) kind="error" />
                <button type="button" class="btn btn-soft" on:click=move |_| reload()>{i18n::RETRY}</button>
            </div>
        }
        .into_any(),
        Some(Ok(c)) => view! { <DetailBody c=c reload=reload_cb /> }.into_any(),
    }
    }
}

#[component]
fn DetailBody(c: Competition, reload: Callback<()>) -> impl IntoView {
    set_title(&c.title);
    let fmt = expect_context::<Fmt>();
    let (tag_class, tag_label) = status_tag(&c);
    let shows_results = matches!(
        c.status,
        CompetitionStatus::Ended | CompetitionStatus::Finalized
    );
    let mine = c
        .my_status
        .is_some_and(|s| s != ParticipationStatus::Registered && s.is_active());
    // The board: results once ended, and the person's own score as soon as they submitted.
    let board = RwSignal::new(None::<Result<CompetitionLeaderboard, ApiError>>);
    if shows_results || mine {
        let id = c.id;
        spawn_local(async move {
            board.set(Some(api::competitions::leaderboard(id, 50).await));
        });
    }
    let c_facts = c.clone();
    // A participant of a judged competition sends their work here.
    let entry = (c.kind == CompetitionKind::Judged
        && c.joined == Some(true)
        && c.my_status.is_some_and(ParticipationStatus::is_active))
    .then(|| c.clone());
    let rules = c.rules.clone().filter(|r| !r.trim().is_empty());
    let prizes = c.prizes.clone();
    let participation = c.participation_points;
    let status = c.status;
    view! {
        <div class="page comp-detail">
            <a class="back-link" href="/competitions">
                <Icon svg=icons::ARROW_BACK />
                <span>{i18n::ALL_COMPETITIONS}</span>
            </a>
            <section class="card comp-hero">
                {cover(c.cover_url.clone(), "hero-cover")}
                <div class="comp-hero-body">
                    <div class="comp-tags">
                        <span class=tag_class data-testid="competition-state">{tag_label}</span>
                        <span class="tag tag-violet">{c.kind.label_ar()}</span>
                        {c.category.clone().map(|cat| view! { <span class="tag"><bdi>{cat}</bdi></span> })}
                    </div>
                    <h1><bdi dir="auto">{c.title.clone()}</bdi></h1>
                    {c.title_en.clone().filter(|t| !t.trim().is_empty()).map(|t| view! {
                        <p class="muted title-en" dir="ltr" lang="en">{t}</p>
                    })}
                    {(!c.description.trim().is_empty()).then(|| view! {
                        <p class="comp-desc" dir="auto">{c.description.clone()}</p>
                    })}
                </div>
            </section>
            <div class="comp-layout">
                <aside class="comp-aside">
                    <ActionCard c=c.clone() board=board reload=reload />
                    <section class="card facts-card" aria-labelledby="facts-title">
                        <h2 id="facts-title" class="card-heading">{i18n::DETAILS}</h2>
                        <dl class="stat-list">{move || facts(&c_facts, fmt)}</dl>
                    </section>
                </aside>
                <div class="comp-main">
                    {entry.map(|c| view! { <super::entry::EntryCard c=c /> })}
                    {shows_results.then(|| view! { <Results board=board status=status /> })}
                    <section class="card" aria-labelledby="prizes-title">
                        <div class="card-title">
                            <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::MEDAL></span>
                            <h2 id="prizes-title">{i18n::PRIZE_TABLE}</h2>
                        </div>
                        {move || prize_list(&prizes, participation, fmt)}
                    </section>
                    <section class="card" aria-labelledby="rules-title">
                        <div class="card-title">
                            <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::LIST></span>
                            <h2 id="rules-title">{i18n::RULES}</h2>
                        </div>
                        {match rules {
                            Some(r) => view! { <p class="rules" dir="auto">{r}</p> }.into_any(),
                            None => view! { <p class="muted">{i18n::NO_RULES}</p> }.into_any(),
                        }}
                    </section>
                </div>
            </div>
        </div>
    }
}

/// The prize table (called inside a reactive block, so its numbers follow the digits setting).
fn prize_list(
    prizes: &[domain::competitions::Prize],
    participation: i64,
    fmt: Fmt,
) -> impl IntoView {
    let list = if prizes.is_empty() {
        view! { <p class="muted">{i18n::NO_PRIZE_TABLE}</p> }.into_any()
    } else {
        view! {
            <ol class="prize-list">
                {prizes
                    .iter()
                    .map(|p| view! {
                        <li>
                            {rank_badge(p.rank, fmt)}
                            <span>{i18n::rank_name(p.rank, &fmt.int(p.rank))}</span>
                            <strong>{kit::points_text(fmt, p.points)}</strong>
                        </li>
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        {list}
        {(participation > 0).then(|| view! {
            <p class="participation-note">
                <Icon svg=icons::GIFT />
                <span>{i18n::participation_note(&fmt.int(participation))}</span>
            </p>
        })}
    }
}

fn facts(c: &Competition, fmt: Fmt) -> impl IntoView {
    let item = |svg: &'static str, label: &'static str, value: String| {
        view! {
            <div class="stat">
                <dt><Icon svg=svg />{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let quiz = (c.kind == CompetitionKind::Quiz).then(|| {
        view! {
            {item(icons::LIST, i18n::QUESTION_COUNT, fmt.int(c.question_count))}
            {c.quiz_duration_seconds.map(|s| item(icons::CLOCK, i18n::QUIZ_DURATION, fmt.duration(s)))}
        }
    });
    view! {
        {item(icons::CALENDAR, i18n::STARTS_AT, fmt.date_time(&c.starts_at))}
        {item(icons::FLAG, i18n::ENDS_AT, fmt.date_time(&c.ends_at))}
        {item(icons::CLOCK, i18n::REGISTRATION_DEADLINE, fmt.date_time(&c.registration_deadline))}
        {item(icons::COIN, i18n::ENTRY_FEE, fee_text(c.entry_fee, fmt))}
        {(c.participation_points > 0).then(|| item(icons::GIFT, i18n::PARTICIPATION_POINTS, format!("{} {}", fmt.int(c.participation_points), i18n::POINTS_UNIT)))}
        {item(icons::USERS, i18n::PARTICIPANTS, participants_text(c, fmt))}
        {quiz}
    }
}

/// The state-dependent call to action: countdown, join (fee confirmation), withdraw, start the
/// quiz, or where things stand.
#[component]
fn ActionCard(
    c: Competition,
    board: RwSignal<Option<Result<CompetitionLeaderboard, ApiError>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let id = c.id;
    let fee = c.entry_fee;
    let status = c.status;
    let active = c.my_status.filter(|s| s.is_active());
    let joined = c.joined == Some(true) && active.is_some();
    let confirming = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let success = RwSignal::new(None::<&'static str>);
    let key = RwSignal::new(None::<String>);
    let here = format!("/competitions/{id}");
    let balance = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.points_balance)));
    let act = move |join: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let k = kit::action_key(key);
        spawn_local(async move {
            let result = if join {
                api::competitions::join(id, &k)
                    .await
                    .map(|_| i18n::JOIN_DONE)
            } else {
                api::competitions::withdraw(id, &k)
                    .await
                    .map(|_| i18n::WITHDRAW_DONE)
            };
            match result {
                Ok(message) => {
                    key.set(None);
                    confirming.set(None);
                    success.set(Some(message));
                    reload.run(());
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(key, &err);
                    error.set(Some(error_text(&err, fmt)));
                }
            }
            pending.set(false);
        });
    };
    let ask = move |what: &'static str| {
        key.set(None);
        error.set(None);
        confirming.set(Some(what));
        crate::components::focus_soon("[data-testid=\"confirm-yes\"]");
        // The fee is weighed against the balance as it is now (points may have arrived since).
        spawn_local(async {
            let _ = api::points::balance().await;
        });
    };

    // When the clock passes the start or the end, ask the server for the new state. A moment
    // already past when this renders means the server's clock is a little behind ours: ask again
    // a few seconds later rather than count down from zero.
    let boundary = match status {
        CompetitionStatus::Published => Some((c.starts_at, i18n::STARTS_IN)),
        CompetitionStatus::Running => Some((c.ends_at, i18n::ENDS_IN)),
        _ => None,
    };
    // The timer dies with this card: a reload after the page is gone would touch disposed state.
    let reload_after = move |delay: Duration| {
        if let Ok(handle) = set_timeout_with_handle(move || reload.run(()), delay) {
            on_cleanup(move || handle.clear());
        }
    };
    let countdown = boundary.map(|(target, label)| {
        if target.timestamp_millis() as f64 > js_sys::Date::now() {
            let on_done = Callback::new(move |_| reload_after(Duration::from_millis(1200)));
            view! { <Countdown target=target label=label on_done=on_done /> }.into_any()
        } else {
            reload_after(Duration::from_secs(4));
            view! { <p class="cta-state muted">{i18n::UPDATING_STATE}</p> }.into_any()
        }
    });

    let signed_in = session.signed_in();
    let can_join = !joined && c.registration_open && !c.is_full;
    let quiz = c.kind == CompetitionKind::Quiz;
    let main = move || {
        if !signed_in
            && matches!(
                status,
                CompetitionStatus::Published | CompetitionStatus::Running
            )
        {
            view! {
            <a class="btn btn-primary btn-block btn-lg" href=format!("/login?next={}", String::from(js_sys::encode_uri_component(&here)))>
                {i18n::SIGN_IN_TO_JOIN}
            </a>
        }
        .into_any()
        } else if can_join {
            view! {
            <button
                type="button"
                class="btn btn-primary btn-block btn-lg"
                data-testid="join"
                disabled=pending
                on:click=move |_| { if fee > 0 { ask("join") } else { act(true) } }
            >
                <Icon svg=icons::PLUS />
                <span>{if fee > 0 { i18n::join_for(&fmt.int(fee)) } else { i18n::JOIN_FREE.to_owned() }}</span>
            </button>
        }
        .into_any()
        } else if joined {
            let submitted = active != Some(ParticipationStatus::Registered);
            let state = match (status, quiz, submitted) {
            (CompetitionStatus::Published, _, _) => view! {
                <p class="cta-state ok"><Icon svg=icons::CHECK />{i18n::YOU_ARE_IN}</p>
                <p class="muted small">{i18n::YOU_ARE_IN_HINT}</p>
                <button type="button" class="btn btn-outline-danger btn-block" data-testid="withdraw" on:click=move |_| ask("withdraw")>
                    {i18n::WITHDRAW}
                </button>
            }
            .into_any(),
            (CompetitionStatus::Running, true, false) => view! {
                <a class="btn btn-primary btn-block btn-lg" href=format!("/competitions/{id}/quiz") data-testid="start-quiz">
                    <Icon svg=icons::PLAY />
                    <span>{i18n::START_QUIZ}</span>
                </a>
            }
            .into_any(),
            (CompetitionStatus::Running, true, true) => view! {
                <p class="cta-state ok"><Icon svg=icons::CHECK />{i18n::ANSWERS_SENT}</p>
                {move || board.with(|b| match b {
                    Some(Ok(b)) => b.me.as_ref().and_then(|m| m.score).map(|s| view! {
                        <p class="muted" data-testid="my-score">{i18n::YOUR_SCORE} " " <strong>{fmt.int(s)}</strong></p>
                    }),
                    _ => None,
                })}
                <p class="muted small">{i18n::RESULTS_AFTER_END}</p>
            }
            .into_any(),
            (CompetitionStatus::Running, false, _) => view! {
                <p class="cta-state ok"><Icon svg=icons::CHECK />{i18n::YOU_ARE_IN}</p>
                <p class="muted small">{i18n::JUDGED_RUNNING}</p>
            }
            .into_any(),
            (CompetitionStatus::Ended, _, _) => view! {
                <p class="cta-state">{i18n::AWAITING_RESULTS}</p>
            }
            .into_any(),
            _ => view! { <p class="cta-state ok"><Icon svg=icons::TROPHY />{i18n::RESULTS_READY}</p> }.into_any(),
        };
            state
        } else {
            let text = match status {
                CompetitionStatus::Ended => i18n::AWAITING_RESULTS.to_owned(),
                CompetitionStatus::Finalized => i18n::RESULTS_READY.to_owned(),
                // Full, not open yet, or closed — and when.
                _ => join_blocked(&c, fmt).unwrap_or_else(|| i18n::REGISTRATION_CLOSED.to_owned()),
            };
            view! { <p class="cta-state">{text}</p> }.into_any()
        }
    };

    view! {
        <section class="card cta-card" aria-label=i18n::TAKE_PART data-testid="cta">
            {countdown}
            <div aria-live="polite">
                {move || success.get().map(|m| view! { <Notice message=m kind="success" /> })}
            </div>
            {move || match confirming.get() {
                Some(what) => {
                    let joining = what == "join";
                    let short = joining && balance.get().is_some_and(|b| b < fee);
                    view! {
                        <div class="confirm-box" role="group" aria-labelledby="confirm-text" data-testid="confirm">
                            <p id="confirm-text" class="strong">
                                {if joining { i18n::join_confirm(&fmt.int(fee)) } else { i18n::withdraw_confirm(&fmt.int(fee)) }}
                            </p>
                            {joining.then(|| view! {
                                <p class="muted small">
                                    {i18n::CURRENT_BALANCE} ": " {kit::points_text(fmt, balance.get().unwrap_or(0))}
                                </p>
                            })}
                            {short.then(|| view! {
                                <p class="field-error"><Icon svg=icons::ALERT />{i18n::NOT_ENOUGH_FOR_FEE} " " <a href="/points">{i18n::NAV_POINTS}</a></p>
                            })}
                            {move || error.get().map(|m| view! { <Notice message=m kind="error" /> })}
                            <div class="actions">
                                <button
                                    type="button"
                                    class=if joining { "btn btn-primary" } else { "btn btn-danger" }
                                    data-testid="confirm-yes"
                                    disabled=pending
                                    on:click=move |_| act(joining)
                                >
                                    {move || pending.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                                    <span>{if joining { i18n::CONFIRM_JOIN } else { i18n::CONFIRM_WITHDRAW }}</span>
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=move |_| {
                                    confirming.set(None);
                                    crate::components::focus_soon("[data-testid=\"cta\"] .btn");
                                }>
                                    {i18n::CANCEL}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any()
                }
                None => view! {
                    {move || error.get().map(|m| view! { <Notice message=m kind="error" /> })}
                }
                .into_any(),
            }}
            {move || confirming.with(Option::is_none).then(&main)}
        </section>
    }
}

/// The board of an ended competition: the person's own line first, then everyone's.
#[component]
fn Results(
    board: RwSignal<Option<Result<CompetitionLeaderboard, ApiError>>>,
    status: CompetitionStatus,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let me_id = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let finalized = status == CompetitionStatus::Finalized;
    let row = move |r: CompetitionRank| {
        let mine = me_id == Some(r.user_id);
        let (score, awarded) = (r.score, r.points_awarded);
        view! {
            <li class="board-row" class:mine=mine class:podium=r.rank <= 3 data-testid="result-row">
                {rank_badge(r.rank, fmt)}
                <span class="avatar" aria-hidden="true">{initial(&r.display_name)}</span>
                <div class="board-name">
                    <a href=format!("/u/{}", r.username)><bdi class="strong">{r.display_name.clone()}</bdi></a>
                    <bdi class="handle" dir="ltr">{format!("@{}", r.username)}</bdi>
                </div>
                {mine.then(|| view! { <span class="tag tag-violet">{i18n::YOU}</span> })}
                <span class="board-score">
                    <span class="muted small">{i18n::SCORE}</span>
                    <strong>{fmt.int(score)}</strong>
                </span>
                {(finalized && awarded > 0).then(|| view! {
                    <span class="board-points">
                        <span class="num">{crate::pages::points::signed(fmt, awarded)}</span>
                        " "
                        <span class="unit">{i18n::POINTS_UNIT}</span>
                    </span>
                })}
                {(!mine && me_id.is_some()).then(|| view! {
                    <crate::pages::chat::MessageButton username=r.username.clone() name=r.display_name.clone() />
                })}
            </li>
        }
    };
    view! {
        <section class="card results-card" aria-labelledby="results-title">
            <div class="card-title">
                <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::TROPHY></span>
                <h2 id="results-title">{if finalized { i18n::RESULTS } else { i18n::RESULTS_PROVISIONAL }}</h2>
            </div>
            {(!finalized).then(|| view! { <p class="muted card-text">{i18n::RESULTS_PROVISIONAL_HINT}</p> })}
            {move || match board.get() {
                None => view! { <Skeleton lines=4 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(b)) => {
                    let ranked = b.ranked;
                    let me = b.me.clone();
                    view! {
                        {me.map(|m| match m.rank {
                            Some(rank) => view! {
                                <div class="my-result" data-testid="my-result">
                                    {rank_badge(rank, fmt)}
                                    <div>
                                        <p class="strong">
                                            {i18n::YOUR_RANK} " " <span data-testid="my-result-rank">{fmt.int(rank)}</span>
                                            " " {i18n::OUT_OF} " " {fmt.int(ranked)}
                                        </p>
                                        <p class="muted small">
                                            {i18n::YOUR_SCORE} " " {fmt.int(m.score.unwrap_or(0))}
                                            {(m.points_awarded > 0).then(|| view! {
                                                " · " {i18n::YOU_EARNED} " " {fmt.int(m.points_awarded)} " " {i18n::POINTS_UNIT}
                                            })}
                                        </p>
                                    </div>
                                </div>
                            }
                            .into_any(),
                            None => view! { <p class="muted">{i18n::NO_SCORE}</p> }.into_any(),
                        })}
                        {if b.entries.is_empty() {
                            view! { <p class="empty-line">{i18n::NO_RESULTS}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="board-list" aria-labelledby="results-title">
                                    {b.entries.into_iter().map(row).collect_view()}
                                </ol>
                            }
                            .into_any()
                        }}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
