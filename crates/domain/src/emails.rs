//! The email outbox as the admin section sees it (never the bodies: a reset link is a secret).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    /// Waiting for its (next) attempt.
    Queued,
    /// Being handed to the SMTP server right now.
    Sending,
    Sent,
    /// Every attempt failed; an admin may retry it.
    Failed,
    /// No SMTP server is configured: the message was written to the server log instead.
    Logged,
}

impl EmailStatus {
    pub const ALL: [Self; 5] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Failed,
        Self::Logged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Logged => "logged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One message of the outbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxEmail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    /// `password_reset`, `password_changed`, …
    pub kind: String,
    pub status: EmailStatus,
    pub attempts: i32,
    /// The SMTP server's (or the connection's) last refusal.
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxEmailPage {
    pub items: Vec<OutboxEmail>,
    pub next_cursor: Option<String>,
}
