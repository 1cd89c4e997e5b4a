//! argon2id password hashing (OWASP parameters: m=19 MiB, t=2, p=1) on one dedicated thread per
//! CPU: each hash needs 19 MiB, and running hundreds at once during a burst of sign-ins (as
//! tokio's blocking pool would) finishes none sooner, since hashing is CPU-bound, while the
//! memory stays with the process. Extra requests wait their turn in the queue.

use std::sync::LazyLock;

use anyhow::{anyhow, Context};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

use crate::error::ApiError;

/// A hash of a random password, verified against when the account does not exist, so a wrong
/// username costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    hash_blocking(&hex::encode(random)).unwrap_or_default()
});

/// A job for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// One hashing thread per CPU, started on first use, fed through one queue. Dedicated threads,
/// rather than tokio's blocking pool, keep the 19 MiB buffers in as many allocator arenas as
/// there are CPUs: glibc keeps freed memory per arena, and the blocking pool can run hundreds of
/// threads (measured: 590–723 MB RSS after 300 sign-ins through the blocking pool).
static HASHING: LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    for i in 0..cpus {
        let rx = std::sync::Arc::clone(&rx);
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || loop {
                let job = match rx.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "could not start a password-hashing thread");
        }
    }
    std::sync::Mutex::new(tx)
});

/// Runs `work` on a hashing thread and waits for it without blocking the async runtime.
async fn run_limited<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    what: &'static str,
) -> Result<T, ApiError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    HASHING
        .lock()
        .map_err(|_| anyhow!("{what}: the hashing queue is poisoned"))?
        .send(job)
        .map_err(|_| anyhow!("{what}: the hashing threads are gone"))?;
    Ok(result.await.context(what)?)
}

fn hasher() -> Argon2<'static> {
    // Argon2::default() is argon2id v19 with m=19456 KiB, t=2, p=1: the OWASP recommendation.
    Argon2::default()
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}"))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

pub async fn hash(password: String) -> Result<String, ApiError> {
    Ok(run_limited(move || hash_blocking(&password), "password hashing task").await??)
}

/// Verifies `password` against `hash`, or against the dummy hash when there is no account.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, ApiError> {
    run_limited(
        move || match hash {
            Some(hash) => verify_blocking(&password, &hash),
            None => {
                verify_blocking(&password, &DUMMY_HASH);
                false
            }
        },
        "password verification task",
    )
    .await
}

/// Computes the dummy hash ahead of the first login so that request is not slower.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let h = super::hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            super::verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!super::verify("wrong".into(), Some(h)).await.unwrap());
        assert!(!super::verify("x".into(), None).await.unwrap());
    }
}
