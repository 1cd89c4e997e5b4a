//! The daily transfer limit moves onto the sender's row: `transfer_day` (days since 1970-01-01,
//! UTC) and `transferred_today` (points sent on that day). The debit checks and raises them in the
//! same conditional update that checks the balance, so two concurrent transfers can no longer
//! both pass the limit, and a transfer needs no sum over the ledger.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    TransferDay,
    TransferredToday,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(big_integer(Users::TransferDay).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(big_integer(Users::TransferredToday).default(0))
                    .to_owned(),
            )
            .await?;
        // Today's transfers made before this migration still count towards today's limit.
        let now = chrono::Utc::now();
        let day = now.timestamp().div_euclid(86_400);
        let day_start =
            chrono::DateTime::<chrono::Utc>::from_timestamp(day * 86_400, 0).unwrap_or(now);
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let p = |n: u8| match backend {
            DbBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        let sql = format!(
            "UPDATE users SET transfer_day = {d}, transferred_today = \
             (SELECT COALESCE(-SUM(t.amount), 0) FROM points_transactions t \
              WHERE t.user_id = users.id AND t.kind = 'transfer_out' AND t.created_at >= {a}) \
             WHERE id IN (SELECT user_id FROM points_transactions \
              WHERE kind = 'transfer_out' AND created_at >= {b})",
            d = p(1),
            a = p(2),
            b = p(3),
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [day.into(), day_start.into(), day_start.into()],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::TransferredToday, Users::TransferDay] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
