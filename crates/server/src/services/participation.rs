//! Taking part: joining (with the entry fee), withdrawing (with the refund), the quiz questions,
//! submissions and their automatic scoring, judged results, and a competition's board.
//!
//! Joining claims a seat with one conditional update (`participants_count + 1 WHERE` the
//! registration window is open `AND` a seat is free) in the same transaction as the fee debit,
//! so concurrent joins can never overfill a competition or charge without a seat.
//! A withdrawn participant may join again while registration is open: the same row is reused
//! (one per competition and user) and the fee is charged again.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use domain::competitions::{
    AnswerInput, CompetitionKind, CompetitionLeaderboard, CompetitionRank, CompetitionStatus,
    JoinResult, MyCompetitionRank, Question, QuestionSet, ResultsRequest, SubmissionResult,
    WithdrawResult,
};
use domain::points::LedgerKind;
use domain::ErrorCode;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, EntityTrait, FromQueryResult, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, SqlErr,
};

use crate::entities::{
    competition_answers as answers, competition_questions as cq, competitions as comp,
    participations as part, users,
};
use crate::error::ApiError;
use crate::services::competitions::{
    capacity_condition, effective_status, find, is_registration_open, kind_of,
    registration_condition, Actor,
};
use crate::services::ledger;
use crate::services::questions::questions_of;

/// Submissions this late after a personal quiz deadline are still accepted: the request was
/// sent in time but spent a moment on the network.
const DEADLINE_GRACE_SECS: i64 = 3;

const RANKED: [&str; 2] = ["submitted", "completed"];
const ACTIVE: [&str; 3] = ["registered", "submitted", "completed"];

pub async fn participation_of(
    conn: &impl ConnectionTrait,
    competition_id: i64,
    user_id: i64,
) -> Result<Option<part::Model>, ApiError> {
    Ok(part::Entity::find()
        .filter(part::Column::CompetitionId.eq(competition_id))
        .filter(part::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}

fn status_of(p: &part::Model) -> domain::competitions::ParticipationStatus {
    domain::competitions::ParticipationStatus::parse(&p.status)
        .unwrap_or(domain::competitions::ParticipationStatus::Disqualified)
}

fn is_active(p: &part::Model) -> bool {
    status_of(p).is_active()
}

async fn balance_of(conn: &impl ConnectionTrait, user_id: i64) -> Result<i64, ApiError> {
    Ok(users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)?
        .points_balance)
}

/// Inside a transaction: takes a seat, records the participation and debits the fee.
pub async fn join(
    txn: &DatabaseTransaction,
    user_id: i64,
    competition_id: i64,
    now: DateTime<Utc>,
    idempotency_key: Option<String>,
) -> Result<JoinResult, ApiError> {
    use comp::Column as C;
    // The first statement writes, so SQLite takes its write lock here instead of failing a
    // read-to-write upgrade later; on PostgreSQL it locks the row and serializes joins.
    let seated = comp::Entity::update_many()
        .col_expr(C::ParticipantsCount, Expr::col(C::ParticipantsCount).add(1))
        .filter(C::Id.eq(competition_id))
        .filter(registration_condition(now))
        .filter(capacity_condition())
        .exec(txn)
        .await?
        .rows_affected;
    let existing = participation_of(txn, competition_id, user_id).await?;
    if existing.as_ref().is_some_and(is_active) {
        return Err(ApiError::Code(ErrorCode::AlreadyJoined));
    }
    if existing
        .as_ref()
        .is_some_and(|p| p.status == "disqualified")
    {
        return Err(ApiError::message(
            ErrorCode::RegistrationNotOpen,
            "استُبعدت من هذه المسابقة.",
        ));
    }
    let m = find(txn, competition_id).await?;
    if seated == 0 {
        return Err(if is_registration_open(&m, now) {
            ApiError::Code(ErrorCode::CompetitionFull)
        } else {
            ApiError::Code(ErrorCode::RegistrationNotOpen)
        });
    }
    let fee = m.entry_fee;
    match existing {
        Some(p) => {
            let rejoined = part::Entity::update_many()
                .col_expr(part::Column::Status, Expr::val("registered"))
                .col_expr(part::Column::FeePaid, Expr::val(fee))
                .col_expr(part::Column::JoinedAt, Expr::val(now))
                .col_expr(part::Column::UpdatedAt, Expr::val(now))
                .filter(part::Column::Id.eq(p.id))
                .filter(part::Column::Status.eq("withdrawn"))
                .exec(txn)
                .await?
                .rows_affected;
            if rejoined == 0 {
                return Err(ApiError::Code(ErrorCode::AlreadyJoined));
            }
        }
        None => {
            part::ActiveModel {
                competition_id: Set(competition_id),
                user_id: Set(user_id),
                status: Set("registered".into()),
                fee_paid: Set(fee),
                points_awarded: Set(0),
                joined_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    ApiError::Code(ErrorCode::AlreadyJoined)
                }
                _ => ApiError::Db(e),
            })?;
        }
    }
    let points_balance = if fee > 0 {
        ledger::apply(
            txn,
            ledger::Movement::new(user_id, -fee, LedgerKind::EntryFee)
                .reference("competition", competition_id)
                .reason(format!("رسوم الاشتراك في «{}»", m.title))
                .actor(user_id)
                .idempotency_key(idempotency_key),
        )
        .await?
        .balance_after
    } else {
        balance_of(txn, user_id).await?
    };
    Ok(JoinResult {
        competition_id,
        status: domain::competitions::ParticipationStatus::Registered,
        fee_paid: fee,
        points_balance,
        joined_at: now,
    })
}

/// Inside a transaction: gives the seat back and refunds the fee actually paid. Only before
/// the start.
pub async fn withdraw(
    txn: &DatabaseTransaction,
    user_id: i64,
    competition_id: i64,
    now: DateTime<Utc>,
) -> Result<WithdrawResult, ApiError> {
    use comp::Column as C;
    let released = comp::Entity::update_many()
        .col_expr(C::ParticipantsCount, Expr::col(C::ParticipantsCount).sub(1))
        .filter(C::Id.eq(competition_id))
        .filter(C::Status.eq("published"))
        .filter(C::StartsAt.gt(now))
        .filter(C::ParticipantsCount.gt(0))
        .exec(txn)
        .await?
        .rows_affected;
    let p = participation_of(txn, competition_id, user_id)
        .await?
        .filter(|p| p.status == "registered")
        .ok_or(ApiError::Code(ErrorCode::NotParticipant))?;
    if released == 0 {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "لا يمكن الانسحاب بعد بدء المسابقة.",
        ));
    }
    let withdrawn = part::Entity::update_many()
        .col_expr(part::Column::Status, Expr::val("withdrawn"))
        .col_expr(part::Column::FeePaid, Expr::val(0i64))
        .col_expr(part::Column::UpdatedAt, Expr::val(now))
        .filter(part::Column::Id.eq(p.id))
        .filter(part::Column::Status.eq("registered"))
        .exec(txn)
        .await?
        .rows_affected;
    if withdrawn == 0 {
        return Err(ApiError::Code(ErrorCode::NotParticipant));
    }
    let points_balance = if p.fee_paid > 0 {
        let m = find(txn, competition_id).await?;
        ledger::apply(
            txn,
            ledger::Movement::new(user_id, p.fee_paid, LedgerKind::EntryFeeRefund)
                .reference("competition", competition_id)
                .reason(format!("استرداد رسوم «{}»", m.title))
                .actor(user_id),
        )
        .await?
        .balance_after
    } else {
        balance_of(txn, user_id).await?
    };
    Ok(WithdrawResult {
        competition_id,
        status: domain::competitions::ParticipationStatus::Withdrawn,
        refunded: p.fee_paid,
        points_balance,
    })
}

fn deadline(m: &comp::Model, started_at: DateTime<Utc>) -> DateTime<Utc> {
    match m.quiz_duration_seconds {
        Some(secs) => std::cmp::min(started_at + Duration::seconds(i64::from(secs)), m.ends_at),
        None => m.ends_at,
    }
}

pub fn active_participation(p: Option<part::Model>) -> Result<part::Model, ApiError> {
    p.filter(is_active)
        .ok_or(ApiError::Code(ErrorCode::NotParticipant))
}

/// The questions, without answers, for a participant while the competition runs. The first
/// call starts the participant's quiz timer.
pub async fn questions_for(
    db: &DatabaseConnection,
    m: &comp::Model,
    user_id: i64,
) -> Result<QuestionSet, ApiError> {
    let p = active_participation(participation_of(db, m.id, user_id).await?)?;
    let now = crate::services::now();
    if effective_status(m, now) != CompetitionStatus::Running {
        return Err(ApiError::Code(ErrorCode::CompetitionNotRunning));
    }
    let started_at = match p.started_at {
        Some(t) => t,
        None => {
            let pid = p.id;
            crate::db::transaction(db, |txn| async move {
                part::Entity::update_many()
                    .col_expr(part::Column::StartedAt, Expr::val(now))
                    .col_expr(part::Column::UpdatedAt, Expr::val(now))
                    .filter(part::Column::Id.eq(pid))
                    .filter(part::Column::StartedAt.is_null())
                    .exec(&*txn)
                    .await?;
                // A concurrent first fetch may have won; its time is the one that counts.
                let row = part::Entity::find_by_id(pid)
                    .one(&*txn)
                    .await?
                    .ok_or_else(ApiError::not_found)?;
                Ok(row.started_at.unwrap_or(now))
            })
            .await?
        }
    };
    let questions = questions_of(db, m.id)
        .await?
        .iter()
        .map(|q| Question {
            id: q.id,
            position: i64::from(q.position),
            text: q.text.clone(),
            choices: serde_json::from_value(q.choices.clone()).unwrap_or_default(),
            points: i64::from(q.points),
        })
        .collect();
    Ok(QuestionSet {
        competition_id: m.id,
        questions,
        started_at,
        deadline: deadline(m, started_at),
        submitted: p.status != "registered",
    })
}

struct Scored {
    score: i64,
    max_score: i64,
    correct: Vec<(i64, i32, bool)>,
}

fn score(questions: &[cq::Model], answers: &[AnswerInput]) -> Result<Scored, ApiError> {
    let by_id: HashMap<i64, &cq::Model> = questions.iter().map(|q| (q.id, q)).collect();
    let mut out = Scored {
        score: 0,
        max_score: questions.iter().map(|q| i64::from(q.points)).sum(),
        correct: Vec::new(),
    };
    for a in answers {
        let q = by_id.get(&a.question_id).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "answers",
                format!("السؤال {} ليس من أسئلة هذه المسابقة.", a.question_id),
            )
        })?;
        let choices = q.choices.as_array().map_or(0, Vec::len) as i64;
        if a.choice_index >= choices {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "answers",
                format!(
                    "رقم الخيار في إجابة السؤال {} خارج نطاق الخيارات.",
                    a.question_id
                ),
            ));
        }
        let choice = i32::try_from(a.choice_index).unwrap_or(-1);
        let is_correct = choice == q.correct_index;
        if is_correct {
            out.score += i64::from(q.points);
        }
        out.correct.push((q.id, choice, is_correct));
    }
    Ok(out)
}

/// Scores and stores a quiz submission (one per participant).
pub async fn submit(
    db: &DatabaseConnection,
    m: &comp::Model,
    user_id: i64,
    answers_in: &[AnswerInput],
) -> Result<SubmissionResult, ApiError> {
    if kind_of(m) != CompetitionKind::Quiz {
        return Err(ApiError::message(
            ErrorCode::Unprocessable,
            "نتائج مسابقات التحكيم تُدخلها الإدارة؛ لا تُسلَّم إجابات.",
        ));
    }
    let p = active_participation(participation_of(db, m.id, user_id).await?)?;
    if p.status != "registered" {
        return Err(ApiError::Code(ErrorCode::AlreadySubmitted));
    }
    let now = crate::services::now();
    if effective_status(m, now) != CompetitionStatus::Running {
        return Err(ApiError::Code(ErrorCode::CompetitionNotRunning));
    }
    if m.quiz_duration_seconds.is_some() {
        let started = p.started_at.unwrap_or(now);
        if now > deadline(m, started) + Duration::seconds(DEADLINE_GRACE_SECS) {
            return Err(ApiError::message(
                ErrorCode::CompetitionNotRunning,
                "انتهى الوقت المخصص لك للإجابة.",
            ));
        }
    }
    let questions = questions_of(db, m.id).await?;
    let scored = score(&questions, answers_in)?;
    let (scored_ref, pid, cid) = (&scored, p.id, m.id);
    crate::db::transaction(db, |txn| async move {
        // FOR SHARE (PostgreSQL): the running → ended update, and so finalization, waits for
        // submissions in flight; they can never be left out of the ranking.
        let current = comp::Entity::find_by_id(cid)
            .lock_shared()
            .one(&*txn)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if effective_status(&current, now) != CompetitionStatus::Running {
            return Err(ApiError::Code(ErrorCode::CompetitionNotRunning));
        }
        let submitted = part::Entity::update_many()
            .col_expr(part::Column::Status, Expr::val("submitted"))
            .col_expr(part::Column::Score, Expr::val(scored_ref.score))
            .col_expr(part::Column::SubmittedAt, Expr::val(now))
            .col_expr(
                part::Column::StartedAt,
                Func::coalesce([Expr::col(part::Column::StartedAt), Expr::val(now)]).into(),
            )
            .col_expr(part::Column::UpdatedAt, Expr::val(now))
            .filter(part::Column::Id.eq(pid))
            .filter(part::Column::Status.eq("registered"))
            .exec(&*txn)
            .await?
            .rows_affected;
        if submitted == 0 {
            return Err(ApiError::Code(ErrorCode::AlreadySubmitted));
        }
        if !scored_ref.correct.is_empty() {
            answers::Entity::insert_many(scored_ref.correct.iter().map(|(qid, choice, ok)| {
                answers::ActiveModel {
                    participation_id: Set(pid),
                    question_id: Set(*qid),
                    choice_index: Set(*choice),
                    is_correct: Set(*ok),
                    created_at: Set(now),
                    ..Default::default()
                }
            }))
            .exec(&*txn)
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(SubmissionResult {
        competition_id: m.id,
        score: scored.score,
        max_score: scored.max_score,
        correct_count: scored.correct.iter().filter(|c| c.2).count() as i64,
        answered_count: scored.correct.len() as i64,
        question_count: questions.len() as i64,
        submitted_at: now,
    })
}

/// Judged competitions: sets the listed participants' scores, while running or ended.
pub async fn set_results(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    m: &comp::Model,
    req: &ResultsRequest,
) -> Result<i64, ApiError> {
    if kind_of(m) != CompetitionKind::Judged {
        return Err(ApiError::message(
            ErrorCode::Unprocessable,
            "درجات الاختبارات تُحسب تلقائيًا من الإجابات.",
        ));
    }
    let now = crate::services::now();
    let allowed =
        |s: CompetitionStatus| matches!(s, CompetitionStatus::Running | CompetitionStatus::Ended);
    if !allowed(effective_status(m, now)) {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "تُدخل النتائج بعد بدء المسابقة وقبل اعتماد نتائجها فقط.",
        ));
    }
    let cid = m.id;
    crate::db::transaction(db, |txn| async move {
        // FOR UPDATE (PostgreSQL): finalization cannot slip in between the check and the scores.
        let current = comp::Entity::find_by_id(cid)
            .lock_exclusive()
            .one(&*txn)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if !allowed(effective_status(&current, now)) {
            return Err(ApiError::Code(ErrorCode::InvalidTransition));
        }
        for r in &req.results {
            let updated = part::Entity::update_many()
                .col_expr(part::Column::Score, Expr::val(r.score))
                .col_expr(part::Column::Status, Expr::val("submitted"))
                // Scored together, ranked together: ties fall back to the user id.
                .col_expr(
                    part::Column::SubmittedAt,
                    Func::coalesce([Expr::col(part::Column::SubmittedAt), Expr::val(now)]).into(),
                )
                .col_expr(part::Column::UpdatedAt, Expr::val(now))
                .filter(part::Column::CompetitionId.eq(cid))
                .filter(part::Column::UserId.eq(r.user_id))
                .filter(part::Column::Status.is_in(["registered", "submitted"]))
                .exec(&*txn)
                .await?
                .rows_affected;
            if updated == 0 {
                return Err(ApiError::field(
                    ErrorCode::ValidationFailed,
                    "results",
                    format!("المستخدم {} ليس مشاركًا في هذه المسابقة.", r.user_id),
                ));
            }
        }
        actor
            .entry(
                "competition.results",
                cid,
                serde_json::json!({"results": req.results.len()}),
            )
            .write(&*txn)
            .await?;
        Ok(req.results.len() as i64)
    })
    .await
}

#[derive(Debug, FromQueryResult)]
struct RankRow {
    user_id: i64,
    username: String,
    display_name: String,
    score: i64,
    submitted_at: Option<DateTime<Utc>>,
    points_awarded: i64,
}

fn ranked_filter(competition_id: i64) -> Condition {
    Condition::all()
        .add(part::Column::CompetitionId.eq(competition_id))
        .add(part::Column::Status.is_in(RANKED))
        .add(part::Column::Score.is_not_null())
}

/// Rank order: score desc, earliest submission, then user id. Distinct ranks 1..N.
pub async fn board(
    db: &DatabaseConnection,
    m: &comp::Model,
    viewer: Option<i64>,
    limit: u64,
) -> Result<CompetitionLeaderboard, ApiError> {
    let rows: Vec<RankRow> = part::Entity::find()
        .select_only()
        .column(part::Column::UserId)
        .column_as(users::Column::Username, "username")
        .column_as(users::Column::DisplayName, "display_name")
        .column(part::Column::Score)
        .column(part::Column::SubmittedAt)
        .column(part::Column::PointsAwarded)
        .join(JoinType::InnerJoin, part::Relation::User.def())
        .filter(ranked_filter(m.id))
        .order_by_desc(part::Column::Score)
        .order_by_asc(part::Column::SubmittedAt)
        .order_by_asc(part::Column::UserId)
        .limit(limit)
        .into_model::<RankRow>()
        .all(db)
        .await?;
    let ranked = part::Entity::find()
        .filter(ranked_filter(m.id))
        .count(db)
        .await? as i64;
    let me = match viewer {
        None => None,
        Some(uid) => match participation_of(db, m.id, uid).await? {
            None => None,
            Some(p) => Some(MyCompetitionRank {
                rank: my_rank(db, &p).await?,
                score: p.score,
                status: status_of(&p),
                points_awarded: p.points_awarded,
            }),
        },
    };
    let entries = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| CompetitionRank {
            rank: i as i64 + 1,
            user_id: r.user_id,
            username: r.username,
            display_name: r.display_name,
            score: r.score,
            submitted_at: r.submitted_at,
            points_awarded: r.points_awarded,
        })
        .collect();
    Ok(CompetitionLeaderboard {
        competition_id: m.id,
        status: effective_status(m, crate::services::now()),
        ranked,
        entries,
        me,
    })
}

async fn my_rank(db: &DatabaseConnection, p: &part::Model) -> Result<Option<i64>, ApiError> {
    let (Some(score), true) = (p.score, RANKED.contains(&p.status.as_str())) else {
        return Ok(None);
    };
    use part::Column as P;
    // Scored rows always carry submitted_at (quizzes on submission, judged when scored).
    let mut ahead = Condition::any().add(P::Score.gt(score));
    if let Some(t) = p.submitted_at {
        ahead = ahead
            .add(
                Condition::all()
                    .add(P::Score.eq(score))
                    .add(P::SubmittedAt.lt(t)),
            )
            .add(
                Condition::all()
                    .add(P::Score.eq(score))
                    .add(P::SubmittedAt.eq(t))
                    .add(P::UserId.lt(p.user_id)),
            );
    }
    let count = part::Entity::find()
        .filter(ranked_filter(p.competition_id))
        .filter(ahead)
        .count(db)
        .await?;
    Ok(Some(count as i64 + 1))
}

/// Participants who are still in (for the admin list filter and finalization).
pub fn active_statuses() -> [&'static str; 3] {
    ACTIVE
}

#[derive(Debug, FromQueryResult)]
struct ParticipantRow {
    id: i64,
    user_id: i64,
    username: String,
    display_name: String,
    status: String,
    score: Option<i64>,
    rank: Option<i32>,
    fee_paid: i64,
    points_awarded: i64,
    joined_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
}

/// A competition's participants in joining order (keyset by participation id), for admins.
pub async fn participants_page(
    db: &DatabaseConnection,
    competition_id: i64,
    status: Option<domain::competitions::ParticipationStatus>,
    cursor: Option<i64>,
    limit: u64,
) -> Result<(Vec<domain::competitions::Participant>, Option<String>), ApiError> {
    use part::Column as P;
    let mut q = part::Entity::find()
        .select_only()
        .columns([
            P::Id,
            P::UserId,
            P::Status,
            P::Score,
            P::Rank,
            P::FeePaid,
            P::PointsAwarded,
            P::JoinedAt,
            P::StartedAt,
            P::SubmittedAt,
        ])
        .column_as(users::Column::Username, "username")
        .column_as(users::Column::DisplayName, "display_name")
        .join(JoinType::InnerJoin, part::Relation::User.def())
        .filter(P::CompetitionId.eq(competition_id));
    if let Some(s) = status {
        q = q.filter(P::Status.eq(s.as_str()));
    }
    if let Some(c) = cursor {
        q = q.filter(P::Id.gt(c));
    }
    let rows = q
        .order_by_asc(P::Id)
        .limit(limit + 1)
        .into_model::<ParticipantRow>()
        .all(db)
        .await?;
    let (rows, next) = crate::routes::pagination::split_page(rows, limit, |r| r.id);
    let items = rows
        .into_iter()
        .map(|r| domain::competitions::Participant {
            id: r.id,
            user_id: r.user_id,
            username: r.username,
            display_name: r.display_name,
            status: domain::competitions::ParticipationStatus::parse(&r.status)
                .unwrap_or(domain::competitions::ParticipationStatus::Disqualified),
            score: r.score,
            rank: r.rank.map(i64::from),
            fee_paid: r.fee_paid,
            points_awarded: r.points_awarded,
            joined_at: r.joined_at,
            started_at: r.started_at,
            submitted_at: r.submitted_at,
        })
        .collect();
    Ok((items, next))
}
