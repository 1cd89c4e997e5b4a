//! Finalizing a competition: ranks, prizes, participation points, notifications and the audit
//! entry, all in the caller's ONE transaction.
//!
//! The first statement is the conditional `ended → finalized` update: a second finalization
//! (a retry, another admin, the scheduler on another replica) finds zero rows and answers 409
//! having changed nothing. Every credit also carries a unique `award_key`
//! (`competition:{id}:user:{uid}:prize|participation`), so even a bug that got past the status
//! guard could not pay twice: the unique index would fail the whole transaction.

use chrono::{DateTime, Utc};
use domain::competitions::{CompetitionStatus, FinalizeReport};
use domain::points::LedgerKind;
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::entities::{competitions as comp, participations as part};
use crate::error::ApiError;
use crate::services::competitions::{find, kind_of, prizes_of, step, Actor};
use crate::services::{ledger, notify};

struct Outcome {
    participation: part::Model,
    rank: i64,
    prize: i64,
    participation_points: i64,
}

pub async fn finalize(
    conn: &impl ConnectionTrait,
    id: i64,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<FinalizeReport, ApiError> {
    // Persist the clock first, so a competition past its end can be finalized right away.
    step(conn, Some(id), now).await?;
    let finalized = comp::Entity::update_many()
        .col_expr(comp::Column::Status, Expr::val("finalized"))
        .col_expr(comp::Column::FinalizedAt, Expr::val(now))
        .col_expr(comp::Column::UpdatedAt, Expr::val(now))
        .filter(comp::Column::Id.eq(id))
        .filter(comp::Column::Status.eq("ended"))
        .exec(conn)
        .await?
        .rows_affected;
    let m = find(conn, id).await?;
    if finalized == 0 {
        let message = match crate::services::competitions::stored_status(&m) {
            CompetitionStatus::Finalized => "اعتُمدت نتائج هذه المسابقة من قبل.",
            _ => "لا تُعتمد النتائج إلا بعد انتهاء المسابقة.",
        };
        return Err(ApiError::message(ErrorCode::InvalidTransition, message));
    }

    let rows = part::Entity::find()
        .filter(part::Column::CompetitionId.eq(id))
        .filter(part::Column::Status.is_in(crate::services::participation::active_statuses()))
        .order_by_desc(part::Column::Score)
        .order_by_asc(part::Column::SubmittedAt)
        .order_by_asc(part::Column::UserId)
        .all(conn)
        .await?;
    let prizes = prizes_of(&m);
    // Backends sort NULL scores differently, which only moves the unranked rows.
    let (scored, unranked): (Vec<part::Model>, Vec<part::Model>) = rows
        .into_iter()
        .partition(|p| p.status == "submitted" && p.score.is_some());
    let mut ranked: Vec<Outcome> = scored
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let rank = i as i64 + 1;
            Outcome {
                prize: prizes
                    .iter()
                    .find(|z| z.rank == rank)
                    .map_or(0, |z| z.points),
                participation_points: m.participation_points,
                rank,
                participation: p,
            }
        })
        .collect();

    // Credits in user-id order, the order transfers lock balances in: no deadlocks.
    ranked.sort_by_key(|o| o.participation.user_id);
    let reason_prize = |rank: i64| format!("جائزة المركز {rank} في «{}»", m.title);
    let reason_participation = format!("نقاط المشاركة في «{}»", m.title);
    for o in &ranked {
        let uid = o.participation.user_id;
        if o.prize > 0 {
            let mv = ledger::Movement::new(uid, o.prize, LedgerKind::CompetitionPrize)
                .reference("competition", id)
                .reason(reason_prize(o.rank))
                .award_key(format!("competition:{id}:user:{uid}:prize"));
            ledger::apply(conn, with_actor(mv, actor)).await?;
        }
        if o.participation_points > 0 {
            let mv = ledger::Movement::new(uid, o.participation_points, LedgerKind::Participation)
                .reference("competition", id)
                .reason(reason_participation.clone())
                .award_key(format!("competition:{id}:user:{uid}:participation"));
            ledger::apply(conn, with_actor(mv, actor)).await?;
        }
        let awarded = o.prize + o.participation_points;
        part::Entity::update_many()
            .col_expr(
                part::Column::Rank,
                Expr::val(i32::try_from(o.rank).unwrap_or(i32::MAX)),
            )
            .col_expr(part::Column::PointsAwarded, Expr::val(awarded))
            .col_expr(part::Column::Status, Expr::val("completed"))
            .col_expr(part::Column::UpdatedAt, Expr::val(now))
            .filter(part::Column::Id.eq(o.participation.id))
            .exec(conn)
            .await?;
        let body = if awarded > 0 {
            format!(
                "حللت في المركز {} في «{}» وحصلت على {awarded} كربتو.",
                o.rank, m.title
            )
        } else {
            format!("حللت في المركز {} في «{}».", o.rank, m.title)
        };
        notify::user(
            conn,
            uid,
            "competition_result",
            &format!("نتيجة «{}»", m.title),
            &body,
            json!({"competition_id": id, "rank": o.rank, "score": o.participation.score, "points": awarded}),
        )
        .await?;
    }
    // A participant's first finished competition qualifies their Friend Challenge referral.
    for o in &ranked {
        crate::services::referrals::on_competition_completed(conn, &o.participation).await?;
    }
    let missed = match kind_of(&m) {
        domain::competitions::CompetitionKind::Quiz => {
            format!("انتهت «{}» دون أن تسلّم إجاباتك، فلا ترتيب لك فيها.", m.title)
        }
        domain::competitions::CompetitionKind::Judged => {
            format!("اعتُمدت نتائج «{}» ولم تُرصد لك درجة فيها.", m.title)
        }
    };
    for p in &unranked {
        notify::user(
            conn,
            p.user_id,
            "competition_result",
            &format!("نتيجة «{}»", m.title),
            &missed,
            json!({"competition_id": id, "rank": null, "score": null, "points": 0}),
        )
        .await?;
    }

    let report = FinalizeReport {
        competition_id: id,
        status: CompetitionStatus::Finalized,
        ranked: ranked.len() as i64,
        participants: (ranked.len() + unranked.len()) as i64,
        prize_points: ranked.iter().map(|o| o.prize).sum(),
        participation_points: ranked.iter().map(|o| o.participation_points).sum(),
        finalized_at: now,
    };
    actor
        .entry(
            "competition.finalize",
            id,
            json!({
                "ranked": report.ranked,
                "participants": report.participants,
                "prize_points": report.prize_points,
                "participation_points": report.participation_points,
                "by": if actor.user_id.is_some() { "admin" } else { "scheduler" },
            }),
        )
        .write(conn)
        .await?;
    Ok(report)
}

fn with_actor(mv: ledger::Movement, actor: Actor<'_>) -> ledger::Movement {
    match actor.user_id {
        Some(uid) => mv.actor(uid),
        None => mv,
    }
}
