//! Black-box API tests: each test starts the real server on a random port with a fresh database
//! (SQLite by default; PostgreSQL with TEST_BACKEND=postgres) and talks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod accounts;
mod admin;
mod api_keys;
mod audit_filters;
mod auth;
mod chat;
mod chat_messages;
mod chat_ws;
mod client_address;
mod cluster;
mod competition_schedule;
mod competitions;
mod data_rights;
mod email;
mod entries;
mod errors;
mod leaderboard;
mod leaderboard_pages;
mod me;
mod my_competitions;
mod names;
mod owner_actions;
mod packages;
mod platform;
mod points;
mod profiles;
mod purchases;
mod referrals;
mod rewards;
mod safety;
mod safety_inbox;
mod settings;
mod throttling;
mod tokens;
mod totp;
mod verification;
