//! The whole initial data model, written once for PostgreSQL and SQLite. Each table's purpose is
//! on its entity in `crates/server/src/entities`; the ledger's rules are in docs/ARCHITECTURE.md
//! §3.
//!
//! Constraint names are stable (`uq_<table>_<cols>`, `ck_<table>_<rule>`, `fk_<table>_<col>`,
//! `idx_<table>_<cols>`) so the server can map a violation to an API error. PostgreSQL reports
//! every constraint by name; SQLite names CHECKs (`CHECK constraint failed: ck_users_...`) but
//! reports UNIQUE violations by column (`UNIQUE constraint failed: users.username_lower`) and
//! drops foreign-key names.

use sea_orm_migration::{prelude::*, schema::*};

mod api;
mod chat;
mod competitions;
mod ops;
mod points;
mod referrals;
mod users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for def in tables() {
            manager.create_table(def.create).await?;
            for index in def.indexes {
                manager.create_index(index).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Derived from the same list as `up`, so the two can never drift apart. Reverse order
        // drops every referencing table before the table it points to (SQLite enforces foreign
        // keys on the implicit DELETE of a DROP TABLE).
        for def in tables().into_iter().rev() {
            let name =
                def.create.get_table_name().cloned().ok_or_else(|| {
                    DbErr::Migration("table definition without a name".to_owned())
                })?;
            manager
                .drop_table(Table::drop().table(name).if_exists().take())
                .await?;
        }
        Ok(())
    }

    // SQLite has transactional DDL too; without this a failure half-way would leave a partial
    // schema behind that the migrator does not know about.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Every table in creation order: a table only references tables listed before it.
fn tables() -> Vec<TableDef> {
    let mut all = users::tables();
    all.extend(competitions::tables());
    all.extend(points::tables());
    all.extend(chat::tables());
    all.extend(referrals::tables());
    all.extend(api::tables());
    all.extend(ops::tables());
    all
}

/// A table plus the secondary (non-unique) indexes created right after it. Unique constraints
/// live inside the table definition.
struct TableDef {
    create: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

impl TableDef {
    fn new(create: &mut TableCreateStatement, indexes: Vec<IndexCreateStatement>) -> Self {
        Self {
            create: create.take(),
            indexes,
        }
    }
}

/// BIGINT identity primary key. sea-query renders BigInteger as `integer` on SQLite, which is
/// what makes `integer PRIMARY KEY AUTOINCREMENT` (a rowid alias) legal there.
fn id<T: IntoIden>(col: T) -> ColumnDef {
    big_integer(col).auto_increment().primary_key().take()
}

fn ts<T: IntoIden>(col: T) -> ColumnDef {
    timestamp_with_time_zone(col)
}

fn ts_null<T: IntoIden>(col: T) -> ColumnDef {
    timestamp_with_time_zone_null(col)
}

fn join_names<T: Iden>(cols: &[T]) -> String {
    cols.iter()
        .map(|c| Iden::to_string(c))
        .collect::<Vec<_>>()
        .join("_")
}

fn fk<T, R>(
    table: T,
    col: T,
    to: R,
    to_col: R,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: Iden + Copy + 'static,
    R: Iden + Copy + 'static,
{
    ForeignKey::create()
        .name(format!(
            "fk_{}_{}",
            Iden::to_string(&table),
            Iden::to_string(&col)
        ))
        .from(table, col)
        .to(to, to_col)
        .on_delete(on_delete)
        .take()
}

/// A unique constraint, declared inside CREATE TABLE.
fn unique<T: Iden + Copy + 'static>(table: T, cols: &[T]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!(
        "uq_{}_{}",
        Iden::to_string(&table),
        join_names(cols)
    ))
    .unique();
    for &col in cols {
        stmt.col(col);
    }
    stmt
}

/// A plain index named `idx_<table>_<cols>`.
fn index<T: Iden + Copy + 'static>(table: T, cols: &[T]) -> IndexCreateStatement {
    named_index(
        &format!("idx_{}_{}", Iden::to_string(&table), join_names(cols)),
        table,
        cols,
    )
}

/// A plain index with a name other code (query plans, benchmarks) refers to.
fn named_index<T: Iden + Copy + 'static>(name: &str, table: T, cols: &[T]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for &col in cols {
        stmt.col(col);
    }
    stmt
}

/// `col IN ('a', 'b', ...)` for CHECK constraints on enum-like text columns.
fn one_of<T: IntoIden>(col: T, values: &[&'static str]) -> Expr {
    Expr::col(col).is_in(values.iter().copied())
}

/// `col >= 0`
fn non_negative<T: IntoIden>(col: T) -> Expr {
    Expr::col(col).gte(0)
}

/// `col > 0`
fn positive<T: IntoIden>(col: T) -> Expr {
    Expr::col(col).gt(0)
}

/// `col IS NULL OR col > 0` / `>= 0` for optional limits.
fn null_or<T: IntoIden>(col: T, cond: Expr) -> Expr {
    Expr::col(col).is_null().or(cond)
}
