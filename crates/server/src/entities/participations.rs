//! `participations`: One row per (competition, user).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub competition_id: i64,
    pub user_id: i64,
    /// `registered` | `submitted` | `completed` | `withdrawn` | `disqualified`
    pub status: String,
    pub score: Option<i64>,
    pub rank: Option<i32>,
    pub fee_paid: i64,
    pub points_awarded: i64,
    pub joined_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
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
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::competitions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Competition.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
