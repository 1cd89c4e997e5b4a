//! Entries of judged competitions (issue 13): one per participant, a text and an optional link,
//! editable until the competition ends; the judges read them side by side, with or without
//! names, and score them through the existing results form (`participation::set_results`).

use domain::competitions::{CompetitionKind, CompetitionStatus, ParticipationStatus};
use domain::entries::{AdminEntry, AdminEntryList, Entry, EntryRequest};
use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::entities::{competition_entries as entries, competitions as comp, participations};
use crate::error::ApiError;
use crate::services::competitions::{effective_status, kind_of};
use crate::services::participation::{active_participation, participation_of};

fn to_entry(m: &comp::Model, e: entries::Model, score: Option<i64>) -> Entry {
    Entry {
        competition_id: e.competition_id,
        text: e.text,
        link: e.link,
        submitted_at: e.created_at,
        updated_at: e.updated_at,
        editable_until: m.ends_at,
        score,
    }
}

fn ensure_judged(m: &comp::Model) -> Result<(), ApiError> {
    if kind_of(m) != CompetitionKind::Judged {
        return Err(ApiError::message(
            ErrorCode::Unprocessable,
            "هذه مسابقة أسئلة: يُشارَك فيها بالإجابة عن الأسئلة لا بإرسال عمل.",
        ));
    }
    Ok(())
}

/// Sends or replaces the caller's entry, while the competition is published or running.
pub async fn put(
    conn: &impl ConnectionTrait,
    m: &comp::Model,
    user_id: i64,
    req: &EntryRequest,
) -> Result<Entry, ApiError> {
    ensure_judged(m)?;
    let p = active_participation(participation_of(conn, m.id, user_id).await?)?;
    let now = super::now();
    if !matches!(
        effective_status(m, now),
        CompetitionStatus::Published | CompetitionStatus::Running
    ) {
        return Err(ApiError::message(
            ErrorCode::CompetitionNotRunning,
            "انتهت المسابقة؛ لم يعد تعديل المشاركة ممكنًا.",
        ));
    }
    let text = req.text.trim().replace("\r\n", "\n");
    let link = req.link();
    let updated = entries::Entity::update_many()
        .col_expr(entries::Column::Text, Expr::value(text.clone()))
        .col_expr(entries::Column::Link, Expr::value(link.clone()))
        .col_expr(entries::Column::UpdatedAt, Expr::value(now))
        .filter(entries::Column::CompetitionId.eq(m.id))
        .filter(entries::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        entries::ActiveModel {
            competition_id: Set(m.id),
            user_id: Set(user_id),
            text: Set(text),
            link: Set(link),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    let row = find(conn, m.id, user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(to_entry(m, row, p.score))
}

async fn find(
    conn: &impl ConnectionTrait,
    competition_id: i64,
    user_id: i64,
) -> Result<Option<entries::Model>, ApiError> {
    Ok(entries::Entity::find()
        .filter(entries::Column::CompetitionId.eq(competition_id))
        .filter(entries::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}

/// The caller's entry, `None` until one is sent (a participant without an entry is a normal
/// state, not a missing resource: the page asks on every visit).
pub async fn mine(
    conn: &impl ConnectionTrait,
    m: &comp::Model,
    user_id: i64,
) -> Result<Option<Entry>, ApiError> {
    ensure_judged(m)?;
    let p = active_participation(participation_of(conn, m.id, user_id).await?)?;
    Ok(find(conn, m.id, user_id)
        .await?
        .map(|row| to_entry(m, row, p.score)))
}

/// Every entry for the judges, oldest first; `anonymous` leaves the names out.
pub async fn for_judges(
    conn: &impl ConnectionTrait,
    m: &comp::Model,
    anonymous: bool,
) -> Result<AdminEntryList, ApiError> {
    ensure_judged(m)?;
    let rows = entries::Entity::find()
        .filter(entries::Column::CompetitionId.eq(m.id))
        .order_by_asc(entries::Column::Id)
        .all(conn)
        .await?;
    let people = participations::Entity::find()
        .filter(participations::Column::CompetitionId.eq(m.id))
        .all(conn)
        .await?;
    let active: Vec<&participations::Model> = people
        .iter()
        .filter(|p| {
            ParticipationStatus::parse(&p.status).is_some_and(ParticipationStatus::is_active)
        })
        .collect();
    let names = super::users::display_names(conn, rows.iter().map(|e| e.user_id)).await?;
    let items: Vec<AdminEntry> = rows
        .into_iter()
        .filter(|e| active.iter().any(|p| p.user_id == e.user_id))
        .enumerate()
        .map(|(i, e)| {
            let score = active
                .iter()
                .find(|p| p.user_id == e.user_id)
                .and_then(|p| p.score);
            let (username, display_name) = match names.get(&e.user_id) {
                Some((u, d)) if !anonymous => (Some(u.clone()), Some(d.clone())),
                _ => (None, None),
            };
            AdminEntry {
                label: display_name
                    .clone()
                    .unwrap_or_else(|| format!("المشاركة {}", i + 1)),
                user_id: e.user_id,
                username,
                display_name,
                text: e.text,
                link: e.link,
                score,
                submitted_at: e.created_at,
                updated_at: e.updated_at,
            }
        })
        .collect();
    let without_entry = (active.len() - items.len()) as i64;
    Ok(AdminEntryList {
        items,
        anonymous,
        without_entry,
    })
}
