//! Admin → a user's page → «التحقيق»: what an investigator needs about one account, from
//! GET /admin/users/{id}/risk — where and from what device it registered, recent sign-ins and
//! whether sign-in is locked, active sessions (each can be ended), accounts linked to it by
//! address or device, its flags (clear with a note, or flag by hand), transfers and redemptions
//! held for review (decided here too), referrals made and received, and competitions entered.

use domain::safety::{HeldTransfer, LinkedAccount, RiskFlag, RiskReferral, UserRisk};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::alerts::{refresh_counts_of, SafetyLive};
use super::flags::{clear_button, clear_panel, flag_state};
use super::held_transfers::{
    decided_line, decision_buttons, decision_panel, held_tag, held_why, parties,
};
use super::review::{prose, user_href, NoteForm, Review};
use crate::api::ApiError;
use crate::components::commerce::redemption_tag;
use crate::components::kit::{error_text, points_text};
use crate::components::{icons, FormState, Icon, Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

#[component]
pub fn UserRiskSection(
    id: i64,
    /// Whether the account is active (suspension is offered only then).
    #[prop(into)]
    active: Signal<bool>,
    /// Opens the page's own suspend confirmation.
    on_suspend: Callback<()>,
) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let live = use_context::<SafetyLive>();
    let data = RwSignal::new(None::<Result<UserRisk, ApiError>>);
    let review = Review::new();
    let load = move || {
        spawn_local(async move {
            let result = api::safety::user_risk(id).await;
            let _ = data.try_set(Some(result));
        })
    };
    load();
    let on_transfer = Callback::new(move |t: HeldTransfer| {
        data.update(|d| {
            if let Some(Ok(r)) = d {
                if let Some(x) = r.held_transfers.iter_mut().find(|x| x.id == t.id) {
                    *x = t;
                }
            }
        })
    });
    let on_flag = Callback::new(move |f: RiskFlag| {
        data.update(|d| {
            if let Some(Ok(r)) = d {
                match r.flags.iter_mut().find(|x| x.id == f.id) {
                    Some(x) => *x = f,
                    None => r.flags.insert(0, f),
                }
            }
        })
    });
    let ctx = Ctx {
        id,
        fmt,
        live,
        review,
        data,
        on_transfer,
        on_flag,
        active,
        on_suspend,
    };
    view! {
        <div class="risk" data-testid="user-risk">
            {move || match data.get() {
                None => view! { <Skeleton lines=6 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(r)) => view! {
                    {account_block(&r, ctx)}
                    {linked_block(&r.linked_accounts, fmt)}
                    {flags_block(&r.flags, ctx)}
                    {held_block(&r.held_transfers, ctx)}
                    {redemptions_block(&r, fmt)}
                    {sign_ins_block(&r, fmt)}
                    {sessions_block(&r, ctx)}
                    {referrals_block(&r, fmt)}
                    {competitions_block(&r, fmt)}
                }
                .into_any(),
            }}
        </div>
    }
}

/// What the blocks share.
#[derive(Clone, Copy)]
struct Ctx {
    id: i64,
    fmt: Fmt,
    live: Option<SafetyLive>,
    review: Review,
    data: RwSignal<Option<Result<UserRisk, ApiError>>>,
    on_transfer: Callback<HeldTransfer>,
    on_flag: Callback<RiskFlag>,
    active: Signal<bool>,
    on_suspend: Callback<()>,
}

/// A titled block with its count; `empty` when there is nothing to list.
fn block(
    title: &'static str,
    testid: &'static str,
    count: Option<usize>,
    fmt: Fmt,
    body: AnyView,
) -> impl IntoView {
    let heading = format!("{testid}-title");
    let labelled = heading.clone();
    view! {
        <section class="risk-block" data-testid=testid aria-labelledby=labelled>
            <h3 id=heading>
                <span>{title}</span>
                {count.map(|n| view! { <span class="tab-count">{fmt.count(n)}</span> })}
            </h3>
            {body}
        </section>
    }
}

fn none_line(text: &'static str) -> AnyView {
    view! { <p class="muted small">{text}</p> }.into_any()
}

fn ltr_or_dash(value: Option<String>) -> AnyView {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => view! { <bdi dir="ltr" class="email">{v}</bdi> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

fn account_block(r: &UserRisk, c: Ctx) -> impl IntoView {
    let fmt = c.fmt;
    let review = c.review;
    let locked = r.login_locked;
    let last = r
        .last_login_at
        .map(|t| fmt.date_time(&t))
        .unwrap_or_else(|| "—".to_owned());
    let device = r.device_id.clone();
    let fact = |label: &'static str, value: AnyView| view! { <div class="stat"><dt>{label}</dt><dd>{value}</dd></div> };
    let button = move |code: &'static str,
                       label: &'static str,
                       svg: &'static str,
                       class: &'static str| {
        let key = format!("u:{code}");
        let open = {
            let key = key.clone();
            move || review.is_open(&key).to_string()
        };
        view! {
            <button type="button" class=class data-testid=format!("risk-{code}") aria-expanded=open
                on:click=move |_| review.toggle(key.clone(), "u")>
                <Icon svg=svg /><span>{label}</span>
            </button>
        }
    };
    let form = move || {
        let open = review.open.get()?;
        let code = open.strip_prefix("u:")?.to_owned();
        let flag = code == "flag";
        Some(view! {
            <NoteForm id=format!("u-{code}") required=flag danger=false
                question=Some(if flag { i18n::FLAG_QUESTION } else { i18n::UNLOCK_QUESTION }.to_owned())
                submit=if flag { i18n::FLAG_ACCOUNT } else { i18n::UNLOCK }
                on_submit=Callback::new(move |(note, form): (Option<String>, FormState)| account_action(c, flag, note, form))
                on_cancel=Callback::new(move |_| review.close()) />
        })
    };
    let body = view! {
        <dl class="stat-list compact risk-facts">
            {fact(i18n::REGISTRATION_IP, ltr_or_dash(r.registration_ip.clone()))}
            {fact(i18n::REGISTRATION_DEVICE, ltr_or_dash(device))}
            {fact(i18n::LAST_LOGIN_IP, ltr_or_dash(r.last_login_ip.clone()))}
            {fact(i18n::LAST_LOGIN, view! { <span>{last}</span> }.into_any())}
            {fact(i18n::SIGN_IN_STATE, if locked {
                view! { <span class="tag tag-red" data-testid="login-locked">{i18n::LOGIN_LOCKED}</span> }.into_any()
            } else {
                view! { <span class="tag tag-green">{i18n::LOGIN_OPEN}</span> }.into_any()
            })}
        </dl>
        <div class="actions">
            {locked.then(|| button("unlock", i18n::UNLOCK, icons::KEY, "btn btn-soft btn-sm"))}
            {button("flag", i18n::FLAG_ACCOUNT, icons::FLAG, "btn btn-outline-danger btn-sm")}
            {move || c.active.get().then(|| view! {
                <button type="button" class="btn btn-outline-danger btn-sm" data-testid="risk-suspend"
                    on:click=move |_| c.on_suspend.run(())>
                    {i18n::SUSPEND}
                </button>
            })}
        </div>
        {form}
        {review.outcome_line("u".to_owned())}
    }
    .into_any();
    block(i18n::RISK_ACCOUNT, "risk-account", None, fmt, body)
}

/// Unlock (optional note) or flag by hand (note required); then the record is read again.
fn account_action(c: Ctx, flag: bool, note: Option<String>, form: FormState) {
    form.start();
    spawn_local(async move {
        let result = if flag {
            api::safety::flag_user(c.id, note).await.map(|f| {
                c.on_flag.run(f);
            })
        } else {
            api::safety::unlock(c.id, note).await
        };
        form.pending.set(false);
        match result {
            Ok(()) => {
                c.review.close();
                let text = if flag {
                    i18n::FLAGGED_DONE
                } else {
                    i18n::UNLOCKED_DONE
                };
                c.review.report("u", true, text.to_owned());
                if !flag {
                    c.data.update(|d| {
                        if let Some(Ok(r)) = d {
                            r.login_locked = false;
                        }
                    });
                }
                refresh_counts_of(c.live);
            }
            Err(err) => form.failed(&err, c.fmt),
        }
    });
}

fn linked_block(list: &[LinkedAccount], fmt: Fmt) -> impl IntoView {
    let body = if list.is_empty() {
        none_line(i18n::NO_LINKED)
    } else {
        view! {
            <ul class="risk-list" data-testid="linked-accounts">
                {list.iter().map(|a| {
                    let suspended = a.status != "active";
                    view! {
                        <li data-testid="linked-account">
                            <div class="comp-cell">
                                <a href=user_href(a.id) class="strong" data-testid="linked-open"><bdi>{a.display_name.clone()}</bdi></a>
                                <bdi class="handle" dir="ltr">{format!("@{}", a.username)}</bdi>
                                <ul class="rule-chips" aria-label=i18n::LINKED_BY>
                                    {a.link_labels.iter().map(|l| view! { <li class="tag tag-violet">{l.clone()}</li> }).collect_view()}
                                </ul>
                            </div>
                            <div class="risk-side">
                                <span class="num">{points_text(fmt, a.points_balance)}</span>
                                {(a.open_flags > 0).then(|| view! {
                                    <span class="tag tag-red"><Icon svg=icons::FLAG /><span>{i18n::open_flags(&fmt.int(a.open_flags))}</span></span>
                                })}
                                {suspended.then(|| view! { <span class="tag tag-red">{i18n::STATUS_SUSPENDED}</span> })}
                                <span class="small muted">{i18n::joined_on(&fmt.date(&a.created_at))}</span>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    block(
        i18n::LINKED_ACCOUNTS,
        "risk-linked",
        Some(list.len()),
        fmt,
        body,
    )
}

fn flags_block(list: &[RiskFlag], c: Ctx) -> impl IntoView {
    let fmt = c.fmt;
    let open = list.iter().filter(|f| f.cleared_at.is_none()).count();
    let body = if list.is_empty() {
        none_line(i18n::NO_FLAGS_HERE)
    } else {
        view! {
            <ul class="risk-list" data-testid="risk-flags">
                {list.iter().map(|f| {
                    let at = f.created_at;
                    view! {
                        <li data-testid="risk-flag" data-open=f.cleared_at.is_none().to_string()>
                            <div class="comp-cell">
                                <span class="strong">{f.rule_label.clone()}</span>
                                <span class="small muted">{prose(fmt, &f.reason)}</span>
                                <span class="small muted">{i18n::flagged_on(&fmt.date_time(&at))}</span>
                            </div>
                            <div class="risk-side">
                                {flag_state(f, fmt)}
                                {clear_button(f, c.review)}
                            </div>
                            <div class="risk-extra">{clear_panel(f.clone(), c.review, fmt, c.live, c.on_flag)}</div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    block(i18n::FLAGS_TITLE, "risk-flags-block", Some(open), fmt, body)
}

fn held_block(list: &[HeldTransfer], c: Ctx) -> impl IntoView {
    let fmt = c.fmt;
    let body = if list.is_empty() {
        none_line(i18n::NO_HELD_HERE)
    } else {
        view! {
            <ul class="risk-list" data-testid="risk-held">
                {list.iter().map(|t| view! {
                    <li data-testid="held-row" data-id=t.id.to_string() data-status=t.status.as_str()>
                        <div class="comp-cell">
                            {parties(t)}
                            {held_why(t, fmt)}
                            {decided_line(t, fmt)}
                        </div>
                        <div class="risk-side">
                            <span class="num">{points_text(fmt, t.amount)}</span>
                            <span class=held_tag(t.status)>{t.status.label_ar()}</span>
                            <span class="small muted">{i18n::held_on(&fmt.date_time(&t.created_at))}</span>
                        </div>
                        <div class="risk-extra">
                            <div class="actions">{decision_buttons(t, c.review)}</div>
                            {decision_panel(t.clone(), c.review, fmt, c.live, c.on_transfer)}
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let waiting = list
        .iter()
        .filter(|t| t.status == domain::safety::HeldTransferStatus::Held)
        .count();
    block(
        i18n::ADMIN_HELD_TRANSFERS,
        "risk-held-block",
        Some(waiting),
        fmt,
        body,
    )
}

fn redemptions_block(r: &UserRisk, fmt: Fmt) -> impl IntoView {
    let list = &r.held_redemptions;
    let body = if list.is_empty() {
        none_line(i18n::NO_HELD_REDEMPTIONS)
    } else {
        view! {
            <ul class="risk-list">
                {list.iter().map(|x| view! {
                    <li data-testid="risk-redemption">
                        <div class="comp-cell">
                            <bdi class="strong" dir="auto">{x.reward_name.clone()}</bdi>
                            {x.risk_reason.clone().map(|why| view! {
                                <span class="risk-badge"><Icon svg=icons::FLAG /><span>{why}</span></span>
                            })}
                            <span class="small muted">{fmt.date_time(&x.created_at)}</span>
                        </div>
                        <div class="risk-side">
                            <span class="num">{points_text(fmt, x.cost)}</span>
                            <span class=redemption_tag(x.status)>{x.status.label_ar()}</span>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
            <a class="back-link small" href="/admin?tab=redemptions&flagged=true">{i18n::OPEN_FLAGGED_QUEUE}</a>
        }
        .into_any()
    };
    block(
        i18n::HELD_REDEMPTIONS,
        "risk-redemptions",
        Some(list.len()),
        fmt,
        body,
    )
}

fn sign_ins_block(r: &UserRisk, fmt: Fmt) -> impl IntoView {
    let body = if r.sign_ins.is_empty() {
        none_line(i18n::NO_SIGN_INS)
    } else {
        view! {
            <ul class="risk-list compact" data-testid="risk-sign-ins">
                {r.sign_ins.iter().map(|s| view! {
                    <li>
                        <bdi dir="ltr" class="email">{s.ip.clone()}</bdi>
                        <div class="risk-side">
                            {if s.success {
                                view! { <span class="tag tag-green">{i18n::SIGN_IN_OK}</span> }.into_any()
                            } else {
                                view! { <span class="tag tag-red">{i18n::SIGN_IN_FAILED}</span> }.into_any()
                            }}
                            <span class="small muted">{fmt.date_time(&s.at)}</span>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    block(
        i18n::RECENT_SIGN_INS,
        "risk-sign-ins-block",
        Some(r.sign_ins.len()),
        fmt,
        body,
    )
}

fn sessions_block(r: &UserRisk, c: Ctx) -> impl IntoView {
    let fmt = c.fmt;
    let review = c.review;
    let body = if r.sessions.is_empty() {
        none_line(i18n::NO_SESSIONS)
    } else {
        view! {
            <ul class="risk-list" data-testid="risk-sessions">
                {r.sessions.iter().map(|s| {
                    let sid = s.id.clone();
                    let key = format!("s{}:end", sid.replace(':', "_"));
                    let busy = {
                        let key = key.clone();
                        Signal::derive(move || review.is_busy(&key))
                    };
                    view! {
                        <li data-testid="risk-session">
                            <div class="comp-cell">
                                <bdi dir="ltr" class="email">{s.ip.clone().unwrap_or_else(|| "—".to_owned())}</bdi>
                                {s.user_agent.clone().map(|ua| view! { <bdi dir="ltr" class="small muted ua">{ua}</bdi> })}
                                <span class="small muted">{i18n::session_times(&fmt.date_time(&s.created_at), &fmt.relative(&s.last_used_at))}</span>
                            </div>
                            <button type="button" class="btn btn-outline-danger btn-sm" data-testid="end-session"
                                disabled=move || review.busy.with(Option::is_some) aria-busy=move || busy.get().to_string()
                                on:click=move |_| end_session(c, sid.clone(), key.clone())>
                                {move || busy.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                                <span>{i18n::END_SESSION}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let body = view! { {body} {review.outcome_line("sessions".to_owned())} }.into_any();
    block(
        i18n::ACTIVE_SESSIONS,
        "risk-sessions-block",
        Some(r.sessions.len()),
        fmt,
        body,
    )
}

fn end_session(c: Ctx, sid: String, key: String) {
    c.review.busy.set(Some(key));
    spawn_local(async move {
        let result = api::safety::end_session(c.id, &sid).await;
        c.review.busy.set(None);
        match result {
            Ok(()) => {
                c.data.update(|d| {
                    if let Some(Ok(r)) = d {
                        r.sessions.retain(|s| s.id != sid);
                    }
                });
                c.review
                    .report("sessions", true, i18n::SESSION_ENDED.to_owned());
            }
            Err(err) => c.review.report("sessions", false, error_text(&err, c.fmt)),
        }
    });
}

fn referral_item(x: &RiskReferral, fmt: Fmt, who: &'static str) -> impl IntoView {
    view! {
        <li data-testid="risk-referral">
            <div class="comp-cell">
                <span class="small muted">{who}</span>
                <a href=user_href(x.other_user_id) class="strong"><bdi dir="ltr">{format!("@{}", x.other_username)}</bdi></a>
                {(!x.reasons.is_empty()).then(|| view! {
                    <ul class="reason-list">{x.reasons.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                })}
            </div>
            <div class="risk-side">
                <span class="tag">{x.status_label.clone()}</span>
                <span class="small muted">{fmt.date(&x.created_at)}</span>
            </div>
        </li>
    }
}

fn referrals_block(r: &UserRisk, fmt: Fmt) -> impl IntoView {
    let count = r.referrals_made.len() + usize::from(r.referred_by.is_some());
    let body = if count == 0 {
        none_line(i18n::NO_RISK_REFERRALS)
    } else {
        view! {
            <ul class="risk-list">
                {r.referred_by.as_ref().map(|x| referral_item(x, fmt, i18n::REFERRED_BY))}
                {r.referrals_made.iter().map(|x| referral_item(x, fmt, i18n::REFERRED_FRIEND)).collect_view()}
            </ul>
        }
        .into_any()
    };
    block(
        i18n::RISK_REFERRALS,
        "risk-referrals",
        Some(count),
        fmt,
        body,
    )
}

fn competitions_block(r: &UserRisk, fmt: Fmt) -> impl IntoView {
    let body = if r.competitions.is_empty() {
        none_line(i18n::NO_RISK_COMPETITIONS)
    } else {
        view! {
            <ul class="risk-list compact">
                {r.competitions.iter().map(|x| view! {
                    <li>
                        <a href=format!("/competitions/{}", x.competition_id)><bdi dir="auto">{x.title.clone()}</bdi></a>
                        <div class="risk-side">
                            {x.score.map(|s| view! { <span class="small">{i18n::score_of(&fmt.int(s))}</span> })}
                            <span class="small muted">{fmt.date(&x.joined_at)}</span>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    block(
        i18n::RISK_COMPETITIONS,
        "risk-competitions",
        Some(r.competitions.len()),
        fmt,
        body,
    )
}
