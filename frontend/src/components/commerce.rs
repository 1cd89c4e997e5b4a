//! Pieces the rewards, store and their admin screens share: prices, status tags, a reward's
//! picture, a confirmation dialog with an optional note, and looking a user up by name.

use domain::packages::{minor_units, PurchaseStatus};
use domain::rewards::RedemptionStatus;
use domain::users::User;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::kit::{Modal, Paged, TextArea};
use super::{icons, Field, FormMessages, FormState, SubmitButton};
use crate::api::ApiError;
use crate::format::Fmt;
use crate::{api, i18n};

/// A price from minor units, the way Arabic readers write it («٢٥٫٠٠ ر.س.»), in the chosen
/// digits: the one formatter the server's notification texts use too
/// (`domain::packages::format_money`), so a price reads the same in the store and in the bell.
pub fn money(fmt: Fmt, minor: i64, currency: &str) -> String {
    fmt.text(&domain::packages::format_money(minor, currency))
}

/// A decimal amount typed by a person ("25", "25.5", "٢٥٫٥٠") in minor units of `currency`.
pub fn parse_money(text: &str, currency: &str) -> Option<i64> {
    let units = minor_units(currency) as usize;
    let mut whole = String::new();
    let mut frac = String::new();
    let mut in_frac = false;
    for c in text.trim().chars() {
        let d = match c {
            '0'..='9' => c,
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '.' | '\u{066B}' if !in_frac => {
                in_frac = true;
                continue;
            }
            ',' | '\u{066C}' | ' ' if !in_frac => continue,
            _ => return None,
        };
        if in_frac {
            frac.push(d)
        } else {
            whole.push(d)
        }
    }
    if whole.is_empty() && frac.is_empty() || frac.len() > units {
        return None;
    }
    while frac.len() < units {
        frac.push('0');
    }
    format!("{whole}{frac}").parse().ok()
}

/// Minor units back to what the admin typed ("2500", SAR → "25.00").
pub fn money_input(minor: i64, currency: &str) -> String {
    let units = minor_units(currency);
    if units == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(units);
    format!(
        "{}.{:0w$}",
        minor / scale,
        minor % scale,
        w = units as usize
    )
}

pub fn redemption_tag(s: RedemptionStatus) -> &'static str {
    match s {
        RedemptionStatus::Pending => "tag tag-gold",
        RedemptionStatus::Approved => "tag tag-violet",
        RedemptionStatus::Fulfilled => "tag tag-green",
        RedemptionStatus::Rejected => "tag tag-red",
        RedemptionStatus::Cancelled => "tag",
    }
}

pub fn purchase_tag(s: PurchaseStatus) -> &'static str {
    match s {
        PurchaseStatus::Requested => "tag tag-gold",
        PurchaseStatus::Paid => "tag tag-green",
        PurchaseStatus::Cancelled => "tag",
    }
}

/// A reward's picture: its image, its icon (a known icon name or an emoji), or a gift.
pub fn reward_visual(
    image: Option<String>,
    icon: Option<String>,
    class: &'static str,
) -> impl IntoView {
    let image = image.filter(|u| !u.trim().is_empty());
    let icon = icon.filter(|i| !i.trim().is_empty());
    let svg = match icon.as_deref().map(str::trim) {
        None | Some("gift") => Some(icons::GIFT),
        Some("trophy") => Some(icons::TROPHY),
        Some("coin") => Some(icons::COIN),
        Some("medal") => Some(icons::MEDAL),
        Some("sparkles" | "star") => Some(icons::SPARKLES),
        _ => None,
    };
    match (image, svg) {
        (Some(url), _) => view! {
            <span class=format!("reward-visual {class}")>
                <img src=url alt="" loading="lazy" decoding="async" />
            </span>
        }
        .into_any(),
        (None, Some(svg)) => view! {
            <span class=format!("reward-visual is-icon {class}") aria-hidden="true" inner_html=svg></span>
        }
        .into_any(),
        (None, None) => view! {
            <span class=format!("reward-visual is-emoji {class}") aria-hidden="true">{icon}</span>
        }
        .into_any(),
    }
}

/// A confirmation with an optional text field (a note, a payment reference). The parent checks
/// the value, runs the request and reports through `form`; errors appear beside the buttons.
#[component]
pub fn ActionDialog(
    #[prop(into)] title: String,
    #[prop(into, optional)] text: Option<String>,
    /// (API field name, label, multi-line)
    #[prop(optional)]
    field: Option<(&'static str, &'static str, bool)>,
    submit: &'static str,
    #[prop(default = "btn btn-primary")] class: &'static str,
    form: FormState,
    on_submit: Callback<String>,
    on_close: Callback<()>,
    #[prop(optional)] children: Option<Children>,
    /// The button that closes without acting.
    #[prop(default = i18n::CANCEL)]
    dismiss: &'static str,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let on_form = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !form.pending.get_untracked() {
            on_submit.run(value.get_untracked().trim().to_owned());
        }
    };
    view! {
        <Modal title=title on_close=on_close>
            <form class="form" novalidate=true on:submit=on_form data-testid="action-dialog">
                {text.map(|t| view! { <p class="muted">{t}</p> })}
                {children.map(|c| c())}
                {field.map(|(name, label, multiline)| if multiline {
                    view! { <TextArea name=name label=label value=value form=form /> }.into_any()
                } else {
                    view! { <Field name=name label=label value=value form=form dir="auto" /> }.into_any()
                })}
                <FormMessages form=form />
                <div class="actions">
                    <SubmitButton label=submit pending_label=i18n::SAVING pending=form.pending class=class />
                    <button type="button" class="btn btn-ghost" on:click=move |_| on_close.run(())>
                        {dismiss}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// The user whose username is `name` (a leading @ is fine), via the admin search.
pub async fn find_user(name: &str) -> Result<Option<User>, ApiError> {
    let name = name.trim().trim_start_matches('@');
    let page = api::admin::users(name, None).await?;
    Ok(page
        .items
        .into_iter()
        .find(|u| u.username.eq_ignore_ascii_case(name)))
}

/// Replaces the loaded row with the same id (a decision taken, a reward edited) or, with
/// `insert`, puts a new one on top.
pub fn upsert<T: Send + Sync + 'static>(
    paged: Paged<T>,
    item: T,
    id: impl Fn(&T) -> i64,
    insert: bool,
) {
    let key = id(&item);
    paged.data.update(|d| {
        if let Some(Ok(list)) = d {
            match list.iter_mut().find(|x| id(x) == key) {
                Some(x) => *x = item,
                None if insert => list.insert(0, item),
                None => {}
            }
        }
    });
}
