//! `competitions`: Competitions. `prizes` is a JSON array of `{rank, points}`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub rules: Option<String>,
    pub category: Option<String>,
    pub cover_url: Option<String>,
    /// `quiz` | `judged`
    pub kind: String,
    /// `draft` | `published` | `running` | `ended` | `finalized`
    pub status: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub quiz_duration_seconds: Option<i32>,
    pub max_participants: Option<i32>,
    pub participants_count: i32,
    pub entry_fee: i64,
    pub participation_points: i64,
    #[sea_orm(column_type = "JsonBinary")]
    pub prizes: Json,
    pub search_text: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub finalized_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Creator,
}

impl ActiveModelBehavior for ActiveModel {}
