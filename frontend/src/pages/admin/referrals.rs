//! Admin → referrals (/admin/referrals): the Friend Challenge review queue. Flagged referrals come
//! first (they wait for a person); each row says why it was flagged, and approving (which credits
//! both bonuses once) or rejecting asks for confirmation with an optional note for the audit log.

use domain::referrals::{AdminReferral, ReferralStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{admin_table, TableSpec};
use crate::components::commerce::{upsert, ActionDialog};
use crate::components::kit::{load_more, tab_id, Paged, Tabs};
use crate::components::{icons, FormState, Icon, Notice};
use crate::format::Fmt;
use crate::pages::friends::status_class;
use crate::{api, i18n};

const TABS: &[(&str, &str)] = &[
    ("flagged", i18n::RF_FLAGGED),
    ("pending", i18n::RF_PENDING),
    ("qualified", i18n::RF_QUALIFIED),
    ("rewarded", i18n::RF_REWARDED),
    ("rejected", i18n::RF_REJECTED),
    ("all", i18n::FILTER_ALL),
];

const REFERRALS_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_REFERRALS,
    testid: "referrals-table",
    class: "table referral-table",
    headers: &[
        i18n::COL_REFERRAL,
        i18n::ADMIN_COL_STATUS,
        i18n::COL_IP,
        i18n::COL_DATES,
        i18n::COL_BONUS,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_REFERRALS,
};

#[component]
pub fn ReferralsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<AdminReferral>::new();
    // (referral, approve?) waiting for its confirmation.
    let dialog = RwSignal::new(None::<(AdminReferral, bool)>);
    let done = RwSignal::new(None::<&'static str>);
    // The bonuses approval would pay now: the settings, as the admin's own summary reports them.
    let bonuses = RwSignal::new(None::<(i64, i64)>);
    spawn_local(async move {
        if let Ok(s) = api::referrals::summary().await {
            bonuses.set(Some((s.referrer_bonus, s.referee_bonus)));
        }
    });
    let fetch = move |cursor: Option<String>| {
        let status = ReferralStatus::parse(TABS[tab.get_untracked()].0);
        async move {
            api::referrals::admin_list(status, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        tab.track();
        done.set(None);
        paged.reload(fetch(None));
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };

    let row = move |r: AdminReferral| {
        let open = matches!(
            r.status,
            ReferralStatus::Flagged | ReferralStatus::Pending | ReferralStatus::Qualified
        );
        let (created, qualified, decided) = (r.created_at, r.qualified_at, r.decided_at);
        let paid = r.referrer_bonus + r.referee_bonus;
        let for_approve = r.clone();
        let for_reject = r.clone();
        view! {
            <tr data-testid="referral-row" data-status=r.status.as_str()>
                <td>
                    <div class="comp-cell">
                        <span class="small muted">{i18n::COL_REFERRER}</span>
                        <bdi class="strong" dir="ltr">{format!("@{}", r.referrer_username)}</bdi>
                        <span class="small muted">{i18n::COL_FRIEND}</span>
                        <bdi class="strong" dir="ltr">{format!("@{}", r.referee_username)}</bdi>
                    </div>
                </td>
                <td data-label=i18n::ADMIN_COL_STATUS>
                    <div class="comp-cell">
                        <span class=status_class(r.status)>{i18n::referral_status_admin(r.status)}</span>
                        {(!r.reason_labels.is_empty()).then(|| view! {
                            <ul class="reason-list" data-testid="referral-reasons" aria-label=i18n::COL_REASONS>
                                {r.reason_labels.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                    </div>
                </td>
                <td data-label=i18n::COL_IP>
                    {match r.ip.clone() {
                        Some(ip) => view! { <bdi dir="ltr" class="email">{ip}</bdi> }.into_any(),
                        None => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </td>
                <td class="small" data-label=i18n::COL_DATES>
                    <div class="comp-cell">
                        <span>{i18n::invited_on(&fmt.date_time(&created))}</span>
                        {qualified.map(|at| view! { <span class="muted">{i18n::qualified_on(&fmt.date_time(&at))}</span> })}
                        {decided.map(|at| view! { <span class="muted">{i18n::decided_on(&fmt.date_time(&at))}</span> })}
                    </div>
                </td>
                <td class="num" data-label=i18n::COL_BONUS>
                    {if paid > 0 { fmt.int(paid) } else { "—".to_owned() }}
                </td>
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    {open.then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="approve-referral"
                            on:click=move |_| dialog.set(Some((for_approve.clone(), true)))>
                            <Icon svg=icons::CHECK /><span>{i18n::APPROVE_REFERRAL}</span>
                        </button>
                        <button type="button" class="btn btn-outline-danger btn-sm" data-testid="reject-referral"
                            on:click=move |_| dialog.set(Some((for_reject.clone(), false)))>
                            <Icon svg=icons::CLOSE /><span>{i18n::REJECT_REFERRAL}</span>
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    view! {
        <div class="card">
            <p class="muted">{i18n::REFERRALS_TEXT}</p>
            <Tabs items=TABS selected=tab label=i18n::REFERRAL_FILTER prefix="rstatus" />
            {move || done.get().map(|m| view! { <Notice message=m kind="success" /> })}
            <div role="tabpanel" id="rstatus-panel" aria-labelledby=tab_id(TABS, "rstatus", tab)>
                {move || admin_table(paged.data.get(), fmt, &REFERRALS_TABLE, move |item| row(item).into_any())}
                {load_more(paged, more)}
            </div>
        </div>
        {move || dialog.get().map(|(r, approve)| {
            let form = FormState::new();
            let id = r.id;
            let close = Callback::new(move |_| dialog.set(None));
            let (title, text) = if approve {
                let (a, b) = bonuses.get_untracked().unwrap_or_default();
                (
                    i18n::approve_referral_title(&r.referee_username),
                    i18n::approve_referral_text(&fmt.int(a), &r.referrer_username, &fmt.int(b), &r.referee_username),
                )
            } else {
                (i18n::reject_referral_title(&r.referee_username), i18n::REJECT_REFERRAL_TEXT.to_owned())
            };
            let submit = Callback::new(move |note: String| {
                form.start();
                spawn_local(async move {
                    let result = api::referrals::decide(id, approve, &note).await;
                    form.pending.set(false);
                    match result {
                        Ok(fresh) => {
                            upsert(paged, fresh, |x| x.id, false);
                            done.set(Some(if approve { i18n::REFERRAL_APPROVED } else { i18n::REFERRAL_REJECTED }));
                            dialog.set(None);
                        }
                        Err(err) => form.failed(&err, fmt),
                    }
                });
            });
            view! {
                <ActionDialog
                    title=title
                    text=text
                    field=("note", i18n::NOTE_OPTIONAL, true)
                    submit=if approve { i18n::APPROVE_REFERRAL } else { i18n::REJECT_REFERRAL }
                    class=if approve { "btn btn-primary" } else { "btn btn-danger" }
                    form=form
                    on_submit=submit
                    on_close=close
                />
            }
        })}
    }
}
