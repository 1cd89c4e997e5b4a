//! Delivers the email outbox off the request path. Every replica may run the sender: a message
//! is claimed by one conditional update (status and due time) before it is sent, so two
//! replicas never send the same message, and a claim left by a crashed replica expires after
//! [`CLAIM_FOR`]. A failed attempt is retried with exponential backoff (`mail_retry_base_ms`,
//! doubling, at most an hour) until `mail_max_attempts`, then the message is `failed` until an
//! admin retries it. Without `MUSABAQATI_SMTP_URL` each message is written to the log and
//! marked `logged`.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::task::JoinHandle;

use crate::config::Settings;
use crate::entities::email_outbox;
use crate::error::ApiError;

/// How long a claimed message may stay `sending` before another attempt may take it over.
pub const CLAIM_FOR: chrono::Duration = chrono::Duration::minutes(2);
/// Messages claimed per round.
const BATCH: u64 = 20;
/// One SMTP conversation (connect, hand over, quit) may take this long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: u64 = 3600 * 1000;

/// Where messages go.
pub enum Transport {
    Smtp {
        smtp: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// No SMTP server configured: the log is the mailbox.
    Log,
}

/// Refuses an SMTP URL or sender address that could never work, at start-up.
pub fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    transport(settings).map(|_| ())
}

pub fn transport(settings: &Settings) -> anyhow::Result<Transport> {
    let Some(url) = &settings.smtp_url else {
        return Ok(Transport::Log);
    };
    let from = Mailbox::new(
        Some(settings.mail_from_name.clone()).filter(|n| !n.is_empty()),
        settings.mail_from.parse().with_context(|| {
            format!(
                "MUSABAQATI_MAIL_FROM {:?} is not an email address",
                settings.mail_from
            )
        })?,
    );
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
        .context("MUSABAQATI_SMTP_URL is not a usable SMTP URL (smtp://host:port, smtps://…)")?
        .timeout(Some(SMTP_TIMEOUT))
        .build();
    Ok(Transport::Smtp {
        smtp: Box::new(smtp),
        from,
    })
}

/// The sender's knobs, copied out of the settings.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub retry_base_ms: u64,
    pub max_attempts: i32,
}

impl Policy {
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            retry_base_ms: s.mail_retry_base_ms,
            max_attempts: s.mail_max_attempts,
        }
    }

    /// The wait before the attempt after `attempts` failed ones.
    pub fn backoff(&self, attempts: i32) -> chrono::Duration {
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let ms = Ord::min(
            self.retry_base_ms.saturating_mul(1u64 << exp),
            MAX_BACKOFF_MS,
        );
        chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX))
    }
}

pub fn spawn(
    db: DatabaseConnection,
    transport: Transport,
    policy: Policy,
    every: Duration,
) -> JoinHandle<()> {
    if matches!(transport, Transport::Log) {
        tracing::info!(
            "no MUSABAQATI_SMTP_URL: emails are written to the log and kept in the outbox"
        );
    }
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // Until nothing is due, so a burst does not wait a tick per batch.
            loop {
                match deliver_due(&db, &transport, policy).await {
                    Ok(n) if n as u64 == BATCH => continue,
                    Ok(_) => break,
                    Err(err) => {
                        tracing::warn!(error = ?err, "the email sender failed");
                        break;
                    }
                }
            }
        }
    })
}

/// Claims the messages due now and delivers them; returns how many were claimed.
pub async fn deliver_due(
    db: &DatabaseConnection,
    transport: &Transport,
    policy: Policy,
) -> Result<usize, ApiError> {
    let now = super::now();
    let due: Vec<i64> = email_outbox::Entity::find()
        .select_only()
        .column(email_outbox::Column::Id)
        .filter(email_outbox::Column::Status.is_in(["queued", "sending"]))
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(email_outbox::Column::NextAttemptAt)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let mut claimed = 0;
    for id in due {
        let Some(mail) = claim(db, id, now).await? else {
            continue;
        };
        claimed += 1;
        let outcome = match transport {
            Transport::Log => {
                tracing::info!(
                    email_id = mail.id,
                    to = %mail.recipient,
                    subject = %mail.subject,
                    kind = %mail.kind,
                    body = %mail.body_text,
                    "email not sent (no SMTP server configured)"
                );
                Outcome::Logged
            }
            Transport::Smtp { smtp, from } => match send(smtp, from, &mail).await {
                Ok(()) => Outcome::Sent,
                Err(err) => Outcome::Failed(err),
            },
        };
        finish(db, &mail, outcome, policy).await?;
    }
    Ok(claimed)
}

enum Outcome {
    Sent,
    Logged,
    Failed(String),
}

/// Takes the message for this attempt (one replica wins); `None` if someone else did.
async fn claim(
    db: &DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<email_outbox::Model>, ApiError> {
    let res = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Status, Expr::value("sending"))
        .col_expr(
            email_outbox::Column::Attempts,
            Expr::col(email_outbox::Column::Attempts).add(1),
        )
        .col_expr(
            email_outbox::Column::NextAttemptAt,
            Expr::value(now + CLAIM_FOR),
        )
        .filter(email_outbox::Column::Id.eq(id))
        .filter(email_outbox::Column::Status.is_in(["queued", "sending"]))
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    Ok(email_outbox::Entity::find_by_id(id).one(db).await?)
}

async fn send(
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &email_outbox::Model,
) -> Result<(), String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("عنوان المستلم غير صالح: {e}"))?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.body_text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.body_html.clone()),
                ),
        )
        .map_err(|e| format!("تعذّر تكوين الرسالة: {e}"))?;
    smtp.send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn finish(
    conn: &impl ConnectionTrait,
    mail: &email_outbox::Model,
    outcome: Outcome,
    policy: Policy,
) -> Result<(), ApiError> {
    let now = super::now();
    let update = email_outbox::Entity::update_many().filter(email_outbox::Column::Id.eq(mail.id));
    let update = match outcome {
        Outcome::Sent => update
            .col_expr(email_outbox::Column::Status, Expr::value("sent"))
            .col_expr(email_outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                email_outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            ),
        Outcome::Logged => update.col_expr(email_outbox::Column::Status, Expr::value("logged")),
        Outcome::Failed(error) => {
            let gave_up = mail.attempts >= policy.max_attempts;
            tracing::warn!(
                email_id = mail.id,
                attempts = mail.attempts,
                gave_up,
                %error,
                "email delivery failed"
            );
            let error: String = error.chars().take(500).collect();
            update
                .col_expr(
                    email_outbox::Column::Status,
                    Expr::value(if gave_up { "failed" } else { "queued" }),
                )
                .col_expr(email_outbox::Column::LastError, Expr::value(error))
                .col_expr(
                    email_outbox::Column::NextAttemptAt,
                    Expr::value(now + policy.backoff(mail.attempts)),
                )
        }
    };
    update.exec(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_an_hour() {
        let p = Policy {
            retry_base_ms: 30_000,
            max_attempts: 8,
        };
        assert_eq!(p.backoff(1), chrono::Duration::seconds(30));
        assert_eq!(p.backoff(2), chrono::Duration::seconds(60));
        assert_eq!(p.backoff(4), chrono::Duration::seconds(240));
        assert_eq!(p.backoff(20), chrono::Duration::hours(1));
    }

    #[test]
    fn settings_without_smtp_log_and_bad_urls_are_refused() {
        let mut s = Settings::development();
        assert!(matches!(transport(&s), Ok(Transport::Log)));
        s.smtp_url = Some(crate::config::Secret::new("smtp://127.0.0.1:2525"));
        assert!(matches!(transport(&s), Ok(Transport::Smtp { .. })));
        s.smtp_url = Some(crate::config::Secret::new("not a url"));
        assert!(transport(&s).is_err());
        s.smtp_url = Some(crate::config::Secret::new("smtp://127.0.0.1:2525"));
        s.mail_from = "nobody".into();
        assert!(transport(&s).is_err());
    }
}
