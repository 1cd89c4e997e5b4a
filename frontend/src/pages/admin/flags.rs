//! Admin → التنبيهات → الحسابات المعلّمة (`/admin?tab=alerts&view=flags`): account flags the
//! fraud rules (or an admin) wrote. A flag keeps the account working but holds its transfers and
//! redemptions for review; clearing it needs a note for the audit log. The clear pieces are shared
//! with the user's investigation section.

use domain::safety::RiskFlag;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::alerts::{refresh_counts_of, SafetyLive};
use super::review::{decided_elsewhere, prose, user_href, NoteForm, Review};
use super::{admin_table, TableSpec};
use crate::components::commerce::upsert;
use crate::components::kit::{error_text, load_more, tab_id, Paged, Tabs};
use crate::components::{icons, FormState, Icon};
use crate::format::Fmt;
use crate::{api, i18n};

const STATES: &[(&str, &str)] = &[("open", i18n::FLAGS_OPEN), ("all", i18n::FILTER_ALL)];

const FLAGS_TABLE: TableSpec = TableSpec {
    label: i18n::FLAGGED_ACCOUNTS,
    testid: "flags-table",
    class: "table flags-table",
    headers: &[
        i18n::ADMIN_COL_USER,
        i18n::COL_FLAG_RULE,
        i18n::COL_DATES,
        i18n::ADMIN_COL_STATUS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_FLAGS,
};

/// Open or cleared (by whom, when, why).
pub(super) fn flag_state(f: &RiskFlag, fmt: Fmt) -> impl IntoView {
    match f.cleared_at {
        None => view! { <span class="tag tag-red"><Icon svg=icons::FLAG /><span>{i18n::FLAG_OPEN}</span></span> }.into_any(),
        Some(at) => {
            let by = f.cleared_by_username.clone();
            let note = f.clear_note.clone();
            view! {
                <div class="comp-cell">
                    <span class="tag">{i18n::FLAG_CLEARED}</span>
                    <span class="small muted">
                        {i18n::decided_on(&fmt.date_time(&at))}
                        {by.map(|u| view! { " " {i18n::AUDIT_BY} " " <bdi dir="ltr">{format!("@{u}")}</bdi> })}
                    </span>
                    {note.map(|n| view! { <span class="small"><bdi dir="auto">{n}</bdi></span> })}
                </div>
            }
            .into_any()
        }
    }
}

/// «إزالة التعليم» on an open flag; it opens the note form.
pub(super) fn clear_button(f: &RiskFlag, review: Review) -> impl IntoView {
    let row = format!("f{}", f.id);
    let key = format!("{row}:clear");
    (f.cleared_at.is_none()).then(|| {
        let open = {
            let key = key.clone();
            move || review.is_open(&key).to_string()
        };
        view! {
            <button type="button" class="btn btn-soft btn-sm" data-testid="clear-flag" aria-expanded=open
                on:click=move |_| review.toggle(key.clone(), &row)>
                <Icon svg=icons::CHECK /><span>{i18n::CLEAR_FLAG}</span>
            </button>
        }
    })
}

/// The note form of an open flag being cleared, and the outcome of the last attempt.
pub(super) fn clear_panel(
    f: RiskFlag,
    review: Review,
    fmt: Fmt,
    live: Option<SafetyLive>,
    on_done: Callback<RiskFlag>,
) -> impl IntoView {
    let row = format!("f{}", f.id);
    let key = format!("{row}:clear");
    let form_view = move || {
        review.is_open(&key).then(|| {
            let (id, user_id, row) = (f.id, f.user_id, format!("f{}", f.id));
            view! {
                <NoteForm id=format!("f{id}-clear") question=Some(i18n::clear_flag_question(&f.username))
                    required=true submit=i18n::CLEAR_FLAG danger=false
                    on_submit=Callback::new(move |(note, form): (Option<String>, FormState)| {
                        let row = row.clone();
                        form.start();
                        spawn_local(async move {
                            let result = api::safety::clear_flag(id, note).await;
                            form.pending.set(false);
                            match result {
                                Ok(fresh) => {
                                    review.close();
                                    review.report(&row, true, i18n::FLAG_CLEARED_DONE.to_owned());
                                    on_done.run(fresh);
                                    refresh_counts_of(live);
                                }
                                Err(err) if decided_elsewhere(&err) => {
                                    review.close();
                                    review.report(&row, false, error_text(&err, fmt));
                                    if let Ok(p) = api::safety::risk_flags(false, Some(user_id), None).await {
                                        if let Some(now) = p.items.into_iter().find(|x| x.id == id) {
                                            on_done.run(now);
                                        }
                                    }
                                    refresh_counts_of(live);
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                        });
                    })
                    on_cancel=Callback::new(move |_| review.close()) />
            }
        })
    };
    view! { {form_view} {review.outcome_line(row)} }
}

#[component]
pub fn FlagsList() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<SafetyLive>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<RiskFlag>::new();
    let review = Review::new();
    let fetch = move |cursor: Option<String>| {
        let open_only = tab.get_untracked() == 0;
        async move {
            api::safety::risk_flags(open_only, None, cursor.as_deref())
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
    let on_done = Callback::new(move |f: RiskFlag| upsert(paged, f, |x| x.id, false));
    let row = move |f: RiskFlag| {
        let rowkey = format!("f{}", f.id);
        let extra = Memo::new(move |_| {
            review.open.with(|o| {
                o.as_deref()
                    .is_some_and(|o| o.split(':').next() == Some(rowkey.as_str()))
            }) || review.outcome.with(|o| o.contains_key(&rowkey))
        });
        let at = f.created_at;
        let for_panel = f.clone();
        view! {
            <tr data-testid="flag-row" data-id=f.id.to_string()>
                <td>
                    <a href=user_href(f.user_id) class="strong"><bdi dir="ltr">{format!("@{}", f.username)}</bdi></a>
                </td>
                <td data-label=i18n::COL_FLAG_RULE>
                    <div class="comp-cell">
                        <span class="strong">{f.rule_label.clone()}</span>
                        <span class="small muted">{prose(fmt, &f.reason)}</span>
                    </div>
                </td>
                <td class="small" data-label=i18n::COL_DATES>{i18n::flagged_on(&fmt.date_time(&at))}</td>
                <td data-label=i18n::ADMIN_COL_STATUS>{flag_state(&f, fmt)}</td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>{clear_button(&f, review)}</td>
            </tr>
            {move || extra.get().then(|| view! {
                <tr class="row-extra">
                    <td colspan="5">{clear_panel(for_panel.clone(), review, fmt, live, on_done)}</td>
                </tr>
            })}
        }
        .into_any()
    };
    view! {
        <div class="card">
            <p class="muted panel-intro">{i18n::FLAGS_INTRO}</p>
            <Tabs items=STATES selected=tab label=i18n::FLAGS_FILTER prefix="fstate" />
            <div role="tabpanel" id="fstate-panel" aria-labelledby=tab_id(STATES, "fstate", tab)>
                {move || admin_table(paged.data.get(), fmt, &FLAGS_TABLE, row)}
                {load_more(paged, more)}
            </div>
        </div>
    }
}
