//! A fresh installation gets one public group room, «الساحة العامة», so the chat page has a
//! place to talk from the first day (issue 13 item 9). It is an ordinary public room: admins
//! rename, archive or delete it like any other (`created_by` is NULL: nobody made it).
//!
//! Why a migration rather than `create-admin` or a first-run hook: the migrations are the one
//! step every installation runs exactly once, on SQLite and PostgreSQL alike, before anyone can
//! sign in; the room needs no admin account. An installation that already has a public room
//! (an upgrade of a running platform) gets none: its admins have already set chat up.

use chrono::SubsecRound;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The room's name and description (Arabic: what participants see).
pub const NAME: &str = "الساحة العامة";
pub const DESCRIPTION: &str =
    "غرفة مفتوحة لكل المتسابقين: تعارفوا، وتبادلوا التحدي، وتحدّثوا عن المسابقات.";

#[derive(DeriveIden)]
enum ChatRooms {
    Table,
    Kind,
    Visibility,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let existing = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT COUNT(*) AS n FROM chat_rooms WHERE kind = 'group' AND visibility = 'public'",
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if existing > 0 {
            return Ok(());
        }
        let now = chrono::Utc::now().trunc_subsecs(6);
        let insert = Query::insert()
            .into_table(ChatRooms::Table)
            .columns([
                ChatRooms::Kind,
                ChatRooms::Visibility,
                ChatRooms::Name,
                ChatRooms::Description,
                ChatRooms::CreatedAt,
                ChatRooms::UpdatedAt,
            ])
            .values([
                "group".into(),
                "public".into(),
                NAME.into(),
                DESCRIPTION.into(),
                now.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Only the room this migration made (nobody created it), with whatever it gathered
        // (memberships and messages cascade).
        let delete = Query::delete()
            .from_table(ChatRooms::Table)
            .and_where(Expr::col(ChatRooms::Name).eq(NAME))
            .and_where(Expr::col(ChatRooms::CreatedBy).is_null())
            .and_where(Expr::col(ChatRooms::Kind).eq("group"))
            .to_owned();
        manager.exec_stmt(delete).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
