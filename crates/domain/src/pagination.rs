//! Keyset pagination: `?limit=&cursor=` in, `next_cursor` out.

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;
