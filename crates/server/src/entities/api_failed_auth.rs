//! `api_failed_auth`: Failed API-key authentications.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_failed_auth")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key_prefix: Option<String>,
    pub ip: String,
    pub reason: String,
    pub method: String,
    pub path: String,
    pub created_at: DateTimeUtc,
    /// An admin unblocked the address: the failure no longer counts towards the block.
    pub cleared_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
