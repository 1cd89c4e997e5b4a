//! Friend Challenge (تحدي الصديق). A friend who registers with a code creates a referral; it
//! qualifies when a competition the friend took part in with real activity is finalized (a paid
//! entry fee, or a score of at least `referral_min_score` with a right answer), and then both
//! sides get their bonus exactly once (ledger award keys). Abuse rules flag a referral for admin
//! review instead of paying: the friend registering from the referrer's IP or device, the
//! referrer exceeding the daily cap, and at qualification a suspended friend or a friend holding
//! points the referrer sent them.

use chrono::Duration;
use domain::points::LedgerKind;
use domain::referrals::ReferralStatus;
use domain::settings as defs;
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};
use serde_json::json;

use crate::entities::{
    competition_answers, competitions, participations, points_transactions, referrals, users,
};
use crate::error::ApiError;
use crate::services::{ledger, notify, system_settings};

/// How long after the referrer was last seen on an IP a sign-up from that IP counts as theirs.
const SAME_IP_WINDOW_HOURS: i64 = 72;

/// Records a referral for a new account and applies the sign-up abuse rules.
pub async fn on_register(
    conn: &impl ConnectionTrait,
    referrer: &users::Model,
    referee: &users::Model,
    ip: Option<&str>,
    device_id: Option<&str>,
) -> Result<referrals::Model, ApiError> {
    let now = super::now();
    let mut reasons = Vec::new();
    let recent = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.is_some_and(|t| now - t < Duration::hours(SAME_IP_WINDOW_HOURS))
    };
    if let Some(ip) = ip {
        let same_registration =
            referrer.registration_ip.as_deref() == Some(ip) && recent(Some(referrer.created_at));
        let same_login =
            referrer.last_login_ip.as_deref() == Some(ip) && recent(referrer.last_login_at);
        if same_registration || same_login {
            reasons.push("same_ip");
        }
    }
    if device_id.is_some() && referrer.device_id.as_deref() == device_id {
        reasons.push("same_device");
    }
    let cap = system_settings::get_i64(conn, system_settings::REFERRAL_DAILY_CAP).await?;
    let today = referrals::Entity::find()
        .filter(referrals::Column::ReferrerId.eq(referrer.id))
        .filter(referrals::Column::CreatedAt.gt(now - Duration::hours(24)))
        .count(conn)
        .await?;
    if cap > 0 && today as i64 >= cap {
        reasons.push("daily_cap");
    }
    let status = if reasons.is_empty() {
        ReferralStatus::Pending
    } else {
        ReferralStatus::Flagged
    };
    let row = referrals::ActiveModel {
        referrer_id: Set(referrer.id),
        referee_id: Set(referee.id),
        code: Set(referrer.referral_code.clone()),
        status: Set(status.as_str().to_owned()),
        ip: Set(ip.map(str::to_owned)),
        device_id: Set(device_id.map(str::to_owned)),
        reasons: Set(json!(reasons)),
        referrer_bonus: Set(0),
        referee_bonus: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if status == ReferralStatus::Flagged {
        notify::admins(
            conn,
            "referral_flagged",
            notify::Severity::Warning,
            "دعوة صديق بحاجة إلى مراجعة",
            &format!("سجّل «{}» بدعوة من «{}» ووافقت الدعوة قواعد الاشتباه؛ لن تُصرف المكافأة إلا بعد موافقتك.", referee.username, referrer.username),
            json!({"referral_id": row.id, "referrer": referrer.username, "referee": referee.username, "reasons": reasons}),
        )
        .await?;
    }
    Ok(row)
}

/// Credits both bonuses once and marks the referral rewarded. The status change is conditional
/// (`from` → rewarded) and the two credits carry unique award keys, so a race pays once.
async fn pay(
    conn: &impl ConnectionTrait,
    referral: &referrals::Model,
    from: &[&str],
    actor: Option<i64>,
) -> Result<bool, ApiError> {
    let referrer_bonus = system_settings::get_i64(conn, system_settings::REFERRAL_REFERRER_BONUS)
        .await?
        .max(0);
    let referee_bonus = system_settings::get_i64(conn, system_settings::REFERRAL_REFEREE_BONUS)
        .await?
        .max(0);
    let now = super::now();
    let moved = referrals::Entity::update_many()
        .col_expr(
            referrals::Column::Status,
            Expr::value(ReferralStatus::Rewarded.as_str()),
        )
        .col_expr(
            referrals::Column::ReferrerBonus,
            Expr::value(referrer_bonus),
        )
        .col_expr(referrals::Column::RefereeBonus, Expr::value(referee_bonus))
        .col_expr(referrals::Column::RewardedAt, Expr::value(now))
        .col_expr(referrals::Column::UpdatedAt, Expr::value(now))
        .filter(referrals::Column::Id.eq(referral.id))
        .filter(referrals::Column::Status.is_in(from.iter().copied()))
        .exec(conn)
        .await?;
    if moved.rows_affected == 0 {
        return Ok(false);
    }
    let referee = super::users::get(conn, referral.referee_id).await?;
    let referrer = super::users::get(conn, referral.referrer_id).await?;
    for (user, amount, side, other) in [
        (&referrer, referrer_bonus, "referrer", &referee),
        (&referee, referee_bonus, "referee", &referrer),
    ] {
        if amount == 0 {
            continue;
        }
        let mut movement = ledger::Movement::new(user.id, amount, LedgerKind::ReferralBonus)
            .reason(format!("تحدي الصديق مع {}", other.username))
            .reference("referral", referral.id)
            .counterparty(other.id)
            .award_key(format!("referral:{}:{side}", referral.id));
        if let Some(actor) = actor {
            movement = movement.actor(actor);
        }
        ledger::award_once(conn, movement).await?;
        notify::user(
            conn,
            user.id,
            "referral_rewarded",
            "مكافأة تحدي الصديق",
            &format!(
                "حصلت على {amount} كربتو من تحدي الصديق مع {}.",
                other.username
            ),
            json!({"referral_id": referral.id, "amount": amount}),
        )
        .await?;
    }
    Ok(true)
}

/// Whether a finished participation shows real activity (issue 11, finding 4): the entry fee
/// was paid, or the score reaches `referral_min_score` (at least 1) and, in a quiz, at least one
/// answer was right. A throwaway account that joins a free quiz and hands in an empty answer
/// list is ranked (score 0) but does not qualify its referral.
async fn real_activity(
    conn: &impl ConnectionTrait,
    participation: &participations::Model,
) -> Result<bool, ApiError> {
    if participation.fee_paid > 0 {
        return Ok(true);
    }
    let min_score = system_settings::get_i64(conn, defs::REFERRAL_MIN_SCORE)
        .await?
        .max(1);
    if participation.score.unwrap_or(0) < min_score {
        return Ok(false);
    }
    let kind = competitions::Entity::find_by_id(participation.competition_id)
        .select_only()
        .column(competitions::Column::Kind)
        .into_tuple::<String>()
        .one(conn)
        .await?;
    if kind.as_deref() != Some("quiz") {
        // A judged score is a judge's, not something the participant could give themselves.
        return Ok(true);
    }
    let correct = competition_answers::Entity::find()
        .filter(competition_answers::Column::ParticipationId.eq(participation.id))
        .filter(competition_answers::Column::IsCorrect.eq(true))
        .count(conn)
        .await?;
    Ok(correct > 0)
}

/// Whether the referee holds points the referrer sent them: a referrer could otherwise pay a
/// throwaway account's entry fee and collect both bonuses.
async fn funded_by_referrer(
    conn: &impl ConnectionTrait,
    referral: &referrals::Model,
) -> Result<bool, ApiError> {
    let transfers = points_transactions::Entity::find()
        .filter(points_transactions::Column::UserId.eq(referral.referee_id))
        .filter(points_transactions::Column::Kind.eq(LedgerKind::TransferIn.as_str()))
        .filter(points_transactions::Column::CounterpartyId.eq(referral.referrer_id))
        .count(conn)
        .await?;
    Ok(transfers > 0)
}

/// Holds a pending referral for an admin's review with `reason`, and tells the admins.
async fn flag(
    conn: &impl ConnectionTrait,
    referral: &referrals::Model,
    reason: &str,
    body: &str,
) -> Result<(), ApiError> {
    referrals::Entity::update_many()
        .col_expr(
            referrals::Column::Status,
            Expr::value(ReferralStatus::Flagged.as_str()),
        )
        .col_expr(referrals::Column::Reasons, Expr::value(json!([reason])))
        .filter(referrals::Column::Id.eq(referral.id))
        .exec(conn)
        .await?;
    notify::admins(
        conn,
        "referral_flagged",
        notify::Severity::Warning,
        "دعوة صديق بحاجة إلى مراجعة",
        body,
        json!({"referral_id": referral.id, "reasons": [reason]}),
    )
    .await?;
    Ok(())
}

/// Called for each ranked participant when a competition is finalized: the first finished
/// competition that shows real activity ([`real_activity`]) qualifies the friend's referral.
/// Anything less leaves it pending, to qualify with a later competition.
pub async fn on_competition_completed(
    conn: &impl ConnectionTrait,
    participation: &participations::Model,
) -> Result<(), ApiError> {
    let user_id = participation.user_id;
    let Some(referral) = referrals::Entity::find()
        .filter(referrals::Column::RefereeId.eq(user_id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    if referral.qualified_at.is_some() || !real_activity(conn, participation).await? {
        return Ok(());
    }
    let now = super::now();
    referrals::Entity::update_many()
        .col_expr(referrals::Column::QualifiedAt, Expr::value(now))
        .col_expr(referrals::Column::UpdatedAt, Expr::value(now))
        .filter(referrals::Column::Id.eq(referral.id))
        .exec(conn)
        .await?;
    if referral.status != ReferralStatus::Pending.as_str() {
        // Flagged ones wait for an admin; rejected ones stay rejected.
        return Ok(());
    }
    let referee = super::users::get(conn, user_id).await?;
    if referee.status != "active" {
        let body = format!("تأهلت دعوة «{}» لكن حسابه موقوف.", referee.username);
        return flag(conn, &referral, "referee_suspended", &body).await;
    }
    if funded_by_referrer(conn, &referral).await? {
        let body = format!(
            "تأهلت دعوة «{}» بعد أن حوّل إليه صاحب الدعوة نقاطًا؛ لن تُصرف المكافأة إلا بعد موافقتك.",
            referee.username
        );
        return flag(conn, &referral, "funded_by_referrer", &body).await;
    }
    pay(conn, &referral, &[ReferralStatus::Pending.as_str()], None).await?;
    Ok(())
}

pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<referrals::Model, ApiError> {
    referrals::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Admin approval: pays a flagged, pending or qualified referral.
pub async fn approve(
    conn: &impl ConnectionTrait,
    id: i64,
    admin_id: i64,
) -> Result<referrals::Model, ApiError> {
    let referral = get(conn, id).await?;
    let from = [
        ReferralStatus::Flagged.as_str(),
        ReferralStatus::Pending.as_str(),
        ReferralStatus::Qualified.as_str(),
    ];
    if !pay(conn, &referral, &from, Some(admin_id)).await? {
        return Err(ApiError::Code(ErrorCode::InvalidTransition));
    }
    referrals::Entity::update_many()
        .col_expr(referrals::Column::DecidedBy, Expr::value(admin_id))
        .col_expr(referrals::Column::DecidedAt, Expr::value(super::now()))
        .filter(referrals::Column::Id.eq(id))
        .exec(conn)
        .await?;
    get(conn, id).await
}

pub async fn reject(
    conn: &impl ConnectionTrait,
    id: i64,
    admin_id: i64,
) -> Result<referrals::Model, ApiError> {
    get(conn, id).await?;
    let now = super::now();
    let moved = referrals::Entity::update_many()
        .col_expr(
            referrals::Column::Status,
            Expr::value(ReferralStatus::Rejected.as_str()),
        )
        .col_expr(referrals::Column::DecidedBy, Expr::value(admin_id))
        .col_expr(referrals::Column::DecidedAt, Expr::value(now))
        .col_expr(referrals::Column::UpdatedAt, Expr::value(now))
        .filter(referrals::Column::Id.eq(id))
        .filter(referrals::Column::Status.is_in([
            ReferralStatus::Flagged.as_str(),
            ReferralStatus::Pending.as_str(),
            ReferralStatus::Qualified.as_str(),
        ]))
        .exec(conn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(ApiError::Code(ErrorCode::InvalidTransition));
    }
    get(conn, id).await
}
