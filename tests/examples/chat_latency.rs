//! Chat fan-out latency: connects many WebSocket clients to one room of a running server, sends
//! messages through the REST API at a steady pace and measures, for every delivery, the time from
//! just before the POST to the frame arriving at each client (HTTP + commit + NOTIFY + hub +
//! WebSocket). Run by scripts/chat-latency.sh against a server seeded with `seed-demo`.
//!
//!   cargo run --release -p tests --example chat_latency -- --base http://127.0.0.1:18080 \
//!       --clients 300 --messages 100 --interval-ms 100 --senders 20
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::{connect_async, tungstenite::Message};

const PASSWORD: &str = "demo-password-123";

struct Args {
    base: String,
    /// Servers the WebSocket clients connect to, round-robin (default: `base`). Listing two
    /// replicas measures delivery across processes (PostgreSQL NOTIFY).
    ws_bases: Vec<String>,
    clients: usize,
    messages: usize,
    interval: Duration,
    senders: usize,
    /// Server process ids (same machine): their RSS is printed after each phase.
    pids: Vec<u32>,
}

fn args() -> Args {
    let mut a = Args {
        base: "http://127.0.0.1:18080".into(),
        ws_bases: Vec::new(),
        clients: 300,
        messages: 100,
        interval: Duration::from_millis(100),
        senders: 20,
        pids: Vec::new(),
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--base" => a.base = value,
            "--ws-bases" => a.ws_bases = value.split(',').map(str::to_owned).collect(),
            "--clients" => a.clients = value.parse().expect("--clients N"),
            "--messages" => a.messages = value.parse().expect("--messages N"),
            "--interval-ms" => a.interval = Duration::from_millis(value.parse().expect("ms")),
            "--senders" => a.senders = value.parse().expect("--senders N"),
            "--pids" => {
                a.pids = value
                    .split(',')
                    .filter_map(|p| p.trim().parse().ok())
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a.senders = a.senders.clamp(1, a.clients);
    if a.ws_bases.is_empty() {
        a.ws_bases.push(a.base.clone());
    }
    a
}

async fn login(http: &reqwest::Client, base: &str, login: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": PASSWORD}))
        .send()
        .await
        .expect("login request");
    assert!(res.status().is_success(), "login {login}: {}", res.status());
    let body: Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// "rss=12MB,14MB" for the given processes (Linux /proc).
fn rss(pids: &[u32]) -> String {
    let each: Vec<String> = pids
        .iter()
        .map(|p| {
            std::fs::read_to_string(format!("/proc/{p}/status"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmRSS:"))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|kb| kb.parse::<u64>().ok())
                })
                .map_or_else(|| "?".to_owned(), |kb| format!("{}MB", kb / 1024))
        })
        .collect();
    format!("server rss={}", each.join(","))
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[idx.min(sorted.len() - 1)] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let a = args();
    let http = reqwest::Client::new();
    let base = a.base.clone();

    let admin = login(&http, &base, "demo_admin").await;
    let res = http
        .post(format!("{base}/api/v1/admin/chat/rooms"))
        .bearer_auth(&admin)
        .json(&json!({"name": format!("قياس {}", chrono::Utc::now().timestamp())}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "create room");
    let room = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    eprintln!("signing in {} users and joining room {room}…", a.clients);
    let t0 = Instant::now();
    let tokens: Vec<String> = futures::stream::iter(1..=a.clients)
        .map(|i| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let token = login(&http, &base, &format!("demo_user_{i}")).await;
                let res = http
                    .post(format!("{base}/api/v1/chat/rooms/{room}/join"))
                    .bearer_auth(&token)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "join");
                token
            }
        })
        .buffered(4)
        .collect()
        .await;
    eprintln!(
        "  done in {:.1}s ({})",
        t0.elapsed().as_secs_f64(),
        rss(&a.pids)
    );

    let sent_at: Arc<Vec<OnceLock<Instant>>> =
        Arc::new((0..a.messages).map(|_| OnceLock::new()).collect());
    let samples: Arc<Mutex<Vec<u64>>> = Arc::new(Mutex::new(Vec::new()));
    let ws_bases: Vec<String> = a
        .ws_bases
        .iter()
        .map(|b| b.replacen("http://", "ws://", 1))
        .collect();

    eprintln!("connecting {} WebSocket clients…", a.clients);
    let t0 = Instant::now();
    let mut readers = Vec::new();
    for (c, chunk) in tokens.chunks(50).enumerate() {
        let connected = futures::future::join_all(chunk.iter().enumerate().map(|(i, t)| {
            let ws_base = &ws_bases[(c * 50 + i) % ws_bases.len()];
            let url = format!("{ws_base}/api/v1/ws?token={t}");
            async move {
                let (mut ws, _) = connect_async(url).await.expect("ws connect");
                // Wait for "ready".
                while let Some(Ok(msg)) = ws.next().await {
                    if let Message::Text(t) = msg {
                        if t.contains("\"ready\"") {
                            break;
                        }
                    }
                }
                ws
            }
        }))
        .await;
        for mut ws in connected {
            let (sent_at, samples) = (Arc::clone(&sent_at), Arc::clone(&samples));
            readers.push(tokio::spawn(async move {
                while let Some(Ok(msg)) = ws.next().await {
                    let Message::Text(text) = msg else { continue };
                    let now = Instant::now();
                    let frame: Value = match serde_json::from_str(&text) {
                        Ok(v) => v,
                        Err(_) => continue,
                    };
                    if frame["type"] != "message" {
                        continue;
                    }
                    let Some(n) = frame["body"]
                        .as_str()
                        .and_then(|b| b.strip_prefix("lat:"))
                        .and_then(|n| n.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    if let Some(at) = sent_at.get(n).and_then(OnceLock::get) {
                        let micros = now.duration_since(*at).as_micros() as u64;
                        samples.lock().unwrap().push(micros);
                    }
                }
            }));
        }
    }
    eprintln!(
        "  {} connected in {:.1}s ({})",
        readers.len(),
        t0.elapsed().as_secs_f64(),
        rss(&a.pids)
    );

    eprintln!(
        "sending {} messages, one every {:?}, from {} senders…",
        a.messages, a.interval, a.senders
    );
    let mut ticker = tokio::time::interval(a.interval);
    let mut posts = Vec::new();
    for n in 0..a.messages {
        ticker.tick().await;
        let token = tokens[n % a.senders].clone();
        let (http, base, sent_at) = (http.clone(), base.clone(), Arc::clone(&sent_at));
        posts.push(tokio::spawn(async move {
            let _ = sent_at[n].set(Instant::now());
            let res = http
                .post(format!("{base}/api/v1/chat/rooms/{room}/messages"))
                .bearer_auth(&token)
                .json(&json!({ "body": format!("lat:{n}") }))
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }));
    }
    let mut failed = 0;
    for p in posts {
        if p.await.unwrap() != 201 {
            failed += 1;
        }
    }
    let expected = (a.messages - failed) * a.clients;
    let deadline = Instant::now() + Duration::from_secs(10);
    while samples.lock().unwrap().len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for r in &readers {
        r.abort();
    }
    eprintln!("  all delivered ({})", rss(&a.pids));
    let mut all = std::mem::take(&mut *samples.lock().unwrap());
    all.sort_unstable();
    println!(
        "servers={} clients={} messages={} failed_posts={} deliveries={}/{} p50={:.1}ms p90={:.1}ms p99={:.1}ms max={:.1}ms",
        ws_bases.len(),
        a.clients,
        a.messages,
        failed,
        all.len(),
        expected,
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        all.last().map_or(f64::NAN, |m| *m as f64 / 1000.0),
    );
}
