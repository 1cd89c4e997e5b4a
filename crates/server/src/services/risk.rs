//! The fraud rules (issue 12, docs/SAFETY.md): account farms at registration, transfer velocity,
//! volume, fan-in and young accounts, redemption bursts, and the per-account flags they write.
//!
//! Each rule reads its thresholds from `system_settings` (`risk_*`) and can be switched off.
//! A flag never blocks an account on its own: it changes which operations are held for review.
//!
//! Concurrency: the transfer rules run inside the transfer's transaction after both accounts'
//! rows are locked (a no-op update, in id order), so parallel transfers of one sender, or into
//! one recipient, count each other: none slips past a threshold. SQLite has one writer, and the
//! lock is the transaction's first write, so the counts read after it are current.

use chrono::Duration;
use domain::safety::RiskRule;
use domain::settings as keys;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::entities::{
    admin_notifications, reward_redemptions, risk_flags, system_settings, users,
};
use crate::error::ApiError;
use crate::services::notify::Severity;

/// The fraud rules' thresholds, read in one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskSettings {
    pub farm_enabled: bool,
    pub farm_max_accounts: i64,
    pub farm_window_hours: i64,
    pub transfer_enabled: bool,
    pub transfer_max_per_hour: i64,
    pub transfer_max_points_per_hour: i64,
    pub fan_in_max_senders: i64,
    pub young_account_days: i64,
    pub young_account_max_points: i64,
    pub redemption_enabled: bool,
    pub redemption_max_per_hour: i64,
}

impl RiskSettings {
    pub async fn load(conn: &impl ConnectionTrait) -> Result<Self, ApiError> {
        let stored: std::collections::HashMap<String, Value> = system_settings::Entity::find()
            .filter(system_settings::Column::Key.is_in(keys::RISK_KEYS))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.key, r.value))
            .collect();
        let value = |key: &str| {
            let def = keys::find(key);
            stored
                .get(key)
                .and_then(|v| def.and_then(|d| d.validate(v).ok()))
                .or_else(|| def.map(keys::SettingDef::default_value))
                .unwrap_or(Value::Null)
        };
        let int = |key: &str| value(key).as_i64().unwrap_or(0);
        let flag = |key: &str| value(key).as_bool().unwrap_or(false);
        Ok(Self {
            farm_enabled: flag(keys::RISK_FARM_ENABLED),
            farm_max_accounts: int(keys::RISK_FARM_MAX_ACCOUNTS),
            farm_window_hours: int(keys::RISK_FARM_WINDOW_HOURS),
            transfer_enabled: flag(keys::RISK_TRANSFER_ENABLED),
            transfer_max_per_hour: int(keys::RISK_TRANSFER_MAX_PER_HOUR),
            transfer_max_points_per_hour: int(keys::RISK_TRANSFER_MAX_POINTS_PER_HOUR),
            fan_in_max_senders: int(keys::RISK_FAN_IN_MAX_SENDERS),
            young_account_days: int(keys::RISK_YOUNG_ACCOUNT_DAYS),
            young_account_max_points: int(keys::RISK_YOUNG_ACCOUNT_MAX_POINTS),
            redemption_enabled: flag(keys::RISK_REDEMPTION_ENABLED),
            redemption_max_per_hour: int(keys::RISK_REDEMPTION_MAX_PER_HOUR),
        })
    }
}

/// An alert for the admin inbox, with what it is about.
pub struct Alert<'a> {
    pub kind: &'a str,
    pub severity: Severity,
    pub title: String,
    pub body: String,
    pub payload: Value,
    pub subject: Option<(&'a str, i64)>,
    /// Alerts with the same key are written once (a unique index).
    pub dedupe_key: Option<String>,
}

/// Writes the alert unless one with its `dedupe_key` exists; true when written.
pub async fn alert(conn: &impl ConnectionTrait, a: Alert<'_>) -> Result<bool, ApiError> {
    let row = admin_notifications::ActiveModel {
        kind: Set(a.kind.to_owned()),
        severity: Set(a.severity.as_str().to_owned()),
        title: Set(a.title),
        body: Set(a.body),
        payload: Set(a.payload),
        created_at: Set(super::now()),
        subject_type: Set(a.subject.map(|(t, _)| t.to_owned())),
        subject_id: Set(a.subject.map(|(_, id)| id)),
        dedupe_key: Set(a.dedupe_key),
        ..Default::default()
    };
    let inserted = admin_notifications::Entity::insert(row)
        .on_conflict(
            OnConflict::column(admin_notifications::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted > 0)
}

/// Marks the alerts about one subject read (an admin acted on it).
pub async fn resolve_alerts(
    conn: &impl ConnectionTrait,
    subject_type: &str,
    subject_id: i64,
    admin_id: i64,
) -> Result<(), ApiError> {
    admin_notifications::Entity::update_many()
        .col_expr(
            admin_notifications::Column::ReadAt,
            Expr::value(super::now()),
        )
        .col_expr(admin_notifications::Column::ReadBy, Expr::value(admin_id))
        .filter(admin_notifications::Column::SubjectType.eq(subject_type))
        .filter(admin_notifications::Column::SubjectId.eq(subject_id))
        .filter(admin_notifications::Column::ReadAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Flags an account.
pub async fn flag(
    conn: &impl ConnectionTrait,
    user_id: i64,
    rule: RiskRule,
    reason: String,
    details: Value,
) -> Result<risk_flags::Model, ApiError> {
    Ok(risk_flags::ActiveModel {
        user_id: Set(user_id),
        rule: Set(rule.as_str().to_owned()),
        reason: Set(reason),
        details: Set(details),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Whether the account has a flag no admin has cleared.
pub async fn has_open_flag(conn: &impl ConnectionTrait, user_id: i64) -> Result<bool, ApiError> {
    Ok(risk_flags::Entity::find()
        .filter(risk_flags::Column::UserId.eq(user_id))
        .filter(risk_flags::Column::ClearedAt.is_null())
        .count(conn)
        .await?
        > 0)
}

/// Advisory-lock namespace of the account-farm rule (one registration per address at a time).
const FARM_LOCK_CLASS: i32 = 0x6d71_6661; // "mqfa"

/// The account-farm rule, run in the registration's transaction after the account is inserted:
/// more than `farm_max_accounts` accounts from this address (or device cookie) within the
/// window flags the new account; the admins get one alert per cluster (the cluster is named by
/// its oldest account in the window, so every further account of it finds the same alert).
pub async fn on_register(
    conn: &impl ConnectionTrait,
    settings: &RiskSettings,
    user: &users::Model,
) -> Result<(), ApiError> {
    if !settings.farm_enabled {
        return Ok(());
    }
    let since = super::now() - Duration::hours(settings.farm_window_hours);
    let links = [
        (
            "ip",
            users::Column::RegistrationIp,
            user.registration_ip.as_deref(),
        ),
        ("device", users::Column::DeviceId, user.device_id.as_deref()),
    ];
    for (link, column, value) in links {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        if conn.get_database_backend() == DbBackend::Postgres {
            let digest = Sha256::digest(format!("{link}:{value}").as_bytes());
            let key = i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
            conn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1, $2)",
                [FARM_LOCK_CLASS.into(), key.into()],
            ))
            .await?;
        }
        let cluster: Vec<(i64, String)> = users::Entity::find()
            .select_only()
            .columns([users::Column::Id, users::Column::Username])
            .filter(column.eq(value))
            .filter(users::Column::CreatedAt.gte(since))
            .order_by_asc(users::Column::Id)
            .limit(200)
            .into_tuple()
            .all(conn)
            .await?;
        let count = cluster.len() as i64;
        if count <= settings.farm_max_accounts {
            continue;
        }
        let (first_id, _) = cluster[0];
        let where_ar = if link == "ip" {
            format!("العنوان {value}")
        } else {
            "الجهاز نفسه".to_owned()
        };
        let hours = settings.farm_window_hours;
        let reason = format!(
            "الحساب رقم {count} المنشأ من {where_ar} خلال {hours} ساعة (الحد {}).",
            settings.farm_max_accounts
        );
        let usernames: Vec<&str> = cluster.iter().map(|(_, u)| u.as_str()).collect();
        let details =
            json!({"link": link, "value": value, "accounts": count, "usernames": usernames});
        let flag = flag(conn, user.id, RiskRule::AccountFarm, reason, details).await?;
        alert(
            conn,
            Alert {
                kind: "account_farm",
                severity: Severity::Warning,
                title: "مزرعة حسابات محتملة".to_owned(),
                body: format!(
                    "أُنشئ {count} حسابات من {where_ar} خلال {hours} ساعة (الحد {}). عُلّم الحساب {} وكل حساب يليه من المجموعة؛ راجع الحسابات المرتبطة.",
                    settings.farm_max_accounts, user.username
                ),
                payload: json!({"user_id": user.id, "username": user.username, "flag_id": flag.id, "link": link, "value": value, "first_account_id": first_id}),
                subject: Some(("user", user.id)),
                dedupe_key: Some(format!("account_farm:{link}:{value}:{first_id}")),
            },
        )
        .await?;
        // One flag per registration, even when both the address and the device match.
        return Ok(());
    }
    Ok(())
}

/// Locks the account rows (a no-op update), in id order, for the rest of the transaction.
pub async fn lock_accounts(conn: &impl ConnectionTrait, ids: &[i64]) -> Result<(), ApiError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        users::Entity::update_many()
            .col_expr(users::Column::Id, Expr::col(users::Column::Id))
            .filter(users::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Why a transfer is held: the rules that fired, the main one first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub rules: Vec<RiskRule>,
    pub reason: String,
    pub details: Value,
}

#[derive(Debug, FromQueryResult)]
struct SenderHour {
    transfers: i64,
    points: i64,
}

/// The transfer rules, in the transfer's transaction after [`lock_accounts`] on both accounts.
/// `None`: the transfer goes through; otherwise it is held.
pub async fn check_transfer(
    conn: &impl ConnectionTrait,
    settings: &RiskSettings,
    sender: &users::Model,
    recipient_id: i64,
    amount: i64,
) -> Result<Option<Hold>, ApiError> {
    if !settings.transfer_enabled {
        return Ok(None);
    }
    let now = super::now();
    let hour_ago = now - Duration::hours(1);
    let backend = conn.get_database_backend();
    let p = |n: usize| {
        if backend == DbBackend::Postgres {
            format!("${n}")
        } else {
            "?".to_owned()
        }
    };
    // What the sender sent in the last hour, held transfers included.
    let sent = SenderHour::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT COUNT(*) AS transfers, CAST(COALESCE(-SUM(amount), 0) AS BIGINT) AS points \
             FROM points_transactions WHERE user_id = {} AND kind IN ('transfer_out', 'transfer_hold') \
             AND created_at >= {}",
            p(1),
            p(2)
        ),
        [sender.id.into(), hour_ago.into()],
    ))
    .one(conn)
    .await?
    .unwrap_or(SenderHour {
        transfers: 0,
        points: 0,
    });
    // Who sent to the recipient in the last hour (completed or held).
    let senders: Vec<i64> = {
        #[derive(FromQueryResult)]
        struct Sender {
            sender: i64,
        }
        Sender::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT counterparty_id AS sender FROM points_transactions \
                 WHERE user_id = {} AND kind = 'transfer_in' AND created_at >= {} AND counterparty_id IS NOT NULL \
                 UNION SELECT sender_id AS sender FROM held_transfers WHERE recipient_id = {} AND created_at >= {}",
                p(1),
                p(2),
                p(3),
                p(4)
            ),
            [
                recipient_id.into(),
                hour_ago.into(),
                recipient_id.into(),
                hour_ago.into(),
            ],
        ))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.sender)
        .collect()
    };
    let flagged = has_open_flag(conn, sender.id).await?;

    let mut rules = Vec::new();
    let mut reasons = Vec::new();
    if flagged {
        rules.push(RiskRule::FlaggedSender);
        reasons.push("حساب المرسل معلَّم بانتظار المراجعة.".to_owned());
    }
    if sent.transfers + 1 > settings.transfer_max_per_hour {
        rules.push(RiskRule::TransferVelocity);
        reasons.push(format!(
            "هذا التحويل رقم {} للمرسل خلال ساعة (الحد {}).",
            sent.transfers + 1,
            settings.transfer_max_per_hour
        ));
    }
    if sent.points + amount > settings.transfer_max_points_per_hour {
        rules.push(RiskRule::TransferVolume);
        reasons.push(format!(
            "يبلغ ما أرسله خلال ساعة {} كربتو (الحد {}).",
            sent.points + amount,
            settings.transfer_max_points_per_hour
        ));
    }
    let distinct = senders.len() as i64;
    if !senders.contains(&sender.id) && distinct + 1 > settings.fan_in_max_senders {
        rules.push(RiskRule::TransferFanIn);
        reasons.push(format!(
            "المستلم تلقى من {} مرسلين مختلفين خلال ساعة (الحد {}).",
            distinct + 1,
            settings.fan_in_max_senders
        ));
    }
    let age = now - sender.created_at;
    if age < Duration::days(settings.young_account_days)
        && amount > settings.young_account_max_points
    {
        rules.push(RiskRule::YoungAccount);
        reasons.push(format!(
            "عمر حساب المرسل {} يوم وقيمة التحويل {amount} كربتو (الحد {} للحسابات الأحدث من {} أيام).",
            age.num_days(),
            settings.young_account_max_points,
            settings.young_account_days
        ));
    }
    if rules.is_empty() {
        return Ok(None);
    }
    Ok(Some(Hold {
        reason: reasons.join(" "),
        details: json!({
            "sent_last_hour": sent.transfers,
            "points_last_hour": sent.points,
            "recipient_senders_last_hour": distinct,
            "sender_flagged": flagged,
            "sender_age_days": age.num_days(),
        }),
        rules,
    }))
}

/// The redemption rules, after the user's row is locked: why this redemption is flagged for a
/// closer look, or `None`.
pub async fn check_redemption(
    conn: &impl ConnectionTrait,
    settings: &RiskSettings,
    user_id: i64,
) -> Result<Option<(RiskRule, String)>, ApiError> {
    if !settings.redemption_enabled {
        return Ok(None);
    }
    if has_open_flag(conn, user_id).await? {
        return Ok(Some((
            RiskRule::FlaggedRedeemer,
            "طلب من حساب معلَّم بانتظار المراجعة.".to_owned(),
        )));
    }
    let recent = reward_redemptions::Entity::find()
        .filter(reward_redemptions::Column::UserId.eq(user_id))
        .filter(reward_redemptions::Column::CreatedAt.gte(super::now() - Duration::hours(1)))
        .count(conn)
        .await? as i64;
    if recent + 1 > settings.redemption_max_per_hour {
        return Ok(Some((
            RiskRule::RedemptionBurst,
            format!(
                "الطلب رقم {} للمستخدم خلال ساعة (الحد {}).",
                recent + 1,
                settings.redemption_max_per_hour
            ),
        )));
    }
    Ok(None)
}

/// Alerts the admins about a flagged redemption: once per user and hour for bursts.
pub async fn alert_redemption(
    conn: &impl ConnectionTrait,
    redemption_id: i64,
    user: (i64, &str),
    rule: RiskRule,
    reason: &str,
) -> Result<(), ApiError> {
    let hour = super::now().timestamp().div_euclid(3600);
    alert(
        conn,
        Alert {
            kind: "redemption_held",
            severity: Severity::Warning,
            title: "طلب استبدال بحاجة إلى تدقيق".to_owned(),
            body: format!("طلب {} استبدال مكافأة: {reason}", user.1),
            payload: json!({"redemption_id": redemption_id, "user_id": user.0, "username": user.1, "rule": rule.as_str()}),
            subject: Some(("redemption", redemption_id)),
            dedupe_key: (rule == RiskRule::RedemptionBurst)
                .then(|| format!("redemption_burst:{}:{hour}", user.0)),
        },
    )
    .await?;
    Ok(())
}
