//! Musabaqati server library: the binary `musabaqati` and the black-box tests both start the
//! application through [`startup::Application`].

pub mod auth;
pub mod chat;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod text;
