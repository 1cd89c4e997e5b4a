//! SeaORM entities, one module per table created by the `migration` crate
//! (`m20261127_000001_initial_schema`). Enum-like columns (status, kind, role...) are plain
//! `String`s here; the service layer maps them to the `domain` enums.

pub mod admin_notifications;
pub mod api_failed_auth;
pub mod api_keys;
pub mod api_usage_log;
pub mod audit_log;
pub mod chat_room_members;
pub mod chat_rooms;
pub mod competition_answers;
pub mod competition_entries;
pub mod competition_questions;
pub mod competitions;
pub mod email_outbox;
pub mod email_verifications;
pub mod held_transfers;
pub mod idempotency_keys;
pub mod login_attempts;
pub mod login_challenges;
pub mod messages;
pub mod notifications;
pub mod participations;
pub mod password_resets;
pub mod points_packages;
pub mod points_transactions;
pub mod purchase_records;
pub mod referrals;
pub mod refresh_tokens;
pub mod reward_redemptions;
pub mod rewards;
pub mod risk_flags;
pub mod session_step_ups;
pub mod system_settings;
pub mod token_failed_auth;
pub mod totp_recovery_codes;
pub mod user_blocks;
pub mod user_totp;
pub mod users;

/// The entity types under table-style names: `Users`, `PointsTransactions`, ...
pub mod prelude {
    pub use super::admin_notifications::Entity as AdminNotifications;
    pub use super::api_failed_auth::Entity as ApiFailedAuth;
    pub use super::api_keys::Entity as ApiKeys;
    pub use super::api_usage_log::Entity as ApiUsageLog;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::chat_room_members::Entity as ChatRoomMembers;
    pub use super::chat_rooms::Entity as ChatRooms;
    pub use super::competition_answers::Entity as CompetitionAnswers;
    pub use super::competition_entries::Entity as CompetitionEntries;
    pub use super::competition_questions::Entity as CompetitionQuestions;
    pub use super::competitions::Entity as Competitions;
    pub use super::email_outbox::Entity as EmailOutbox;
    pub use super::held_transfers::Entity as HeldTransfers;
    pub use super::idempotency_keys::Entity as IdempotencyKeys;
    pub use super::login_attempts::Entity as LoginAttempts;
    pub use super::messages::Entity as Messages;
    pub use super::notifications::Entity as Notifications;
    pub use super::participations::Entity as Participations;
    pub use super::password_resets::Entity as PasswordResets;
    pub use super::points_packages::Entity as PointsPackages;
    pub use super::points_transactions::Entity as PointsTransactions;
    pub use super::purchase_records::Entity as PurchaseRecords;
    pub use super::referrals::Entity as Referrals;
    pub use super::refresh_tokens::Entity as RefreshTokens;
    pub use super::reward_redemptions::Entity as RewardRedemptions;
    pub use super::rewards::Entity as Rewards;
    pub use super::risk_flags::Entity as RiskFlags;
    pub use super::system_settings::Entity as SystemSettings;
    pub use super::token_failed_auth::Entity as TokenFailedAuth;
    pub use super::user_blocks::Entity as UserBlocks;
    pub use super::users::Entity as Users;
}
