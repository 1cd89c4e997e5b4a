//! The home page's feed (issue 13 item 6). For participants: what is live now, what starts soon,
//! their rank this week and their latest activity; for visitors: a featured competition, the top
//! players and the way to the public pages. Every card reads a public answer in brief
//! (`api::home`) and stays quiet when it fails: the home page never shows an error for a side
//! card, it shows the rest.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::wasm_split;

use crate::api::home::{self, FeedActivity, FeedBoard, FeedCompetition};
use crate::components::kit::now_utc;
use crate::components::{icons, Icon};
use crate::format::Fmt;
use crate::i18n;

/// The participant's cards, in their own WASM module fetched after the dashboard's first paint
/// (the home page is in the main module; the feed would add ~17 KB of compressed WASM to it).
#[wasm_split(homefeed, wasm_split_path = ::leptos::wasm_split)]
pub fn participant_feed() -> AnyView {
    view! {
        <WeekRank />
        <LiveAndSoon />
        <RecentActivity />
    }
    .into_any()
}

/// The visitor's feed, in the same module.
#[wasm_split(homefeed, wasm_split_path = ::leptos::wasm_split)]
pub fn visitor_feed() -> AnyView {
    view! { <VisitorFeed /> }.into_any()
}

/// How many lines each list shows.
const LINES: usize = 3;

/// Loads once into a signal; `None` until the answer comes (and when it failed).
fn load<T: Send + Sync + 'static>(
    fut: impl std::future::Future<Output = Option<T>> + 'static,
) -> RwSignal<Option<T>> {
    let out = RwSignal::new(None);
    spawn_local(async move {
        if let Some(v) = fut.await {
            let _ = out.try_set(Some(v));
        }
    });
    out
}

/// Running and upcoming published competitions: running ones ending first, upcoming ones
/// starting first.
fn live_and_soon() -> RwSignal<Option<(Vec<FeedCompetition>, Vec<FeedCompetition>)>> {
    load(async {
        let (live, soon) = futures::join!(
            home::competitions("running", 12),
            home::competitions("upcoming", 12)
        );
        let now = now_utc();
        let mut live = live.ok()?;
        live.retain(|c| c.ends_at > now);
        live.sort_by_key(|c| c.ends_at);
        let mut soon = soon.ok()?;
        soon.retain(|c| c.starts_at > now);
        soon.sort_by_key(|c| c.starts_at);
        Some((live, soon))
    })
}

fn card_head(
    svg: &'static str,
    tone: &'static str,
    id: &'static str,
    title: &'static str,
) -> impl IntoView {
    view! {
        <div class="card-title">
            <span class=format!("feature-icon tone-{tone}") aria-hidden="true" inner_html=svg></span>
            <h2 id=id>{title}</h2>
        </div>
    }
}

fn more_link(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <a class="quick-link" href=href>
            <span>{label}</span>
            <span class="chev" aria-hidden="true">"‹"</span>
        </a>
    }
}

fn competition_line(c: FeedCompetition, fmt: Fmt) -> impl IntoView {
    let running = c.ends_at > now_utc() && c.starts_at <= now_utc();
    let when = if running {
        i18n::ends_when(&fmt.relative(&c.ends_at))
    } else {
        i18n::starts_when(&fmt.relative(&c.starts_at))
    };
    view! {
        <li class="feed-line">
            <a href=format!("/competitions/{}", c.id) class="strong"><bdi dir="auto">{c.title}</bdi></a>
            <span class="muted small">
                {when} " · " {i18n::home_participants(&fmt.int(c.participants_count))}
            </span>
            {(c.joined == Some(true)).then(|| view! { <span class="tag tag-violet">{i18n::JOINED}</span> })}
        </li>
    }
}

fn competition_list(
    items: Vec<FeedCompetition>,
    fmt: Fmt,
    empty: &'static str,
    testid: &'static str,
) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted small" data-testid=testid>{empty}</p> }.into_any();
    }
    view! {
        <ul class="feed-list" data-testid=testid>
            {items.into_iter().take(LINES).map(|c| competition_line(c, fmt)).collect_view()}
        </ul>
    }
    .into_any()
}

/// «يجري الآن» and «تبدأ قريبًا», side by side on wide screens.
#[component]
pub fn LiveAndSoon() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let lists = live_and_soon();
    move || {
        lists.get().map(|(live, soon)| {
            view! {
                <section class="card feed-card" aria-labelledby="feed-live-title">
                    {card_head(icons::TROPHY, "gold", "feed-live-title", i18n::HOME_LIVE_NOW)}
                    {competition_list(live, fmt, i18n::HOME_NOTHING_LIVE, "feed-live")}
                    {more_link("/competitions?status=running", i18n::HOME_BROWSE_ALL)}
                </section>
                <section class="card feed-card" aria-labelledby="feed-soon-title">
                    {card_head(icons::CALENDAR, "violet", "feed-soon-title", i18n::HOME_STARTING_SOON)}
                    {competition_list(soon, fmt, i18n::HOME_NOTHING_SOON, "feed-soon")}
                    {more_link("/competitions?status=upcoming", i18n::HOME_BROWSE_ALL)}
                </section>
            }
        })
    }
}

/// The participant's place on this week's board (the answer's `me`), or how to get on it.
#[component]
pub fn WeekRank() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let board = load(async { home::board("week", 1).await.ok() });
    move || {
        board.get().map(|b: FeedBoard| {
            view! {
                <section class="card feed-card week-rank" aria-labelledby="week-rank-title" data-testid="week-rank">
                    {card_head(icons::TRENDING, "teal", "week-rank-title", i18n::HOME_WEEK_RANK)}
                    {match b.me {
                        Some(me) => view! {
                            <p class="week-rank-line">
                                <span class="muted">{i18n::HOME_RANK_WORD}</span>
                                <span class="rank-big" data-testid="week-rank-value">{fmt.int(me.rank)}</span>
                                <span class="muted">{i18n::home_week_rank_of(&fmt.int(b.total))}</span>
                            </p>
                            <p class="small">{i18n::home_week_points(&fmt.int(me.points))}</p>
                        }
                        .into_any(),
                        None => view! { <p class="muted small">{i18n::HOME_WEEK_UNRANKED}</p> }.into_any(),
                    }}
                    {more_link("/leaderboard?period=week", i18n::HOME_SEE_BOARD)}
                </section>
            }
        })
    }
}

fn activity_line(a: FeedActivity, fmt: Fmt) -> impl IntoView {
    let (class, amount) = if a.amount >= 0 {
        (
            "ledger-amount plus",
            format!("\u{061C}+{}", fmt.int(a.amount)),
        )
    } else {
        ("ledger-amount minus", fmt.int(a.amount))
    };
    view! {
        <li class="feed-line">
            <span class="strong">{a.kind_label}</span>
            {a.reason.map(|r| view! { <span class="muted small"><bdi dir="auto">{r}</bdi></span> })}
            <span class="feed-side">
                <span class=class>{amount}</span>
                <time class="muted small" datetime=a.created_at.to_rfc3339()>{fmt.relative(&a.created_at)}</time>
            </span>
        </li>
    }
}

/// The latest movements of the participant's balance.
#[component]
pub fn RecentActivity() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let items = load(async { home::activity(LINES as u32).await.ok() });
    move || {
        items.get().map(|items| {
            view! {
                <section class="card feed-card" aria-labelledby="activity-title" data-testid="recent-activity">
                    {card_head(icons::LIST, "violet", "activity-title", i18n::HOME_RECENT_ACTIVITY)}
                    {if items.is_empty() {
                        view! { <p class="muted small">{i18n::HOME_NO_ACTIVITY}</p> }.into_any()
                    } else {
                        view! { <ul class="feed-list">{items.into_iter().map(|a| activity_line(a, fmt)).collect_view()}</ul> }.into_any()
                    }}
                    {more_link("/points", i18n::HOME_ALL_ACTIVITY)}
                </section>
            }
        })
    }
}

/// For visitors: the live competition most people are in (else the next to start), the top
/// players of the week (of all time while the week is empty) and the public pages.
#[component]
pub fn VisitorFeed() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let lists = live_and_soon();
    let board = load(async {
        let week = home::board("week", 5).await.ok()?;
        if week.entries.is_empty() {
            return Some((home::board("all", 5).await.ok()?, false));
        }
        Some((week, true))
    });
    let featured = move || {
        lists.get().and_then(|(live, soon)| {
            let pick = live
                .into_iter()
                .max_by_key(|c| c.participants_count)
                .or_else(|| soon.into_iter().next())?;
            let running = pick.starts_at <= now_utc();
            let when = if running {
                i18n::ends_when(&fmt.relative(&pick.ends_at))
            } else {
                i18n::starts_when(&fmt.relative(&pick.starts_at))
            };
            let href = format!("/competitions/{}", pick.id);
            Some(view! {
                <section class="card feed-card featured-comp" aria-labelledby="featured-title" data-testid="featured-competition">
                    <div class="card-title">
                        <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::TROPHY></span>
                        <h2 id="featured-title">{i18n::HOME_FEATURED}</h2>
                        {running.then(|| view! { <span class="tag tag-gold">{i18n::HOME_FEATURED_LIVE}</span> })}
                    </div>
                    <a class="strong featured-name" href=href.clone()><bdi dir="auto">{pick.title}</bdi></a>
                    <p class="muted small">{when} " · " {i18n::home_participants(&fmt.int(pick.participants_count))}</p>
                    <a class="btn btn-primary" href=href>
                        {if pick.registration_open { i18n::HOME_JOIN_NOW } else { i18n::HOME_VIEW }}
                    </a>
                </section>
            })
        })
    };
    let players = move || {
        board.get().map(|(b, week)| {
            view! {
                <section class="card feed-card" aria-labelledby="top-players-title" data-testid="top-players">
                    {card_head(icons::USERS, "teal", "top-players-title",
                        if week { i18n::HOME_TOP_PLAYERS } else { i18n::HOME_TOP_PLAYERS_ALL })}
                    {if b.entries.is_empty() {
                        view! { <p class="muted small">{i18n::HOME_NO_PLAYERS}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="feed-list">
                                {b.entries.into_iter().map(|e| view! {
                                    <li class="feed-line">
                                        <span class="rank-chip">{fmt.int(e.rank)}</span>
                                        <a href=format!("/u/{}", e.username)><bdi dir="auto">{e.display_name}</bdi></a>
                                        <span class="feed-side muted small">{crate::components::kit::points_text(fmt, e.points)}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }}
                    {more_link(if week { "/leaderboard?period=week" } else { "/leaderboard" }, i18n::HOME_SEE_BOARD)}
                </section>
            }
        })
    };
    view! {
        <section class="home-feed" aria-label=i18n::HOME_EXPLORE>
            <h2 class="feed-heading">{i18n::HOME_EXPLORE}</h2>
            <div class="feed-grid">
                {featured}
                {players}
            </div>
            <nav class="feed-links" aria-label=i18n::HOME_EXPLORE>
                <a class="btn btn-soft" href="/competitions"><Icon svg=icons::TROPHY />{i18n::NAV_COMPETITIONS}</a>
                <a class="btn btn-soft" href="/leaderboard"><Icon svg=icons::TRENDING />{i18n::NAV_LEADERBOARD}</a>
            </nav>
        </section>
    }
}
