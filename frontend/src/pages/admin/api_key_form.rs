//! The key forms of the «مفاتيح API» tab: creating a key (its kind, the participant scopes and —
//! for a service key — the admin scopes, the award ceilings when it may award points, the
//! per-minute limit and the expiry), and editing one (name, limit, ceilings). Both run the
//! `domain` rules first, so the form's errors and the server's agree and land beside the same
//! fields.

use std::collections::BTreeSet;

use domain::api_keys::{
    ApiKey, ApiKeyKind, ApiScope, CreateApiKeyRequest, CreatedApiKey, UpdateApiKeyRequest,
    RATE_LIMIT_MAX, RATE_LIMIT_MIN,
};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::kit::{self, from_local_input, Modal};
use crate::components::{icons, Field, FormMessages, FormState, Icon, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// Scopes grouped by the resource they are about, in picker order.
fn groups(scopes: impl Iterator<Item = ApiScope>) -> Vec<(&'static str, Vec<ApiScope>)> {
    let mut groups: Vec<(&'static str, Vec<ApiScope>)> = Vec::new();
    for s in scopes {
        match groups.iter_mut().find(|(area, _)| *area == s.area()) {
            Some((_, list)) => list.push(s),
            None => groups.push((s.area(), vec![s])),
        }
    }
    groups
}

/// One family of scopes (participant or admin, named by its legend): a box per resource, a
/// checkbox per scope with its Arabic label.
fn scope_section(
    legend: &'static str,
    scopes: Vec<ApiScope>,
    selected: RwSignal<BTreeSet<ApiScope>>,
    form: FormState,
) -> impl IntoView {
    let errors = form.errors;
    let invalid = Memo::new(move |_| errors.with(|e| e.contains_key("scopes")));
    let option = move |s: ApiScope| {
        view! {
            <label class="scope-opt">
                <input
                    type="checkbox"
                    name="scopes"
                    value=s.as_str()
                    prop:checked=move || selected.with(|x| x.contains(&s))
                    aria-invalid=move || if invalid.get() { "true" } else { "false" }
                    aria-describedby=move || invalid.get().then_some("f-scopes-err")
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
                    <span class="strong">{if s.writes() { i18n::SCOPE_WRITE } else { i18n::SCOPE_READ }}</span>
                    <span class="muted small">{s.label_ar()}</span>
                </span>
            </label>
        }
    };
    view! {
        <fieldset class="scope-section">
            <legend>{legend}</legend>
            <div class="scope-groups">
                {groups(scopes.into_iter()).into_iter().map(|(area, list)| view! {
                    <fieldset class="scope-group">
                        <legend>{i18n::scope_resource(area)}</legend>
                        {list.into_iter().map(option).collect_view()}
                    </fieldset>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The scope picker: participant scopes always, admin scopes only for a service key.
fn scope_picker(
    selected: RwSignal<BTreeSet<ApiScope>>,
    kind: RwSignal<ApiKeyKind>,
    form: FormState,
    fmt: Fmt,
) -> impl IntoView {
    let errors = form.errors;
    let error = Memo::new(move |_| errors.with(|e| e.get("scopes").cloned()));
    view! {
        <fieldset class="scope-picker" aria-describedby="f-scopes-hint">
            <legend>{i18n::KEY_SCOPES}</legend>
            <p class="hint" id="f-scopes-hint">{i18n::KEY_SCOPES_HINT}</p>
            {move || error.get().map(|m| view! {
                <p class="field-error" id="f-scopes-err"><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
            })}
            {scope_section(i18n::PARTICIPANT_SCOPES, ApiScope::participant().collect(), selected, form)}
            {move || (kind.get() == ApiKeyKind::Service).then(|| {
                scope_section(i18n::ADMIN_SCOPES, ApiScope::admin().collect(), selected, form)
            })}
        </fieldset>
    }
}

/// Personal or service, as a segmented control; choosing "personal" drops the admin scopes.
fn kind_picker(
    kind: RwSignal<ApiKeyKind>,
    selected: RwSignal<BTreeSet<ApiScope>>,
) -> impl IntoView {
    let option = move |k: ApiKeyKind| {
        let id = format!("kind-{}", k.as_str());
        view! {
            <input type="radio" id=id.clone() name="kind" value=k.as_str()
                aria-describedby="kind-hint"
                prop:checked=move || kind.get() == k
                on:change=move |_| {
                    kind.set(k);
                    if k == ApiKeyKind::Personal {
                        selected.update(|s| s.retain(|x| !x.is_admin()));
                    }
                } />
            <label for=id>{k.label_ar()}</label>
        }
    };
    view! {
        <fieldset class="segmented key-kind span-2">
            <legend>{i18n::KEY_KIND}</legend>
            <div class="segmented-options">
                {ApiKeyKind::ALL.map(option).collect_view()}
            </div>
            <p class="hint kind-hint" id="kind-hint">
                {move || match kind.get() {
                    ApiKeyKind::Personal => i18n::KIND_PERSONAL_HINT,
                    ApiKeyKind::Service => i18n::KIND_SERVICE_HINT,
                }}
            </p>
        </fieldset>
    }
}

/// The two award ceilings (a service key holding `admin:points:write`).
fn ceiling_fields(
    per_call: RwSignal<String>,
    per_day: RwSignal<String>,
    form: FormState,
) -> impl IntoView {
    view! {
        <fieldset class="ceilings span-2" aria-describedby="ceilings-hint">
            <legend>{i18n::CEILINGS}</legend>
            <p class="hint" id="ceilings-hint">{i18n::CEILINGS_HINT}</p>
            <div class="form-grid">
                <Field name="award_max_per_call" label=i18n::CEILING_PER_CALL value=per_call form=form dir="ltr" inputmode="numeric" />
                <Field name="award_max_per_day" label=i18n::CEILING_PER_DAY value=per_day form=form dir="ltr" inputmode="numeric"
                    hint=Signal::derive(|| i18n::CEILING_PER_DAY_HINT.to_owned()) />
            </div>
        </fieldset>
    }
}

/// A whole number typed in any digits, or the field's error; an empty field is `None`.
fn optional_int(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    if text.trim().is_empty() {
        return None;
    }
    let parsed = kit::parse_int(text);
    if parsed.is_none() {
        errors.insert(field.to_owned(), i18n::ERR_WHOLE_NUMBER.into());
    }
    parsed
}

/// The form's own errors (unparsable numbers) with the domain rules' added, shown beside their
/// fields; `true` when there are none and the request may go.
fn checked(form: FormState, mut errors: FieldErrors, rules: Result<(), FieldErrors>) -> bool {
    if let Err(rules) = rules {
        for (k, v) in rules {
            errors.entry(k).or_insert(v);
        }
    }
    if errors.is_empty() {
        return true;
    }
    form.invalid(errors);
    false
}

/// The "fix the fields" banner goes once every field it pointed at is fixed.
fn clear_banner_when_fixed(form: FormState) {
    Effect::new(move |_| {
        if form.errors.with(|e| e.is_empty())
            && form
                .banner
                .with_untracked(|b| b.as_deref() == Some(i18n::ERR_FIX_FIELDS))
        {
            form.banner.set(None);
        }
    });
}

/// Creates a key acting as the signed-in admin: checked with `CreateApiKeyRequest::validate`
/// first, then the server's field errors.
#[component]
pub fn KeyForm(on_close: Callback<()>, on_created: Callback<CreatedApiKey>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(ApiKeyKind::Personal);
    let rate = RwSignal::new("60".to_owned());
    let expires = RwSignal::new(String::new());
    let per_call = RwSignal::new(String::new());
    let per_day = RwSignal::new(String::new());
    let scopes = RwSignal::new(BTreeSet::<ApiScope>::new());
    let awards = Memo::new(move |_| {
        kind.get() == ApiKeyKind::Service
            && scopes.with(|s| s.contains(&ApiScope::AdminPointsWrite))
    });

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
        let (award_max_per_call, award_max_per_day) = if awards.get_untracked() {
            (
                optional_int(&per_call.get_untracked(), "award_max_per_call", &mut errors),
                optional_int(&per_day.get_untracked(), "award_max_per_day", &mut errors),
            )
        } else {
            (None, None)
        };
        let req = CreateApiKeyRequest {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            scopes: scopes.with_untracked(|s| s.iter().map(|s| s.as_str().to_owned()).collect()),
            rate_limit_per_minute,
            expires_at,
            award_max_per_call,
            award_max_per_day,
            owner_id: None,
        };
        let rules = req.validate(kit::now_utc()).map(|_| ());
        if checked(form, errors, rules) {
            form.start();
            spawn_local(async move {
                match api::api_keys::create(&req).await {
                    Ok(created) => on_created.run(created),
                    Err(err) => form.failed(&err, fmt),
                }
                form.pending.set(false);
            });
        }
    };
    clear_banner_when_fixed(form);
    let hint = move |t: &'static str| Signal::derive(move || t.to_owned());
    let rate_hint = Signal::derive(move || {
        i18n::key_rate_hint(&fmt.int(RATE_LIMIT_MIN), &fmt.int(RATE_LIMIT_MAX))
    });
    view! {
        <Modal title=i18n::NEW_API_KEY on_close=on_close wide=true>
            <form class="form" novalidate=true on:submit=on_submit data-testid="key-form">
                <p class="muted small">{i18n::KEY_ACTS_AS_YOU}</p>
                <div class="form-grid">
                    <div class="span-2">
                        <Field name="name" label=i18n::KEY_NAME value=name form=form hint=hint(i18n::KEY_NAME_HINT) />
                    </div>
                    {kind_picker(kind, scopes)}
                    <div class="span-2">{scope_picker(scopes, kind, form, fmt)}</div>
                    {move || awards.get().then(|| ceiling_fields(per_call, per_day, form))}
                    <Field name="rate_limit_per_minute" label=i18n::KEY_RATE value=rate form=form dir="ltr" inputmode="numeric" hint=rate_hint />
                    <Field name="expires_at" label=i18n::KEY_EXPIRES value=expires form=form kind="datetime-local" dir="ltr" hint=super::zone::moment_hint(expires, fmt, Some(i18n::KEY_EXPIRES_HINT)) />
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

/// Edits a live key's name, per-minute limit and (keys that may award points) ceilings.
#[component]
pub fn KeyEdit(key: ApiKey, on_close: Callback<()>, on_saved: Callback<ApiKey>) -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let form = FormState::new();
    let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let name = RwSignal::new(key.name.clone());
    let rate = RwSignal::new(key.rate_limit_per_minute.to_string());
    let per_call = RwSignal::new(text(key.award_max_per_call));
    let per_day = RwSignal::new(text(key.award_max_per_day));
    let awards = key.scopes.contains(&ApiScope::AdminPointsWrite);
    let (id, scopes, current) = (key.id, key.scopes.clone(), key.settings());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let rate_limit_per_minute =
            optional_int(&rate.get_untracked(), "rate_limit_per_minute", &mut errors);
        let req = UpdateApiKeyRequest {
            name: Some(name.get_untracked()),
            rate_limit_per_minute,
            award_max_per_call: awards
                .then(|| optional_int(&per_call.get_untracked(), "award_max_per_call", &mut errors))
                .flatten(),
            award_max_per_day: awards
                .then(|| optional_int(&per_day.get_untracked(), "award_max_per_day", &mut errors))
                .flatten(),
        };
        let rules = req.validate(&scopes, &current).map(|_| ());
        if checked(form, errors, rules) {
            form.start();
            spawn_local(async move {
                match api::api_keys::update(id, &req).await {
                    Ok(saved) => on_saved.run(saved),
                    Err(err) => form.failed(&err, fmt),
                }
                form.pending.set(false);
            });
        }
    };
    clear_banner_when_fixed(form);
    let rate_hint = Signal::derive(move || {
        i18n::key_rate_hint(&fmt.int(RATE_LIMIT_MIN), &fmt.int(RATE_LIMIT_MAX))
    });
    view! {
        <Modal title=i18n::edit_key_title(&key.name) on_close=on_close>
            <form class="form" novalidate=true on:submit=on_submit data-testid="key-edit-form">
                <p class="muted small">{i18n::EDIT_KEY_HINT}</p>
                <Field name="name" label=i18n::KEY_NAME value=name form=form />
                <Field name="rate_limit_per_minute" label=i18n::KEY_RATE value=rate form=form dir="ltr" inputmode="numeric" hint=rate_hint />
                {awards.then(|| ceiling_fields(per_call, per_day, form))}
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=i18n::SAVE_KEY pending_label=i18n::SAVING pending=form.pending />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>{i18n::CANCEL}</button>
                </div>
            </form>
        </Modal>
    }
}
