//! `api_keys`: Integrator API keys: looked up by `prefix`, verified against `key_hash`;
//! `scopes` is a JSON array of strings; `owner_id` = `created_by` for every key that works.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub owner_id: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub scopes: Json,
    pub rate_limit_per_minute: i32,
    /// `personal` or `service` (`domain::api_keys::ApiKeyKind`).
    pub kind: String,
    /// Point-award ceilings of a service key holding `admin:points:write` (absolute amounts).
    pub award_max_per_call: Option<i64>,
    pub award_max_per_day: Option<i64>,
    /// The UTC day (days since 1970-01-01) `awarded_today` counts, raised in the same
    /// conditional update that checks the ceiling.
    pub award_day: i64,
    pub awarded_today: i64,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub rotated_from_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::OwnerId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    Owner,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Creator,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Owner.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
