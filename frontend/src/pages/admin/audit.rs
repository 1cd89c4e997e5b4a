//! Admin → audit log: who did what, newest first.

use domain::admin::AuditEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Paged;
use crate::api::ApiError;
use crate::components::{Notice, Skeleton};
use crate::format::Fmt;
use crate::{api, i18n};

#[component]
pub fn AuditPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let data = RwSignal::new(None::<Result<Paged<AuditEntry>, ApiError>>);
    let loading = RwSignal::new(false);

    let fetch = move |cursor: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            let result = api::admin::audit_log(cursor.as_deref()).await;
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
    fetch(None);

    let more = move |_| {
        let next = data.with_untracked(|d| match d {
            Some(Ok(p)) => p.next.clone(),
            _ => None,
        });
        if next.is_some() {
            fetch(next);
        }
    };

    let entry = move |e: AuditEntry| {
        let action = i18n::audit_action(&e.action);
        let actor = match (&e.actor_username, e.actor_api_key_id) {
            (Some(name), _) => view! { <bdi dir="ltr">{format!("@{name}")}</bdi> }.into_any(),
            (None, Some(_)) => view! { <span>{i18n::AUDIT_API_KEY}</span> }.into_any(),
            (None, None) => view! { <span>{i18n::AUDIT_SYSTEM}</span> }.into_any(),
        };
        // Done through a key: the key's prefix, and the admin who created it when that is not
        // the actor shown already.
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
            match &e.target_id {
                // Session ids are long opaque strings; the type says enough.
                Some(_) if t == "session" => kind.to_owned(),
                // A setting by its Arabic label, not its key (`payment_instructions`).
                Some(id) if t == "setting" => domain::settings::find(id).map_or_else(
                    || i18n::audit_target_id(kind, id),
                    |def| format!("{kind} «{}»", def.label),
                ),
                Some(id) => i18n::audit_target_id(kind, id),
                None => kind.to_owned(),
            }
        });
        let at = e.created_at;
        let code = e.action.clone();
        view! {
            <li class="audit-item" data-testid="audit-entry">
                <span class="audit-dot" aria-hidden="true"></span>
                <div class="audit-body">
                    <p class="audit-title">
                        {match action {
                            Some(a) => view! { <span>{a}</span> }.into_any(),
                            None => view! { <span>{i18n::AUDIT_OTHER} " "<code dir="ltr">{code}</code></span> }.into_any(),
                        }}
                    </p>
                    <p class="audit-meta">
                        <span>{i18n::AUDIT_BY} " " {actor}</span>
                        {via_key}
                        {target.map(|t| view! { <span>{i18n::AUDIT_TARGET} ": " <bdi>{move || fmt.text(&t)}</bdi></span> })}
                        {e.ip.clone().map(|ip| view! { <span>{i18n::SESSION_IP} ": " <bdi dir="ltr">{ip}</bdi></span> })}
                    </p>
                </div>
                <time class="audit-time" datetime=at.to_rfc3339()>{move || fmt.date_time(&at)}</time>
            </li>
        }
    };

    view! {
        <div class="card">
            {move || match data.get() {
                None => view! { <Skeleton lines=5 /> }.into_any(),
                Some(Err(err)) => view! {
                    <Notice message=err.message(|s| fmt.int(i64::from(s))) kind="error" />
                }
                .into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p class="empty-line">{i18n::ADMIN_NO_AUDIT}</p>
                }
                .into_any(),
                Some(Ok(page)) => {
                    let has_more = page.next.is_some();
                    view! {
                        <ol class="audit-list">{page.items.into_iter().map(entry).collect_view()}</ol>
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
