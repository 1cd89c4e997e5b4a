//! The home page's card from «مسابقاتي»: the running competition the participant is in (the one
//! ending first), else the next one to start; nothing when neither exists. Kept apart from
//! `my_competitions` and reading a brief form of the answer, so the home page's WASM module stays
//! small (the budget in tests/e2e/app.test.js).

use domain::competitions::CompetitionStatus;
use leptos::prelude::*;

use crate::api::competitions::{mine_brief, BriefCompetition};
use crate::components::icons;
use crate::components::kit::now_utc;
use crate::format::Fmt;
use crate::i18n;

#[component]
pub fn NextCompetition() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let next = RwSignal::new(None::<BriefCompetition>);
    leptos::task::spawn_local(async move {
        let pick = |status: &'static str| async move {
            mine_brief(status)
                .await
                .ok()
                .map(|p| p.items.into_iter().map(|b| b.competition))
        };
        let now = now_utc();
        let found = match pick("running")
            .await
            .and_then(|c| c.min_by_key(|c| c.ends_at))
        {
            Some(c) => Some(c),
            None => pick("upcoming")
                .await
                .and_then(|c| c.filter(|c| c.starts_at > now).min_by_key(|c| c.starts_at)),
        };
        let _ = next.try_set(found);
    });
    move || {
        next.get().map(|c| {
            let running = c.status == CompetitionStatus::Running;
            let (title, when, tag_class, tag) = if running {
                (
                    i18n::CURRENT_COMPETITION,
                    i18n::ends_when(&fmt.relative(&c.ends_at)),
                    "tag tag-gold",
                    i18n::STATE_RUNNING,
                )
            } else {
                (
                    i18n::NEXT_COMPETITION,
                    i18n::starts_when(&fmt.relative(&c.starts_at)),
                    "tag tag-violet",
                    i18n::STATE_SOON,
                )
            };
            view! {
                <section class="card next-comp" aria-labelledby="next-comp-title" data-testid="next-competition">
                    <div class="card-title">
                        <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::TROPHY></span>
                        <h2 id="next-comp-title">{title}</h2>
                        <span class=tag_class>{tag}</span>
                    </div>
                    <a class="strong" href=format!("/competitions/{}", c.id)><bdi dir="auto">{c.title.clone()}</bdi></a>
                    <p class="muted small">{when}</p>
                    <a class="quick-link" href="/my-competitions">
                        <span>{i18n::ALL_MY_COMPETITIONS}</span>
                        <span class="chev" aria-hidden="true">"‹"</span>
                    </a>
                </section>
            }
        })
    }
}
