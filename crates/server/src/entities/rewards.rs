//! `rewards`: Redeemable rewards. `stock` NULL = unlimited.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rewards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub description: String,
    pub image_url: Option<String>,
    pub icon: Option<String>,
    pub category: Option<String>,
    pub cost: i64,
    pub stock: Option<i64>,
    pub per_user_limit: Option<i32>,
    pub active: bool,
    pub available_from: Option<DateTimeUtc>,
    pub available_until: Option<DateTimeUtc>,
    pub search_text: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
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
