//! Cross-cutting HTTP layers: request ids + access log + metrics, security headers, and the
//! JSON error safety net that keeps framework errors in the API's error format.

pub mod api_key;
pub mod errors;
pub mod https;
pub mod rate_limit;
pub mod request_id;
pub mod security_headers;
pub mod text_input;
