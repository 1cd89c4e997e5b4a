//! Leaderboards: DTOs.
