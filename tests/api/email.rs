//! The email outbox against a real SMTP server: aiosmtpd (tests/smtp_sink.py, installed by
//! `scripts/smtp-sink.sh --install`) started by each test on a free port, writing what it
//! receives to a folder the test reads.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{assert_error, spawn_app_with, TestApp};

/// A running SMTP sink; stops when dropped (its stdin closes and the process is killed).
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    _child: tokio::process::Child,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn sink_python() -> PathBuf {
    if let Ok(p) = std::env::var("MUSABAQATI_SMTP_SINK_PYTHON") {
        return PathBuf::from(p);
    }
    let cache = std::env::var("MUSABAQATI_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/musabaqati")
        });
    cache.join("venv-smtp/bin/python")
}

impl SmtpSink {
    pub async fn start(port: u16) -> Self {
        let python = sink_python();
        assert!(
            python.exists(),
            "{} is missing: run `bash scripts/smtp-sink.sh --install` (scripts/test.sh does)",
            python.display()
        );
        let dir = std::env::temp_dir().join(format!("mq-smtp-{}", uuid::Uuid::new_v4().simple()));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp_sink.py");
        let mut child = tokio::process::Command::new(python)
            .arg(script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(&dir)
            .arg("--until-stdin-closes")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the SMTP sink starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the SMTP sink is ready within 20 s")
            .unwrap()
            .unwrap_or_default();
        assert!(ready.starts_with("ready"), "sink said {ready:?}");
        Self {
            port,
            dir,
            _child: child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits until `n` messages have arrived (at most 20 s) and returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "expected {n} messages at the SMTP sink, got {}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The token in a reset link found in `text`.
pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a reset link") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Polls until `sql` counts at least one row (at most 20 s).
pub async fn eventually(app: &TestApp, sql: &str) {
    let start = Instant::now();
    while app.count(sql).await == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never true: {sql}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_reset_email_reaches_a_real_smtp_server_in_arabic_with_the_link() {
    let sink = SmtpSink::start(free_port()).await;
    let url = sink.url();
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(musabaqati::config::Secret::new(url));
        s.mail_poll_ms = 50;
    })
    .await;
    let user = app.register("layla").await;

    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": "LAYLA@example.com"}),
        )
        .await;
    assert_eq!(res.status(), 202);

    let got = sink.wait_for(1).await;
    let mail = &got[0];
    assert_eq!(mail["subject"], "إعادة تعيين كلمة المرور في مسابقاتي");
    assert_eq!(mail["rcpt_tos"], json!([user.email]));
    assert!(mail["from"]
        .as_str()
        .unwrap()
        .contains("no-reply@musabaqati.example"));
    let text = mail["text"].as_str().unwrap();
    let html = mail["html"].as_str().unwrap();
    assert!(
        text.contains(&format!("{}/reset-password?token=", app.address)),
        "{text}"
    );
    assert!(
        html.contains("dir=\"rtl\"") && html.contains("lang=\"ar\""),
        "{html}"
    );
    let token = token_in(text);
    assert_eq!(token.len(), 64);
    eventually(&app, "SELECT COUNT(*) FROM email_outbox WHERE kind = 'password_reset' AND status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL").await;

    // The link works, and the owner is told by email too.
    let res = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "new_password": "a-brand-new-secret"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let got = sink.wait_for(2).await;
    assert_eq!(got[1]["subject"], "تغيّرت كلمة مرور حسابك في مسابقاتي");
    assert_eq!(app.login("layla", "a-brand-new-secret").await.status(), 200);
}

#[tokio::test]
async fn a_message_queued_while_the_smtp_server_is_down_is_sent_when_it_comes_back() {
    let port = free_port();
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(musabaqati::config::Secret::new(format!(
            "smtp://127.0.0.1:{port}"
        )));
        s.mail_poll_ms = 50;
        s.mail_retry_base_ms = 300;
    })
    .await;
    let admin = app.admin("postmaster").await;
    app.register("omar").await;
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": "omar@example.com"}),
        )
        .await;
    assert_eq!(res.status(), 202);

    // Nothing listens: the attempt fails, is recorded, and the message waits for the next one.
    eventually(&app, "SELECT COUNT(*) FROM email_outbox WHERE status = 'queued' AND attempts >= 1 AND last_error IS NOT NULL").await;
    let page: Value = app
        .get("/api/v1/admin/emails?status=queued", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    let item = &page["items"][0];
    assert_eq!(item["kind"], "password_reset");
    assert!(item["last_error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(item.get("body_text").is_none() && item.get("body_html").is_none());

    let sink = SmtpSink::start(port).await;
    let got = sink.wait_for(1).await;
    assert_eq!(got[0]["subject"], "إعادة تعيين كلمة المرور في مسابقاتي");
    eventually(&app, "SELECT COUNT(*) FROM email_outbox WHERE status = 'sent' AND attempts >= 2 AND last_error IS NULL").await;
}

#[tokio::test]
async fn a_message_that_failed_every_attempt_is_sent_again_when_an_admin_retries_it() {
    let port = free_port();
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(musabaqati::config::Secret::new(format!(
            "smtp://127.0.0.1:{port}"
        )));
        s.mail_poll_ms = 50;
        s.mail_retry_base_ms = 100;
        s.mail_max_attempts = 2;
    })
    .await;
    let admin = app.admin("postmaster").await;
    let user = app.register("huda").await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({"email": "huda@example.com"}),
    )
    .await;
    eventually(
        &app,
        "SELECT COUNT(*) FROM email_outbox WHERE status = 'failed' AND attempts = 2",
    )
    .await;
    let id = app
        .count("SELECT id FROM email_outbox WHERE status = 'failed'")
        .await;

    // People only: not the user, not a key; a bad id or status is a clear error.
    assert_error(
        app.post(
            &format!("/api/v1/admin/emails/{id}/retry"),
            Some(&user.token),
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/emails/999999/retry",
            Some(&admin.token),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/emails?status=lost", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;

    let sink = SmtpSink::start(port).await;
    let res = app
        .post(
            &format!("/api/v1/admin/emails/{id}/retry"),
            Some(&admin.token),
            json!({"note": "عاد خادم البريد"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "queued");
    sink.wait_for(1).await;
    eventually(
        &app,
        &format!("SELECT COUNT(*) FROM email_outbox WHERE id = {id} AND status = 'sent'"),
    )
    .await;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'email.retry' AND target_id = '{id}' AND actor_user_id = {}", admin.id)).await,
        1
    );
    // A sent message is not sent twice.
    assert_error(
        app.post(
            &format!("/api/v1/admin/emails/{id}/retry"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn without_smtp_messages_are_logged_kept_in_the_outbox_and_listed_for_admins() {
    let app = spawn_app_with(|s| s.mail_poll_ms = 50).await;
    let admin = app.admin("postmaster").await;
    app.register("sara").await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({"email": "sara@example.com"}),
    )
    .await;
    eventually(&app, "SELECT COUNT(*) FROM email_outbox WHERE status = 'logged' AND recipient = 'sara@example.com'").await;
    let page: Value = app
        .get(
            "/api/v1/admin/emails?status=logged&limit=1",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["recipient"], "sara@example.com");
    assert_eq!(page["items"][0]["status"], "logged");
    // A logged message can be queued again (say, once SMTP is configured).
    let id = page["items"][0]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/emails/{id}/retry"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    eventually(&app, &format!("SELECT COUNT(*) FROM email_outbox WHERE id = {id} AND status = 'logged' AND attempts = 1")).await;
}
