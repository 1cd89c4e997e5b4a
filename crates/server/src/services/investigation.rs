//! What an investigator sees and does about one account (issue 12): its risk record (flags,
//! linked accounts, sign-ins, sessions, referrals, competitions, held operations), clearing and
//! setting flags, ending sessions, lifting sign-in locks and address blocks; and the counts
//! behind the admin header badge and the dashboard cards.

use std::collections::HashMap;

use domain::auth::Session;
use domain::competitions::CompetitionStatus;
use domain::referrals::ReferralStatus;
use domain::safety::{
    HeldTransferStatus, LinkedAccount, RiskCompetition, RiskFlag, RiskReferral, RiskRule,
    SafetySummary, SignInRecord, UserRisk,
};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::config::RateLimits;
use crate::entities::{
    admin_notifications, api_failed_auth, competitions, held_transfers, login_attempts,
    participations, referrals, reward_redemptions, risk_flags, users,
};
use crate::error::ApiError;
use crate::routes::pagination::split_page;
use crate::services::{held_transfers as held_svc, redemptions, sessions, throttle};

/// The header badge and dashboard cards.
pub async fn summary(conn: &impl ConnectionTrait) -> Result<SafetySummary, ApiError> {
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    Ok(SafetySummary {
        unread_alerts: count(
            admin_notifications::Entity::find()
                .filter(admin_notifications::Column::ReadAt.is_null())
                .count(conn)
                .await?,
        ),
        open_flags: count(
            risk_flags::Entity::find()
                .filter(risk_flags::Column::ClearedAt.is_null())
                .count(conn)
                .await?,
        ),
        held_transfers: count(
            held_transfers::Entity::find()
                .filter(held_transfers::Column::Status.eq(HeldTransferStatus::Held.as_str()))
                .count(conn)
                .await?,
        ),
        held_redemptions: count(
            reward_redemptions::Entity::find()
                .filter(reward_redemptions::Column::Status.eq("pending"))
                .filter(reward_redemptions::Column::RiskReason.is_not_null())
                .count(conn)
                .await?,
        ),
    })
}

pub async fn flag_dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<risk_flags::Model>,
) -> Result<Vec<RiskFlag>, ApiError> {
    let ids = rows
        .iter()
        .flat_map(|r| std::iter::once(r.user_id).chain(r.cleared_by));
    let names = super::users::usernames(conn, ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let rule = RiskRule::parse(&r.rule).unwrap_or(RiskRule::Manual);
            RiskFlag {
                id: r.id,
                user_id: r.user_id,
                username: names.get(&r.user_id).cloned().unwrap_or_default(),
                rule,
                rule_label: rule.label_ar().to_owned(),
                reason: r.reason,
                details: r.details,
                created_at: r.created_at,
                cleared_at: r.cleared_at,
                cleared_by_username: r.cleared_by.and_then(|id| names.get(&id).cloned()),
                clear_note: r.clear_note,
            }
        })
        .collect())
}

/// A page of flags, newest first.
pub async fn list_flags(
    conn: &impl ConnectionTrait,
    open: Option<bool>,
    user_id: Option<i64>,
    cursor: Option<i64>,
    limit: u64,
) -> Result<(Vec<RiskFlag>, Option<String>), ApiError> {
    let mut q = risk_flags::Entity::find();
    match open {
        Some(true) => q = q.filter(risk_flags::Column::ClearedAt.is_null()),
        Some(false) => q = q.filter(risk_flags::Column::ClearedAt.is_not_null()),
        None => {}
    }
    if let Some(user) = user_id {
        q = q.filter(risk_flags::Column::UserId.eq(user));
    }
    if let Some(c) = cursor {
        q = q.filter(risk_flags::Column::Id.lt(c));
    }
    let rows = q
        .order_by_desc(risk_flags::Column::Id)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let (rows, next) = split_page(rows, limit, |r| r.id);
    Ok((flag_dtos(conn, rows).await?, next))
}

/// Clears an open flag, exactly once (409 when it was already cleared).
pub async fn clear_flag(
    conn: &impl ConnectionTrait,
    id: i64,
    admin_id: i64,
    note: String,
) -> Result<risk_flags::Model, ApiError> {
    let changed = risk_flags::Entity::update_many()
        .col_expr(risk_flags::Column::ClearedAt, Expr::value(super::now()))
        .col_expr(risk_flags::Column::ClearedBy, Expr::value(admin_id))
        .col_expr(risk_flags::Column::ClearNote, Expr::value(note))
        .filter(risk_flags::Column::Id.eq(id))
        .filter(risk_flags::Column::ClearedAt.is_null())
        .exec(conn)
        .await?;
    let row = risk_flags::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if changed.rows_affected == 0 {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "أُزيل هذا التعليم من قبل.",
        ));
    }
    // The alerts about the account stay until read: other flags may be open.
    Ok(row)
}

/// Lifts the sign-in lock and the API-key block of an address; returns the failures cleared
/// (sign-in, API key).
pub async fn unblock_address(
    conn: &impl ConnectionTrait,
    ip: &str,
) -> Result<(u64, u64), ApiError> {
    let logins = throttle::unblock_address(conn, ip).await?;
    let keys = api_failed_auth::Entity::update_many()
        .col_expr(
            api_failed_auth::Column::ClearedAt,
            Expr::value(super::now()),
        )
        .filter(api_failed_auth::Column::Ip.eq(ip))
        .filter(api_failed_auth::Column::ClearedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    Ok((logins, keys))
}

fn link_label(link: &str) -> &'static str {
    match link {
        "registration_ip" => "عنوان التسجيل نفسه",
        "last_login_ip" => "عنوان آخر دخول نفسه",
        "device" => "الجهاز نفسه",
        _ => "",
    }
}

/// Accounts sharing the registration address, the last sign-in address or the device cookie.
async fn linked_accounts(
    conn: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<Vec<LinkedAccount>, ApiError> {
    let mut any = Condition::any();
    let addresses: Vec<&str> = [
        user.registration_ip.as_deref(),
        user.last_login_ip.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|a| !a.is_empty())
    .collect();
    if !addresses.is_empty() {
        any = any
            .add(users::Column::RegistrationIp.is_in(addresses.clone()))
            .add(users::Column::LastLoginIp.is_in(addresses.clone()));
    }
    if let Some(device) = user.device_id.as_deref().filter(|d| !d.is_empty()) {
        any = any.add(users::Column::DeviceId.eq(device));
    }
    if addresses.is_empty() && user.device_id.is_none() {
        return Ok(Vec::new());
    }
    let others = users::Entity::find()
        .filter(users::Column::Id.ne(user.id))
        .filter(any)
        .order_by_asc(users::Column::Id)
        .limit(100)
        .all(conn)
        .await?;
    let ids: Vec<i64> = others.iter().map(|u| u.id).collect();
    let open_flags: HashMap<i64, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        risk_flags::Entity::find()
            .select_only()
            .column(risk_flags::Column::UserId)
            .column_as(risk_flags::Column::Id.count(), "n")
            .filter(risk_flags::Column::UserId.is_in(ids))
            .filter(risk_flags::Column::ClearedAt.is_null())
            .group_by(risk_flags::Column::UserId)
            .into_tuple::<(i64, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    let shares = |mine: Option<&str>, theirs: Option<&str>| matches!((mine, theirs), (Some(a), Some(b)) if !a.is_empty() && a == b);
    Ok(others
        .into_iter()
        .map(|o| {
            let mut links = Vec::new();
            let their_addresses = [o.registration_ip.as_deref(), o.last_login_ip.as_deref()];
            if their_addresses
                .iter()
                .any(|a| shares(user.registration_ip.as_deref(), *a))
            {
                links.push("registration_ip".to_owned());
            }
            if their_addresses
                .iter()
                .any(|a| shares(user.last_login_ip.as_deref(), *a))
            {
                links.push("last_login_ip".to_owned());
            }
            if shares(user.device_id.as_deref(), o.device_id.as_deref()) {
                links.push("device".to_owned());
            }
            LinkedAccount {
                link_labels: links.iter().map(|l| link_label(l).to_owned()).collect(),
                links,
                open_flags: open_flags.get(&o.id).copied().unwrap_or(0),
                id: o.id,
                username: o.username,
                display_name: o.display_name,
                status: o.status,
                points_balance: o.points_balance,
                created_at: o.created_at,
            }
        })
        .collect())
}

async fn referrals_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<(Vec<RiskReferral>, Option<RiskReferral>), ApiError> {
    let rows = referrals::Entity::find()
        .filter(
            Condition::any()
                .add(referrals::Column::ReferrerId.eq(user_id))
                .add(referrals::Column::RefereeId.eq(user_id)),
        )
        .order_by_desc(referrals::Column::Id)
        .limit(100)
        .all(conn)
        .await?;
    let names = super::users::usernames(
        conn,
        rows.iter().flat_map(|r| [r.referrer_id, r.referee_id]),
    )
    .await?;
    let mut made = Vec::new();
    let mut received = None;
    for r in rows {
        let other = if r.referrer_id == user_id {
            r.referee_id
        } else {
            r.referrer_id
        };
        let status = ReferralStatus::parse(&r.status);
        let dto = RiskReferral {
            id: r.id,
            other_user_id: other,
            other_username: names.get(&other).cloned().unwrap_or_default(),
            status: r.status.clone(),
            status_label: status.map_or("", |s| s.label_ar()).to_owned(),
            reasons: serde_json::from_value(r.reasons).unwrap_or_default(),
            created_at: r.created_at,
        };
        if r.referrer_id == user_id {
            made.push(dto);
        } else {
            received = Some(dto);
        }
    }
    Ok((made, received))
}

async fn competitions_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<RiskCompetition>, ApiError> {
    let rows = participations::Entity::find()
        .filter(participations::Column::UserId.eq(user_id))
        .order_by_desc(participations::Column::Id)
        .limit(20)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.competition_id).collect();
    let comps: HashMap<i64, competitions::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        competitions::Entity::find()
            .filter(competitions::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|p| {
            let c = comps.get(&p.competition_id);
            RiskCompetition {
                competition_id: p.competition_id,
                title: c.map(|c| c.title.clone()).unwrap_or_default(),
                status: c
                    .and_then(|c| CompetitionStatus::parse(&c.status))
                    .map_or("", |s| s.label_ar())
                    .to_owned(),
                score: p.score,
                joined_at: p.joined_at,
            }
        })
        .collect())
}

/// Everything an investigator needs about one account.
pub async fn user_risk(
    conn: &impl ConnectionTrait,
    limits: &RateLimits,
    user_id: i64,
) -> Result<UserRisk, ApiError> {
    let user = users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let sign_ins = login_attempts::Entity::find()
        .filter(login_attempts::Column::UserId.eq(user_id))
        .order_by_desc(login_attempts::Column::Id)
        .limit(20)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| SignInRecord {
            ip: a.ip,
            success: a.success,
            at: a.created_at,
        })
        .collect();
    let sessions = sessions::active(conn, user_id)
        .await?
        .into_iter()
        .map(|t| Session {
            current: false,
            id: t.family_id,
            created_at: t.family_created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
            ip: t.ip,
            user_agent: t.user_agent,
        })
        .collect();
    let flags = risk_flags::Entity::find()
        .filter(risk_flags::Column::UserId.eq(user_id))
        .order_by_desc(risk_flags::Column::Id)
        .limit(50)
        .all(conn)
        .await?;
    let (held, _) = held_svc::list(
        conn,
        held_svc::Filter {
            status: None,
            user_id: Some(user_id),
        },
        None,
        50,
    )
    .await?;
    let flagged_redemptions = reward_redemptions::Entity::find()
        .filter(reward_redemptions::Column::UserId.eq(user_id))
        .filter(reward_redemptions::Column::Status.eq("pending"))
        .filter(reward_redemptions::Column::RiskReason.is_not_null())
        .order_by_desc(reward_redemptions::Column::Id)
        .limit(50)
        .all(conn)
        .await?;
    let (referrals_made, referred_by) = referrals_of(conn, user_id).await?;
    Ok(UserRisk {
        user_id,
        username: user.username.clone(),
        registration_ip: user.registration_ip.clone(),
        device_id: user.device_id.clone(),
        last_login_ip: user.last_login_ip.clone(),
        last_login_at: user.last_login_at,
        sign_ins,
        login_locked: throttle::account_locked(conn, limits, user_id).await?,
        sessions,
        linked_accounts: linked_accounts(conn, &user).await?,
        flags: flag_dtos(conn, flags).await?,
        referrals_made,
        referred_by,
        competitions: competitions_of(conn, user_id).await?,
        held_transfers: held,
        held_redemptions: redemptions::to_dtos(conn, flagged_redemptions, true).await?,
    })
}
