//! Authentication: JWT access tokens, argon2id passwords, refresh-token sessions, and the
//! extractors that make every protected handler check credentials before it runs.

pub mod extractors;
pub mod jwt;
pub mod password;

pub use extractors::{AdminUser, AuthUser, ClientInfo};
