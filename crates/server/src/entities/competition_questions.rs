//! `competition_questions`: Quiz questions. `choices` is a JSON array of strings;
//! `correct_index` is never sent to participants.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competition_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub competition_id: i64,
    pub position: i32,
    pub text: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub choices: Json,
    pub correct_index: i32,
    pub points: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::competitions::Entity",
        from = "Column::CompetitionId",
        to = "super::competitions::Column::Id",
        on_delete = "Cascade"
    )]
    Competition,
}

impl Related<super::competitions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Competition.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
