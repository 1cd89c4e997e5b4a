//! The `musabaqati` binary's subcommands, run as a newcomer would.

use std::process::{Command, Stdio};

fn musabaqati(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_musabaqati"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("MUSABAQATI_ENV")
        .env_remove("JWT_SECRET")
        .env("MUSABAQATI_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    cmd
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mq-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn create_admin_migrate_and_verify_ledger_work_on_the_embedded_database() {
    let dir = temp_dir("admin");
    let out = musabaqati(&dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.join("musabaqati.db").exists(),
        "the data folder and SQLite file are created"
    );

    let out = musabaqati(&dir)
        .args([
            "create-admin",
            "--username",
            "root_admin",
            "--email",
            "root@example.com",
        ])
        .env("ADMIN_PASSWORD", "a-strong-admin-password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("root_admin"));

    // From standard input, and a duplicate is refused.
    let mut child = musabaqati(&dir)
        .args([
            "create-admin",
            "--username",
            "ROOT_ADMIN",
            "--email",
            "x@example.com",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"another-password-1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("username_taken"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A weak password is refused before anything is written.
    let out = musabaqati(&dir)
        .args([
            "create-admin",
            "--username",
            "weakling",
            "--email",
            "w@example.com",
        ])
        .env("ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());

    let out = musabaqati(&dir).arg("verify-ledger").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 violation(s)"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_ledger_exits_non_zero_when_a_balance_disagrees_with_the_ledger() {
    let dir = temp_dir("ledger");
    let out = musabaqati(&dir)
        .args(["seed-demo", "--users", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Corrupt one balance behind the ledger's back.
    let db = dir.join("musabaqati.db");
    // Through the database driver the server itself uses (an earlier version shelled out to
    // python3 and silently skipped this half when it was missing).
    let url = format!("sqlite://{}?mode=rw", db.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(&url).await.unwrap();
        let res = conn
            .execute_unprepared(
                "UPDATE users SET points_balance = points_balance + 7 WHERE username = 'demo_user_1'",
            )
            .await
            .unwrap();
        assert_eq!(res.rows_affected(), 1, "demo_user_1 exists");
        conn.close().await.unwrap();
    });
    let out = musabaqati(&dir).arg("verify-ledger").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("balance_equals_ledger") && stdout.contains("conservation"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn production_refuses_to_start_with_the_default_secret_or_a_wildcard_origin() {
    let dir = temp_dir("prod");
    let out = musabaqati(&dir)
        .arg("serve")
        .env("MUSABAQATI_ENV", "production")
        .env("MUSABAQATI_TRUST_PROXY", "true")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("default JWT_SECRET"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");

    let out = musabaqati(&dir)
        .arg("serve")
        .env("MUSABAQATI_ENV", "production")
        .env("MUSABAQATI_TRUST_PROXY", "true")
        .env("JWT_SECRET", "p".repeat(40))
        .env("MUSABAQATI_CORS_ORIGINS", "*")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wildcard CORS"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let dir = temp_dir("sigterm");
    let mut child = musabaqati(&dir)
        .arg("serve")
        .env("MUSABAQATI_BIND", "127.0.0.1:0")
        .env("MUSABAQATI_SCHEDULER_INTERVAL_MS", "0")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it says it is listening.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let listening = lines
        .by_ref()
        .take(50)
        .map_while(Result::ok)
        // Our own line, logged after start-up: actix's "starting service … listening on" comes
        // earlier, before the signal handlers exist, and a SIGTERM then kills the process.
        .any(|l| l.contains("musabaqati is listening"));
    assert!(listening, "the server announced it was listening");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = std::time::Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "stopped within the shutdown timeout"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
