//! `purchase_records`: Package purchases, recorded as paid by an admin; amounts copied from the
//! package at request time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reference: String,
    pub user_id: i64,
    pub package_id: Option<i64>,
    pub points: i64,
    pub bonus_points: i64,
    pub price_minor: i64,
    pub currency: String,
    /// `requested` | `paid` | `cancelled`
    pub status: String,
    pub payment_reference: Option<String>,
    pub recorded_by: Option<i64>,
    pub note: Option<String>,
    pub paid_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    #[sea_orm(
        belongs_to = "super::points_packages::Entity",
        from = "Column::PackageId",
        to = "super::points_packages::Column::Id",
        on_delete = "SetNull"
    )]
    Package,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::RecordedBy",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Recorder,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
