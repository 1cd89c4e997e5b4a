pub use sea_orm_migration::prelude::*;

mod m20261127_000001_initial_schema;
mod m20261127_000004_chat_archive_and_sender_index;
mod m20261127_000005_transfer_daily_total;
mod m20261207_000101_token_failed_auth;
mod m20261207_000201_api_key_kinds_and_ceilings;
mod m20261207_000301_user_name_skeletons;
mod m20261207_000401_trust_and_safety;
mod m20261207_000501_accounts;
mod m20261207_000511_totp;
mod m20261207_000521_email_verification;
mod m20261207_000701_earned_by_competing;
mod m20261207_000702_competition_entries;
mod m20261207_000801_public_room;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_initial_schema::Migration),
            Box::new(m20261127_000004_chat_archive_and_sender_index::Migration),
            Box::new(m20261127_000005_transfer_daily_total::Migration),
            Box::new(m20261207_000101_token_failed_auth::Migration),
            Box::new(m20261207_000201_api_key_kinds_and_ceilings::Migration),
            Box::new(m20261207_000301_user_name_skeletons::Migration),
            Box::new(m20261207_000401_trust_and_safety::Migration),
            Box::new(m20261207_000501_accounts::Migration),
            Box::new(m20261207_000511_totp::Migration),
            Box::new(m20261207_000521_email_verification::Migration),
            Box::new(m20261207_000701_earned_by_competing::Migration),
            Box::new(m20261207_000702_competition_entries::Migration),
            Box::new(m20261207_000801_public_room::Migration),
        ]
    }
}
