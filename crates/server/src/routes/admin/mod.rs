//! /api/v1/admin: everything here takes `AdminUser`, so a non-admin gets 403 before any work.

pub mod api_keys;
pub mod audit;
pub mod chat;
pub mod competitions;
pub mod emails;
pub mod export;
pub mod notifications;
pub mod packages;
pub mod points;
pub mod purchases;
pub mod redemptions;
pub mod referrals;
pub mod rewards;
pub mod safety;
pub mod settings;
pub mod stats;
pub mod users;
