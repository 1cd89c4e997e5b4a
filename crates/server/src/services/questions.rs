//! Quiz questions of a competition: the admin's add, edit and delete (frozen once the quiz can
//! be answered) and the ordered list the quiz and the admin page read.

use chrono::{DateTime, Utc};
use domain::competitions::{
    AdminQuestion, CompetitionKind, CompetitionStatus, QuestionRequest, UpdateQuestionRequest,
    QUESTIONS_MAX,
};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::entities::{competition_questions as cq, competitions as comp};
use crate::error::ApiError;
use crate::services::competitions::{find, kind_of, load_current, stored_status};

pub fn question_to_admin(q: &cq::Model) -> AdminQuestion {
    AdminQuestion {
        id: q.id,
        position: i64::from(q.position),
        text: q.text.clone(),
        choices: serde_json::from_value(q.choices.clone()).unwrap_or_default(),
        correct_index: i64::from(q.correct_index),
        points: i64::from(q.points),
    }
}

pub async fn questions_of(
    conn: &impl ConnectionTrait,
    competition_id: i64,
) -> Result<Vec<cq::Model>, ApiError> {
    Ok(cq::Entity::find()
        .filter(cq::Column::CompetitionId.eq(competition_id))
        .order_by_asc(cq::Column::Position)
        .order_by_asc(cq::Column::Id)
        .all(conn)
        .await?)
}

/// Inside a transaction: claims the competition row for a question edit, which is allowed only
/// before the start. The update serializes with the start and with publishing.
async fn lock_for_question_edit(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<comp::Model, ApiError> {
    use comp::Column as C;
    let editable = Condition::any().add(C::Status.eq("draft")).add(
        Condition::all()
            .add(C::Status.eq("published"))
            .add(C::StartsAt.gt(now)),
    );
    let touched = comp::Entity::update_many()
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Id.eq(id))
        .filter(editable)
        .exec(conn)
        .await?
        .rows_affected;
    let m = find(conn, id).await?;
    if touched == 0 {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "لا يمكن تعديل الأسئلة بعد بدء المسابقة.",
        ));
    }
    Ok(m)
}

fn clean_question(mut q: QuestionRequest) -> QuestionRequest {
    q.text = q.text.trim().to_owned();
    q.choices = q.choices.into_iter().map(|c| c.trim().to_owned()).collect();
    q
}

fn ensure_quiz(m: &comp::Model) -> Result<(), ApiError> {
    if kind_of(m) != CompetitionKind::Quiz {
        return Err(ApiError::message(
            ErrorCode::Unprocessable,
            "الأسئلة لمسابقات الاختبار فقط؛ هذه مسابقة تحكيم.",
        ));
    }
    Ok(())
}

fn check_position(position: Option<i64>) -> Result<Option<i32>, ApiError> {
    match position {
        None => Ok(None),
        Some(p) if (0..=10_000).contains(&p) => Ok(i32::try_from(p).ok()),
        Some(_) => Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "position",
            "الترتيب يجب أن يكون بين 0 و10000.",
        )),
    }
}

pub async fn add_question(
    db: &DatabaseConnection,
    id: i64,
    req: QuestionRequest,
) -> Result<cq::Model, ApiError> {
    let req = clean_question(req);
    req.validate().map_err(ApiError::Validation)?;
    let m = load_current(db, id).await?;
    ensure_quiz(&m)?;
    let now = super::now();
    let req_ref = &req;
    crate::db::transaction(db, |txn| async move {
        lock_for_question_edit(&*txn, id, now).await?;
        let existing = questions_of(&*txn, id).await?;
        if existing.len() >= QUESTIONS_MAX {
            return Err(ApiError::message(
                ErrorCode::Unprocessable,
                "بلغ الاختبار الحد الأقصى للأسئلة (200).",
            ));
        }
        let position = existing
            .iter()
            .map(|q| q.position)
            .max()
            .map_or(1, |p| p.saturating_add(1));
        Ok(cq::ActiveModel {
            competition_id: Set(id),
            position: Set(position),
            text: Set(req_ref.text.clone()),
            choices: Set(json!(req_ref.choices)),
            correct_index: Set(i32::try_from(req_ref.correct_index).unwrap_or(0)),
            points: Set(i32::try_from(req_ref.points).unwrap_or(1)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?)
    })
    .await
}

async fn find_question(
    conn: &impl ConnectionTrait,
    id: i64,
    qid: i64,
) -> Result<cq::Model, ApiError> {
    cq::Entity::find_by_id(qid)
        .filter(cq::Column::CompetitionId.eq(id))
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub async fn update_question(
    db: &DatabaseConnection,
    id: i64,
    qid: i64,
    patch: UpdateQuestionRequest,
) -> Result<cq::Model, ApiError> {
    let position = check_position(patch.position)?;
    let q = find_question(db, id, qid).await?;
    let a = question_to_admin(&q);
    let current = QuestionRequest {
        text: a.text,
        choices: a.choices,
        correct_index: a.correct_index,
        points: a.points,
    };
    let merged = clean_question(patch.merged(&current));
    merged.validate().map_err(ApiError::Validation)?;
    let now = super::now();
    let merged_ref = &merged;
    crate::db::transaction(db, |txn| async move {
        lock_for_question_edit(&*txn, id, now).await?;
        let mut am = cq::ActiveModel {
            id: Set(qid),
            text: Set(merged_ref.text.clone()),
            choices: Set(json!(merged_ref.choices)),
            correct_index: Set(i32::try_from(merged_ref.correct_index).unwrap_or(0)),
            points: Set(i32::try_from(merged_ref.points).unwrap_or(1)),
            updated_at: Set(now),
            ..Default::default()
        };
        if let Some(p) = position {
            am.position = Set(p);
        }
        let updated = cq::Entity::update_many()
            .set(am)
            .filter(cq::Column::Id.eq(qid))
            .filter(cq::Column::CompetitionId.eq(id))
            .exec(&*txn)
            .await?
            .rows_affected;
        if updated == 0 {
            return Err(ApiError::not_found());
        }
        find_question(&*txn, id, qid).await
    })
    .await
}

pub async fn delete_question(db: &DatabaseConnection, id: i64, qid: i64) -> Result<(), ApiError> {
    find_question(db, id, qid).await?;
    let now = super::now();
    crate::db::transaction(db, |txn| async move {
        let m = lock_for_question_edit(&*txn, id, now).await?;
        let count = cq::Entity::find()
            .filter(cq::Column::CompetitionId.eq(id))
            .count(&*txn)
            .await?;
        if stored_status(&m) == CompetitionStatus::Published && count <= 1 {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "لا يمكن حذف السؤال الوحيد في اختبار منشور.",
            ));
        }
        let deleted = cq::Entity::delete_many()
            .filter(cq::Column::Id.eq(qid))
            .filter(cq::Column::CompetitionId.eq(id))
            .exec(&*txn)
            .await?
            .rows_affected;
        if deleted == 0 {
            return Err(ApiError::not_found());
        }
        Ok(())
    })
    .await
}
