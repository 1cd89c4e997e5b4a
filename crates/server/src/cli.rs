//! The command line of the `musabaqati` binary (the contract: serve, migrate, create-admin,
//! seed-demo, verify-ledger).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use domain::users::Role;
use domain::validation::{validate_email, validate_password, validate_username};

use crate::config::Settings;
use crate::services::{audit, ledger_verify, users as user_svc};
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "musabaqati",
    version,
    about = "Musabaqati (مسابقاتي) — the competition platform server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the WebSocket and the SPA (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account; the password comes from ADMIN_PASSWORD or standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "المشرف")]
        display_name: String,
    },
    /// Fill the database with demo accounts (idempotent).
    SeedDemo {
        /// How many demo participants to create.
        #[arg(long, default_value_t = 20)]
        users: u32,
        /// Ledger rows to generate per participant (spread over the last 60 days).
        #[arg(long, default_value_t = 5)]
        ledger_per_user: u32,
    },
    /// Check the points-ledger invariants; exits non-zero when any is violated.
    VerifyLedger,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    crate::telemetry::init(settings.is_production());
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let bind = settings.bind.clone();
            let app = Application::build(settings).await?;
            tracing::info!(address = %bind, "musabaqati has bound its address");
            app.run_until_signalled().await.context("serving")?;
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::CreateAdmin {
            username,
            email,
            display_name,
        } => {
            create_admin(&settings, &username, &email, &display_name).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::SeedDemo {
            users,
            ledger_per_user,
        } => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate(&db).await?;
            let report = crate::services::seed::seed(&db, users, ledger_per_user)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "demo data ready: {} account(s) and {} ledger row(s) created; sign in as demo_admin or demo_user_1 with password {}",
                report.users_created,
                report.ledger_rows,
                crate::services::seed::PASSWORD
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyLedger => {
            let db = crate::db::connect(&settings).await?;
            let report = ledger_verify::verify(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for v in &report.violations {
                println!("VIOLATION {}: {}", v.invariant, v.detail);
            }
            println!(
                "checked {} users and {} ledger rows: {} violation(s)",
                report.users_checked,
                report.transactions_checked,
                report.violations.len()
            );
            Ok(if report.violations.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(pw) = std::env::var("ADMIN_PASSWORD") {
        if !pw.is_empty() {
            return Ok(pw);
        }
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Admin password: ").context("reading the password");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_admin(
    settings: &Settings,
    username: &str,
    email: &str,
    display_name: &str,
) -> anyhow::Result<()> {
    validate_username(username).map_err(|m| anyhow::anyhow!("username: {m}"))?;
    validate_email(email).map_err(|m| anyhow::anyhow!("email: {m}"))?;
    let password = read_password()?;
    validate_password(&password).map_err(|m| anyhow::anyhow!("password: {m}"))?;
    let db = crate::db::connect(settings).await?;
    if settings.run_migrations {
        crate::db::migrate(&db).await?;
    }
    if let Some(conflict) = user_svc::conflicts(&db, Some(username), Some(email), None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        bail!(
            "cannot create the admin: {}",
            serde_json::to_string(&conflict.body()).unwrap_or_default()
        );
    }
    let password_hash = crate::auth::password::hash(password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = crate::db::transaction(&db, |txn| {
        let password_hash = password_hash.clone();
        async move {
            let user = user_svc::create(
                &*txn,
                user_svc::NewUser {
                    username,
                    email,
                    password_hash,
                    display_name,
                    role: Role::Admin,
                    referral_code: None,
                    ip: None,
                    device_id: None,
                },
            )
            .await?;
            // The operator typed this address on the server: it counts as confirmed.
            crate::services::verification::mark_verified(&*txn, user.id).await?;
            audit::Entry::by_user(user.id, "user.create_admin")
                .target("user", user.id)
                .details(serde_json::json!({"via": "cli"}))
                .write(&*txn)
                .await?;
            Ok(user)
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("admin {} (id {}) created", user.username, user.id);
    Ok(())
}
