//! Admin → التحويلات المعلّقة (/admin?tab=held-transfers): transfers a fraud rule held for review.
//! The sender's points already sit in the hold; releasing credits the recipient, rejecting
//! (with a note) refunds the sender. Status tabs (held first), a sender/recipient filter, the
//! rules that fired and what they saw; `&focus=ID` (an alert's link) marks and scrolls to one.
//! The decision pieces are shared with the user's investigation section.

use domain::safety::{HeldTransfer, HeldTransferStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::alerts::{refresh_counts_of, SafetyLive};
use super::review::{decided_elsewhere, prose, user_href, NoteForm, Review};
use super::{admin_table, TableSpec};
use crate::components::commerce::{find_user, upsert};
use crate::components::kit::{self, error_text, load_more, points_text, tab_id, Paged, Tabs};
use crate::components::{icons, FormState, Icon};
use crate::format::Fmt;
use crate::{api, i18n};

const STATES: &[(&str, &str)] = &[
    ("held", i18n::HELD_STATE),
    ("released", i18n::RELEASED_STATE),
    ("rejected", i18n::REJECTED_STATE),
    ("all", i18n::FILTER_ALL),
];

const HELD_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_HELD_TRANSFERS,
    testid: "held-table",
    class: "table held-table",
    headers: &[
        i18n::COL_TRANSFER,
        i18n::AMOUNT_FIELD,
        i18n::COL_HELD_WHY,
        i18n::COL_DATES,
        i18n::ADMIN_COL_STATUS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_HELD_TRANSFERS,
};

pub(super) fn held_tag(s: HeldTransferStatus) -> &'static str {
    match s {
        HeldTransferStatus::Held => "tag tag-gold",
        HeldTransferStatus::Released => "tag tag-green",
        HeldTransferStatus::Rejected => "tag tag-red",
    }
}

/// "@sender ← @recipient", each a link to the account's admin page.
pub(super) fn parties(t: &HeldTransfer) -> impl IntoView {
    view! {
        <span class="parties">
            <a href=user_href(t.sender_id) data-testid="held-sender"><bdi dir="ltr">{format!("@{}", t.sender_username)}</bdi></a>
            <span class="parties-arrow" aria-label=i18n::SENT_TO>
                <Icon svg=icons::ARROW_BACK />
            </span>
            <a href=user_href(t.recipient_id) data-testid="held-recipient"><bdi dir="ltr">{format!("@{}", t.recipient_username)}</bdi></a>
        </span>
    }
}

/// The rules that held it, as chips, and what they saw.
pub(super) fn held_why(t: &HeldTransfer, fmt: Fmt) -> impl IntoView {
    view! {
        <div class="comp-cell">
            <ul class="rule-chips" aria-label=i18n::COL_HELD_WHY>
                {t.rule_labels.iter().map(|l| view! { <li class="tag tag-red"><Icon svg=icons::FLAG /><span>{l.clone()}</span></li> }).collect_view()}
            </ul>
            <span class="small muted">{prose(fmt, &t.reason)}</span>
            {t.note.clone().map(|n| view! { <span class="small">{i18n::SENDER_NOTE} ": " <bdi dir="auto">{n}</bdi></span> })}
        </div>
    }
}

/// The decision line of a decided transfer: who, when, the note.
pub(super) fn decided_line(t: &HeldTransfer, fmt: Fmt) -> Option<impl IntoView> {
    let at = t.decided_at?;
    let by = t.decided_by_username.clone();
    let note = t.decision_note.clone();
    Some(view! {
        <span class="small muted">
            {i18n::decided_on(&fmt.date_time(&at))}
            {by.map(|u| view! { " " {i18n::AUDIT_BY} " " <bdi dir="ltr">{format!("@{u}")}</bdi> })}
        </span>
        {note.map(|n| view! { <span class="small">{i18n::DECISION_NOTE} ": " <bdi dir="auto">{n}</bdi></span> })}
    })
}

/// Release and reject, on a transfer still held. Each opens its note form under the row.
pub(super) fn decision_buttons(t: &HeldTransfer, review: Review) -> impl IntoView {
    let held = t.status == HeldTransferStatus::Held;
    let row = format!("t{}", t.id);
    held.then(|| {
        let button = move |code: &'static str| {
            let key = format!("{row}:{code}");
            let open = {
                let key = key.clone();
                move || review.is_open(&key).to_string()
            };
            let row = row.clone();
            let (class, svg, label) = if code == "release" {
                ("btn btn-soft btn-sm", icons::CHECK, i18n::RELEASE)
            } else {
                ("btn btn-outline-danger btn-sm", icons::CLOSE, i18n::REJECT_HELD)
            };
            view! {
                <button type="button" class=class data-testid=format!("held-{code}") aria-expanded=open
                    on:click=move |_| review.toggle(key.clone(), &row)>
                    <Icon svg=svg /><span>{label}</span>
                </button>
            }
        };
        view! { {button("release")} {button("reject")} }
    })
}

/// The open note form of a held transfer (release: optional note; reject: note required) and
/// the outcome of its last decision. A 409 means another admin decided first: its message stays
/// here and the row is read again.
pub(super) fn decision_panel(
    t: HeldTransfer,
    review: Review,
    fmt: Fmt,
    live: Option<SafetyLive>,
    on_done: Callback<HeldTransfer>,
) -> impl IntoView {
    let row = format!("t{}", t.id);
    let form_view = {
        let row = row.clone();
        move || {
            let open = review.open.get()?;
            let (r, code) = open.split_once(':')?;
            if r != row {
                return None;
            }
            let release = code == "release";
            let t = t.clone();
            let question = if release {
                i18n::release_question(&points_text(fmt, t.amount), &t.recipient_username)
            } else {
                i18n::reject_question(&points_text(fmt, t.amount), &t.sender_username)
            };
            Some(view! {
                <NoteForm id=format!("{r}-{code}") question=Some(question) required=!release
                    submit=if release { i18n::RELEASE } else { i18n::REJECT_HELD } danger=!release
                    on_submit=Callback::new(move |(note, form): (Option<String>, FormState)| {
                        decide(t.clone(), release, note, form, review, fmt, live, on_done);
                    })
                    on_cancel=Callback::new(move |_| review.close()) />
            })
        }
    };
    view! { {form_view} {review.outcome_line(row)} }
}

#[allow(clippy::too_many_arguments)]
fn decide(
    t: HeldTransfer,
    release: bool,
    note: Option<String>,
    form: FormState,
    review: Review,
    fmt: Fmt,
    live: Option<SafetyLive>,
    on_done: Callback<HeldTransfer>,
) {
    form.start();
    let key = kit::action_key(review.key);
    let row = format!("t{}", t.id);
    spawn_local(async move {
        let result = api::safety::decide_transfer(t.id, release, note, &key).await;
        form.pending.set(false);
        match result {
            Ok(fresh) => {
                review.key.set(None);
                review.close();
                let text = if release {
                    i18n::released_text(&points_text(fmt, fresh.amount), &fresh.recipient_username)
                } else {
                    i18n::rejected_text(&points_text(fmt, fresh.amount), &fresh.sender_username)
                };
                review.report(&row, true, text);
                on_done.run(fresh);
                refresh_counts_of(live);
            }
            Err(err) if decided_elsewhere(&err) => {
                review.key.set(None);
                review.close();
                review.report(&row, false, error_text(&err, fmt));
                // The transfer as it is now, from the sender's newest held transfers.
                if let Ok(page) = api::safety::held_transfers(None, Some(t.sender_id), None).await {
                    if let Some(now) = page.items.into_iter().find(|x| x.id == t.id) {
                        on_done.run(now);
                    }
                }
                refresh_counts_of(live);
            }
            Err(err) => {
                kit::forget_key_unless_retryable(review.key, &err);
                form.failed(&err, fmt);
            }
        }
    });
}

#[component]
pub fn HeldTransfersPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<SafetyLive>();
    let focus = use_query_map()
        .with_untracked(|q| q.get("focus"))
        .and_then(|v| v.parse::<i64>().ok());
    let tab = RwSignal::new(0usize);
    let user = RwSignal::new(None::<(i64, String)>);
    let user_q = RwSignal::new(String::new());
    let user_err = RwSignal::new(None::<String>);
    let paged = Paged::<HeldTransfer>::new();
    let review = Review::new();
    let fetch = move |cursor: Option<String>| {
        let status = HeldTransferStatus::parse(STATES[tab.get_untracked()].0);
        let user_id = user.with_untracked(|u| u.as_ref().map(|u| u.0));
        async move {
            api::safety::held_transfers(status, user_id, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        tab.track();
        user.track();
        paged.reload(fetch(None));
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // An alert's link names one transfer: bring its row into view once the list is there.
    if let Some(id) = focus {
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !paged.data.with(|d| matches!(d, Some(Ok(_)))) {
                return done.unwrap_or(false);
            }
            request_animation_frame(move || {
                let sel = format!("[data-testid=\"held-row\"][data-id=\"{id}\"]");
                if let Ok(Some(el)) = document().query_selector(&sel) {
                    el.scroll_into_view();
                }
            });
            true
        });
    }
    let on_user = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = user_q.get_untracked();
        user_err.set(None);
        if name.trim().is_empty() {
            user.set(None);
            return;
        }
        spawn_local(async move {
            match find_user(&name).await {
                Ok(Some(u)) => user.set(Some((u.id, u.username))),
                Ok(None) => user_err.set(Some(i18n::TRANSFER_NO_USER_ANY.to_owned())),
                Err(err) => user_err.set(Some(error_text(&err, fmt))),
            }
        });
    };
    let on_done = Callback::new(move |t: HeldTransfer| upsert(paged, t, |x| x.id, false));

    let row = move |t: HeldTransfer| {
        let (id, amount, at, status) = (t.id, t.amount, t.created_at, t.status);
        let rowkey = format!("t{id}");
        let extra = Memo::new(move |_| {
            review.open.with(|o| {
                o.as_deref()
                    .is_some_and(|o| o.split(':').next() == Some(rowkey.as_str()))
            }) || review.outcome.with(|o| o.contains_key(&rowkey))
        });
        let for_panel = t.clone();
        view! {
            <tr data-testid="held-row" data-id=id.to_string() data-status=status.as_str() class:is-focus=focus == Some(id)>
                <td>{parties(&t)}</td>
                <td class="num" data-label=i18n::AMOUNT_FIELD>{points_text(fmt, amount)}</td>
                <td data-label=i18n::COL_HELD_WHY>{held_why(&t, fmt)}</td>
                <td data-label=i18n::COL_DATES>
                    <div class="comp-cell">
                        <span class="small">{i18n::held_on(&fmt.date_time(&at))}</span>
                        {decided_line(&t, fmt)}
                    </div>
                </td>
                <td data-label=i18n::ADMIN_COL_STATUS><span class=held_tag(status)>{status.label_ar()}</span></td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>{decision_buttons(&t, review)}</td>
            </tr>
            {move || extra.get().then(|| view! {
                <tr class="row-extra" data-testid="held-extra" data-for=id.to_string()>
                    <td colspan="6">{decision_panel(for_panel.clone(), review, fmt, live, on_done)}</td>
                </tr>
            })}
        }
        .into_any()
    };

    view! {
        <div class="card">
            <p class="muted panel-intro">{i18n::HELD_INTRO}</p>
            <Tabs items=STATES selected=tab label=i18n::HELD_FILTER prefix="hstatus" />
            <div class="filters">
                <form class="field inline-field held-filter" on:submit=on_user>
                    <label for="held-user">{i18n::HELD_USER_FILTER}</label>
                    <div class="control with-button">
                        <input id="held-user" type="search" dir="ltr" placeholder=i18n::USERNAME_FIELD autocomplete="off" bind:value=user_q />
                        <button type="submit" class="btn btn-soft btn-sm">{i18n::FILTER}</button>
                    </div>
                </form>
            </div>
            {move || user_err.get().map(|m| view! { <p class="field-error" role="alert"><Icon svg=icons::ALERT /><span>{m}</span></p> })}
            {move || user.get().map(|(_, name)| view! {
                <p class="active-filter">
                    <span>{i18n::HELD_USER_FILTER} ": " <bdi dir="ltr">{format!("@{name}")}</bdi></span>
                    <button type="button" class="icon-btn" aria-label=i18n::CLEAR_FILTER inner_html=icons::CLOSE
                        on:click=move |_| { user.set(None); user_q.set(String::new()); }></button>
                </p>
            })}
            <div role="tabpanel" id="hstatus-panel" aria-labelledby=tab_id(STATES, "hstatus", tab)>
                {move || admin_table(paged.data.get(), fmt, &HELD_TABLE, row)}
                {load_more(paged, more)}
            </div>
        </div>
    }
}
