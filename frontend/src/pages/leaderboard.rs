//! The leaderboard: points earned (not spent) all-time, this month or this week, the top list with
//! medals for the podium, and the signed-in person's own rank even outside the top.

use domain::leaderboard::{Leaderboard as Board, LeaderboardEntry, LeaderboardPeriod, Window};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::kit::{self, error_text, rank_badge, tab_id, Tabs};
use crate::components::{icons, initial, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::chat::MessageButton;
use crate::session::Session;
use crate::{api, i18n};

const TOP: u32 = 50;
const PERIODS: &[(&str, &str)] = &[
    ("all", i18n::PERIOD_ALL),
    ("month", i18n::PERIOD_MONTH),
    ("week", i18n::PERIOD_WEEK),
];

#[component]
pub fn Leaderboard() -> impl IntoView {
    set_title(i18n::LEADERBOARD_TITLE);
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let tab = RwSignal::new(crate::components::kit::tab_from_query(PERIODS, "period"));
    let data = RwSignal::new(None::<Result<Board, ApiError>>);
    let me_id = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.id)));
    // The page shown, for the tab it was chosen on: another tab starts at the top.
    let window = RwSignal::new((0usize, Window::From(0)));
    let go = move |w: Window| {
        window.set((tab.get_untracked(), w));
        window_scroll_top();
    };

    Effect::new(move |_| {
        let t = tab.get();
        let period = LeaderboardPeriod::parse(PERIODS[t].0).unwrap_or(LeaderboardPeriod::All);
        let at = window.with(|(on, w)| if *on == t { *w } else { Window::From(0) });
        // Signing in (or out) changes `me`.
        me_id.track();
        data.set(None);
        spawn_local(async move {
            let result = api::leaderboard::global(period, TOP, at).await;
            // A slower answer for a tab no longer shown is dropped.
            if tab.try_get_untracked().map(|t| PERIODS[t].0) == Some(period.as_str()) {
                data.set(Some(result));
            }
        });
    });

    let row = move |e: LeaderboardEntry| {
        let mine = me_id.get_untracked() == Some(e.user_id);
        let signed_in = me_id.get_untracked().is_some();
        let points = e.points;
        view! {
            <li class="board-row" class:mine=mine class:podium=e.rank <= 3 data-testid="board-row">
                {rank_badge(e.rank, fmt)}
                <span class="avatar" aria-hidden="true">{initial(&e.display_name)}</span>
                <div class="board-name">
                    <a href=format!("/u/{}", e.username) data-testid="board-profile-link">
                        <bdi class="strong">{e.display_name.clone()}</bdi>
                    </a>
                    <bdi class="handle" dir="ltr">{format!("@{}", e.username)}</bdi>
                </div>
                {mine.then(|| view! { <span class="tag tag-violet">{i18n::YOU}</span> })}
                <span class="board-points">
                    <span class="num">{fmt.int(points)}</span>
                    " "
                    <span class="unit">{i18n::POINTS_UNIT}</span>
                </span>
                {(!mine && signed_in).then(|| view! { <MessageButton username=e.username.clone() name=e.display_name.clone() /> })}
            </li>
        }
    };

    view! {
        <div class="page leaderboard">
            <header class="page-head">
                <h1>{i18n::LEADERBOARD_TITLE}</h1>
                <p class="muted">{i18n::LEADERBOARD_SUBTITLE}</p>
            </header>
            <Tabs items=PERIODS selected=tab label=i18n::LEADERBOARD_PERIODS prefix="period" />
            <section role="tabpanel" id="period-panel" aria-labelledby=tab_id(PERIODS, "period", tab) class="board-layout">
                {move || match data.get() {
                    None => view! { <Skeleton lines=6 /> }.into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(board)) => {
                        let since = board.since;
                        let me = board.me;
                        let (offset, shown, total) = (board.offset, board.entries.len() as i64, board.total);
                        // Ranked but not on this page (ties are ordered by join date, so even a
                        // shared rank may sit pages down): offer the page around them.
                        let off_page = !board.entries.iter().any(|e| Some(e.user_id) == me_id.get_untracked());
                        view! {
                            <aside class="card my-rank" aria-labelledby="my-rank-title" data-testid="my-rank">
                                <div class="card-title">
                                    <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::TROPHY></span>
                                    <h2 id="my-rank-title">{i18n::MY_RANK}</h2>
                                </div>
                                {match (me, session.signed_in()) {
                                    (Some(m), _) if m.points > 0 => view! {
                                        <p class="my-rank-figure">
                                            <span class="muted">{i18n::RANK}</span>
                                            <strong class="big-num" data-testid="my-rank-value">{fmt.int(m.rank)}</strong>
                                        </p>
                                        <p class="muted">
                                            {i18n::EARNED_IN_PERIOD} " "
                                            <strong>{kit::points_text(fmt, m.points)}</strong>
                                        </p>
                                        {off_page.then(|| view! {
                                            <button type="button" class="btn btn-soft btn-sm" data-testid="around-me"
                                                on:click=move |_| go(Window::AroundMe)>
                                                <Icon svg=icons::USER />
                                                <span>{i18n::BOARD_AROUND_ME}</span>
                                            </button>
                                        })}
                                    }
                                    .into_any(),
                                    (Some(_), _) => view! { <p class="muted">{i18n::MY_RANK_NONE}</p> }.into_any(),
                                    (None, true) => view! { <p class="muted">{i18n::MY_RANK_NONE}</p> }.into_any(),
                                    (None, false) => view! {
                                        <p class="muted">{i18n::MY_RANK_SIGN_IN}</p>
                                        <a class="btn btn-primary btn-sm" href="/login?next=%2Fleaderboard">{i18n::NAV_LOGIN}</a>
                                    }
                                    .into_any(),
                                }}
                                {since.map(|s| view! {
                                    <p class="muted small">{i18n::SINCE} " " {fmt.date(&s)}</p>
                                })}
                            </aside>
                            <div class="card board-card">
                                {if board.entries.is_empty() {
                                    view! {
                                        <div class="empty-state compact">
                                            <Icon svg=icons::TROPHY class="empty-icon" />
                                            <p class="strong">{i18n::BOARD_EMPTY}</p>
                                            <p class="muted">{i18n::BOARD_EMPTY_HINT}</p>
                                            <a class="btn btn-soft" href="/competitions">{i18n::BROWSE_COMPETITIONS}</a>
                                        </div>
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <ol class="board-list" aria-label=i18n::LEADERBOARD_TITLE>
                                            {board.entries.into_iter().map(row).collect_view()}
                                        </ol>
                                        {pager(offset, shown, total, fmt, go)}
                                    }
                                    .into_any()
                                }}
                            </div>
                        }
                        .into_any()
                    }
                }}
            </section>
        </div>
    }
}

/// Under the list when the ranking is longer than a page: where this page is, and the ways on.
fn pager(
    offset: i64,
    shown: i64,
    total: i64,
    fmt: Fmt,
    go: impl Fn(Window) + Copy + 'static,
) -> impl IntoView {
    let page = i64::from(TOP);
    (total > page).then(|| {
        let prev = (offset > 0).then(|| u64::try_from((offset - page).max(0)).unwrap_or(0));
        let next = (offset + shown < total).then(|| u64::try_from(offset + shown).unwrap_or(0));
        view! {
            <nav class="board-pager" aria-label=i18n::BOARD_PAGES data-testid="board-pager">
                <p class="muted small" data-testid="board-range">
                    {i18n::board_range(&fmt.int(offset + 1), &fmt.int(offset + shown), &fmt.int(total))}
                </p>
                <div class="pager-buttons">
                    {prev.map(|_| view! {
                        <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| go(Window::From(0))>{i18n::BOARD_TOP}</button>
                    })}
                    <button type="button" class="btn btn-soft btn-sm" data-testid="board-prev" disabled=prev.is_none()
                        on:click=move |_| { if let Some(p) = prev { go(Window::From(p)) } }>
                        {i18n::BOARD_PREV}
                    </button>
                    <button type="button" class="btn btn-soft btn-sm" data-testid="board-next" disabled=next.is_none()
                        on:click=move |_| { if let Some(n) = next { go(Window::From(n)) } }>
                        {i18n::BOARD_NEXT}
                    </button>
                </div>
            </nav>
        }
    })
}

fn window_scroll_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
