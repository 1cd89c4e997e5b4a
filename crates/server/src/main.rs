//! `musabaqati`: serve | migrate | create-admin | seed-demo | verify-ledger.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = musabaqati::cli::Cli::parse();
    match musabaqati::cli::run(cli).await {
        Ok(code) => code,
        Err(err) => {
            // One line, so a refused production start-up says exactly why.
            eprintln!("musabaqati: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
