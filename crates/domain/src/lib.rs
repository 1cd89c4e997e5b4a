//! Wire types shared by the Musabaqati server and its WASM app.
//!
//! Nothing here does I/O: the crate builds for native and `wasm32-unknown-unknown`, so the form
//! errors the SPA shows and the API errors the server returns come from the same rules.

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod api_scopes;
pub mod auth;
pub mod chat;
pub mod competitions;
pub mod emails;
pub mod entries;
pub mod error;
pub mod leaderboard;
pub mod my_competitions;
pub mod notifications;
pub mod packages;
pub mod pagination;
pub mod points;
pub mod profiles;
pub mod redemptions;
pub mod referrals;
pub mod rewards;
pub mod safety;
pub mod settings;
pub mod text;
pub mod totp;
pub mod users;
pub mod validation;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};
