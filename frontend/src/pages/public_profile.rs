//! A participant's public profile (`/u/:username`): name, place on the all-time board, points
//! earned, finished competitions, wins and the latest results — what the boards already publish.

use domain::profiles::PublicProfile;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::components::kit::{self, error_text, rank_badge};
use crate::components::{icons, initial, set_title, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::pages::chat::MessageButton;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn PublicProfilePage() -> impl IntoView {
    let params = use_params_map();
    let data = RwSignal::new(None::<Result<PublicProfile, ApiError>>);
    Effect::new(move |_| {
        let name = params.with(|p| p.get("username")).unwrap_or_default();
        data.set(None);
        spawn_local(async move {
            let got = api::leaderboard::profile(&name).await;
            let _ = data.try_set(Some(got));
        });
    });
    let fmt = expect_context::<Fmt>();
    move || match data.get() {
        None => view! { <div class="page"><Skeleton lines=6 /></div> }.into_any(),
        Some(Err(err)) if err.status() == Some(404) => {
            set_title(i18n::PROFILE_OF);
            view! {
                <div class="page">
                    <div class="card empty-state" data-testid="profile-missing">
                        <Icon svg=icons::USER class="empty-icon" />
                        <h1>{i18n::PROFILE_NOT_FOUND}</h1>
                        <a class="btn btn-soft" href="/leaderboard">{i18n::LEADERBOARD_TITLE}</a>
                    </div>
                </div>
            }
            .into_any()
        }
        Some(Err(err)) => view! {
            <div class="page"><Notice message=error_text(&err, fmt) kind="error" /></div>
        }
        .into_any(),
        Some(Ok(p)) => view! { <ProfileBody p=p /> }.into_any(),
    }
}

#[component]
fn ProfileBody(p: PublicProfile) -> impl IntoView {
    set_title(&i18n::profile_title(&p.display_name));
    let fmt = expect_context::<Fmt>();
    let session = expect_context::<Session>();
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let other = me.is_some() && me != Some(p.user_id);
    let stat = |label: &'static str, value: String, id: &'static str| {
        view! {
            <div class="stat">
                <dt>{label}</dt>
                <dd data-testid=id>{value}</dd>
            </div>
        }
    };
    view! {
        <div class="page public-profile" data-testid="public-profile">
            <header class="card profile-hero">
                <span class="avatar avatar-lg" aria-hidden="true">{initial(&p.display_name)}</span>
                <div class="profile-id">
                    <h1><bdi>{p.display_name.clone()}</bdi></h1>
                    <bdi class="handle" dir="ltr">{format!("@{}", p.username)}</bdi>
                    <p class="muted small">{i18n::PROFILE_MEMBER_SINCE} " " {fmt.date(&p.member_since)}</p>
                </div>
                {other.then(|| view! { <MessageButton username=p.username.clone() name=p.display_name.clone() /> })}
            </header>
            <section class="card" aria-label=i18n::PROFILE_OF>
                <dl class="profile-stats">
                    {stat(i18n::PROFILE_RANK, p.rank.map_or_else(|| i18n::PROFILE_UNRANKED.to_owned(), |r| fmt.int(r)), "profile-rank")}
                    {stat(i18n::PROFILE_POINTS, kit::points_text(fmt, p.points_earned), "profile-points")}
                    {stat(i18n::PROFILE_COMPLETED, fmt.int(p.competitions_completed), "profile-completed")}
                    {stat(i18n::PROFILE_WINS, fmt.int(p.wins), "profile-wins")}
                    {stat(i18n::PROFILE_PODIUMS, fmt.int(p.podiums), "profile-podiums")}
                </dl>
            </section>
            <section class="card" aria-labelledby="recent-title">
                <h2 id="recent-title" class="card-heading">{i18n::PROFILE_RECENT}</h2>
                {if p.recent.is_empty() {
                    view! { <p class="muted">{i18n::PROFILE_NO_RESULTS}</p> }.into_any()
                } else {
                    view! {
                        <ul class="profile-results">
                            {p.recent.into_iter().map(|r| view! {
                                <li data-testid="profile-result">
                                    {match r.rank {
                                        Some(rank) => rank_badge(rank, fmt).into_any(),
                                        None => view! { <span class="rank">"—"</span> }.into_any(),
                                    }}
                                    <div class="profile-result-main">
                                        <a href=format!("/competitions/{}", r.competition_id)><bdi dir="auto">{r.title}</bdi></a>
                                        <span class="muted small">{fmt.date(&r.ended_at)}</span>
                                    </div>
                                    <span class="profile-result-figures">
                                        {r.score.map(|s| view! { <span class="muted small">{i18n::PROFILE_SCORE} " " {fmt.int(s)}</span> })}
                                        <strong>{kit::points_text(fmt, r.points_awarded)}</strong>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        </div>
    }
}
