//! Competitions: the lifecycle, admin CRUD and quiz questions.
//!
//! Status changes are conditional updates (`UPDATE … WHERE id = ? AND status = ?`): zero rows
//! means someone else moved the competition first, which is a 409, never a double transition.
//! `running` and `ended` follow the clock. They are applied lazily whenever a competition is
//! read or acted on, and by the scheduler (`services::scheduler`) for everything at once; both
//! use the same conditional updates, so any number of replicas can do it concurrently.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::competitions::{
    changed_fields, registration_open, Competition, CompetitionKind, CompetitionStatus,
    CreateCompetitionRequest, ParticipationStatus, Prize, UpdateCompetitionRequest,
};
use domain::text::normalize_arabic;
use domain::{ErrorCode, FieldErrors};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::entities::{competition_questions as cq, competitions as comp, participations as part};
use crate::error::ApiError;
use crate::services::audit;

const LIVE: [&str; 2] = ["published", "running"];

pub fn kind_of(m: &comp::Model) -> CompetitionKind {
    CompetitionKind::parse(&m.kind).unwrap_or(CompetitionKind::Judged)
}

pub fn stored_status(m: &comp::Model) -> CompetitionStatus {
    CompetitionStatus::parse(&m.status).unwrap_or(CompetitionStatus::Draft)
}

pub fn effective_status(m: &comp::Model, now: DateTime<Utc>) -> CompetitionStatus {
    stored_status(m).effective(m.starts_at, m.ends_at, now)
}

pub fn is_registration_open(m: &comp::Model, now: DateTime<Utc>) -> bool {
    registration_open(
        stored_status(m),
        m.starts_at,
        m.ends_at,
        m.registration_opens_at,
        m.registration_closes_at,
        now,
    )
}

pub fn prizes_of(m: &comp::Model) -> Vec<Prize> {
    serde_json::from_value(m.prizes.clone()).unwrap_or_default()
}

/// Rows whose effective status (see [`CompetitionStatus::effective`]) is `status` at `now`.
pub fn status_condition(status: CompetitionStatus, now: DateTime<Utc>) -> Condition {
    use comp::Column as C;
    match status {
        CompetitionStatus::Draft => Condition::all().add(C::Status.eq("draft")),
        CompetitionStatus::Published => Condition::all()
            .add(C::Status.eq("published"))
            .add(C::StartsAt.gt(now)),
        CompetitionStatus::Running => Condition::all().add(C::EndsAt.gt(now)).add(
            Condition::any().add(C::Status.eq("running")).add(
                Condition::all()
                    .add(C::Status.eq("published"))
                    .add(C::StartsAt.lte(now)),
            ),
        ),
        CompetitionStatus::Ended => Condition::any().add(C::Status.eq("ended")).add(
            Condition::all()
                .add(C::Status.is_in(LIVE))
                .add(C::EndsAt.lte(now)),
        ),
        CompetitionStatus::Finalized => Condition::all().add(C::Status.eq("finalized")),
    }
}

/// Rows people can join at `now` (the SQL twin of [`registration_open`]).
pub fn registration_condition(now: DateTime<Utc>) -> Condition {
    use comp::Column as C;
    Condition::all()
        .add(C::Status.is_in(LIVE))
        .add(C::EndsAt.gt(now))
        .add(
            Condition::any()
                .add(C::RegistrationOpensAt.is_null())
                .add(C::RegistrationOpensAt.lte(now)),
        )
        .add(
            Condition::any()
                .add(
                    Condition::all()
                        .add(C::RegistrationClosesAt.is_null())
                        .add(C::StartsAt.gt(now)),
                )
                .add(C::RegistrationClosesAt.gt(now)),
        )
}

/// Rows with a free seat.
pub fn capacity_condition() -> Condition {
    use comp::Column as C;
    Condition::any()
        .add(C::MaxParticipants.is_null())
        .add(Expr::col(C::ParticipantsCount).lt(Expr::col(C::MaxParticipants)))
}

/// `LIKE '%needle%'` with the needle's wildcards taken literally.
pub fn like_contains(needle: &str) -> LikeExpr {
    let escaped: String = needle
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<comp::Model, ApiError> {
    comp::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Persists the clock-driven transitions of one competition and returns it as it now is.
pub async fn refresh(
    conn: &impl ConnectionTrait,
    m: comp::Model,
    now: DateTime<Utc>,
) -> Result<comp::Model, ApiError> {
    let target = effective_status(&m, now);
    if target == stored_status(&m) {
        return Ok(m);
    }
    step(conn, Some(m.id), now).await?;
    find(conn, m.id).await
}

/// published → running → ended for one competition (or all of them), as conditional updates.
/// Returns how many rows each step moved.
pub async fn step(
    conn: &impl ConnectionTrait,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(u64, u64), ApiError> {
    use comp::Column as C;
    let scope = |c: Condition| match id {
        Some(id) => c.add(C::Id.eq(id)),
        None => c,
    };
    let started = comp::Entity::update_many()
        .col_expr(C::Status, Expr::val("running"))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(scope(
            Condition::all()
                .add(C::Status.eq("published"))
                .add(C::StartsAt.lte(now)),
        ))
        .exec(conn)
        .await?
        .rows_affected;
    let ended = comp::Entity::update_many()
        .col_expr(C::Status, Expr::val("ended"))
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(scope(
            Condition::all()
                .add(C::Status.eq("running"))
                .add(C::EndsAt.lte(now)),
        ))
        .exec(conn)
        .await?
        .rows_affected;
    Ok((started, ended))
}

/// Reads a competition and persists any transition the clock has made (in its own
/// transaction, only when there is one to persist).
pub async fn load_current(db: &DatabaseConnection, id: i64) -> Result<comp::Model, ApiError> {
    let m = find(db, id).await?;
    let now = super::now();
    if effective_status(&m, now) == stored_status(&m) {
        return Ok(m);
    }
    let m_ref = &m;
    crate::db::transaction(
        db,
        |txn| async move { refresh(&*txn, m_ref.clone(), now).await },
    )
    .await
}

/// Drafts exist only for admins.
pub fn ensure_visible(m: &comp::Model, is_admin: bool) -> Result<(), ApiError> {
    if stored_status(m) == CompetitionStatus::Draft && !is_admin {
        return Err(ApiError::not_found());
    }
    Ok(())
}

/// Persists the transitions of listed rows that the clock has moved.
pub async fn refresh_stale(
    db: &DatabaseConnection,
    rows: &mut [comp::Model],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for row in rows.iter_mut() {
        if effective_status(row, now) != stored_status(row) {
            let r = &*row;
            *row = crate::db::transaction(
                db,
                |txn| async move { refresh(&*txn, r.clone(), now).await },
            )
            .await?;
        }
    }
    Ok(())
}

/// Question counts for a page of competitions.
pub async fn question_counts(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, i64>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = cq::Entity::find()
        .select_only()
        .column(cq::Column::CompetitionId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cq::Column::CompetitionId.is_in(ids.iter().copied()))
        .group_by(cq::Column::CompetitionId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The caller's participations in a page of competitions.
pub async fn my_participations(
    conn: &impl ConnectionTrait,
    user_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, part::Model>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(part::Entity::find()
        .filter(part::Column::UserId.eq(user_id))
        .filter(part::Column::CompetitionId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.competition_id, p))
        .collect())
}

/// The API shape. `viewer` is `Some(participation)` when the request was authenticated.
pub fn to_dto(
    m: &comp::Model,
    question_count: i64,
    now: DateTime<Utc>,
    viewer: Option<Option<&part::Model>>,
) -> Competition {
    let my_status = viewer
        .flatten()
        .and_then(|p| ParticipationStatus::parse(&p.status));
    Competition {
        id: m.id,
        title: m.title.clone(),
        title_en: m.title_en.clone(),
        description: m.description.clone(),
        description_en: m.description_en.clone(),
        rules: m.rules.clone(),
        category: m.category.clone(),
        cover_url: m.cover_url.clone(),
        kind: kind_of(m),
        status: effective_status(m, now),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        registration_opens_at: m.registration_opens_at,
        registration_closes_at: m.registration_closes_at,
        registration_deadline: m.registration_closes_at.unwrap_or(m.starts_at),
        registration_open: is_registration_open(m, now),
        quiz_duration_seconds: m.quiz_duration_seconds.map(i64::from),
        max_participants: m.max_participants.map(i64::from),
        participants_count: i64::from(m.participants_count),
        is_full: m
            .max_participants
            .is_some_and(|max| m.participants_count >= max),
        entry_fee: m.entry_fee,
        participation_points: m.participation_points,
        prizes: prizes_of(m),
        question_count,
        created_at: m.created_at,
        published_at: m.published_at,
        finalized_at: m.finalized_at,
        joined: viewer.map(|p| {
            p.is_some_and(|p| ParticipationStatus::parse(&p.status).is_some_and(|s| s.is_active()))
        }),
        my_status,
    }
}

/// One competition as the API shows it, with its question count and the viewer's status.
pub async fn dto(
    conn: &impl ConnectionTrait,
    m: &comp::Model,
    viewer: Option<i64>,
) -> Result<Competition, ApiError> {
    let counts = question_counts(conn, &[m.id]).await?;
    let mine = match viewer {
        Some(uid) => Some(my_participations(conn, uid, &[m.id]).await?),
        None => None,
    };
    Ok(to_dto(
        m,
        counts.get(&m.id).copied().unwrap_or(0),
        super::now(),
        mine.as_ref().map(|map| map.get(&m.id)),
    ))
}

/// The stored competition as the complete form PATCH merges into.
pub fn to_input(m: &comp::Model) -> CreateCompetitionRequest {
    CreateCompetitionRequest {
        title: m.title.clone(),
        title_en: m.title_en.clone(),
        description: m.description.clone(),
        description_en: m.description_en.clone(),
        rules: m.rules.clone(),
        category: m.category.clone(),
        cover_url: m.cover_url.clone(),
        kind: m.kind.clone(),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        registration_opens_at: m.registration_opens_at,
        registration_closes_at: m.registration_closes_at,
        quiz_duration_seconds: m.quiz_duration_seconds.map(i64::from),
        max_participants: m.max_participants.map(i64::from),
        entry_fee: m.entry_fee,
        participation_points: m.participation_points,
        prizes: prizes_of(m),
    }
}

fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Trims text, drops empty optional text, and stores times at microsecond precision (the
/// precision both databases keep, so values compare equal after a round trip).
fn normalize(mut r: CreateCompetitionRequest) -> CreateCompetitionRequest {
    use chrono::SubsecRound;
    r.title = r.title.trim().to_owned();
    r.description = r.description.trim().to_owned();
    r.title_en = clean(r.title_en);
    r.description_en = clean(r.description_en);
    r.rules = clean(r.rules);
    r.category = clean(r.category);
    r.cover_url = clean(r.cover_url);
    r.starts_at = r.starts_at.trunc_subsecs(6);
    r.ends_at = r.ends_at.trunc_subsecs(6);
    r.registration_opens_at = r.registration_opens_at.map(|t| t.trunc_subsecs(6));
    r.registration_closes_at = r.registration_closes_at.map(|t| t.trunc_subsecs(6));
    r.prizes.sort_by_key(|p| p.rank);
    r
}

pub fn search_text(r: &CreateCompetitionRequest) -> String {
    normalize_arabic(&format!(
        "{} {} {}",
        r.title,
        r.title_en.as_deref().unwrap_or(""),
        r.description
    ))
}

fn to_i32(value: Option<i64>) -> Option<i32> {
    value.and_then(|v| i32::try_from(v).ok())
}

/// Sets every form field on an active model.
fn fill(am: &mut comp::ActiveModel, r: &CreateCompetitionRequest) {
    am.title = Set(r.title.clone());
    am.title_en = Set(r.title_en.clone());
    am.description = Set(r.description.clone());
    am.description_en = Set(r.description_en.clone());
    am.rules = Set(r.rules.clone());
    am.category = Set(r.category.clone());
    am.cover_url = Set(r.cover_url.clone());
    am.kind = Set(r.kind.clone());
    am.starts_at = Set(r.starts_at);
    am.ends_at = Set(r.ends_at);
    am.registration_opens_at = Set(r.registration_opens_at);
    am.registration_closes_at = Set(r.registration_closes_at);
    am.quiz_duration_seconds = Set(to_i32(r.quiz_duration_seconds));
    am.max_participants = Set(to_i32(r.max_participants));
    am.entry_fee = Set(r.entry_fee);
    am.participation_points = Set(r.participation_points);
    am.prizes = Set(json!(r.prizes));
    am.search_text = Set(search_text(r));
}

/// Who is acting, for the audit log (`None` = the scheduler).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: Option<i64>,
    pub ip: Option<&'a str>,
}

impl<'a> Actor<'a> {
    pub fn entry(
        &self,
        action: &'a str,
        competition_id: i64,
        details: serde_json::Value,
    ) -> audit::Entry<'a> {
        audit::Entry {
            actor_user_id: self.user_id,
            actor_api_key_id: None,
            action,
            target_type: Some("competition"),
            target_id: Some(competition_id.to_string()),
            ip: self.ip,
            details,
        }
    }
}

pub async fn create(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    req: CreateCompetitionRequest,
) -> Result<comp::Model, ApiError> {
    let req = normalize(req);
    req.validate().map_err(ApiError::Validation)?;
    let now = super::now();
    req.validate_schedule(now).map_err(ApiError::Validation)?;
    let req_ref = &req;
    crate::db::transaction(db, |txn| async move {
        let mut am = comp::ActiveModel {
            status: Set(CompetitionStatus::Draft.as_str().to_owned()),
            participants_count: Set(0),
            created_by: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, req_ref);
        let m = am.insert(&*txn).await?;
        actor
            .entry(
                "competition.create",
                m.id,
                json!({"title": m.title, "kind": m.kind}),
            )
            .write(&*txn)
            .await?;
        Ok(m)
    })
    .await
}

fn frozen_message(status: CompetitionStatus) -> &'static str {
    match status {
        CompetitionStatus::Draft => "",
        CompetitionStatus::Published => "لا يمكن تغيير هذا الحقل بعد نشر المسابقة.",
        CompetitionStatus::Running => "لا يمكن تغيير هذا الحقل أثناء سير المسابقة.",
        CompetitionStatus::Ended | CompetitionStatus::Finalized => {
            "لا يمكن تغيير هذا الحقل بعد انتهاء المسابقة."
        }
    }
}

const SCHEDULE_FIELDS: [&str; 4] = [
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
];

pub async fn update(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    patch: UpdateCompetitionRequest,
) -> Result<comp::Model, ApiError> {
    let m = load_current(db, id).await?;
    let now = super::now();
    let status = effective_status(&m, now);
    let current = to_input(&m);
    let mut merged = normalize(patch.merged(&current));
    // Registration close follows an earlier end when the admin did not set it: otherwise moving
    // a running competition's end earlier failed on «إغلاق التسجيل», a field frozen while it
    // runs — a state the form could not fix.
    let follows_end = patch.registration_closes_at.is_none()
        && merged
            .registration_closes_at
            .is_some_and(|closes| closes > merged.ends_at);
    if follows_end {
        merged.registration_closes_at = Some(merged.ends_at);
    }
    let changed = changed_fields(&current, &merged);
    if changed.is_empty() {
        return Ok(m);
    }
    let editable = status.editable_fields();
    let frozen: FieldErrors = changed
        .iter()
        .filter(|f| !editable.contains(f))
        .filter(|f| !(follows_end && **f == "registration_closes_at"))
        .map(|f| ((*f).to_owned(), frozen_message(status).to_owned()))
        .collect();
    if !frozen.is_empty() {
        return Err(ApiError::FieldConflict {
            code: ErrorCode::InvalidTransition,
            fields: frozen,
        });
    }
    merged.validate().map_err(ApiError::Validation)?;
    if changed.iter().any(|f| SCHEDULE_FIELDS.contains(f)) {
        merged
            .validate_schedule(now)
            .map_err(ApiError::Validation)?;
    }
    let (merged_ref, changed_ref) = (&merged, &changed);
    crate::db::transaction(db, |txn| async move {
        let mut am = comp::ActiveModel {
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, merged_ref);
        let mut q = comp::Entity::update_many()
            .set(am)
            .filter(comp::Column::Id.eq(id))
            .filter(status_condition(status, now));
        if let Some(max) = to_i32(merged_ref.max_participants) {
            // Seats already taken cannot be taken away.
            q = q.filter(comp::Column::ParticipantsCount.lte(max));
        }
        if q.exec(&*txn).await?.rows_affected == 0 {
            let now_m = find(&*txn, id).await?;
            if effective_status(&now_m, now) == status {
                return Err(ApiError::field(
                    ErrorCode::Conflict,
                    "max_participants",
                    format!(
                        "لا يمكن أن يقل الحد عن عدد المشتركين الحالي ({}).",
                        now_m.participants_count
                    ),
                ));
            }
            return Err(ApiError::Code(ErrorCode::InvalidTransition));
        }
        actor
            .entry("competition.update", id, json!({"changed": changed_ref}))
            .write(&*txn)
            .await?;
        find(&*txn, id).await
    })
    .await
}

/// Drafts, and published competitions nobody has joined, can be deleted.
pub async fn delete(db: &DatabaseConnection, actor: Actor<'_>, id: i64) -> Result<(), ApiError> {
    let m = load_current(db, id).await?;
    let now = super::now();
    let m_ref = &m;
    crate::db::transaction(db, |txn| async move {
        use comp::Column as C;
        let deletable = Condition::any().add(C::Status.eq("draft")).add(
            Condition::all()
                .add(C::Status.eq("published"))
                .add(C::StartsAt.gt(now))
                .add(C::ParticipantsCount.eq(0)),
        );
        let deleted = comp::Entity::delete_many()
            .filter(C::Id.eq(id))
            .filter(deletable)
            .exec(&*txn)
            .await?
            .rows_affected;
        if deleted == 0 {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "لا يمكن حذف مسابقة بدأت أو انضم إليها مشاركون؛ تُحذف المسودات والمسابقات المنشورة دون مشاركين فقط.",
            ));
        }
        actor
            .entry("competition.delete", id, json!({"title": m_ref.title, "status": m_ref.status}))
            .write(&*txn)
            .await?;
        Ok(())
    })
    .await
}

pub async fn publish(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
) -> Result<comp::Model, ApiError> {
    let m = load_current(db, id).await?;
    let now = super::now();
    if stored_status(&m) != CompetitionStatus::Draft {
        return Err(ApiError::message(
            ErrorCode::InvalidTransition,
            "لا تُنشر إلا المسودات.",
        ));
    }
    if m.ends_at <= now {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "ends_at",
            "موعد النهاية مضى؛ عدّله قبل النشر.",
        ));
    }
    let kind = kind_of(&m);
    crate::db::transaction(db, |txn| async move {
        let published = comp::Entity::update_many()
            .col_expr(comp::Column::Status, Expr::val("published"))
            .col_expr(comp::Column::PublishedAt, Expr::val(now))
            .col_expr(comp::Column::UpdatedAt, Expr::val(now))
            .filter(comp::Column::Id.eq(id))
            .filter(comp::Column::Status.eq("draft"))
            .exec(&*txn)
            .await?
            .rows_affected;
        if published == 0 {
            return Err(ApiError::message(
                ErrorCode::InvalidTransition,
                "لا تُنشر إلا المسودات.",
            ));
        }
        // Counted after the status update, which serializes with question edits.
        let questions = cq::Entity::find()
            .filter(cq::Column::CompetitionId.eq(id))
            .count(&*txn)
            .await?;
        if kind == CompetitionKind::Quiz && questions == 0 {
            return Err(ApiError::message(
                ErrorCode::Unprocessable,
                "أضف سؤالًا واحدًا على الأقل قبل نشر الاختبار.",
            ));
        }
        actor
            .entry("competition.publish", id, json!({"questions": questions}))
            .write(&*txn)
            .await?;
        find(&*txn, id).await
    })
    .await
}

/// Filters for competition lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStatus {
    /// Joinable now: registration window open and a seat free.
    Open,
    /// Ended, finalized or not (the public "past competitions").
    Past,
    Is(CompetitionStatus),
}

pub struct ListFilter {
    pub status: Option<ListStatus>,
    pub kind: Option<CompetitionKind>,
    pub q: Option<String>,
    pub include_drafts: bool,
    /// Only competitions this user has joined (and not left).
    pub participant: Option<i64>,
    pub cursor: Option<i64>,
    pub limit: u64,
}

/// A page of competitions, newest first, with stale statuses persisted.
pub async fn list(
    db: &DatabaseConnection,
    f: ListFilter,
) -> Result<(Vec<comp::Model>, Option<String>), ApiError> {
    let now = super::now();
    let mut q = comp::Entity::find();
    if !f.include_drafts {
        q = q.filter(comp::Column::Status.ne("draft"));
    }
    if let Some(cursor) = f.cursor {
        q = q.filter(comp::Column::Id.lt(cursor));
    }
    if let Some(uid) = f.participant {
        let active = ParticipationStatus::ALL
            .into_iter()
            .filter(|s| s.is_active())
            .map(ParticipationStatus::as_str);
        q = q.filter(
            comp::Column::Id.in_subquery(
                part::Entity::find()
                    .select_only()
                    .column(part::Column::CompetitionId)
                    .filter(part::Column::UserId.eq(uid))
                    .filter(part::Column::Status.is_in(active))
                    .into_query(),
            ),
        );
    }
    match f.status {
        None => {}
        Some(ListStatus::Open) => {
            q = q
                .filter(registration_condition(now))
                .filter(capacity_condition())
        }
        Some(ListStatus::Past) => {
            q = q.filter(
                Condition::any()
                    .add(status_condition(CompetitionStatus::Ended, now))
                    .add(status_condition(CompetitionStatus::Finalized, now)),
            )
        }
        Some(ListStatus::Is(s)) => q = q.filter(status_condition(s, now)),
    }
    if let Some(kind) = f.kind {
        q = q.filter(comp::Column::Kind.eq(kind.as_str()));
    }
    if let Some(text) = f.q.as_deref() {
        q = q.filter(
            Expr::col(comp::Column::SearchText).like(like_contains(&normalize_arabic(text))),
        );
    }
    let rows = q
        .order_by_desc(comp::Column::Id)
        .limit(f.limit + 1)
        .all(db)
        .await?;
    let (mut rows, next) = crate::routes::pagination::split_page(rows, f.limit, |r| r.id);
    refresh_stale(db, &mut rows, now).await?;
    Ok((rows, next))
}

/// Competition DTOs for a page, with question counts and (when signed in) the viewer's status.
pub async fn page_dtos(
    conn: &impl ConnectionTrait,
    rows: &[comp::Model],
    viewer: Option<i64>,
) -> Result<Vec<Competition>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = question_counts(conn, &ids).await?;
    let mine = match viewer {
        Some(uid) => Some(my_participations(conn, uid, &ids).await?),
        None => None,
    };
    let now = super::now();
    Ok(rows
        .iter()
        .map(|m| {
            to_dto(
                m,
                counts.get(&m.id).copied().unwrap_or(0),
                now,
                mine.as_ref().map(|map| map.get(&m.id)),
            )
        })
        .collect())
}
