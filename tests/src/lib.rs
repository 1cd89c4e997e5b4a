//! Black-box tests live in tests/api/; this crate only hosts them.
