//! «مسابقاتي»: the competitions the participant joined — upcoming, running, finished — each
//! with what matters now: when it starts, a way into a running quiz, or the score, rank and
//! points won once it ended (issue 17 item 1).

use domain::competitions::{CompetitionKind, CompetitionStatus, ParticipationStatus};
use domain::my_competitions::MyCompetition;
use leptos::prelude::*;

use super::competitions::status_tag;
use crate::components::kit::{self, error_text, load_more, rank_badge, tab_id, Paged, Tabs};
use crate::components::{icons, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

/// (key, label): the key is the API's `status` filter.
const PHASES: &[(&str, &str)] = &[
    ("upcoming", i18n::MINE_UPCOMING),
    ("running", i18n::MINE_RUNNING),
    ("ended", i18n::MINE_FINISHED),
];

#[component]
pub fn MyCompetitions() -> impl IntoView {
    set_title(i18n::MY_COMPETITIONS);
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<MyCompetition>::new();
    let fetch = move |cursor: Option<String>| {
        let phase = PHASES[tab.get_untracked()].0;
        async move {
            api::competitions::mine(phase, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        tab.track();
        paged.reload(fetch(None));
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let empty = move || match PHASES[tab.get()].0 {
        "upcoming" => i18n::MINE_EMPTY_UPCOMING,
        "running" => i18n::MINE_EMPTY_RUNNING,
        _ => i18n::MINE_EMPTY_FINISHED,
    };
    view! {
        <div class="page my-competitions">
            <header class="page-head">
                <h1>{i18n::MY_COMPETITIONS}</h1>
                <p class="muted">{i18n::MY_COMPETITIONS_SUBTITLE}</p>
            </header>
            <Tabs items=PHASES selected=tab label=i18n::MY_COMPETITIONS_FILTERS prefix="mine" />
            <section role="tabpanel" id="mine-panel" aria-labelledby=tab_id(PHASES, "mine", tab)>
                {move || match paged.data.get() {
                    None => view! { <Skeleton lines=4 /> }.into_any(),
                    Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! {
                        <div class="card empty-state" data-testid="mine-empty">
                            <Icon svg=icons::TROPHY class="empty-icon" />
                            <h2>{empty()}</h2>
                            <a class="btn btn-primary" href="/competitions">{i18n::MINE_BROWSE}</a>
                        </div>
                    }
                    .into_any(),
                    Some(Ok(items)) => view! {
                        <ul class="mine-list" aria-label=i18n::MY_COMPETITIONS>
                            {items.into_iter().map(|m| view! { <MineRow m=m /> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
                {load_more(paged, more)}
            </section>
        </div>
    }
}

/// One joined competition as a row card.
#[component]
fn MineRow(m: MyCompetition) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let c = m.competition;
    let (tag_class, tag_label) = status_tag(&c);
    let href = format!("/competitions/{}", c.id);
    let finished = matches!(
        c.status,
        CompetitionStatus::Ended | CompetitionStatus::Finalized
    );
    // A running quiz not answered yet: straight into it.
    let quiz_open = c.status == CompetitionStatus::Running
        && c.kind == CompetitionKind::Quiz
        && m.status == ParticipationStatus::Registered;
    let when = match c.status {
        CompetitionStatus::Draft | CompetitionStatus::Published => {
            i18n::starts_when(&fmt.relative(&c.starts_at))
        }
        CompetitionStatus::Running => i18n::ends_when(&fmt.relative(&c.ends_at)),
        _ => i18n::ended_when(&fmt.relative(&c.ends_at)),
    };
    let score = m
        .score
        .map_or_else(|| i18n::MINE_NOT_YET.to_owned(), |s| fmt.int(s));
    view! {
        <li class="card mine-row" data-testid="mine-row" data-id=c.id.to_string()>
            <div class="mine-head">
                <div class="mine-title">
                    <a href=href.clone() class="strong"><bdi dir="auto">{c.title.clone()}</bdi></a>
                    <p class="muted small"><Icon svg=icons::CLOCK /><span>{when}</span></p>
                </div>
                <div class="comp-tags">
                    <span class="tag tag-violet">{c.kind.label_ar()}</span>
                    <span class=tag_class>{tag_label}</span>
                    <span class="tag">{i18n::participation_status(m.status)}</span>
                </div>
            </div>
            <dl class="mine-facts">
                <div>
                    <dt>{i18n::MINE_SCORE}</dt>
                    <dd data-testid="mine-score">{score}</dd>
                </div>
                <div>
                    <dt>{i18n::MINE_RANK}</dt>
                    <dd data-testid="mine-rank">
                        {match m.rank {
                            Some(r) => rank_badge(r, fmt).into_any(),
                            None => i18n::MINE_NOT_YET.into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{i18n::MINE_WON}</dt>
                    <dd data-testid="mine-won">{kit::points_text(fmt, m.points_awarded)}</dd>
                </div>
            </dl>
            <div class="mine-actions">
                {if quiz_open {
                    view! {
                        <a class="btn btn-primary btn-sm" href=format!("/competitions/{}/quiz", c.id)>
                            <Icon svg=icons::PLAY />
                            <span>{i18n::MINE_START_QUIZ}</span>
                        </a>
                    }
                    .into_any()
                } else {
                    view! {
                        <a class="btn btn-soft btn-sm" href=href>
                            {if finished { i18n::MINE_RESULTS } else { i18n::MINE_OPEN }}
                        </a>
                    }
                    .into_any()
                }}
            </div>
        </li>
    }
}
