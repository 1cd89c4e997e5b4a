//! Display names that would pass for someone else's (issue 11, finding 8). Every account stores
//! the UTS #39 skeleton of its display name and of its username (indexed); a new or changed
//! display name is looked up by its skeleton and refused when [`crate::text::confusable_with`]
//! says it would be taken for the other account's name: any name that reads as an admin's, or
//! a name in another script (mixed-script or whole-script) that reads as anyone's.
//!
//! Two people registering look-alike names at the same instant can both pass (the check reads,
//! then the insert writes); the rule is about impersonating an existing account.

use domain::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};

use crate::entities::users;
use crate::error::ApiError;
use crate::text::{confusable_with, name_skeleton, Lookalike};

/// How many same-skeleton accounts with another display name are compared (a name shared by
/// more people than this is an ordinary name, not a look-alike of one account).
const COMPARED: u64 = 200;

/// Rows filled per transaction by [`backfill_skeletons`].
const BACKFILL_BATCH: u64 = 500;

#[derive(Debug, sea_orm::FromQueryResult)]
struct Other {
    username: String,
    display_name: String,
    role: String,
    display_name_skeleton: Option<String>,
    username_skeleton: Option<String>,
}

/// The skeletons stored with an account.
pub struct Skeletons {
    pub display_name: String,
    pub username: String,
}

pub fn skeletons(username: &str, display_name: &str) -> Skeletons {
    Skeletons {
        display_name: name_skeleton(display_name),
        username: name_skeleton(username),
    }
}

/// Checks a display name (already validated and trimmed) for `user` (`None` when registering)
/// and returns its skeleton to store. A look-alike is 422 `validation_failed` on
/// `display_name`; the message does not say whose name it resembles. An admin's own name is
/// compared with other admins' like anyone's (several admins called «المشرف» are fine).
pub async fn check_display_name(
    conn: &impl ConnectionTrait,
    name: &str,
    user: Option<i64>,
    as_admin: bool,
) -> Result<String, ApiError> {
    let skeleton = name_skeleton(name);
    let same_skeleton = Condition::any()
        .add(users::Column::DisplayNameSkeleton.eq(skeleton.as_str()))
        .add(users::Column::UsernameSkeleton.eq(skeleton.as_str()));
    let mut query = users::Entity::find()
        .select_only()
        .columns([
            users::Column::Username,
            users::Column::DisplayName,
            users::Column::Role,
            users::Column::DisplayNameSkeleton,
            users::Column::UsernameSkeleton,
        ])
        .filter(same_skeleton);
    if let Some(id) = user {
        query = query.filter(users::Column::Id.ne(id));
    }
    // Admins first (any match refuses), then other accounts whose name is not this very text.
    let admins = query
        .clone()
        .filter(users::Column::Role.eq("admin"))
        .limit(1)
        .into_model::<Other>()
        .all(conn)
        .await?;
    let others = query
        .filter(users::Column::Role.ne("admin"))
        .filter(
            Condition::any()
                .add(users::Column::DisplayName.ne(name))
                .add(users::Column::UsernameSkeleton.eq(skeleton.as_str())),
        )
        .limit(COMPARED)
        .into_model::<Other>()
        .all(conn)
        .await?;
    for other in admins.into_iter().chain(others) {
        let is_admin = other.role == "admin" && !as_admin;
        let mut names = Vec::with_capacity(2);
        if other.display_name_skeleton.as_deref() == Some(skeleton.as_str()) {
            names.push(other.display_name.as_str());
        }
        if other.username_skeleton.as_deref() == Some(skeleton.as_str()) {
            names.push(other.username.as_str());
        }
        if names.into_iter().any(|other_name| {
            confusable_with(
                name,
                &Lookalike {
                    name: other_name,
                    is_admin,
                },
            )
        }) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "display_name",
                "هذا الاسم يشبه اسم حساب آخر إلى حدّ الالتباس؛ اختر اسمًا آخر.",
            ));
        }
    }
    Ok(skeleton)
}

/// Fills the skeletons of accounts that have none (created before the columns existed, or
/// written by a tool that does not set them). Runs when the server starts; idempotent, so
/// replicas starting together only repeat each other's work.
pub async fn backfill_skeletons(db: &DatabaseConnection) -> Result<u64, ApiError> {
    let mut filled = 0;
    loop {
        let rows: Vec<(i64, String, String)> = users::Entity::find()
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::Username,
                users::Column::DisplayName,
            ])
            .filter(
                Condition::any()
                    .add(users::Column::DisplayNameSkeleton.is_null())
                    .add(users::Column::UsernameSkeleton.is_null()),
            )
            .limit(BACKFILL_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let txn = db.begin().await?;
        for (id, username, display_name) in &rows {
            let s = skeletons(username, display_name);
            users::Entity::update_many()
                .col_expr(
                    users::Column::DisplayNameSkeleton,
                    Expr::value(s.display_name),
                )
                .col_expr(users::Column::UsernameSkeleton, Expr::value(s.username))
                .filter(users::Column::Id.eq(*id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        filled += rows.len() as u64;
    }
}
