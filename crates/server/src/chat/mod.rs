//! Live chat delivery: the per-process [`hub::Hub`] that holds this process's WebSocket
//! connections, and the [`events::Event`]s that tell every process what changed.
//!
//! Writers publish an event inside the same database transaction as the change: on PostgreSQL
//! as `NOTIFY musabaqati_chat` (delivered to every replica at commit, in commit order, and never
//! for a rolled-back transaction); on SQLite (one process) through an in-process channel after
//! the commit. Each process's hub receives the events, loads what it needs (the message row,
//! the room's members) and pushes JSON frames to its own connections.

pub mod events;
pub mod hub;
pub mod ws;

pub use events::Event;
pub use hub::{Hub, HubTask};
