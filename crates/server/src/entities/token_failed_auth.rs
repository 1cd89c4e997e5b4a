//! `token_failed_auth`: Refused bearer tokens (reason, client address, route).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "token_failed_auth")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account the token claimed, when its payload could be read.
    pub user_id: Option<i64>,
    pub ip: String,
    pub reason: String,
    pub method: String,
    pub path: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
