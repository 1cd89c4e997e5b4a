//! The admin alert inbox (issue 12): each alert with its Arabic kind, what it is about, and the
//! actions an admin can take on it now — worked out from the subject's current state, so an
//! alert whose transfer was already released offers nothing, and two admins acting at once
//! meet the subject's own exactly-once rule (the loser gets 409).

use std::collections::{HashMap, HashSet};

use domain::admin::AdminNotification;
use domain::safety::{AlertAction, AlertSubject, HeldTransferStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{json, Value};

use crate::entities::{
    admin_notifications as notes, held_transfers, referrals, reward_redemptions, risk_flags, users,
};
use crate::error::ApiError;

/// Every alert kind the platform writes, with its Arabic name (the inbox filter lists these).
pub const KINDS: &[(&str, &str)] = &[
    ("transfer_held", "تحويل معلّق للمراجعة"),
    ("account_farm", "مزرعة حسابات محتملة"),
    ("redemption_held", "استبدال بحاجة إلى تدقيق"),
    ("referral_flagged", "دعوة بحاجة إلى مراجعة"),
    ("login_throttled_account", "قفل تسجيل الدخول لحساب"),
    ("login_throttled_ip", "قفل تسجيل الدخول لعنوان"),
    ("refresh_token_reuse", "إعادة استعمال رمز تحديث"),
    ("api_key_ip_blocked", "حظر عنوان يجرّب مفاتيح الربط"),
    ("bearer_token_failures", "رموز دخول مرفوضة متكررة"),
    ("purchase_requested", "طلب شراء باقة"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("تنبيه", |(_, label)| label)
}

fn id_in(payload: &Value, field: &str) -> Option<i64> {
    payload.get(field).and_then(Value::as_i64)
}

fn text_in<'a>(payload: &'a Value, field: &str) -> Option<&'a str> {
    payload
        .get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The subject of an alert: its own columns, or for alerts written before they existed, what
/// its payload names.
fn subject_of(row: &notes::Model) -> Option<(String, Option<i64>)> {
    if let (Some(kind), id) = (&row.subject_type, row.subject_id) {
        return Some((kind.clone(), id));
    }
    let p = &row.payload;
    match row.kind.as_str() {
        "referral_flagged" => id_in(p, "referral_id").map(|id| ("referral".into(), Some(id))),
        "purchase_requested" => id_in(p, "purchase_id").map(|id| ("purchase".into(), Some(id))),
        "login_throttled_account" | "refresh_token_reuse" => match id_in(p, "user_id") {
            Some(id) => Some(("user".into(), Some(id))),
            None => text_in(p, "ip").map(|_| ("address".into(), None)),
        },
        "login_throttled_ip" | "api_key_ip_blocked" | "bearer_token_failures" => {
            text_in(p, "ip").map(|_| ("address".into(), None))
        }
        _ => None,
    }
}

fn action(
    code: &str,
    label: &str,
    method: &str,
    path: String,
    body: Option<Value>,
    note_required: bool,
    danger: bool,
) -> AlertAction {
    AlertAction {
        action: code.to_owned(),
        label: label.to_owned(),
        method: method.to_owned(),
        path,
        body,
        note_required,
        danger,
    }
}

const API: &str = "/api/v1/admin";

/// The current state of every subject a page of alerts names, read in a few queries.
#[derive(Default)]
struct States {
    held: HashMap<i64, (String, String, String)>,
    referrals: HashMap<i64, String>,
    redemptions: HashMap<i64, String>,
    users: HashMap<i64, (String, String)>,
    open_flags: HashSet<i64>,
}

async fn states(conn: &impl ConnectionTrait, rows: &[notes::Model]) -> Result<States, ApiError> {
    let mut ids: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut flag_ids = Vec::new();
    for row in rows {
        if let Some((kind, Some(id))) = subject_of(row) {
            let kind = match kind.as_str() {
                "held_transfer" => "held_transfer",
                "referral" => "referral",
                "redemption" => "redemption",
                "user" => "user",
                _ => continue,
            };
            ids.entry(kind).or_default().push(id);
        }
        if let Some(id) = id_in(&row.payload, "flag_id") {
            flag_ids.push(id);
        }
        for field in ["user_id", "sender_id"] {
            if let Some(id) = id_in(&row.payload, field) {
                ids.entry("user").or_default().push(id);
            }
        }
    }
    let mut s = States::default();
    if let Some(list) = ids.remove("held_transfer") {
        let rows: Vec<held_transfers::Model> = held_transfers::Entity::find()
            .filter(held_transfers::Column::Id.is_in(list))
            .all(conn)
            .await?;
        let names: HashMap<i64, String> = users::Entity::find()
            .select_only()
            .columns([users::Column::Id, users::Column::Username])
            .filter(
                users::Column::Id.is_in(rows.iter().flat_map(|r| [r.sender_id, r.recipient_id])),
            )
            .into_tuple::<(i64, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        for r in rows {
            let name = |id| names.get(&id).cloned().unwrap_or_default();
            s.held.insert(
                r.id,
                (
                    r.status.clone(),
                    format!(
                        "{} ← {} كربتو ← {}",
                        name(r.sender_id),
                        r.amount,
                        name(r.recipient_id)
                    ),
                    String::new(),
                ),
            );
        }
    }
    if let Some(list) = ids.remove("referral") {
        s.referrals = referrals::Entity::find()
            .select_only()
            .columns([referrals::Column::Id, referrals::Column::Status])
            .filter(referrals::Column::Id.is_in(list))
            .into_tuple::<(i64, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    }
    if let Some(list) = ids.remove("redemption") {
        s.redemptions = reward_redemptions::Entity::find()
            .select_only()
            .columns([
                reward_redemptions::Column::Id,
                reward_redemptions::Column::Status,
            ])
            .filter(reward_redemptions::Column::Id.is_in(list))
            .into_tuple::<(i64, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    }
    if let Some(list) = ids.remove("user") {
        s.users = users::Entity::find()
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::Username,
                users::Column::Status,
            ])
            .filter(users::Column::Id.is_in(list))
            .into_tuple::<(i64, String, String)>()
            .all(conn)
            .await?
            .into_iter()
            .map(|(id, name, status)| (id, (name, status)))
            .collect();
    }
    if !flag_ids.is_empty() {
        s.open_flags = risk_flags::Entity::find()
            .select_only()
            .column(risk_flags::Column::Id)
            .filter(risk_flags::Column::Id.is_in(flag_ids))
            .filter(risk_flags::Column::ClearedAt.is_null())
            .into_tuple::<i64>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
    }
    Ok(s)
}

/// Actions that concern a user named by the alert: clear its flag, unlock, suspend.
fn user_actions(row: &notes::Model, user_id: i64, s: &States, out: &mut Vec<AlertAction>) {
    if let Some(flag) = id_in(&row.payload, "flag_id").filter(|f| s.open_flags.contains(f)) {
        out.push(action(
            "clear_flag",
            "إزالة التعليم",
            "POST",
            format!("{API}/risk-flags/{flag}/clear"),
            None,
            true,
            false,
        ));
    }
    if row.kind == "login_throttled_account" {
        out.push(action(
            "unlock_account",
            "فك قفل الدخول",
            "POST",
            format!("{API}/users/{user_id}/unlock"),
            None,
            false,
            false,
        ));
    }
    if s.users
        .get(&user_id)
        .is_some_and(|(_, status)| status == "active")
    {
        out.push(action(
            "suspend_user",
            "إيقاف الحساب",
            "PATCH",
            format!("{API}/users/{user_id}"),
            Some(json!({"status": "suspended"})),
            true,
            true,
        ));
    }
}

fn actions_for(
    row: &notes::Model,
    subject: Option<&(String, Option<i64>)>,
    s: &States,
) -> Vec<AlertAction> {
    let mut out = Vec::new();
    match subject {
        Some((kind, Some(id))) if kind == "held_transfer" => {
            if s.held
                .get(id)
                .is_some_and(|(status, _, _)| status == HeldTransferStatus::Held.as_str())
            {
                out.push(action(
                    "release_transfer",
                    "الإفراج عن التحويل",
                    "POST",
                    format!("{API}/held-transfers/{id}/release"),
                    None,
                    false,
                    true,
                ));
                out.push(action(
                    "reject_transfer",
                    "رفض التحويل وإعادة النقاط",
                    "POST",
                    format!("{API}/held-transfers/{id}/reject"),
                    None,
                    true,
                    true,
                ));
            }
            if let Some(sender) = id_in(&row.payload, "sender_id") {
                user_actions(row, sender, s, &mut out);
            }
        }
        Some((kind, Some(id)))
            if kind == "referral"
                && s.referrals.get(id).is_some_and(|st| {
                    ["flagged", "pending", "qualified"].contains(&st.as_str())
                }) =>
        {
            out.push(action(
                "approve_referral",
                "قبول الدعوة",
                "POST",
                format!("{API}/referrals/{id}/approve"),
                None,
                false,
                false,
            ));
            out.push(action(
                "reject_referral",
                "رفض الدعوة",
                "POST",
                format!("{API}/referrals/{id}/reject"),
                None,
                false,
                true,
            ));
        }
        Some((kind, Some(id))) if kind == "redemption" => {
            if s.redemptions.get(id).is_some_and(|st| st == "pending") {
                out.push(action(
                    "approve_redemption",
                    "قبول الطلب",
                    "POST",
                    format!("{API}/redemptions/{id}/approve"),
                    None,
                    false,
                    false,
                ));
                out.push(action(
                    "reject_redemption",
                    "رفض الطلب وإعادة النقاط",
                    "POST",
                    format!("{API}/redemptions/{id}/reject"),
                    None,
                    true,
                    true,
                ));
            }
            if let Some(user) = id_in(&row.payload, "user_id") {
                user_actions(row, user, s, &mut out);
            }
        }
        Some((kind, Some(id))) if kind == "user" => user_actions(row, *id, s, &mut out),
        _ => {}
    }
    if let Some(ip) = text_in(&row.payload, "ip").filter(|_| {
        matches!(
            row.kind.as_str(),
            "login_throttled_ip"
                | "api_key_ip_blocked"
                | "bearer_token_failures"
                | "login_throttled_account"
        )
    }) {
        out.push(action(
            "unblock_address",
            "رفع الحظر عن العنوان",
            "POST",
            format!("{API}/blocked-addresses/unblock"),
            Some(json!({"ip": ip})),
            false,
            false,
        ));
    }
    out
}

fn subject_label(kind: &str, id: Option<i64>, row: &notes::Model, s: &States) -> String {
    match (kind, id) {
        ("held_transfer", Some(id)) => s
            .held
            .get(&id)
            .map(|(_, label, _)| label.clone())
            .unwrap_or_else(|| format!("التحويل المعلّق رقم {id}")),
        ("user", Some(id)) => s
            .users
            .get(&id)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| format!("المستخدم رقم {id}")),
        ("referral", Some(id)) => format!("الدعوة رقم {id}"),
        ("redemption", Some(id)) => format!("طلب الاستبدال رقم {id}"),
        ("purchase", Some(id)) => format!("طلب الشراء رقم {id}"),
        ("api_key", Some(id)) => format!("المفتاح رقم {id}"),
        ("address", _) => text_in(&row.payload, "ip").unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

/// Rows → the inbox's items.
pub async fn to_dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<notes::Model>,
) -> Result<Vec<AdminNotification>, ApiError> {
    let s = states(conn, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let subject = subject_of(&r);
            let actions = actions_for(&r, subject.as_ref(), &s);
            let subject = subject.map(|(kind, id)| AlertSubject {
                label: subject_label(&kind, id, &r, &s),
                kind,
                id,
            });
            AdminNotification {
                kind_label: kind_label(&r.kind).to_owned(),
                id: r.id,
                kind: r.kind,
                severity: r.severity,
                title: r.title,
                body: r.body,
                payload: r.payload,
                read_at: r.read_at,
                created_at: r.created_at,
                subject,
                actions,
            }
        })
        .collect())
}
