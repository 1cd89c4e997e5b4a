//! An audit entry's `details` in Arabic: what changed, before → after (a role, an account's
//! status, a setting, a redemption's status, a balance, a key's settings, a name or address),
//! plus the labelled notes (note, reason, reference). What is not understood stays in the
//! entry's "raw" disclosure. Pure functions over the JSON (the SPA has no native unit tests;
//! admin_console.test.js checks a role change's before → after in the browser).

use serde_json::Value;

use crate::i18n;

/// Every action the server records, in the order the filter lists them.
pub const ACTIONS: &[&str] = &[
    "user.register",
    "user.create_admin",
    "user.login",
    "user.logout",
    "user.logout_all",
    "user.password_change",
    "user.password_reset",
    "user.password_reset_link",
    "user.profile_update",
    "user.identity_change",
    "user.role_change",
    "user.status_change",
    "session.end",
    "session.reuse_detected",
    "points.adjust",
    "competition.create",
    "competition.update",
    "competition.publish",
    "competition.results",
    "competition.finalize",
    "competition.delete",
    "reward.create",
    "reward.update",
    "reward.retire",
    "redemption.approve",
    "redemption.reject",
    "redemption.fulfill",
    "redemption.cancel",
    "package.create",
    "package.update",
    "package.delete",
    "purchase.record",
    "purchase.mark_paid",
    "purchase.cancel",
    "referral.approve",
    "referral.reject",
    "settings.update",
    "api_key.create",
    "api_key.update",
    "api_key.rotate",
    "api_key.revoke",
    "api_key.convert",
    "email.retry",
    "chat.room_create",
    "chat.room_update",
    "chat.room_delete",
    "chat.message_delete",
    "export.download",
];

/// Target types an admin can filter by (the server's `target_type` values).
pub const TARGETS: &[&str] = &[
    "user",
    "competition",
    "reward",
    "redemption",
    "package",
    "purchase",
    "referral",
    "setting",
    "api_key",
    "session",
    "chat_room",
    "chat_message",
];

/// One change: what, before, after (already in Arabic where the value is a code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub what: String,
    pub before: String,
    pub after: String,
}

/// What an entry's details say, readably.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Described {
    pub changes: Vec<Change>,
    /// Other labelled facts (a note, a reason, a reference).
    pub notes: Vec<(&'static str, String)>,
}

/// A value as text: strings as they are, codes translated, `null` as a dash.
fn text(field: &str, v: &Value) -> String {
    // A key's scopes by their Arabic labels («المسابقات · قراءة»).
    if let (Some(list), "scopes") = (v.as_array(), field) {
        return list
            .iter()
            .filter_map(Value::as_str)
            .map(|s| domain::api_scopes::ApiScope::parse(s).map_or(s, |s| s.label_ar()))
            .collect::<Vec<_>>()
            .join("، ");
    }
    match v {
        Value::Null => "—".to_owned(),
        Value::Bool(b) => if *b { i18n::AUDIT_YES } else { i18n::AUDIT_NO }.to_owned(),
        Value::String(s) => code_label(field, s).map_or_else(|| s.clone(), str::to_owned),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Arabic for the codes a change may carry (roles, account and redemption states).
fn code_label(field: &str, code: &str) -> Option<&'static str> {
    Some(match (field, code) {
        ("role", "admin") => i18n::ROLE_ADMIN,
        ("role", "user") => i18n::ROLE_USER,
        ("status", "active") => i18n::STATUS_ACTIVE,
        ("status", "suspended") => i18n::STATUS_SUSPENDED,
        ("status", s) => domain::redemptions::RedemptionStatus::parse(s)?.label_ar(),
        ("kind", k) => domain::api_scopes::ApiKeyKind::parse(k)?.label_ar(),
        _ => return None,
    })
}

/// The Arabic name of a changed field.
fn field_label(field: &str) -> String {
    let known = match field {
        "role" => i18n::AUDIT_F_ROLE,
        "status" => i18n::AUDIT_F_STATUS,
        "balance" => i18n::AUDIT_F_BALANCE,
        "display_name" => i18n::AUDIT_F_DISPLAY_NAME,
        "username" => i18n::AUDIT_F_USERNAME,
        "email" => i18n::AUDIT_F_EMAIL,
        "name" => i18n::AUDIT_F_NAME,
        "scopes" => i18n::AUDIT_F_SCOPES,
        "expires_at" => i18n::AUDIT_F_EXPIRES,
        "rate_limit_per_minute" => i18n::AUDIT_F_RATE,
        "award_max_per_call" => i18n::AUDIT_F_AWARD_CALL,
        "award_max_per_day" => i18n::AUDIT_F_AWARD_DAY,
        "kind" => i18n::AUDIT_F_KIND,
        "owner_id" => i18n::AUDIT_F_OWNER,
        "prefix" => i18n::AUDIT_F_PREFIX,
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    // A setting by its label (`payment_instructions` → «تعليمات الدفع»), else the raw key.
    domain::settings::find(field).map_or_else(|| field.to_owned(), |d| d.label.to_owned())
}

pub fn describe(action: &str, d: &Value) -> Described {
    let mut out = Described::default();
    let Some(obj) = d.as_object() else {
        return out;
    };
    // The field a plain `from`/`to` pair is about.
    let subject = match action {
        "user.role_change" => Some("role"),
        "user.status_change" => Some("status"),
        "settings.update" => obj.get("key").and_then(Value::as_str),
        a if a.starts_with("redemption.") => Some("status"),
        _ => None,
    };
    if let (Some(field), Some(from), Some(to)) = (subject, obj.get("from"), obj.get("to")) {
        out.changes.push(Change {
            what: field_label(field),
            before: text(field, from),
            after: text(field, to),
        });
    }
    // A manual balance change: the balance before is the one after minus the amount.
    if let (Some(amount), Some(after)) = (
        obj.get("amount").and_then(Value::as_i64),
        obj.get("balance_after").and_then(Value::as_i64),
    ) {
        out.changes.push(Change {
            what: i18n::AUDIT_F_BALANCE.to_owned(),
            before: (after - amount).to_string(),
            after: after.to_string(),
        });
    }
    // `{"changes": {"email": {"from": …, "to": …}}}` (an admin's edit of a name or address).
    if let Some(changes) = obj.get("changes").and_then(Value::as_object) {
        for (field, c) in changes {
            if let (Some(from), Some(to)) = (c.get("from"), c.get("to")) {
                out.changes.push(Change {
                    what: field_label(field),
                    before: text(field, from),
                    after: text(field, to),
                });
            }
        }
    }
    // `{"before": {…}, "after": {…}}` (an API key's settings): the fields that differ.
    if let (Some(before), Some(after)) = (
        obj.get("before").and_then(Value::as_object),
        obj.get("after").and_then(Value::as_object),
    ) {
        for (field, b) in before {
            let a = after.get(field).unwrap_or(&Value::Null);
            if a != b {
                out.changes.push(Change {
                    what: field_label(field),
                    before: text(field, b),
                    after: text(field, a),
                });
            }
        }
    }
    for (key, label) in [
        ("note", i18n::AUDIT_NOTE),
        ("reason", i18n::AUDIT_REASON),
        ("reference", i18n::AUDIT_REFERENCE),
        ("payment_reference", i18n::AUDIT_PAYMENT_REFERENCE),
        ("name", i18n::AUDIT_F_NAME),
        ("amount", i18n::AUDIT_AMOUNT),
        ("cost", i18n::AUDIT_COST),
        ("points", i18n::AUDIT_POINTS),
    ] {
        if let Some(v) = obj.get(key).filter(|v| !v.is_null() && *v != "") {
            out.notes.push((label, text(key, v)));
        }
    }
    out
}

/// The admin page of an audit entry's target, when it has one. A purchase is found by its
/// reference (in the details); a redemption opens its queue (there is no page per request).
pub fn target_href(kind: &str, id: &str, details: &Value) -> Option<String> {
    let numeric = id.parse::<i64>().is_ok();
    let reference = details.get("reference").and_then(Value::as_str);
    Some(match kind {
        "user" if numeric => format!("/admin?tab=users&user={id}"),
        "competition" if numeric => format!("/admin?tab=competitions&competition={id}"),
        "reward" if numeric => format!("/admin?tab=rewards&reward={id}"),
        "package" if numeric => format!("/admin?tab=packages&package={id}"),
        "redemption" => "/admin?tab=redemptions".to_owned(),
        "purchase" => match reference {
            Some(r) => format!(
                "/admin?tab=purchases&reference={}",
                js_sys::encode_uri_component(r)
            ),
            None => "/admin?tab=purchases".to_owned(),
        },
        "api_key" if numeric => format!("/admin?tab=api-keys&key={id}"),
        "setting" | "settings" => "/admin?tab=settings".to_owned(),
        "referral" => "/admin?tab=referrals".to_owned(),
        "held_transfer" if numeric => format!("/admin?tab=held-transfers&focus={id}"),
        "chat_room" => "/admin?tab=chat-rooms".to_owned(),
        _ => return None,
    })
}
