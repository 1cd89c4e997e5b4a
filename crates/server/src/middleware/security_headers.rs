//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// The SPA is one WASM module plus its JS glue, all same-origin: nothing inline, nothing remote.
/// `'wasm-unsafe-eval'` permits compiling the WASM; styles allow inline attributes the UI and the
/// API docs set. `connect-src 'self'` covers same-origin fetch and WebSocket.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub fn headers(production: bool) -> DefaultHeaders {
    let mut h = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"));
    if production {
        h = h.add((
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ));
    }
    h
}
