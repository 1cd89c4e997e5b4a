//! Authentication: JWT access tokens, argon2id passwords, refresh-token sessions, and the
//! extractors that make every protected handler check credentials before it runs.

pub mod api_key;
pub mod extractors;
pub mod jwt;
pub mod password;
pub mod scopes;

pub use extractors::{AdminUser, AuthUser, ClientInfo, SteppedUpAdmin};
