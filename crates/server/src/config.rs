//! Settings from the environment, validated once at start-up.

use std::fmt;
use std::path::PathBuf;

use anyhow::{bail, Context};
use ipnet::IpNet;

use crate::client_addr::{self, DEFAULT_TRUSTED_PROXIES};

/// The JWT secret used when `JWT_SECRET` is unset: fine on a laptop, refused in production.
pub const DEFAULT_JWT_SECRET: &str = "musabaqati-development-secret-change-me-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// A secret that never shows up in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Request-rate limits (per client IP: shared by all replicas through Redis when
/// `MUSABAQATI_REDIS_URL` is set, else per process; the login throttle lives in the database).
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Sustained requests per second for the whole API.
    pub api_per_second: u64,
    pub api_burst: u32,
    /// Sustained requests per minute on /api/v1/auth.
    pub auth_per_minute: u64,
    pub auth_burst: u32,
    /// Failed logins for one account from one address within the window before that address
    /// is refused for that account (429). Other addresses, the owner's, are not affected.
    pub login_failures_per_account_address: u64,
    /// Failed logins for one account within the window before the whole account is refused,
    /// provided they came from at least `login_lock_min_addresses` addresses.
    pub login_failures_per_account: u64,
    pub login_lock_min_addresses: u64,
    /// Failed logins from one address (any accounts) within the window before 429.
    pub login_failures_per_ip: u64,
    pub login_window_secs: i64,
    /// Refused bearer tokens (expired ones aside) from one address within the window before the
    /// admins are alerted (one notification per address and window).
    pub token_failures_per_ip: u64,
    pub token_failure_window_secs: i64,
    /// Password-reset emails for one account per hour; more requests answer the same 202 but
    /// send nothing (a 429 would tell who has an account).
    pub password_resets_per_account: u64,
    /// Password-reset requests from one address per hour (any addresses typed) before 429.
    pub password_resets_per_ip: u64,
    /// Email-verification links for one account per hour (resends and email changes) before
    /// 429 (a change of address beyond it sends nothing; the owner resends later).
    pub verification_emails_per_account: u64,
    /// Email-verification links requested from one client address per hour before 429.
    pub verification_emails_per_ip: u64,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            api_per_second: 50,
            api_burst: 200,
            auth_per_minute: 30,
            auth_burst: 20,
            login_failures_per_account_address: 5,
            login_failures_per_account: 20,
            login_lock_min_addresses: 3,
            login_failures_per_ip: 20,
            login_window_secs: 15 * 60,
            token_failures_per_ip: 20,
            token_failure_window_secs: 10 * 60,
            password_resets_per_account: 3,
            password_resets_per_ip: 10,
            verification_emails_per_account: 3,
            verification_emails_per_ip: 10,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// `host:port` to listen on.
    pub bind: String,
    pub database_url: String,
    pub db_max_connections: u32,
    pub jwt_secret: Secret,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// Folder of the built SPA (index.html + assets).
    pub static_dir: PathBuf,
    /// Allowed browser origins for CORS; empty = same-origin only.
    pub cors_origins: Vec<String>,
    pub run_migrations: bool,
    /// Read the client address from forwarded headers (a reverse proxy terminates TLS), but
    /// only on connections from `trusted_proxies` (see `client_addr`).
    pub trust_proxy: bool,
    /// The proxies whose forwarded headers count: addresses and CIDR blocks.
    pub trusted_proxies: Vec<IpNet>,
    /// Client addresses that may read `/metrics` without the token.
    pub metrics_allow: Vec<IpNet>,
    /// A bearer token that opens `/metrics` from any address; `None` = addresses only.
    pub metrics_token: Option<Secret>,
    pub rate_limits: RateLimits,
    /// JSON request bodies larger than this are refused with 413.
    pub json_limit_bytes: usize,
    pub workers: Option<usize>,
    /// How often the competition scheduler moves competitions along (published → running →
    /// ended → finalized); 0 turns it off. Every replica may run it: its updates are conditional.
    pub scheduler_interval_ms: u64,
    /// How often expired rows are pruned (services/housekeeping.rs); 0 = never.
    pub housekeeping_interval_secs: u64,
    /// How long week/month leaderboard aggregates are reused in memory; 0 = always fresh.
    pub leaderboard_cache_ms: u64,
    /// The same for the all-time board (cheaper to recompute, so fresher by default).
    pub leaderboard_all_cache_ms: u64,
    /// How often queued API-key usage rows are written (one multi-row insert per flush).
    pub usage_flush_ms: u64,
    /// Redis holding the request-rate buckets of all replicas; `None` = each process its own.
    pub redis_url: Option<Secret>,
    /// Prefix of this deployment's keys in that Redis (several deployments or tests may share one).
    pub redis_prefix: String,
    /// This replica's name, sent in the `X-Musabaqati-Replica` response header when set.
    pub replica_id: Option<String>,
    /// A flush also happens as soon as this many rows are queued.
    pub usage_batch_rows: usize,
    /// A refresh-token family (session) ends this long after sign-in, however often it is
    /// refreshed (the sliding window is `refresh_token_ttl_secs`).
    pub session_max_secs: i64,
    /// The outbox is delivered here (`smtp://host:port`, `smtps://…`, `smtp://…?tls=required`,
    /// credentials in the URL); `None` = messages are only logged.
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub mail_from_name: String,
    /// The address people open the app at, for links in emails; `None` = `http://` + the bound
    /// address (fine on a laptop and in tests).
    pub public_url: Option<String>,
    /// How often the sender looks for due messages; 0 = no sender in this process.
    pub mail_poll_ms: u64,
    /// The first retry waits this long; each further one twice as long (at most an hour).
    pub mail_retry_base_ms: u64,
    /// After this many failed attempts a message is `failed` until an admin retries it.
    pub mail_max_attempts: i32,
}

impl Settings {
    /// Development defaults; `from_env` and the tests start from here.
    pub fn development() -> Self {
        Self {
            environment: Environment::Development,
            bind: "127.0.0.1:8080".into(),
            database_url: default_sqlite_url(&PathBuf::from("data")),
            db_max_connections: 10,
            jwt_secret: Secret::new(DEFAULT_JWT_SECRET),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            static_dir: PathBuf::from("dist"),
            cors_origins: Vec::new(),
            run_migrations: true,
            trust_proxy: false,
            trusted_proxies: loopback(),
            metrics_allow: loopback(),
            metrics_token: None,
            rate_limits: RateLimits::default(),
            json_limit_bytes: 64 * 1024,
            workers: None,
            scheduler_interval_ms: 5_000,
            housekeeping_interval_secs: 3600,
            leaderboard_cache_ms: 2_000,
            leaderboard_all_cache_ms: 1_000,
            usage_flush_ms: 1_000,
            usage_batch_rows: 500,
            session_max_secs: 30 * 24 * 3600,
            smtp_url: None,
            mail_from: "no-reply@musabaqati.example".into(),
            mail_from_name: "مسابقاتي".into(),
            public_url: None,
            mail_poll_ms: 2_000,
            mail_retry_base_ms: 30_000,
            mail_max_attempts: 8,
            redis_url: None,
            redis_prefix: "musabaqati:".into(),
            replica_id: None,
        }
    }

    /// Reads the contract's environment variables (see README → Configuration).
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = Self::development();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

        if let Some(env) = var("MUSABAQATI_ENV") {
            s.environment = match env.as_str() {
                "development" | "dev" => Environment::Development,
                "production" | "prod" => Environment::Production,
                other => bail!("MUSABAQATI_ENV must be development or production, not {other:?}"),
            };
        }
        if let Some(bind) = var("MUSABAQATI_BIND") {
            s.bind = bind;
        }
        let data_dir = PathBuf::from(var("MUSABAQATI_DATA_DIR").unwrap_or_else(|| "data".into()));
        s.database_url = match var("DATABASE_URL") {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("creating the data folder {}", data_dir.display()))?;
                default_sqlite_url(&data_dir)
            }
        };
        if let Some(secret) = var("JWT_SECRET") {
            s.jwt_secret = Secret::new(secret);
        }
        if let Some(dir) = var("MUSABAQATI_STATIC_DIR") {
            s.static_dir = PathBuf::from(dir);
        }
        if let Some(origins) = var("MUSABAQATI_CORS_ORIGINS") {
            s.cors_origins = origins
                .split(',')
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect();
        }
        if let Some(v) = var("MUSABAQATI_RUN_MIGRATIONS") {
            s.run_migrations = parse_bool("MUSABAQATI_RUN_MIGRATIONS", &v)?;
        }
        if let Some(v) = var("MUSABAQATI_TRUST_PROXY") {
            s.trust_proxy = parse_bool("MUSABAQATI_TRUST_PROXY", &v)?;
        }
        if let Some(v) = var("MUSABAQATI_TRUSTED_PROXIES") {
            s.trusted_proxies = networks("MUSABAQATI_TRUSTED_PROXIES", &v)?;
        }
        if let Some(v) = var("MUSABAQATI_METRICS_ALLOW") {
            s.metrics_allow = networks("MUSABAQATI_METRICS_ALLOW", &v)?;
        }
        if let Some(v) = var("MUSABAQATI_METRICS_TOKEN") {
            s.metrics_token = Some(Secret::new(v.trim()));
        }
        let limits = &mut s.rate_limits;
        for (name, field) in [
            (
                "MUSABAQATI_LOGIN_FAILURES_PER_ADDRESS",
                &mut limits.login_failures_per_account_address,
            ),
            (
                "MUSABAQATI_LOGIN_FAILURES_PER_ACCOUNT",
                &mut limits.login_failures_per_account,
            ),
            (
                "MUSABAQATI_LOGIN_LOCK_MIN_ADDRESSES",
                &mut limits.login_lock_min_addresses,
            ),
            (
                "MUSABAQATI_LOGIN_FAILURES_PER_IP",
                &mut limits.login_failures_per_ip,
            ),
            (
                "MUSABAQATI_TOKEN_FAILURES_PER_IP",
                &mut limits.token_failures_per_ip,
            ),
            (
                "MUSABAQATI_PASSWORD_RESETS_PER_ACCOUNT",
                &mut limits.password_resets_per_account,
            ),
            (
                "MUSABAQATI_PASSWORD_RESETS_PER_IP",
                &mut limits.password_resets_per_ip,
            ),
            (
                "MUSABAQATI_VERIFICATION_EMAILS_PER_ACCOUNT",
                &mut limits.verification_emails_per_account,
            ),
            (
                "MUSABAQATI_VERIFICATION_EMAILS_PER_IP",
                &mut limits.verification_emails_per_ip,
            ),
        ] {
            if let Some(v) = var(name) {
                *field = v
                    .parse()
                    .with_context(|| format!("{name} must be a number"))?;
            }
        }
        if let Some(v) = var("MUSABAQATI_DB_MAX_CONNECTIONS") {
            s.db_max_connections = v
                .parse()
                .context("MUSABAQATI_DB_MAX_CONNECTIONS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_WORKERS") {
            s.workers = Some(v.parse().context("MUSABAQATI_WORKERS must be a number")?);
        }
        if let Some(v) = var("MUSABAQATI_RATE_LIMIT_PER_SECOND") {
            s.rate_limits.api_per_second = v
                .parse()
                .context("MUSABAQATI_RATE_LIMIT_PER_SECOND must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_RATE_LIMIT_BURST") {
            s.rate_limits.api_burst = v
                .parse()
                .context("MUSABAQATI_RATE_LIMIT_BURST must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE") {
            s.rate_limits.auth_per_minute = v
                .parse()
                .context("MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_SCHEDULER_INTERVAL_MS") {
            s.scheduler_interval_ms = v
                .parse()
                .context("MUSABAQATI_SCHEDULER_INTERVAL_MS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_HOUSEKEEPING_INTERVAL_SECS") {
            s.housekeeping_interval_secs = v
                .parse()
                .context("MUSABAQATI_HOUSEKEEPING_INTERVAL_SECS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_LEADERBOARD_ALL_CACHE_MS") {
            s.leaderboard_all_cache_ms = v
                .parse()
                .context("MUSABAQATI_LEADERBOARD_ALL_CACHE_MS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_LEADERBOARD_CACHE_MS") {
            s.leaderboard_cache_ms = v
                .parse()
                .context("MUSABAQATI_LEADERBOARD_CACHE_MS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_USAGE_FLUSH_MS") {
            s.usage_flush_ms = v
                .parse()
                .context("MUSABAQATI_USAGE_FLUSH_MS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_SESSION_MAX_DAYS") {
            let days: i64 = v
                .parse()
                .context("MUSABAQATI_SESSION_MAX_DAYS must be a number of days")?;
            s.session_max_secs = days.saturating_mul(24 * 3600);
        }
        // Empty means "no SMTP" (the `var` helper already drops blank values).
        s.smtp_url = var("MUSABAQATI_SMTP_URL").map(|v| Secret::new(v.trim()));
        if let Some(v) = var("MUSABAQATI_MAIL_FROM") {
            s.mail_from = v.trim().to_owned();
        }
        if let Some(v) = var("MUSABAQATI_MAIL_FROM_NAME") {
            s.mail_from_name = v.trim().to_owned();
        }
        if let Some(v) = var("MUSABAQATI_PUBLIC_URL") {
            s.public_url = Some(v.trim().trim_end_matches('/').to_owned());
        }
        if let Some(v) = var("MUSABAQATI_MAIL_POLL_MS") {
            s.mail_poll_ms = v
                .parse()
                .context("MUSABAQATI_MAIL_POLL_MS must be a number")?;
        }
        if let Some(v) = var("MUSABAQATI_REDIS_URL") {
            s.redis_url = Some(Secret::new(v.trim()));
        }
        if let Some(v) = var("MUSABAQATI_REDIS_PREFIX") {
            s.redis_prefix = v;
        }
        s.replica_id = var("MUSABAQATI_REPLICA_ID");
        s.validate()?;
        Ok(s)
    }

    /// Refuses settings that are unsafe in production, with a one-line reason.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.rate_limits.api_per_second == 0 || self.rate_limits.auth_per_minute == 0 {
            bail!("rate limits must be greater than zero");
        }
        if self.usage_flush_ms == 0 || self.usage_batch_rows == 0 {
            bail!("MUSABAQATI_USAGE_FLUSH_MS and the usage batch size must be greater than zero");
        }
        let limits = &self.rate_limits;
        if [
            limits.login_failures_per_account_address,
            limits.login_failures_per_account,
            limits.login_lock_min_addresses,
            limits.login_failures_per_ip,
            limits.token_failures_per_ip,
        ]
        .contains(&0)
            || limits.login_window_secs <= 0
            || limits.token_failure_window_secs <= 0
        {
            bail!("login and token failure limits must be greater than zero");
        }
        if self.session_max_secs <= 0 {
            bail!("MUSABAQATI_SESSION_MAX_DAYS must be at least 1");
        }
        if limits.password_resets_per_account == 0 || limits.password_resets_per_ip == 0 {
            bail!("password-reset limits must be greater than zero");
        }
        if limits.verification_emails_per_account == 0 || limits.verification_emails_per_ip == 0 {
            bail!("email-verification limits must be greater than zero");
        }
        if self.mail_retry_base_ms == 0 || self.mail_max_attempts <= 0 {
            bail!("the mail retry delay and attempts must be greater than zero");
        }
        crate::services::mailer::check_settings(self)?;
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < 16)
        {
            bail!("MUSABAQATI_METRICS_TOKEN must be at least 16 characters");
        }
        if let Some(url) = &self.redis_url {
            if !url.expose().starts_with("redis://") && !url.expose().starts_with("rediss://") {
                bail!("MUSABAQATI_REDIS_URL must be a redis:// or rediss:// URL");
            }
        }
        if self
            .replica_id
            .as_deref()
            .is_some_and(|id| id.len() > 64 || !id.bytes().all(|b| b.is_ascii_graphic()))
        {
            bail!("MUSABAQATI_REPLICA_ID must be at most 64 printable ASCII characters without spaces");
        }
        if self.environment == Environment::Production {
            let secret = self.jwt_secret.expose();
            if secret == DEFAULT_JWT_SECRET {
                bail!("refusing to start in production with the default JWT_SECRET; set a random secret of at least 32 bytes");
            }
            if secret.len() < 32 {
                bail!("refusing to start in production: JWT_SECRET must be at least 32 bytes");
            }
            if self.cors_origins.iter().any(|o| o == "*") {
                bail!("refusing to start in production with a wildcard CORS origin; list the allowed origins in MUSABAQATI_CORS_ORIGINS");
            }
            if !self.trust_proxy {
                bail!("refusing to start in production on plain HTTP; run behind a TLS-terminating proxy and set MUSABAQATI_TRUST_PROXY=true");
            }
        }
        Ok(())
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// The sliding and absolute lifetime of a session.
    pub fn session_lifetime(&self) -> crate::services::sessions::Lifetime {
        crate::services::sessions::Lifetime {
            sliding_secs: self.refresh_token_ttl_secs,
            max_secs: self.session_max_secs,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The proxies whose forwarded headers are read, or `None` when none are.
    pub fn forwarded_from(&self) -> Option<&[IpNet]> {
        self.trust_proxy.then_some(self.trusted_proxies.as_slice())
    }
}

fn loopback() -> Vec<IpNet> {
    client_addr::parse_networks(DEFAULT_TRUSTED_PROXIES).unwrap_or_default()
}

fn networks(name: &str, value: &str) -> anyhow::Result<Vec<IpNet>> {
    client_addr::parse_networks(value).map_err(|e| anyhow::anyhow!("{name}: {e}"))
}

fn default_sqlite_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}/musabaqati.db?mode=rwc", data_dir.display())
}

fn parse_bool(name: &str, value: &str) -> anyhow::Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{name} must be true or false, not {value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> Settings {
        let mut s = Settings::development();
        s.environment = Environment::Production;
        s.jwt_secret = Secret::new("x".repeat(48));
        s.trust_proxy = true;
        s
    }

    #[test]
    fn production_refuses_default_secret_wildcard_cors_and_plain_http() {
        assert!(production().validate().is_ok());
        let mut s = production();
        s.jwt_secret = Secret::new(DEFAULT_JWT_SECRET);
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("default JWT_SECRET"));
        let mut s = production();
        s.cors_origins = vec!["*".into()];
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("wildcard CORS"));
        let mut s = production();
        s.trust_proxy = false;
        assert!(s.validate().unwrap_err().to_string().contains("plain HTTP"));
    }

    #[test]
    fn development_accepts_defaults_and_hides_the_secret() {
        let s = Settings::development();
        assert!(s.validate().is_ok());
        assert!(!format!("{s:?}").contains(DEFAULT_JWT_SECRET));
    }

    #[test]
    fn proxies_and_metrics_default_to_loopback_and_headers_need_trust() {
        let mut s = Settings::development();
        assert_eq!(s.trusted_proxies, loopback());
        assert_eq!(s.metrics_allow.len(), 2);
        assert_eq!(s.forwarded_from(), None);
        s.trust_proxy = true;
        assert_eq!(s.forwarded_from().map(<[IpNet]>::len), Some(2));
        s.metrics_token = Some(Secret::new("short"));
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("METRICS_TOKEN"));
        let mut s = Settings::development();
        s.rate_limits.login_lock_min_addresses = 0;
        assert!(s.validate().is_err());
    }
}
