//! `password_resets`: reset requests and the links issued for them (SHA-256 of the token only).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None` when the address named no account.
    pub user_id: Option<i64>,
    /// `None` when no link was issued.
    pub token_hash: Option<String>,
    /// `emailed`, `admin`, `unknown` or `throttled`.
    pub outcome: String,
    pub ip: Option<String>,
    /// The admin who issued the link (`outcome = admin`).
    pub issued_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
