//! Admin → API keys: the keys (status filter, keyset pages), creating one (scope picker checked
//! with the `domain` rules, the full key shown once), revoking and rotating, a key's usage
//! (`?tab=api-keys&key=ID`: calls and errors over time, the latest calls) and the refused key
//! attempts (filter by address and reason).

use std::collections::BTreeSet;

use domain::api_keys::{
    ApiKey, ApiKeyStatus, ApiKeyUsage, ApiScope, CreateApiKeyRequest, CreatedApiKey,
    FailedAuthEntry, FailedAuthReason, UsageBucket, RATE_LIMIT_MAX, RATE_LIMIT_MIN,
};
use domain::users::Role;
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::{admin_table, TableSpec};
use crate::api::ApiError;
use crate::components::chart::{bars_svg, nice_ceiling};
use crate::components::commerce::{find_user, upsert, ActionDialog};
use crate::components::kit::{
    self, error_text, from_local_input, load_more, tab_id, Modal, Paged, Tabs,
};
use crate::components::{
    icons, CopyButton, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::pages::rewards::status_filter;
use crate::{api, i18n};

const VIEWS: &[(&str, &str)] = &[
    ("keys", i18n::API_KEYS_LIST),
    ("failed", i18n::FAILED_ATTEMPTS),
];
const STATES: &[(&str, &str)] = &[
    ("all", i18n::FILTER_ALL),
    ("active", i18n::KEYS_ACTIVE),
    ("revoked", i18n::KEYS_REVOKED),
    ("expired", i18n::KEYS_EXPIRED),
];
/// (days, label) for the usage view.
const PERIODS: &[(&str, &str)] = &[
    ("1", i18n::LAST_DAY),
    ("7", i18n::LAST_WEEK),
    ("30", i18n::LAST_MONTH),
];

fn status_tag(s: ApiKeyStatus) -> &'static str {
    match s {
        ApiKeyStatus::Active => "tag tag-green",
        ApiKeyStatus::Revoked => "tag tag-red",
        ApiKeyStatus::Expired => "tag",
    }
}

/// `competitions:read` → ("competitions", read?).
fn split_scope(s: ApiScope) -> (&'static str, bool) {
    match s.as_str().split_once(':') {
        Some((resource, access)) => (resource, access == "write"),
        None => (s.as_str(), false),
    }
}

/// A key's scopes as chips ("المسابقات · قراءة"); the full label is the chip's tooltip.
fn scope_chips(scopes: &[ApiScope]) -> impl IntoView {
    let chips: Vec<(String, &'static str)> = scopes
        .iter()
        .map(|s| {
            let (resource, write) = split_scope(*s);
            let access = if write {
                i18n::SCOPE_WRITE
            } else {
                i18n::SCOPE_READ
            };
            (
                format!("{} · {access}", i18n::scope_resource(resource)),
                s.label_ar(),
            )
        })
        .collect();
    view! {
        <ul class="scope-chips">
            {chips.into_iter().map(|(text, full)| view! { <li class="scope-chip" title=full>{text}</li> }).collect_view()}
        </ul>
    }
}

fn key_link(id: i64) -> String {
    format!("/admin?tab=api-keys&key={id}")
}

const KEYS_TABLE: TableSpec = TableSpec {
    label: i18n::ADMIN_API_KEYS,
    testid: "keys-table",
    class: "table keys-table",
    headers: &[
        i18n::COL_KEY,
        i18n::COL_OWNER,
        i18n::COL_SCOPES,
        i18n::COL_RATE,
        i18n::COL_EXPIRES,
        i18n::COL_LAST_USED,
        i18n::ADMIN_COL_ACTIONS,
    ],
    empty: i18n::NO_API_KEYS,
};

const FAILED_TABLE: TableSpec = TableSpec {
    label: i18n::FAILED_ATTEMPTS,
    testid: "failed-table",
    class: "table",
    headers: &[
        i18n::COL_TIME,
        i18n::COL_IP,
        i18n::COL_PREFIX,
        i18n::FILTER_REASON,
        i18n::COL_REQUEST,
    ],
    empty: i18n::NO_FAILED,
};

#[component]
pub fn ApiKeysPanel() -> impl IntoView {
    let query = use_query_map();
    // `?key=ID` opens that key's usage; the list is one "back" away.
    let key = Memo::new(move |_| {
        query
            .with(|q| q.get("key"))
            .and_then(|k| k.parse::<i64>().ok())
    });
    let view_tab = RwSignal::new(0usize);
    move || {
        match key.get() {
        Some(id) => view! { <KeyDetail id=id /> }.into_any(),
        None => view! {
            <div class="keys-area">
                <Tabs items=VIEWS selected=view_tab label=i18n::API_KEY_VIEWS prefix="kview" />
                <div role="tabpanel" id="kview-panel" aria-labelledby=tab_id(VIEWS, "kview", view_tab)>
                    {move || if view_tab.get() == 0 {
                        view! { <KeyList /> }.into_any()
                    } else {
                        view! { <FailedList /> }.into_any()
                    }}
                </div>
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn KeyList() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let tab = RwSignal::new(0usize);
    let paged = Paged::<ApiKey>::new();
    let fetch = move |cursor: Option<String>| {
        let status = status_filter(STATES, tab.get_untracked());
        async move {
            api::api_keys::list(status, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    let reload = move || paged.reload(fetch(None));
    Effect::new(move |_| {
        tab.track();
        reload();
    });
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let creating = RwSignal::new(false);
    // A key just created or rotated (`true`), shown once.
    let revealed = RwSignal::new(None::<(CreatedApiKey, bool)>);
    // The key a confirmation is open for: rotate (`true`) or revoke.
    let action = RwSignal::new(None::<(ApiKey, bool)>);

    let row = move |k: ApiKey| {
        let active = k.status == ApiKeyStatus::Active;
        let (for_rotate, for_revoke) = (k.clone(), k.clone());
        view! {
            <tr data-testid="key-row" data-status=k.status.as_str()>
                <td>
                    <div class="comp-cell">
                        <span class="key-name">
                            <a class="name-link strong" href=key_link(k.id) title=i18n::open_key(&k.name) data-testid="key-open">
                                <bdi>{k.name.clone()}</bdi>
                            </a>
                            <span class=status_tag(k.status)>{k.status_label.clone()}</span>
                        </span>
                        <code class="key-prefix" dir="ltr">{k.prefix.clone()}</code>
                    </div>
                </td>
                <td data-label=i18n::COL_OWNER>
                    <div class="comp-cell">
                        <bdi>{k.owner_display_name.clone()}</bdi>
                        <bdi class="handle" dir="ltr">{format!("@{}", k.owner_username)}</bdi>
                    </div>
                </td>
                <td data-label=i18n::COL_SCOPES>{scope_chips(&k.scopes)}</td>
                <td class="nowrap" data-label=i18n::COL_RATE>
                    {i18n::per_minute(&fmt.int(i64::from(k.rate_limit_per_minute)))}
                </td>
                <td class="nowrap" data-label=i18n::COL_EXPIRES>
                    {k.expires_at.map_or_else(|| i18n::NEVER_EXPIRES.to_owned(), |t| fmt.date(&t))}
                </td>
                <td class="nowrap" data-label=i18n::COL_LAST_USED>
                    {k.last_used_at.map_or_else(|| i18n::NEVER_USED.to_owned(), |t| fmt.relative(&t))}
                </td>
                // Wide screens show the actions as icons (the words stay for screen readers and
                // as tooltips); phones show the words.
                <td class="row-actions" data-label=i18n::ADMIN_COL_ACTIONS>
                    <a class="btn btn-soft btn-sm" href=key_link(k.id) title=i18n::KEY_USAGE data-testid="key-usage">
                        <Icon svg=icons::CHART /><span class="btn-label">{i18n::KEY_USAGE}</span>
                    </a>
                    {active.then(|| view! {
                        <button type="button" class="btn btn-ghost btn-sm" title=i18n::ROTATE_KEY data-testid="key-rotate"
                            on:click=move |_| action.set(Some((for_rotate.clone(), true)))>
                            <Icon svg=icons::ROTATE /><span class="btn-label">{i18n::ROTATE}</span>
                        </button>
                        <button type="button" class="btn btn-outline-danger btn-sm" title=i18n::REVOKE_KEY data-testid="key-revoke"
                            on:click=move |_| action.set(Some((for_revoke.clone(), false)))>
                            <Icon svg=icons::CLOSE /><span class="btn-label">{i18n::REVOKE}</span>
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    view! {
        <div class="card">
            <p class="muted small intro">{i18n::API_KEYS_INTRO}</p>
            <div class="panel-head">
                <Tabs items=STATES selected=tab label=i18n::KEY_STATES prefix="kstate" />
                <button type="button" class="btn btn-primary" data-testid="new-key" on:click=move |_| creating.set(true)>
                    <Icon svg=icons::PLUS /><span>{i18n::NEW_API_KEY}</span>
                </button>
            </div>
            <div role="tabpanel" id="kstate-panel" aria-labelledby=tab_id(STATES, "kstate", tab)>
                {move || admin_table(paged.data.get(), fmt, &KEYS_TABLE, move |item| row(item).into_any())}
                {load_more(paged, more)}
            </div>
        </div>
        {move || creating.get().then(|| view! {
            <KeyForm
                on_close=Callback::new(move |_| creating.set(false))
                on_created=Callback::new(move |created: CreatedApiKey| {
                    creating.set(false);
                    if tab.get_untracked() <= 1 {
                        upsert(paged, created.api_key.clone(), |x| x.id, true);
                    }
                    revealed.set(Some((created, false)));
                })
            />
        })}
        {move || revealed.get().map(|(created, rotated)| view! {
            <KeyReveal created=created rotated=rotated on_close=Callback::new(move |_| revealed.set(None)) />
        })}
        {move || action.get().map(|(k, rotate)| {
            let form = FormState::new();
            let id = k.id;
            let (title, text, submit, class) = if rotate {
                (i18n::rotate_key_title(&k.name), i18n::ROTATE_KEY_TEXT, i18n::ROTATE_KEY, "btn btn-primary")
            } else {
                (i18n::revoke_key_title(&k.name), i18n::REVOKE_KEY_TEXT, i18n::REVOKE_KEY, "btn btn-danger")
            };
            view! {
                <ActionDialog title=title text=text submit=submit class=class form=form dismiss=i18n::GO_BACK
                    on_close=Callback::new(move |_| action.set(None))
                    on_submit=Callback::new(move |_| {
                        form.start();
                        spawn_local(async move {
                            let result = if rotate {
                                api::api_keys::rotate(id).await.map(Some)
                            } else {
                                api::api_keys::revoke(id).await.map(|k| {
                                    upsert(paged, k, |x| x.id, false);
                                    None
                                })
                            };
                            match result {
                                Ok(created) => {
                                    action.set(None);
                                    if let Some(created) = created {
                                        // The old key is now revoked and the new one on top.
                                        reload();
                                        revealed.set(Some((created, true)));
                                    }
                                }
                                Err(err) => form.failed(&err, fmt),
                            }
                            form.pending.set(false);
                        });
                    })
                />
            }
        })}
    }
}

/// The scope picker: one group per resource, a checkbox for reading and one for writing, each
/// with the scope's Arabic label; scopes only admin routes use are marked.
fn scope_picker(
    selected: RwSignal<BTreeSet<ApiScope>>,
    form: FormState,
    fmt: Fmt,
) -> impl IntoView {
    let errors = form.errors;
    let error = Memo::new(move |_| errors.with(|e| e.get("scopes").cloned()));
    let mut groups: Vec<(&'static str, Vec<ApiScope>)> = Vec::new();
    for s in ApiScope::ALL {
        let resource = split_scope(s).0;
        match groups.last_mut() {
            Some((r, list)) if *r == resource => list.push(s),
            _ => groups.push((resource, vec![s])),
        }
    }
    let option = move |s: ApiScope| {
        let write = split_scope(s).1;
        view! {
            <label class="scope-opt">
                <input
                    type="checkbox"
                    name="scopes"
                    value=s.as_str()
                    prop:checked=move || selected.with(|x| x.contains(&s))
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=move || error.with(Option::is_some).then_some("f-scopes-err")
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|x| {
                            if on {
                                x.insert(s);
                            } else {
                                x.remove(&s);
                            }
                        });
                        errors.maybe_update(|e| e.remove("scopes").is_some());
                    }
                />
                <span class="scope-text">
                    <span class="strong">
                        {if write { i18n::SCOPE_WRITE } else { i18n::SCOPE_READ }}
                        {s.admin_only().then(|| view! { <span class="tag tag-gold">{i18n::ADMIN_ONLY}</span> })}
                    </span>
                    <span class="muted small">{s.label_ar()}</span>
                </span>
            </label>
        }
    };
    view! {
        <fieldset class="scope-picker" aria-describedby="f-scopes-hint">
            <legend>{i18n::KEY_SCOPES}</legend>
            <p class="hint" id="f-scopes-hint">{i18n::KEY_SCOPES_HINT}</p>
            {move || error.get().map(|m| view! {
                <p class="field-error" id="f-scopes-err"><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
            })}
            <div class="scope-groups">
                {groups.into_iter().map(|(resource, list)| view! {
                    <fieldset class="scope-group">
                        <legend>{i18n::scope_resource(resource)}</legend>
                        {list.into_iter().map(option).collect_view()}
                    </fieldset>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// Creates a key: checked with `CreateApiKeyRequest::validate` first (and, for another owner,
/// that the owner exists and may hold the chosen scopes), then the server's field errors.
#[component]
fn KeyForm(on_close: Callback<()>, on_created: Callback<CreatedApiKey>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let rate = RwSignal::new("60".to_owned());
    let expires = RwSignal::new(String::new());
    let scopes = RwSignal::new(BTreeSet::<ApiScope>::new());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let rate_limit_per_minute = kit::parse_int(&rate.get_untracked()).unwrap_or_else(|| {
            errors.insert(
                "rate_limit_per_minute".into(),
                i18n::ERR_WHOLE_NUMBER.into(),
            );
            0
        });
        let until = expires.get_untracked();
        let expires_at = from_local_input(&until);
        if expires_at.is_none() && !until.trim().is_empty() {
            errors.insert("expires_at".into(), i18n::ERR_DATETIME.into());
        }
        let mut req = CreateApiKeyRequest {
            name: name.get_untracked(),
            owner_id: None,
            scopes: scopes.with_untracked(|s| s.iter().map(|s| s.as_str().to_owned()).collect()),
            rate_limit_per_minute,
            expires_at,
        };
        if let Err(rules) = req.validate(kit::now_utc()) {
            for (k, v) in rules {
                errors.entry(k).or_insert(v);
            }
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        let owner_name = owner
            .get_untracked()
            .trim()
            .trim_start_matches('@')
            .to_owned();
        let admin_scopes = scopes.with_untracked(|s| s.iter().any(|s| s.admin_only()));
        form.start();
        spawn_local(async move {
            let refuse = |field: &str, message: &str| {
                form.pending.set(false);
                form.invalid([(field.to_owned(), message.to_owned())].into());
            };
            if !owner_name.is_empty() {
                match find_user(&owner_name).await {
                    Ok(Some(u)) if u.role != Role::Admin && admin_scopes => {
                        return refuse("scopes", i18n::OWNER_NOT_ADMIN);
                    }
                    Ok(Some(u)) => req.owner_id = Some(u.id),
                    Ok(None) => return refuse("owner_id", i18n::OWNER_NOT_FOUND),
                    Err(err) => {
                        form.failed(&err, fmt);
                        form.pending.set(false);
                        return;
                    }
                }
            }
            match api::api_keys::create(&req).await {
                Ok(created) => on_created.run(created),
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    // The "fix the fields" banner goes once every field it pointed at is fixed.
    Effect::new(move |_| {
        if form.errors.with(|e| e.is_empty())
            && form
                .banner
                .with_untracked(|b| b.as_deref() == Some(i18n::ERR_FIX_FIELDS))
        {
            form.banner.set(None);
        }
    });
    let hint = move |t: &'static str| Signal::derive(move || t.to_owned());
    let rate_hint = Signal::derive(move || {
        i18n::key_rate_hint(&fmt.int(RATE_LIMIT_MIN), &fmt.int(RATE_LIMIT_MAX))
    });
    view! {
        <Modal title=i18n::NEW_API_KEY on_close=on_close wide=true>
            <form class="form" novalidate=true on:submit=on_submit data-testid="key-form">
                <div class="form-grid">
                    <Field name="name" label=i18n::KEY_NAME value=name form=form hint=hint(i18n::KEY_NAME_HINT) />
                    <Field name="owner_id" label=i18n::KEY_OWNER value=owner form=form dir="ltr" hint=hint(i18n::KEY_OWNER_HINT) />
                    <div class="span-2">{scope_picker(scopes, form, fmt)}</div>
                    <Field name="rate_limit_per_minute" label=i18n::KEY_RATE value=rate form=form dir="ltr" inputmode="numeric" hint=rate_hint />
                    <Field name="expires_at" label=i18n::KEY_EXPIRES value=expires form=form kind="datetime-local" dir="ltr" hint=hint(i18n::KEY_EXPIRES_HINT) />
                </div>
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=i18n::CREATE_API_KEY pending_label=i18n::CREATING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}

/// The full key, shown once: copy button, a warning, and a confirmation before it is gone.
#[component]
fn KeyReveal(created: CreatedApiKey, rotated: bool, on_close: Callback<()>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    // Escape, the backdrop, × and "done" all ask first.
    let ask = Callback::new(move |_| {
        confirming.set(true);
        request_animation_frame(|| {
            if let Some(el) = document().get_element_by_id("key-close-yes") {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        });
    });
    let CreatedApiKey { key, api_key } = created;
    let secret = key.clone();
    view! {
        <Modal title=if rotated { i18n::KEY_ROTATED } else { i18n::KEY_CREATED } on_close=ask>
            <div class="form" data-testid="key-reveal">
                <p class="key-ident">
                    <bdi class="strong">{api_key.name}</bdi>
                    <code class="key-prefix" dir="ltr">{api_key.prefix}</code>
                </p>
                <div class="alert alert-warning" role="alert">
                    <Icon svg=icons::ALERT />
                    <span>{i18n::KEY_SHOWN_ONCE}</span>
                </div>
                <div class="field">
                    <label for="full-key">{i18n::KEY_FULL}</label>
                    <div class="control">
                        <textarea id="full-key" class="secret-key" readonly=true rows="2" dir="ltr" spellcheck="false"
                            aria-describedby="full-key-hint" data-testid="full-key" prop:value=key></textarea>
                    </div>
                    <p class="hint" id="full-key-hint">{i18n::KEY_HEADER_HINT} " " <code dir="ltr">"X-API-Key"</code></p>
                </div>
                <div class="actions">
                    <CopyButton text=secret label=i18n::COPY_KEY done=i18n::COPIED_KEY />
                    <Show when=move || !confirming.get()>
                        <button type="button" class="btn btn-primary" data-testid="key-done" on:click=move |_| ask.run(())>
                            {i18n::KEY_SAVED}
                        </button>
                    </Show>
                </div>
                <Show when=move || confirming.get()>
                    <div class="confirm-box" data-testid="key-close-confirm">
                        <p class="strong" role="alert">{i18n::KEY_CLOSE_CONFIRM}</p>
                        <div class="actions">
                            <button type="button" id="key-close-yes" class="btn btn-danger" on:click=move |_| on_close.run(())>
                                {i18n::KEY_CLOSE_YES}
                            </button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| confirming.set(false)>
                                {i18n::KEY_CLOSE_BACK}
                            </button>
                        </div>
                    </div>
                </Show>
            </div>
        </Modal>
    }
}

/// One key: its settings, its calls and errors over 1, 7 or 30 days, and the latest calls.
#[component]
fn KeyDetail(id: i64) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let key = RwSignal::new(None::<Result<ApiKey, ApiError>>);
    let usage = RwSignal::new(None::<Result<ApiKeyUsage, ApiError>>);
    let period = RwSignal::new(1usize);
    let loading = RwSignal::new(false);
    let load = move || {
        let days = PERIODS[period.get_untracked()].0;
        loading.set(true);
        spawn_local(async move {
            let (k, u) = futures::future::join(
                api::api_keys::one(id),
                api::api_keys::usage(id, days.parse().unwrap_or(7)),
            )
            .await;
            // An answer for a period no longer chosen is dropped.
            if period.try_get_untracked().map(|p| PERIODS[p].0) != Some(days) {
                return;
            }
            key.set(Some(k));
            usage.set(Some(u));
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        period.track();
        load();
    });
    let fact = move |label: &'static str, value: String| {
        view! { <div class="stat"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    view! {
        <div class="key-detail" data-testid="key-detail">
            <a class="back-link" href="/admin?tab=api-keys"><Icon svg=icons::ARROW_BACK /><span>{i18n::ALL_KEYS}</span></a>
            {move || match key.get() {
                None => view! { <Skeleton lines=4 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(k)) => view! {
                    <section class="card key-head" aria-labelledby="key-title">
                        <div class="editor-head">
                            <h2 id="key-title"><bdi>{k.name.clone()}</bdi></h2>
                            <span class=status_tag(k.status) data-testid="key-status">{k.status_label.clone()}</span>
                            <code class="key-prefix" dir="ltr">{k.prefix.clone()}</code>
                        </div>
                        {scope_chips(&k.scopes)}
                        <dl class="stat-list compact">
                            <div class="stat">
                                <dt>{i18n::COL_OWNER}</dt>
                                <dd><bdi>{k.owner_display_name.clone()}</bdi> " " <bdi class="handle" dir="ltr">{format!("@{}", k.owner_username)}</bdi></dd>
                            </div>
                            {fact(i18n::COL_RATE, i18n::per_minute(&fmt.int(i64::from(k.rate_limit_per_minute))))}
                            {fact(i18n::COL_EXPIRES, k.expires_at.map_or_else(|| i18n::NEVER_EXPIRES.to_owned(), |t| fmt.date_time(&t)))}
                            {fact(i18n::COL_LAST_USED, k.last_used_at.map_or_else(|| i18n::NEVER_USED.to_owned(), |t| fmt.date_time(&t)))}
                            {fact(i18n::CREATED_AT, fmt.date_time(&k.created_at))}
                            {k.created_by_username.clone().map(|u| view! {
                                <div class="stat"><dt>{i18n::CREATED_BY}</dt><dd><bdi dir="ltr">{format!("@{u}")}</bdi></dd></div>
                            })}
                            {k.rotated_from_id.map(|r| fact(i18n::ROTATED_FROM, fmt.int(r)))}
                        </dl>
                    </section>
                }
                .into_any(),
            }}
            <section class="card" aria-labelledby="usage-title">
                <div class="panel-head">
                    <h2 id="usage-title" class="section-title">{i18n::USAGE_CHART}</h2>
                    <div class="usage-controls">
                        <Tabs items=PERIODS selected=period label=i18n::USAGE_PERIOD prefix="udays" />
                        <button type="button" class="btn btn-soft btn-sm" data-testid="usage-refresh"
                            disabled=move || loading.get() aria-busy=move || loading.get().to_string() on:click=move |_| load()>
                            <Icon svg=icons::ROTATE /><span>{i18n::REFRESH}</span>
                        </button>
                    </div>
                </div>
                <div role="tabpanel" id="udays-panel" aria-labelledby=tab_id(PERIODS, "udays", period)>
                    {move || match usage.get() {
                        None => view! { <Skeleton lines=5 /> }.into_any(),
                        Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                        Some(Ok(u)) => usage_view(u, fmt).into_any(),
                    }}
                </div>
            </section>
        </div>
    }
}

/// Totals, the chart (calls as bars, errors over them) and the latest calls. Called from a
/// reactive closure, so the numbers follow the digits setting.
fn usage_view(u: ApiKeyUsage, fmt: Fmt) -> impl IntoView {
    let calls: Vec<i64> = u.series.iter().map(|p| p.calls).collect();
    let errors: Vec<i64> = u.series.iter().map(|p| p.errors).collect();
    // An even top, so the middle line is a whole number (5 → 6).
    let top = nice_ceiling(calls.iter().copied().max().unwrap_or(0).max(1));
    let top = top + top % 2;
    let svg = bars_svg(&calls, &errors, top);
    let first = u.series.first().map(|p| match u.bucket {
        UsageBucket::Hour => fmt.stamp(&p.start, false),
        UsageBucket::Day => fmt.day_month(&p.start.date_naive()),
    });
    let percent = (u.total_errors * 100 + u.total_calls / 2) / u.total_calls.max(1);
    let summary = i18n::usage_summary(&fmt.int(u.total_calls), &fmt.int(u.total_errors));
    let call_row = move |c: domain::api_keys::UsageCall| {
        let failed = c.status >= 400;
        view! {
            <tr data-testid="call-row">
                <td class="nowrap">{fmt.stamp(&c.created_at, true)}</td>
                <td data-label=i18n::COL_METHOD><code dir="ltr">{c.method}</code></td>
                <td data-label=i18n::COL_ROUTE><code dir="ltr" class="route">{c.route}</code></td>
                <td data-label=i18n::COL_HTTP_STATUS>
                    <span class=if failed { "tag tag-red" } else { "tag tag-green" }>{fmt.text(&c.status.to_string())}</span>
                </td>
                <td class="nowrap" data-label=i18n::COL_LATENCY>{i18n::millis(&fmt.int(i64::from(c.latency_ms)))}</td>
                <td data-label=i18n::COL_IP><bdi dir="ltr">{c.ip.unwrap_or_else(|| "—".to_owned())}</bdi></td>
            </tr>
        }
    };
    view! {
        <dl class="usage-totals">
            <div class="usage-total"><dt>{i18n::CALLS}</dt><dd data-testid="usage-calls">{fmt.int(u.total_calls)}</dd></div>
            <div class="usage-total errors"><dt>{i18n::ERRORS}</dt><dd data-testid="usage-errors">{fmt.int(u.total_errors)}</dd></div>
            <div class="usage-total"><dt>{i18n::ERROR_RATE}</dt><dd>{format!("{}٪", fmt.int(percent))}</dd></div>
        </dl>
        <figure class="chart" aria-label=summary>
            <div class="chart-body small">
                <div class="chart-y" aria-hidden="true">
                    <span>{fmt.int(top)}</span>
                    <span>{fmt.int(top / 2)}</span>
                    <span>{fmt.int(0)}</span>
                </div>
                <div class="chart-plot bars" aria-hidden="true"><div class="chart-svg" inner_html=svg></div></div>
            </div>
            <div class="chart-x" aria-hidden="true">
                <span>{first}</span>
                <span>{i18n::NOW}</span>
            </div>
            <figcaption class="chart-legend">
                <span><span class="dot calls" aria-hidden="true"></span>{i18n::CALLS}</span>
                <span><span class="dot errors" aria-hidden="true"></span>{i18n::ERRORS}</span>
            </figcaption>
        </figure>
        <p class="muted small">{i18n::USAGE_LAG}</p>
        <h3 class="section-title">{i18n::RECENT_CALLS}</h3>
        {if u.recent.is_empty() {
            view! { <p class="empty-line">{i18n::NO_CALLS}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=i18n::RECENT_CALLS>
                    <table class="table" data-testid="calls-table">
                        <thead><tr>
                            <th scope="col">{i18n::COL_TIME}</th>
                            <th scope="col">{i18n::COL_METHOD}</th>
                            <th scope="col">{i18n::COL_ROUTE}</th>
                            <th scope="col">{i18n::COL_HTTP_STATUS}</th>
                            <th scope="col">{i18n::COL_LATENCY}</th>
                            <th scope="col">{i18n::COL_IP}</th>
                        </tr></thead>
                        <tbody>{u.recent.into_iter().map(call_row).collect_view()}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// Refused key attempts, newest first, filtered by address (on submit) and reason.
#[component]
fn FailedList() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let ip = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let paged = Paged::<FailedAuthEntry>::new();
    let fetch = move |cursor: Option<String>| {
        let (ip, reason) = (ip.get_untracked(), reason.get_untracked());
        async move {
            api::api_keys::failed(&ip, &reason, cursor.as_deref())
                .await
                .map(|p| (p.items, p.next_cursor))
        }
    };
    Effect::new(move |_| {
        reason.track();
        paged.reload(fetch(None));
    });
    let on_ip = move |ev: SubmitEvent| {
        ev.prevent_default();
        paged.reload(fetch(None));
    };
    let more = move || {
        if let Some(c) = paged.next.get_untracked() {
            paged.more(fetch(Some(c)));
        }
    };
    let row = move |e: FailedAuthEntry| {
        view! {
            <tr data-testid="failed-row" data-reason=e.reason.clone()>
                <td class="nowrap">{fmt.stamp(&e.created_at, true)}</td>
                <td data-label=i18n::COL_IP><bdi dir="ltr">{e.ip}</bdi></td>
                <td data-label=i18n::COL_PREFIX>
                    {match e.key_prefix {
                        Some(p) => view! { <code class="key-prefix" dir="ltr">{p}</code> }.into_any(),
                        None => view! { <span class="muted">{i18n::UNREADABLE}</span> }.into_any(),
                    }}
                </td>
                <td data-label=i18n::FILTER_REASON><span class="tag tag-red">{e.reason_label}</span></td>
                <td data-label=i18n::COL_REQUEST><code dir="ltr" class="route">{format!("{} {}", e.method, e.path)}</code></td>
            </tr>
        }
    };
    view! {
        <div class="card">
            <p class="muted small intro">{i18n::FAILED_INTRO}</p>
            <div class="filters">
                <form class="field inline-field" role="search" on:submit=on_ip>
                    <label for="failed-ip">{i18n::FILTER_IP}</label>
                    <div class="control with-button">
                        <input id="failed-ip" type="search" dir="ltr" autocomplete="off" maxlength="64" bind:value=ip />
                        <button type="submit" class="btn btn-soft btn-sm">{i18n::FILTER}</button>
                    </div>
                </form>
                <div class="field inline-field">
                    <label for="failed-reason">{i18n::FILTER_REASON}</label>
                    <div class="control">
                        <select id="failed-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{i18n::ALL_REASONS}</option>
                            {FailedAuthReason::ALL.map(|r| view! { <option value=r.as_str()>{r.label_ar()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
            </div>
            {move || admin_table(paged.data.get(), fmt, &FAILED_TABLE, move |item| row(item).into_any())}
            {load_more(paged, more)}
        </div>
    }
}
