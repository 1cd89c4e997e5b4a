//! Admin → التنبيهات (/admin?tab=alerts): the alert inbox — security events and fraud-rule hits
//! in Arabic, with their subject linked and the actions the server offers on each — and, as a
//! second view (`&view=flags`), the flagged accounts. Also the live counts behind the unread
//! badge and the dashboard's safety cards (`SafetyLive`).

use std::time::Duration;

use domain::admin::AdminNotification;
use domain::safety::{AlertAction, SafetySummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::review::{decided_elsewhere, prose, subject_view, NoteForm, Review};
use crate::components::commerce::upsert;
use crate::components::kit::{self, error_text, load_more, now_utc, tab_id, Paged, Tabs};
use crate::components::{icons, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

/// How often the badge asks for the counts while the admin section is open and visible.
const POLL: Duration = Duration::from_secs(5);

/// The safety counts (unread alerts, open flags, held transfers and redemptions), shared by the
/// tab badges, the inbox's "new alerts" line and the dashboard cards.
///
/// Polled rather than pushed over the chat WebSocket: one indexed count per call is cheap, it
/// works the same behind several replicas (no fan-out between servers needed), and it only runs
/// while an admin has the section open and the page visible.
#[derive(Clone, Copy)]
pub(super) struct SafetyLive {
    pub summary: RwSignal<Option<SafetySummary>>,
}

impl SafetyLive {
    /// Polls for as long as the calling component lives.
    pub fn start() -> Self {
        let live = Self {
            summary: RwSignal::new(None),
        };
        live.refresh();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !document().hidden() {
                    live.refresh();
                }
            },
            POLL,
        ) {
            on_cleanup(move || handle.clear());
        }
        // Back on the page: catch up at once rather than at the next tick.
        let back = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !document().hidden() {
                live.refresh();
            }
        });
        on_cleanup(move || back.remove());
        live
    }

    pub fn refresh(self) {
        spawn_local(async move {
            if let Ok(s) = api::safety::summary().await {
                // The section may have closed while the answer was on its way.
                let _ = self.summary.try_set(Some(s));
            }
        });
    }
}

const VIEWS: &[(&str, &str)] = &[
    ("inbox", i18n::ALERTS_INBOX),
    ("flags", i18n::FLAGGED_ACCOUNTS),
];

/// The alert kinds the filter offers (the server's `kind` codes, Arabic names).
const KINDS: &[(&str, &str)] = &[
    ("account_farm", i18n::KIND_ACCOUNT_FARM),
    ("transfer_held", i18n::KIND_TRANSFER_HELD),
    ("redemption_held", i18n::KIND_REDEMPTION_HELD),
    ("referral_flagged", i18n::KIND_REFERRAL),
    ("purchase_requested", i18n::KIND_PURCHASE),
    ("login_throttled_account", i18n::KIND_LOGIN_ACCOUNT),
    ("login_throttled_ip", i18n::KIND_LOGIN_IP),
    ("refresh_token_reuse", i18n::KIND_TOKEN_REUSE),
    ("api_key_ip_blocked", i18n::KIND_API_KEY_BLOCKED),
    ("bearer_token_failures", i18n::KIND_BEARER_FAILURES),
];

#[component]
pub fn AlertsPanel() -> impl IntoView {
    let query = use_query_map();
    let flags_first = query.with_untracked(|q| q.get("view")).as_deref() == Some("flags");
    let view_tab = RwSignal::new(usize::from(flags_first));
    view! {
        <div class="safety-area">
            <Tabs items=VIEWS selected=view_tab label=i18n::ALERT_VIEWS prefix="aview" />
            <div role="tabpanel" id="aview-panel" aria-labelledby=tab_id(VIEWS, "aview", view_tab)>
                {move || if view_tab.get() == 0 {
                    view! { <Inbox /> }.into_any()
                } else {
                    view! { <super::flags::FlagsList /> }.into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn Inbox() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<SafetyLive>();
    let unread_only = RwSignal::new(false);
    let kind = RwSignal::new(String::new());
    let paged = Paged::<AdminNotification>::new();
    let review = Review::new();
    // Alerts arrived since the list was read (the polled count went up).
    let fresh = RwSignal::new(false);
    let reading_all = RwSignal::new(false);
    let all_error = RwSignal::new(None::<String>);
    let fetch = move |cursor: Option<String>| {
        let (u, k) = (unread_only.get_untracked(), kind.get_untracked());
        async move {
            api::safety::alerts(u, &k, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    let reload = move || {
        fresh.set(false);
        paged.reload(fetch(None));
    };
    Effect::new(move |_| {
        unread_only.track();
        kind.track();
        reload();
    });
    if let Some(live) = live {
        Effect::new(move |prev: Option<Option<i64>>| {
            let now = live.summary.with(|s| s.as_ref().map(|s| s.unread_alerts));
            if let (Some(Some(before)), Some(now)) = (prev, now) {
                if now > before {
                    fresh.set(true);
                }
            }
            now
        });
    }
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    // One alert again as the server sees it now (its actions, its read state), from the newest
    // page of its kind; an alert too old for that page just loses its actions.
    let refresh_one = move |id: i64, kind_code: String| {
        spawn_local(async move {
            let found = api::safety::alerts(false, &kind_code, None)
                .await
                .ok()
                .and_then(|p| p.items.into_iter().find(|a| a.id == id));
            match found {
                Some(a) => upsert(paged, a, |x| x.id, false),
                None => paged.data.update(|d| {
                    if let Some(Ok(list)) = d {
                        if let Some(a) = list.iter_mut().find(|a| a.id == id) {
                            a.actions.clear();
                        }
                    }
                }),
            }
        });
    };
    let run = move |a: AdminNotification,
                    action: AlertAction,
                    note: Option<String>,
                    form: Option<FormState>| {
        let row = format!("a{}", a.id);
        review.busy.set(Some(format!("{row}:{}", action.action)));
        if let Some(f) = form {
            f.start();
        }
        let key = kit::action_key(review.key);
        spawn_local(async move {
            let result = api::safety::run_action(&action, note, &key).await;
            review.busy.set(None);
            if let Some(f) = form {
                f.pending.set(false);
            }
            match result {
                Ok(()) => {
                    review.key.set(None);
                    review.close();
                    review.report(&row, true, i18n::action_done(&action.label));
                    refresh_one(a.id, a.kind.clone());
                    refresh_counts_of(live);
                }
                Err(err) if decided_elsewhere(&err) => {
                    // Another admin acted first: say so here and show the alert as it is now.
                    review.key.set(None);
                    review.close();
                    review.report(&row, false, error_text(&err, fmt));
                    refresh_one(a.id, a.kind.clone());
                    refresh_counts_of(live);
                }
                Err(err) => {
                    kit::forget_key_unless_retryable(review.key, &err);
                    match form {
                        Some(f) => f.failed(&err, fmt),
                        None => review.report(&row, false, error_text(&err, fmt)),
                    }
                }
            }
        });
    };
    let mark_read = move |id: i64| {
        let row = format!("a{id}");
        review.busy.set(Some(format!("{row}:read")));
        spawn_local(async move {
            let result = api::safety::mark_read(id).await;
            review.busy.set(None);
            match result {
                Ok(()) => {
                    review.forget(&row);
                    paged.data.update(|d| {
                        if let Some(Ok(list)) = d {
                            if let Some(a) = list.iter_mut().find(|a| a.id == id) {
                                a.read_at = Some(now_utc());
                            }
                        }
                    });
                    refresh_counts_of(live);
                }
                Err(err) => review.report(&row, false, error_text(&err, fmt)),
            }
        });
    };
    let read_all = move |_| {
        reading_all.set(true);
        all_error.set(None);
        spawn_local(async move {
            let result = api::safety::mark_all_read().await;
            reading_all.set(false);
            match result {
                Ok(()) => {
                    reload();
                    refresh_counts_of(live);
                }
                Err(err) => all_error.set(Some(error_text(&err, fmt))),
            }
        });
    };

    // The alert's actions: those that ask for a note or a confirmation open the form under the
    // alert; the others run at once. Every button shows its own progress.
    let action_button = move |a: &AdminNotification, action: AlertAction| {
        let row = format!("a{}", a.id);
        let akey = format!("{row}:{}", action.action);
        let asks = action.note_required || action.danger;
        let class = if action.danger {
            "btn btn-outline-danger btn-sm"
        } else {
            "btn btn-soft btn-sm"
        };
        let label = action.label.clone();
        let testid = format!("action-{}", action.action);
        let alert = a.clone();
        let expanded = {
            let k = akey.clone();
            move || asks.then(|| review.is_open(&k).to_string())
        };
        let busy = {
            let k = akey.clone();
            Signal::derive(move || review.is_busy(&k))
        };
        view! {
            <button type="button" class=class data-testid=testid
                aria-expanded=expanded
                disabled=move || review.busy.with(Option::is_some)
                aria-busy=move || busy.get().to_string()
                on:click=move |_| {
                    if asks {
                        review.toggle(akey.clone(), &row);
                    } else {
                        review.forget(&row);
                        run(alert.clone(), action.clone(), None, None);
                    }
                }>
                {move || busy.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                <span>{label}</span>
            </button>
        }
    };
    // The note / confirmation form of the alert's open action.
    let action_form = move |a: &AdminNotification| {
        let alert = a.clone();
        move || {
            let open = review.open.get()?;
            let (row, code) = open.split_once(':')?;
            if row != format!("a{}", alert.id) {
                return None;
            }
            let action = alert.actions.iter().find(|x| x.action == code)?.clone();
            let alert = alert.clone();
            let question = action.danger.then(|| i18n::confirm_action(&action.label));
            let submit = action.label.clone();
            Some(view! {
                <NoteForm id=open.replace(':', "-") question=question required=action.note_required
                    submit=submit danger=action.danger
                    on_submit=Callback::new(move |(note, form): (Option<String>, FormState)| {
                        run(alert.clone(), action.clone(), note, Some(form));
                    })
                    on_cancel=Callback::new(move |_| review.close()) />
            })
        }
    };

    let item = move |a: AdminNotification| {
        let row = format!("a{}", a.id);
        let unread = a.read_at.is_none();
        let (sev, sev_label, sev_icon) = match a.severity.as_str() {
            "critical" => ("critical", i18n::SEVERITY_CRITICAL, icons::ALERT),
            "warning" => ("warning", i18n::SEVERITY_WARNING, icons::ALERT),
            _ => ("info", i18n::SEVERITY_INFO, icons::INFO),
        };
        let at = a.created_at;
        let id = a.id;
        let kind_label = if a.kind_label.is_empty() {
            i18n::kind_label(&a.kind).to_owned()
        } else {
            a.kind_label.clone()
        };
        let read_key = format!("{row}:read");
        let read_busy = Signal::derive(move || review.is_busy(&read_key));
        let title_id = format!("alert-{id}-title");
        let labelled = title_id.clone();
        view! {
            <li class=format!("alert-card sev-{sev}") class:unread=unread data-testid="alert-item"
                data-kind=a.kind.clone() data-id=id.to_string() aria-labelledby=labelled>
                <div class="alert-top">
                    <span class=format!("sev-badge sev-{sev}")><Icon svg=sev_icon /><span>{sev_label}</span></span>
                    <span class="tag" data-testid="alert-kind">{kind_label}</span>
                    {unread.then(|| view! { <span class="tag tag-violet">{i18n::UNREAD_ALERT}</span> })}
                    <time class="alert-time" datetime=at.to_rfc3339() title=fmt.date_time(&at)>{fmt.relative(&at)}</time>
                </div>
                <h3 class="alert-title" id=title_id>{prose(fmt, &a.title)}</h3>
                <p class="alert-body">{prose(fmt, &a.body)}</p>
                {a.subject.as_ref().map(subject_view)}
                <div class="alert-actions">
                    {a.actions.iter().cloned().map(|x| action_button(&a, x)).collect_view()}
                    {unread.then(|| view! {
                        <button type="button" class="btn btn-ghost btn-sm" data-testid="mark-read"
                            disabled=move || review.busy.with(Option::is_some)
                            aria-busy=move || read_busy.get().to_string()
                            on:click=move |_| mark_read(id)>
                            {move || if read_busy.get() {
                                view! { <span class="spinner" aria-hidden="true"></span> }.into_any()
                            } else {
                                view! { <Icon svg=icons::CHECK /> }.into_any()
                            }}
                            <span>{i18n::MARK_READ}</span>
                        </button>
                    })}
                </div>
                {action_form(&a)}
                {review.outcome_line(row)}
            </li>
        }
    };

    let unread_total =
        move || live.and_then(|l| l.summary.with(|s| s.as_ref().map(|s| s.unread_alerts)));
    view! {
        <div class="card">
            <div class="inbox-head">
                <div class="filters">
                    <div class="field inline-field">
                        <label for="alert-kind">{i18n::ALERT_KIND}</label>
                        <div class="control">
                            <select id="alert-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                                <option value="">{i18n::ALL_KINDS}</option>
                                {KINDS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="field inline-field">
                        <label for="alert-read">{i18n::READ_STATE}</label>
                        <div class="control">
                            <select id="alert-read" on:change=move |ev| unread_only.set(event_target_value(&ev) == "unread")>
                                <option value="all">{i18n::ALL_ALERTS}</option>
                                <option value="unread">{i18n::UNREAD_ONLY}</option>
                            </select>
                        </div>
                    </div>
                </div>
                <button type="button" class="btn btn-soft btn-sm" data-testid="read-all"
                    disabled=move || reading_all.get() || unread_total() == Some(0)
                    aria-busy=move || reading_all.get().to_string()
                    on:click=read_all>
                    {move || if reading_all.get() {
                        view! { <span class="spinner" aria-hidden="true"></span> }.into_any()
                    } else {
                        view! { <Icon svg=icons::CHECK /> }.into_any()
                    }}
                    <span>{i18n::MARK_ALL_READ}</span>
                </button>
            </div>
            {move || all_error.get().map(|m| view! { <Notice message=m kind="error" /> })}
            <div aria-live="polite">
                {move || fresh.get().then(|| view! {
                    <div class="alert alert-info fresh-alerts" data-testid="fresh-alerts">
                        <Icon svg=icons::BELL />
                        <span>{i18n::NEW_ALERTS}</span>
                        <button type="button" class="btn btn-primary btn-sm" on:click=move |_| reload()>{i18n::SHOW_NEW_ALERTS}</button>
                    </div>
                })}
            </div>
            {move || match paged.data.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty-line" data-testid="no-alerts">{i18n::NO_ALERTS}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="alert-list" data-testid="alert-list" aria-label=i18n::ADMIN_ALERTS>
                        {items.into_iter().map(item).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            {load_more(paged, more)}
        </div>
    }
}

/// Re-reads the counts at once after an action changed them (when the admin section is open).
pub(super) fn refresh_counts_of(live: Option<SafetyLive>) {
    if let Some(l) = live {
        l.refresh();
    }
}
