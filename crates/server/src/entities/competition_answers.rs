//! `competition_answers`: A participant's answer to one quiz question (unique per participation
//! + question).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competition_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub participation_id: i64,
    pub question_id: i64,
    pub choice_index: i32,
    pub is_correct: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::participations::Entity",
        from = "Column::ParticipationId",
        to = "super::participations::Column::Id",
        on_delete = "Cascade"
    )]
    Participation,
    #[sea_orm(
        belongs_to = "super::competition_questions::Entity",
        from = "Column::QuestionId",
        to = "super::competition_questions::Column::Id",
        on_delete = "Cascade"
    )]
    Question,
}

impl Related<super::participations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
