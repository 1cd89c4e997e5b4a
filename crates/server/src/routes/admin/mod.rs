//! /api/v1/admin: everything here takes `AdminUser`, so a non-admin gets 403 before any work.

pub mod audit;
pub mod notifications;
pub mod points;
pub mod users;
