//! The Leptos app lands with the SPA issue; this placeholder keeps the workspace loading.
fn main() {}
