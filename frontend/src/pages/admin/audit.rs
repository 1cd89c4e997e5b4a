//! Admin → audit log: who did what, newest first, filtered by action, actor, target and dates.
//! The filters live in the address (`?tab=audit&action=…&actor=…&target_type=…&target_id=…
//! &from=YYYY-MM-DD&to=YYYY-MM-DD`), so a filtered view can be reloaded and shared, and a
//! record's "its history" link is just such an address. Each entry says in Arabic what changed,
//! before → after (`audit_details`), links to its target, and keeps the raw JSON one click away.

use domain::admin::AuditEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::audit_details::{self, describe, target_href};
use super::Paged;
use crate::api::ApiError;
use crate::components::{Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

/// The filter parameters, in the address and in the API call.
const FILTERS: [&str; 6] = ["action", "actor", "target_type", "target_id", "from", "to"];

/// A `YYYY-MM-DD` date typed in the browser as the instant its local day starts (`next`: the
/// day after), in RFC 3339, so "from 7 December" means the admin's 7 December.
fn local_day(value: &str, next: bool) -> Option<String> {
    let mut parts = value.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let day = f64::from(d) + if next { 1.0 } else { 0.0 };
    let date = js_sys::Date::new_with_year_month_day(y, (m as i32) - 1, day as i32);
    date.get_time()
        .is_finite()
        .then(|| String::from(date.to_iso_string()))
}

#[component]
pub fn AuditPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let data = RwSignal::new(None::<Result<Paged<AuditEntry>, ApiError>>);
    let loading = RwSignal::new(false);
    // The applied filters, as the address has them.
    let applied = Memo::new(move |_| query.with(|q| FILTERS.map(|f| q.get(f).unwrap_or_default())));
    // What the form holds, one signal per field, filled from the address.
    let fields = FILTERS.map(|_| RwSignal::new(String::new()));
    Effect::new(move |_| {
        for (field, value) in fields.iter().zip(applied.get()) {
            field.set(value);
        }
    });

    let fetch = move |cursor: Option<String>| {
        loading.set(true);
        let values = applied.get_untracked();
        spawn_local(async move {
            // Dates are the admin's local days; the API takes instants.
            let params: Vec<(&str, String)> = FILTERS
                .iter()
                .zip(values)
                .map(|(name, v)| match *name {
                    "from" => (*name, local_day(&v, false).unwrap_or(v)),
                    "to" => (*name, local_day(&v, true).unwrap_or(v)),
                    _ => (*name, v),
                })
                .collect();
            let result = api::admin::audit_log(&params, cursor.as_deref()).await;
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
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        applied.track();
        data.set(None);
        fetch(None);
    });

    let more = move |_| {
        let next = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.next.clone(),
            _ => None,
        });
        if next.is_some() {
            fetch(next);
        }
    };
    let go = move |values: [String; 6]| {
        let mut path = "/admin?tab=audit".to_owned();
        for (name, v) in FILTERS.iter().zip(values) {
            let v = v.trim().to_owned();
            if !v.is_empty() {
                path.push_str(&format!("&{name}={}", js_sys::encode_uri_component(&v)));
            }
        }
        navigate.with_value(|nav| nav(&path, Default::default()));
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(fields.map(|f| f.get_untracked()));
    };
    let clear = move |_| go(Default::default());
    let filtered = move || applied.with(|a| a.iter().any(|v| !v.is_empty()));

    let [action, actor, target_type, target_id, from, to] = fields;
    let text_field = move |id: &'static str,
                           label: &'static str,
                           value: RwSignal<String>,
                           kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id class="input" type=kind dir="ltr" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let form = view! {
        <form class="card audit-filters" role="search" aria-label=i18n::AUDIT_FILTERS on:submit=apply data-testid="audit-filters">
            <div class="field">
                <label for="audit-action">{i18n::AUDIT_FILTER_ACTION}</label>
                <select id="audit-action" class="input" prop:value=move || action.get()
                    on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value="">{i18n::AUDIT_ANY}</option>
                    {audit_details::ACTIONS.iter().map(|code| view! {
                        <option value=*code>{i18n::audit_action(code).unwrap_or(code)}</option>
                    }).collect_view()}
                </select>
            </div>
            {text_field("audit-actor", i18n::AUDIT_FILTER_ACTOR, actor, "text")}
            <div class="field">
                <label for="audit-target-type">{i18n::AUDIT_FILTER_TARGET}</label>
                <select id="audit-target-type" class="input" prop:value=move || target_type.get()
                    on:change=move |ev| target_type.set(event_target_value(&ev))>
                    <option value="">{i18n::AUDIT_ANY}</option>
                    {audit_details::TARGETS.iter().map(|t| view! {
                        <option value=*t>{i18n::audit_target(t).unwrap_or(t)}</option>
                    }).collect_view()}
                </select>
            </div>
            {text_field("audit-target-id", i18n::AUDIT_FILTER_TARGET_ID, target_id, "text")}
            {text_field("audit-from", i18n::AUDIT_FILTER_FROM, from, "date")}
            {text_field("audit-to", i18n::AUDIT_FILTER_TO, to, "date")}
            <p class="muted small audit-tz">{i18n::dates_in_zone(&super::zone::browser_zone())}</p>
            <div class="audit-filter-actions">
                <button type="submit" class="btn btn-primary" data-testid="audit-apply">{i18n::AUDIT_APPLY}</button>
                <button type="button" class="btn btn-ghost" on:click=clear disabled=move || !filtered()>{i18n::AUDIT_CLEAR}</button>
            </div>
        </form>
    };

    view! {
        {form}
        <div class="card">
            {move || match data.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(err)) => view! {
                    <Notice message=err.message(|s| fmt.int(i64::from(s))) kind="error" />
                }
                .into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p class="empty-line">
                        {if filtered() { i18n::AUDIT_NONE_MATCH } else { i18n::ADMIN_NO_AUDIT }}
                    </p>
                }
                .into_any(),
                Some(Ok(page)) => {
                    let has_more = page.next.is_some();
                    view! {
                        <ol class="audit-list">{page.items.into_iter().map(|e| entry(e, fmt)).collect_view()}</ol>
                        {has_more.then(|| view! {
                            <div class="more">
                                <button type="button" class="btn btn-soft" disabled=move || loading.get() on:click=more>
                                    {i18n::LOAD_MORE}
                                </button>
                            </div>
                        })}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

fn entry(e: AuditEntry, fmt: Fmt) -> impl IntoView {
    let action = i18n::audit_action(&e.action);
    let actor = match (&e.actor_username, e.actor_api_key_id) {
        (Some(name), _) => view! { <bdi dir="ltr">{format!("@{name}")}</bdi> }.into_any(),
        (None, Some(_)) => view! { <span>{i18n::AUDIT_API_KEY}</span> }.into_any(),
        (None, None) => view! { <span>{i18n::AUDIT_SYSTEM}</span> }.into_any(),
    };
    // Done through a key: the key's prefix, and the admin who created it when that is not the
    // actor shown already.
    let via_key = e.actor_api_key_prefix.clone().map(|prefix| {
        let creator = e
            .actor_key_creator_username
            .clone()
            .filter(|c| Some(c) != e.actor_username.as_ref());
        view! {
            <span data-testid="audit-key">
                {i18n::AUDIT_VIA_KEY} " " <code dir="ltr">{prefix}</code>
                {creator.map(|c| view! { " " {i18n::AUDIT_KEY_CREATED_BY} " " <bdi dir="ltr">{format!("@{c}")}</bdi> })}
            </span>
        }
    });
    let target = e.target_type.as_deref().map(|t| {
        let kind = i18n::audit_target(t).unwrap_or(i18n::AUDIT_OTHER);
        let label = match &e.target_id {
            // Session ids are long opaque strings; the type says enough.
            Some(_) if t == "session" => kind.to_owned(),
            // A setting by its Arabic label, not its key (`payment_instructions`).
            Some(id) if t == "setting" => domain::settings::find(id).map_or_else(
                || i18n::audit_target_id(kind, id),
                |def| format!("{kind} «{}»", def.label),
            ),
            Some(id) => i18n::audit_target_id(kind, id),
            None => kind.to_owned(),
        };
        let href = e.target_id.as_deref().and_then(|id| target_href(t, id, &e.details));
        // The same target's other entries.
        let history = e.target_id.clone().filter(|_| t != "session").map(|id| {
            format!(
                "/admin?tab=audit&target_type={t}&target_id={}",
                js_sys::encode_uri_component(&id)
            )
        });
        view! {
            <span>
                {i18n::AUDIT_TARGET} ": "
                {match href {
                    Some(h) => view! { <a href=h data-testid="audit-target"><bdi>{fmt.text(&label)}</bdi></a> }.into_any(),
                    None => view! { <bdi>{fmt.text(&label)}</bdi> }.into_any(),
                }}
                {history.map(|h| view! { " · " <a href=h class="muted">{i18n::AUDIT_ITS_HISTORY}</a> })}
            </span>
        }
    });
    let described = describe(&e.action, &e.details);
    let changes = (!described.changes.is_empty()).then(|| {
        view! {
            <ul class="audit-changes" data-testid="audit-changes">
                {described.changes.into_iter().map(|c| view! {
                    <li>
                        <span class="strong">{c.what}</span> ": "
                        <bdi class="audit-before">{fmt.text(&c.before)}</bdi>
                        <span class="audit-arrow" aria-hidden="true">" ← "</span><span class="sr-only">{i18n::AUDIT_BECAME}</span>
                        <bdi class="audit-after">{fmt.text(&c.after)}</bdi>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let notes = (!described.notes.is_empty()).then(|| {
        view! {
            <p class="audit-meta">
                {described.notes.into_iter().map(|(label, v)| view! {
                    <span>{label} ": " <bdi dir="auto">{fmt.text(&v)}</bdi></span>
                }).collect_view()}
            </p>
        }
    });
    let raw = e
        .details
        .as_object()
        .is_some_and(|o| !o.is_empty())
        .then(|| serde_json::to_string_pretty(&e.details).unwrap_or_default())
        .map(|json| {
            view! {
                <details class="audit-raw">
                    <summary>{i18n::AUDIT_RAW}</summary>
                    <pre dir="ltr">{json}</pre>
                </details>
            }
        });
    let at = e.created_at;
    let code = e.action.clone();
    view! {
        <li class="audit-item" data-testid="audit-entry" data-action=e.action.clone()>
            <span class="audit-dot" aria-hidden="true"></span>
            <div class="audit-body">
                <p class="audit-title">
                    {match action {
                        Some(a) => view! { <span>{a}</span> }.into_any(),
                        None => view! { <span>{i18n::AUDIT_OTHER} " "<code dir="ltr">{code}</code></span> }.into_any(),
                    }}
                </p>
                {changes}
                <p class="audit-meta">
                    <span>{i18n::AUDIT_BY} " " {actor}</span>
                    {via_key}
                    {target}
                    {e.ip.clone().map(|ip| view! { <span>{i18n::SESSION_IP} ": " <bdi dir="ltr">{ip}</bdi></span> })}
                </p>
                {notes}
                {raw}
            </div>
            <time class="audit-time" datetime=at.to_rfc3339()>{move || fmt.date_time(&at)}</time>
        </li>
    }
}
