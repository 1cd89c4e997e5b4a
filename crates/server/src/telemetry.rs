//! Logging: human-readable in development, JSON lines in production. `RUST_LOG` overrides the level.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,actix_server=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // try_init: tests and embedders may have installed a subscriber already.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
}
