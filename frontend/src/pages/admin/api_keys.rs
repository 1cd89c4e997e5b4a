//! Admin → API keys: the keys (status filter, keyset pages, kind and award ceilings), creating
//! and editing one (`api_key_form`), the full key shown once, revoking and rotating, a key's
//! settings and usage (`?tab=api-keys&key=ID`, `api_key_usage`) and the refused key attempts.

use domain::api_keys::{ApiKey, ApiKeyKind, ApiKeyStatus, ApiScope, CreatedApiKey};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use super::api_key_form::{KeyEdit, KeyForm};
use super::api_key_usage::{usage_view, FailedList};
use super::{admin_table, TableSpec};
use crate::api::ApiError;
use crate::components::commerce::{upsert, ActionDialog};
use crate::components::kit::{error_text, load_more, tab_id, Modal, Paged, Tabs};
use crate::components::{icons, CopyButton, FormState, Icon, Notice, Skeleton};
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

/// A key's scopes as chips ("المسابقات · قراءة", admin ones marked «إدارة» and drawn apart);
/// the full label is the chip's tooltip.
fn scope_chips(scopes: &[ApiScope]) -> impl IntoView {
    let chips: Vec<(String, &'static str, bool)> = scopes
        .iter()
        .map(|s| {
            let access = if s.writes() {
                i18n::SCOPE_WRITE
            } else {
                i18n::SCOPE_READ
            };
            let text = if s.is_admin() {
                format!(
                    "{} · {} · {access}",
                    i18n::ADMIN_SCOPE_TAG,
                    i18n::scope_resource(s.area())
                )
            } else {
                format!("{} · {access}", i18n::scope_resource(s.area()))
            };
            (text, s.label_ar(), s.is_admin())
        })
        .collect();
    view! {
        <ul class="scope-chips">
            {chips.into_iter().map(|(text, full, admin)| view! {
                <li class="scope-chip" class:admin=admin title=full>{text}</li>
            }).collect_view()}
        </ul>
    }
}

fn kind_tag(kind: ApiKeyKind) -> &'static str {
    match kind {
        ApiKeyKind::Personal => "tag",
        ApiKeyKind::Service => "tag tag-gold",
    }
}

/// A key that may award points but has no ceilings (a key converted by the migration): awards
/// through it are refused until an admin sets them.
fn lacks_ceilings(k: &ApiKey) -> bool {
    k.scopes.contains(&ApiScope::AdminPointsWrite)
        && (k.award_max_per_call.is_none() || k.award_max_per_day.is_none())
}

/// "سقف المنح: …" under the scopes, or the warning when they are missing.
fn ceilings_note(k: &ApiKey, fmt: Fmt) -> Option<AnyView> {
    if lacks_ceilings(k) {
        return Some(
            view! { <p class="ceiling-note warn" data-testid="key-no-ceilings"><Icon svg=icons::ALERT /><span>{i18n::CEILINGS_MISSING}</span></p> }
                .into_any(),
        );
    }
    let (per_call, per_day) = k.award_max_per_call.zip(k.award_max_per_day)?;
    Some(
        view! { <p class="ceiling-note muted small">{i18n::ceilings_line(&fmt.int(per_call), &fmt.int(per_day))}</p> }
            .into_any(),
    )
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
                            <span class=kind_tag(k.kind) data-testid="key-kind">{k.kind_label.clone()}</span>
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
                <td data-label=i18n::COL_SCOPES>
                    <div class="comp-cell">{scope_chips(&k.scopes)}{ceilings_note(&k, fmt)}</div>
                </td>
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
    let usage = RwSignal::new(None::<Result<domain::api_keys::ApiKeyUsage, ApiError>>);
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(false);
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
                            <span class=kind_tag(k.kind) data-testid="key-kind">{k.kind_label.clone()}</span>
                            <code class="key-prefix" dir="ltr">{k.prefix.clone()}</code>
                            {(k.status == ApiKeyStatus::Active).then(|| view! {
                                <button type="button" class="btn btn-soft btn-sm head-action" data-testid="key-edit"
                                    on:click=move |_| { saved.set(false); editing.set(true); }>
                                    <Icon svg=icons::EDIT /><span>{i18n::EDIT_KEY}</span>
                                </button>
                            })}
                        </div>
                        {move || saved.get().then(|| view! {
                            <div class="alert alert-success" role="status"><Icon svg=icons::CHECK /><span>{i18n::KEY_SAVED_CHANGES}</span></div>
                        })}
                        {lacks_ceilings(&k).then(|| view! {
                            <div class="alert alert-warning" role="note" data-testid="key-no-ceilings">
                                <Icon svg=icons::ALERT /><span>{i18n::CEILINGS_MISSING}</span>
                            </div>
                        })}
                        {scope_chips(&k.scopes)}
                        <dl class="stat-list compact">
                            <div class="stat">
                                <dt>{i18n::COL_OWNER}</dt>
                                <dd><bdi>{k.owner_display_name.clone()}</bdi> " " <bdi class="handle" dir="ltr">{format!("@{}", k.owner_username)}</bdi></dd>
                            </div>
                            {fact(i18n::COL_RATE, i18n::per_minute(&fmt.int(i64::from(k.rate_limit_per_minute))))}
                            {k.award_max_per_call.map(|n| fact(i18n::CEILING_PER_CALL, fmt.int(n)))}
                            {k.award_max_per_day.map(|n| view! {
                                <div class="stat"><dt>{i18n::CEILING_PER_DAY}</dt><dd>{fmt.int(n)}</dd></div>
                                <div class="stat"><dt>{i18n::AWARDED_TODAY}</dt>
                                    <dd data-testid="key-awarded-today">{i18n::used_today(&fmt.int(k.awarded_today), &fmt.int(n))}</dd></div>
                            })}
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
            {move || editing.get().then(|| key.get_untracked().and_then(Result::ok)).flatten().map(|k| view! {
                <KeyEdit key=k
                    on_close=Callback::new(move |_| editing.set(false))
                    on_saved=Callback::new(move |k: ApiKey| {
                        key.set(Some(Ok(k)));
                        editing.set(false);
                        saved.set(true);
                    }) />
            })}
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
