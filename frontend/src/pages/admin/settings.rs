//! Admin → settings: every setting the API lists, drawn by its kind (switch, number, text,
//! choice) with its range, checked with the same `domain::settings` rules before saving the
//! changed keys. The fraud rules' settings (`risk_*`) form their own group, a heading per rule.

use std::collections::BTreeMap;

use domain::settings::{
    SettingItem, SettingKind, RISK_FARM_ENABLED, RISK_KEYS, RISK_REDEMPTION_ENABLED,
    RISK_TRANSFER_ENABLED,
};
use domain::FieldErrors;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::api::ApiError;
use crate::components::kit::{self, error_text};
use crate::components::{icons, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton};
use crate::format::Fmt;
use crate::{api, i18n};

/// A setting's value as the form edits it (booleans as "true"/"false").
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The typed value back from the form, or the message for the field.
fn parse(kind: SettingKind, text: &str) -> Result<Value, String> {
    match kind {
        SettingKind::Bool => Ok(Value::Bool(text == "true")),
        SettingKind::Int => kit::parse_int(text)
            .map(Value::from)
            .ok_or_else(|| i18n::ERR_WHOLE_NUMBER.to_owned()),
        SettingKind::Text | SettingKind::Choice => Ok(Value::from(text.trim())),
    }
}

/// The heading above the first setting of each fraud rule (its on/off switch).
fn rule_heading(key: &str) -> Option<&'static str> {
    match key {
        RISK_FARM_ENABLED => Some(i18n::RISK_GROUP_FARM),
        RISK_TRANSFER_ENABLED => Some(i18n::RISK_GROUP_TRANSFERS),
        RISK_REDEMPTION_ENABLED => Some(i18n::RISK_GROUP_REDEMPTIONS),
        _ => None,
    }
}

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let data = RwSignal::new(None::<Result<Vec<(SettingItem, RwSignal<String>)>, ApiError>>);
    let show = move |list: Vec<SettingItem>| {
        data.set(Some(Ok(list
            .into_iter()
            .map(|i| {
                let v = RwSignal::new(as_text(&i.value));
                (i, v)
            })
            .collect())));
    };
    spawn_local(async move {
        match api::settings::list().await {
            Ok(l) => show(l.items),
            Err(e) => data.set(Some(Err(e))),
        }
    });
    let form = FormState::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let mut errors = FieldErrors::new();
        let mut changes = BTreeMap::new();
        data.with_untracked(|d| {
            for (item, text) in d.iter().flat_map(|d| d.iter().flatten()) {
                let checked = parse(item.kind, &text.get_untracked()).and_then(|v| {
                    match domain::settings::find(&item.key) {
                        Some(def) => def.validate(&v),
                        None => Ok(v),
                    }
                });
                match checked {
                    Ok(v) if v != item.value => {
                        changes.insert(item.key.clone(), v);
                    }
                    Ok(_) => {}
                    Err(m) => {
                        errors.insert(item.key.clone(), m);
                    }
                }
            }
        });
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        if changes.is_empty() {
            form.success.set(Some(i18n::PROFILE_NOTHING.to_owned()));
            return;
        }
        form.start();
        spawn_local(async move {
            match api::settings::save(&changes).await {
                Ok(l) => {
                    show(l.items);
                    form.success.set(Some(i18n::SETTINGS_SAVED.to_owned()));
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };
    let field = move |item: SettingItem, value: RwSignal<String>| {
        let key = item.key.clone();
        let id = format!("f-{key}");
        let err_id = format!("{id}-err");
        let hint_id = format!("{id}-hint");
        let error = Memo::new({
            let key = key.clone();
            move |_| form.errors.with(|e| e.get(&key).cloned())
        });
        let clear = {
            let key = key.clone();
            move || form.errors.maybe_update(|e| e.remove(&key).is_some())
        };
        let invalid = move || {
            if error.with(Option::is_some) {
                "true"
            } else {
                "false"
            }
        };
        let described = format!("{hint_id} {err_id}");
        let range = match (item.min, item.max, item.max_length) {
            (Some(min), Some(max), _) => Some(i18n::range_hint(&fmt.int(min), &fmt.int(max))),
            (_, _, Some(len)) => Some(i18n::length_hint(&fmt.int(len as i64))),
            _ => None,
        };
        let default_text = match item.kind {
            SettingKind::Bool => {
                if item.default == Value::Bool(true) {
                    i18n::ON.to_owned()
                } else {
                    i18n::OFF.to_owned()
                }
            }
            SettingKind::Choice => item
                .choices
                .iter()
                .find(|c| item.default == c.value.as_str())
                .map(|c| c.label.clone())
                .unwrap_or_default(),
            _ => as_text(&item.default),
        };
        let default_value = as_text(&item.default);
        let control = match item.kind {
            SettingKind::Bool => {
                let clear = clear.clone();
                view! {
                    <label class="switch">
                        <input type="checkbox" role="switch" id=id.clone() aria-describedby=described.clone() aria-invalid=invalid
                            prop:checked=move || value.get() == "true"
                            on:change=move |ev| { value.set(event_target_checked(&ev).to_string()); clear(); } />
                        <span>{move || if value.get() == "true" { i18n::ON } else { i18n::OFF }}</span>
                    </label>
                }
                .into_any()
            }
            SettingKind::Choice => {
                let clear = clear.clone();
                view! {
                    <div class="control">
                        <select id=id.clone() aria-describedby=described.clone() aria-invalid=invalid
                            on:change=move |ev| { value.set(event_target_value(&ev)); clear(); }>
                            {item.choices.iter().map(|c| {
                                let v = c.value.clone();
                                view! { <option value=c.value.clone() prop:selected=move || value.get() == v>{c.label.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
                .into_any()
            }
            SettingKind::Text if item.multiline => {
                let clear = clear.clone();
                view! {
                    <div class="control">
                        <textarea id=id.clone() rows="4" dir="auto" aria-describedby=described.clone() aria-invalid=invalid
                            bind:value=value on:input=move |_| { clear(); }></textarea>
                    </div>
                }
                .into_any()
            }
            kind => {
                let clear = clear.clone();
                let int = kind == SettingKind::Int;
                view! {
                    <div class="control">
                        <input id=id.clone() type="text" dir=if int { "ltr" } else { "auto" } inputmode=if int { "numeric" } else { "text" }
                            autocomplete="off" aria-describedby=described.clone() aria-invalid=invalid
                            bind:value=value on:input=move |_| { clear(); } />
                    </div>
                }
                .into_any()
            }
        };
        let updated = item.updated_at.map(|at| {
            let by = item.updated_by_username.clone();
            view! {
                <p class="setting-meta">
                    {i18n::updated_on(&fmt.date_time(&at))}
                    {by.clone().map(|u| view! { " " {i18n::AUDIT_BY} " " <bdi dir="ltr">{format!("@{u}")}</bdi> })}
                </p>
            }
        });
        view! {
            <div class="setting" class:has-error=move || error.with(Option::is_some) data-testid="setting" data-key=key.clone()>
                <div class="setting-text">
                    <div class="setting-title">
                        <label for=id.clone() class="strong">{item.label.clone()}</label>
                        {item.public.then(|| view! { <span class="tag tag-violet">{i18n::PUBLIC_SETTING}</span> })}
                    </div>
                    <p class="hint" id=hint_id>
                        {item.description.clone()}
                        {range.map(|r| view! { " " <span>{r}</span> })}
                    </p>
                    {updated}
                </div>
                <div class="setting-control">
                    {control}
                    {move || error.get().map(|m| view! {
                        <p class="field-error" id=err_id.clone()><Icon svg=icons::ALERT /><span>{fmt.text(&m)}</span></p>
                    })}
                    <p class="setting-default">
                        <span class="muted">{i18n::DEFAULT_VALUE} ": "</span>
                        <bdi dir="auto">{move || if default_text.is_empty() { i18n::EMPTY_VALUE.to_owned() } else { fmt.text(&default_text) }}</bdi>
                        <Show when=move || value.with(|v| *v != default_value)>
                            <button type="button" class="link-btn" on:click={
                                let d = as_text(&item.default);
                                move |_| value.set(d.clone())
                            }>{i18n::RESTORE_DEFAULT}</button>
                        </Show>
                    </p>
                </div>
            </div>
        }
    };
    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="settings-form">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::SLIDERS></span>
                <div>
                    <h2>{i18n::ADMIN_SETTINGS}</h2>
                    <p class="muted small">{i18n::SETTINGS_TEXT}</p>
                </div>
            </div>
            {move || match data.get() {
                None => view! { <Skeleton lines=6 /> }.into_any(),
                Some(Err(err)) => view! { <Notice message=error_text(&err, fmt) kind="error" /> }.into_any(),
                Some(Ok(items)) => {
                    // The fraud rules get their own group, one heading per rule, in the order
                    // `RISK_KEYS` gives; everything else keeps the API's order above them.
                    let (mut risk, general): (Vec<_>, Vec<_>) = items
                        .into_iter()
                        .partition(|(i, _)| RISK_KEYS.contains(&i.key.as_str()));
                    risk.sort_by_key(|(i, _)| RISK_KEYS.iter().position(|k| *k == i.key));
                    let has_risk = !risk.is_empty();
                    view! {
                        {has_risk.then(|| view! { <h3 class="settings-group-title">{i18n::SETTINGS_GENERAL_GROUP}</h3> })}
                        <div class="settings-list">{general.into_iter().map(|(i, v)| field(i, v)).collect_view()}</div>
                        {has_risk.then(|| view! {
                            <section class="settings-group" aria-labelledby="risk-settings-title" data-testid="risk-settings">
                                <h3 class="settings-group-title" id="risk-settings-title">
                                    <Icon svg=icons::SHIELD /><span>{i18n::SETTINGS_RISK_GROUP}</span>
                                </h3>
                                <p class="muted small">{i18n::SETTINGS_RISK_TEXT}</p>
                                <div class="settings-list">
                                    {risk.into_iter().map(|(i, v)| view! {
                                        {rule_heading(&i.key).map(|t| view! { <h4 class="settings-rule">{t}</h4> })}
                                        {field(i, v)}
                                    }).collect_view()}
                                </div>
                            </section>
                        })}
                    }
                    .into_any()
                }
            }}
            <FormMessages form=form />
            <div class="actions">
                <SubmitButton label=i18n::SAVE_SETTINGS pending_label=i18n::SAVING pending=form.pending />
            </div>
        </form>
    }
}
