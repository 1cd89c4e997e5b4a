//! Leaderboards count points earned by competing (issue 13): `users.lifetime_earned` is
//! recomputed from the ledger under the new rule — the sum, with its sign, of the user's
//! `competition_prize` and `participation` rows. Admin adjustments and referral bonuses no longer
//! count (before, an admin's welcome credit made a new user first on the all-time board, and a
//! correction left them there). The week and month boards are computed from the ledger on the
//! fly and follow the rule without a data change. `down` restores the old rule (positive
//! prizes, participation, referral bonuses and admin adjustments).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn recompute(
    manager: &SchemaManager<'_>,
    kinds: &str,
    positive_only: bool,
) -> Result<(), DbErr> {
    let sign = if positive_only {
        " AND t.amount > 0"
    } else {
        ""
    };
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "UPDATE users SET lifetime_earned = COALESCE((SELECT SUM(t.amount) FROM points_transactions t \
             WHERE t.user_id = users.id AND t.kind IN ({kinds}){sign}), 0)"
        ))
        .await?;
    // Never negative: a reversal cannot take more than was earned.
    manager
        .get_connection()
        .execute_unprepared("UPDATE users SET lifetime_earned = 0 WHERE lifetime_earned < 0")
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recompute(manager, "'competition_prize', 'participation'", false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recompute(
            manager,
            "'competition_prize', 'participation', 'referral_bonus', 'admin_adjustment'",
            true,
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
