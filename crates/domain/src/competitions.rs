//! Competitions: DTOs and validation (written with the competitions service).
