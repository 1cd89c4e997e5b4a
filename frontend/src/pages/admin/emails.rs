//! Admin → outbox: every email, its status, attempts and last error, and a retry for the
//! failed (or only logged) ones.

use domain::emails::{EmailStatus, OutboxEmail};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{admin_table, Paged, TableSpec};
use crate::api::ApiError;
use crate::components::kit::error_text;
use crate::components::Notice;
use crate::format::Fmt;
use crate::{api, i18n};

const SPEC: TableSpec = TableSpec {
    label: i18n::EMAILS_TABLE,
    testid: "emails-table",
    class: "table",
    headers: &[
        i18n::EMAIL_COL_TO,
        i18n::EMAIL_COL_SUBJECT,
        i18n::EMAIL_COL_STATUS,
        i18n::EMAIL_COL_ATTEMPTS,
        i18n::EMAIL_COL_ERROR,
        i18n::EMAIL_COL_CREATED,
        i18n::EMAIL_COL_ACTIONS,
    ],
    empty: i18n::EMAILS_EMPTY,
};

#[component]
pub fn EmailsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let status = RwSignal::new(String::new());
    let data = RwSignal::new(None::<Result<Paged<OutboxEmail>, ApiError>>);
    let action_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<i64>);
    let fetch = move |cursor: Option<String>| {
        let filter = status.get_untracked();
        spawn_local(async move {
            let filter = (!filter.is_empty()).then_some(filter);
            let result = api::admin::emails(filter.as_deref(), cursor.as_deref()).await;
            match (result, cursor.is_some()) {
                (Ok(page), true) => data.update(|d| {
                    if let Some(Ok(p)) = d {
                        p.items.extend(page.items);
                        p.next = page.next_cursor;
                    }
                }),
                (Ok(page), false) => data.set(Some(Ok(Paged {
                    items: page.items,
                    next: page.next_cursor,
                }))),
                (Err(e), _) => data.set(Some(Err(e))),
            }
        });
    };
    Effect::new(move |_| {
        status.track();
        data.set(None);
        fetch(None);
    });
    let retry = move |id: i64| {
        busy.set(Some(id));
        action_error.set(None);
        spawn_local(async move {
            match api::admin::retry_email(id).await {
                Ok(fresh) => data.update(|d| {
                    if let Some(Ok(p)) = d {
                        if let Some(row) = p.items.iter_mut().find(|m| m.id == id) {
                            *row = fresh;
                        }
                    }
                }),
                Err(err) => action_error.set(Some(error_text(&err, fmt))),
            }
            busy.set(None);
        });
    };
    let row = move |m: OutboxEmail| {
        let (label, class) = i18n::email_status(m.status);
        let can_retry = matches!(m.status, EmailStatus::Failed | EmailStatus::Logged);
        let id = m.id;
        view! {
            <tr data-testid="email-row">
                <td><bdi dir="ltr">{m.recipient.clone()}</bdi></td>
                <td><bdi>{m.subject.clone()}</bdi></td>
                <td><span class=class data-testid="email-status">{label}</span></td>
                <td>{fmt.int(i64::from(m.attempts))}</td>
                <td class="email-error">{m.last_error.clone().map(|e| view! { <bdi dir="auto">{e}</bdi> })}</td>
                <td>{fmt.date_time(&m.created_at)}</td>
                <td>
                    {can_retry.then(|| view! {
                        <button type="button" class="btn btn-soft btn-sm" data-testid="email-retry"
                            prop:disabled=move || busy.get() == Some(id)
                            aria-busy=move || (busy.get() == Some(id)).to_string()
                            on:click=move |_| retry(id)>
                            {move || if busy.get() == Some(id) { i18n::EMAIL_RETRYING } else { i18n::EMAIL_RETRY }}
                        </button>
                    })}
                </td>
            </tr>
        }
        .into_any()
    };
    let more = move |_| {
        let next = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.next.clone(),
            _ => None,
        });
        if next.is_some() {
            fetch(next);
        }
    };
    view! {
        <div class="stack" data-testid="emails-panel">
            <p class="muted">{i18n::EMAILS_NO_SMTP}</p>
            <label class="field inline">
                <span>{i18n::EMAILS_FILTER}</span>
                <select data-testid="emails-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{i18n::EMAILS_ALL}</option>
                    {EmailStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str()>{i18n::email_status(s).0}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || action_error.get().map(|e| view! { <Notice message=e kind="error" /> })}
            {move || admin_table(data.get().map(|r| r.map(|p| p.items)), fmt, &SPEC, row)}
            {move || data.with(|d| matches!(d, Some(Ok(p)) if p.next.is_some())).then(|| view! {
                <button type="button" class="btn btn-ghost" on:click=more>{i18n::LOAD_MORE}</button>
            })}
        </div>
    }
}
