//! Health, metrics, security headers, CORS and the OpenAPI document.

use serde_json::Value;

use crate::helpers::{assert_error, spawn_app, spawn_app_with};

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("CSP on {what}"))
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{what}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(
        h.get("x-content-type-options").map(|v| v.to_str().unwrap()),
        Some("nosniff"),
        "{what}"
    );
    assert!(h.get("referrer-policy").is_some(), "{what}");
    assert!(h.get("x-request-id").is_some(), "{what}");
}

#[tokio::test]
async fn security_headers_are_on_every_kind_of_response() {
    let app = spawn_app().await;
    assert_security_headers(&app.get("/health/live", None).await, "health");
    assert_security_headers(&app.get("/api/v1/me", None).await, "401");
    assert_security_headers(&app.get("/api/v1/nothing", None).await, "404");
    assert_security_headers(
        &app.post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({"login": "a", "password": "b"}),
        )
        .await,
        "login",
    );
    assert_security_headers(&app.get("/api/v1/openapi.json", None).await, "openapi");
    // HSTS only in production, where TLS terminates at the trusted proxy.
    assert!(app
        .get("/health/live", None)
        .await
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[tokio::test]
async fn production_adds_hsts_and_cors_allows_only_listed_origins() {
    let app = spawn_app_with(|s| {
        s.environment = musabaqati::config::Environment::Production;
        s.jwt_secret =
            musabaqati::config::Secret::new("a-very-long-production-secret-for-tests-0123456789");
        s.trust_proxy = true;
        s.cors_origins = vec!["https://app.example.com".into()];
    })
    .await;
    let res = app.get("/health/live", None).await;
    assert!(res.headers().get("strict-transport-security").is_some());
    let allowed = app
        .client
        .get(app.url("/health/live"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some("https://app.example.com")
    );
    let denied = app
        .client
        .get(app.url("/health/live"))
        .header("origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(denied
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn health_ready_and_metrics_report() {
    let app = spawn_app().await;
    let live: Value = app.get("/health/live", None).await.json().await.unwrap();
    assert_eq!(live["status"], "ok");
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status(), 200);
    let metrics = app.get("/metrics", None).await;
    assert!(metrics
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = metrics.text().await.unwrap();
    assert!(text.contains("musabaqati_up 1"), "{text}");
    assert!(
        text.contains(
            "musabaqati_http_requests_total{method=\"GET\",route=\"/health/ready\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(
        text.contains("musabaqati_http_request_duration_seconds_bucket{method=\"GET\",route=\"/health/ready\",le=\"+Inf\"}"),
        "latency per route: {text}"
    );
    assert!(
        text.contains("musabaqati_db_pool_max_connections 5"),
        "{text}"
    );
    assert!(
        text.contains("musabaqati_db_pool_connections{state=\"idle\"}"),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_count_ledger_movements_by_kind_and_rate_limit_refusals() {
    let app = spawn_app_with(|s| {
        s.trust_proxy = true;
        s.rate_limits.api_per_second = 1;
        s.rate_limits.api_burst = 10;
    })
    .await;
    let admin = app.admin("metricsadmin").await;
    crate::helpers::award(&app, &admin, admin.id, 7).await;
    for _ in 0..15 {
        app.client
            .get(app.url("/api/v1/packages"))
            .header("x-forwarded-for", "203.0.113.77")
            .send()
            .await
            .unwrap();
    }
    let text = app.get("/metrics", None).await.text().await.unwrap();
    // The recorder is per process and tests share it: only "present and counting" is certain.
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{prefix} missing: {text}"))
    };
    assert!(value("musabaqati_ledger_movements_total{kind=\"admin_adjustment\"}") >= 1.0);
    assert!(value("musabaqati_ledger_points_total{kind=\"admin_adjustment\"}") >= 7.0);
    assert!(value("musabaqati_rate_limit_refusals_total{limit=\"address\"}") >= 1.0);
}

#[tokio::test]
async fn metrics_refuse_a_client_outside_the_allowed_addresses_even_through_a_local_proxy() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    // Straight from loopback (a local scraper): allowed by default.
    assert_eq!(app.get("/metrics", None).await.status(), 200);
    // An outside client whose request a local proxy forwarded is not the scraper.
    let res = app
        .client
        .get(app.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_error(res, 403, "forbidden").await;
}

#[tokio::test]
async fn openapi_documents_every_route_and_the_docs_page_needs_no_network() {
    let app = spawn_app().await;
    let spec: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    let expected = [
        ("/health/live", "get"),
        ("/health/ready", "get"),
        ("/metrics", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/login/totp", "post"),
        ("/api/v1/auth/step-up", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/logout-all", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me/password", "post"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/export", "get"),
        ("/api/v1/me/email/verification", "post"),
        ("/api/v1/auth/verify-email", "post"),
        ("/api/v1/me/sessions", "get"),
        ("/api/v1/me/sessions/{id}", "delete"),
        ("/api/v1/me/totp", "get"),
        ("/api/v1/me/totp/setup", "post"),
        ("/api/v1/me/totp/enable", "post"),
        ("/api/v1/me/totp/disable", "post"),
        ("/api/v1/admin/users", "get"),
        ("/api/v1/admin/users/{id}", "get"),
        ("/api/v1/admin/users/{id}", "patch"),
        ("/api/v1/admin/users/{id}/password-reset", "post"),
        ("/api/v1/admin/emails", "get"),
        ("/api/v1/admin/emails/{id}/retry", "post"),
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/auth/password-reset/confirm", "post"),
        ("/api/v1/admin/audit-log", "get"),
        ("/api/v1/admin/notifications", "get"),
        ("/api/v1/admin/notifications/{id}/read", "post"),
        ("/api/v1/points/balance", "get"),
        ("/api/v1/points/transactions", "get"),
        ("/api/v1/points/history", "get"),
        ("/api/v1/points/transfers", "post"),
        ("/api/v1/points/recipients/{username}", "get"),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/{id}/read", "post"),
        ("/api/v1/notifications/read-all", "post"),
        ("/api/v1/admin/points/award", "post"),
        ("/api/v1/admin/users/{id}/adjust", "post"),
        ("/api/v1/admin/users/{id}/transactions", "get"),
        ("/api/v1/admin/ledger/verify", "get"),
        ("/api/v1/referrals", "get"),
        ("/api/v1/admin/referrals", "get"),
        ("/api/v1/admin/referrals/{id}/approve", "post"),
        ("/api/v1/admin/referrals/{id}/reject", "post"),
        // Competitions and leaderboards (issue 4)
        ("/api/v1/competitions", "get"),
        ("/api/v1/competitions/{id}", "get"),
        ("/api/v1/competitions/{id}/join", "post"),
        ("/api/v1/competitions/{id}/join", "delete"),
        ("/api/v1/competitions/{id}/questions", "get"),
        ("/api/v1/competitions/{id}/submission", "post"),
        ("/api/v1/competitions/{id}/leaderboard", "get"),
        ("/api/v1/leaderboard", "get"),
        ("/api/v1/admin/competitions", "post"),
        ("/api/v1/admin/competitions", "get"),
        ("/api/v1/admin/competitions/{id}", "get"),
        ("/api/v1/admin/competitions/{id}", "patch"),
        ("/api/v1/admin/competitions/{id}", "delete"),
        ("/api/v1/admin/competitions/{id}/publish", "post"),
        ("/api/v1/admin/competitions/{id}/finalize", "post"),
        ("/api/v1/admin/competitions/{id}/results", "put"),
        ("/api/v1/admin/competitions/{id}/participants", "get"),
        ("/api/v1/admin/competitions/{id}/questions", "post"),
        ("/api/v1/admin/competitions/{id}/questions", "get"),
        ("/api/v1/admin/competitions/{id}/questions/{qid}", "patch"),
        ("/api/v1/admin/competitions/{id}/questions/{qid}", "delete"),
        // Rewards, redemptions, packages, purchases, settings, stats, exports (issue 5)
        ("/api/v1/rewards", "get"),
        ("/api/v1/rewards/{id}/redeem", "post"),
        ("/api/v1/redemptions", "get"),
        ("/api/v1/redemptions/{id}/cancel", "post"),
        ("/api/v1/packages", "get"),
        ("/api/v1/purchases", "get"),
        ("/api/v1/purchases", "post"),
        ("/api/v1/purchases/{id}/cancel", "post"),
        ("/api/v1/settings/public", "get"),
        ("/api/v1/admin/rewards", "post"),
        ("/api/v1/admin/rewards", "get"),
        ("/api/v1/admin/rewards/{id}", "get"),
        ("/api/v1/admin/rewards/{id}", "patch"),
        ("/api/v1/admin/rewards/{id}", "delete"),
        ("/api/v1/admin/redemptions", "get"),
        ("/api/v1/admin/redemptions/bulk", "post"),
        ("/api/v1/admin/redemptions/{id}/approve", "post"),
        ("/api/v1/admin/redemptions/{id}/reject", "post"),
        ("/api/v1/admin/redemptions/{id}/fulfill", "post"),
        ("/api/v1/admin/users/{id}/redemptions", "get"),
        ("/api/v1/admin/packages", "post"),
        ("/api/v1/admin/packages", "get"),
        ("/api/v1/admin/packages/{id}", "get"),
        ("/api/v1/admin/packages/{id}", "patch"),
        ("/api/v1/admin/packages/{id}", "delete"),
        ("/api/v1/admin/purchases", "get"),
        ("/api/v1/admin/purchases", "post"),
        ("/api/v1/admin/purchases/{id}/mark-paid", "post"),
        ("/api/v1/admin/purchases/{id}/cancel", "post"),
        ("/api/v1/admin/users/{id}/purchases", "get"),
        ("/api/v1/admin/settings", "get"),
        ("/api/v1/admin/settings", "put"),
        ("/api/v1/admin/stats", "get"),
        ("/api/v1/admin/export/{kind}.csv", "get"),
        // Chat (issue: live chat)
        ("/api/v1/ws", "get"),
        ("/api/v1/chat/rooms", "get"),
        ("/api/v1/chat/rooms", "post"),
        ("/api/v1/chat/rooms/{id}", "get"),
        ("/api/v1/chat/rooms/{id}/join", "post"),
        ("/api/v1/chat/rooms/{id}/leave", "post"),
        ("/api/v1/chat/rooms/{id}/invite", "post"),
        ("/api/v1/chat/rooms/{id}/members", "get"),
        ("/api/v1/chat/rooms/{id}/mute", "post"),
        ("/api/v1/chat/rooms/{id}/read", "post"),
        ("/api/v1/chat/rooms/{id}/messages", "get"),
        ("/api/v1/chat/rooms/{id}/messages", "post"),
        ("/api/v1/chat/messages/{id}", "patch"),
        ("/api/v1/chat/messages/{id}", "delete"),
        ("/api/v1/chat/direct", "post"),
        ("/api/v1/chat/blocks", "get"),
        ("/api/v1/chat/blocks", "post"),
        ("/api/v1/chat/blocks/{username}", "delete"),
        ("/api/v1/admin/chat/rooms", "post"),
        ("/api/v1/admin/chat/rooms", "get"),
        ("/api/v1/admin/chat/rooms/{id}", "patch"),
        ("/api/v1/admin/chat/rooms/{id}", "delete"),
        // Integrator API keys (issue 7)
        ("/api/v1/admin/api-keys", "get"),
        ("/api/v1/admin/api-keys", "post"),
        ("/api/v1/admin/api-keys/failed-auth", "get"),
        ("/api/v1/admin/api-keys/{id}", "get"),
        ("/api/v1/admin/api-keys/{id}", "patch"),
        ("/api/v1/admin/api-keys/{id}", "delete"),
        ("/api/v1/admin/api-keys/{id}/rotate", "post"),
        ("/api/v1/admin/api-keys/{id}/usage", "get"),
        // Trust and safety (issue 12)
        ("/api/v1/admin/notifications/read-all", "post"),
        ("/api/v1/admin/safety/summary", "get"),
        ("/api/v1/admin/held-transfers", "get"),
        ("/api/v1/admin/held-transfers/{id}/release", "post"),
        ("/api/v1/admin/held-transfers/{id}/reject", "post"),
        ("/api/v1/admin/risk-flags", "get"),
        ("/api/v1/admin/risk-flags/{id}/clear", "post"),
        ("/api/v1/admin/users/{id}/flags", "post"),
        ("/api/v1/admin/users/{id}/risk", "get"),
        ("/api/v1/admin/users/{id}/unlock", "post"),
        ("/api/v1/admin/users/{id}/sessions/{session_id}", "delete"),
        ("/api/v1/admin/blocked-addresses/unblock", "post"),
        // Judged entries (issue 13)
        ("/api/v1/competitions/{id}/entry", "put"),
        ("/api/v1/competitions/{id}/entry", "get"),
        ("/api/v1/admin/competitions/{id}/entries", "get"),
        // My competitions (issue 17)
        ("/api/v1/me/competitions", "get"),
        // Public profiles (issue 13 item 8)
        ("/api/v1/users/{username}", "get"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        expected.len(),
        "every documented operation is in the expected list (add new routes there)"
    );
    // Error responses reference the shared schema.
    assert!(spec["components"]["schemas"]["ErrorBody"].is_object());
    // Enums are documented by their wire names (the scope enum once listed Rust variant names,
    // so every key listing failed its own schema in the fuzzer).
    let scopes = spec["components"]["schemas"]["ApiScope"]["enum"].to_string();
    assert!(
        scopes.contains("\"admin:points:write\"") && scopes.contains("\"chat:read\""),
        "{scopes}"
    );
    // Operations that refuse API keys document that 403, public ones included.
    for (path, method) in [
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/admin/api-keys", "post"),
    ] {
        assert!(
            paths[path][method]["responses"]["403"].is_object(),
            "{method} {path} documents 403"
        );
    }
    // Every `$ref` resolves (a query parameter's enum was once left out of the components).
    let text = spec.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "#/components/schemas/{name} is referenced but not defined"
        );
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    assert!(spec["components"]["securitySchemes"]["api_key"].is_object());

    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    for tag in html
        .split('<')
        .filter(|t| t.starts_with("script") || t.starts_with("link"))
    {
        assert!(
            !tag.contains("http://") && !tag.contains("https://"),
            "no remote asset: {tag}"
        );
    }
    let init = app
        .get("/api/docs/swagger-initializer.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
}

#[tokio::test]
async fn housekeeping_deletes_only_rows_past_their_retention() {
    use crate::competitions::ts;
    use chrono::{Duration, Utc};
    use musabaqati::services::housekeeping::{prune, PruneReport};

    let app = spawn_app().await;
    let admin = app.admin("keeper").await;
    let created: Value = app
        .post(
            "/api/v1/admin/api-keys",
            Some(&admin.token),
            serde_json::json!({"name": "سجل", "scopes": ["points:read"], "rate_limit_per_minute": 60}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key_id = created["id"].as_i64().unwrap();
    let now = Utc::now();
    // (table, age limit, insert with the created_at placeholder)
    let rows: [(&str, Duration, String); 9] = [
        ("idempotency_keys", Duration::hours(24), "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES ('s', 'k{n}', 'h', '{t}')".into()),
        ("login_attempts", Duration::days(30), "INSERT INTO login_attempts (login_key, ip, success, created_at) VALUES ('who{n}', '203.0.113.9', false, '{t}')".into()),
        ("api_failed_auth", Duration::days(90), "INSERT INTO api_failed_auth (ip, reason, method, path, created_at) VALUES ('203.0.113.9', 'unknown_key', 'GET', '/api/v1/leaderboard{n}', '{t}')".into()),
        ("password_resets", Duration::days(30), "INSERT INTO password_resets (outcome, ip, created_at, expires_at) VALUES ('unknown', '203.0.113.{n}', '{t}', '{t}')".into()),
        ("token_failed_auth", Duration::days(90), "INSERT INTO token_failed_auth (ip, reason, method, path, created_at) VALUES ('203.0.113.9', 'bad_signature', 'GET', '/api/v1/me{n}', '{t}')".into()),
        ("login_challenges", Duration::days(1), format!("INSERT INTO login_challenges (user_id, token_hash, attempts, created_at, expires_at) VALUES ({}, 'c{{n}}', 0, '{{t}}', '{{t}}')", admin.id)),
        ("email_verifications", Duration::days(30), format!("INSERT INTO email_verifications (user_id, email, token_hash, created_at, expires_at) VALUES ({}, 'keeper@example.com', 'v{{n}}', '{{t}}', '{{t}}')", admin.id)),
        ("session_step_ups", Duration::days(1), format!("INSERT INTO session_step_ups (family_id, user_id, stepped_up_at) VALUES ('f{{n}}', {}, '{{t}}')", admin.id)),
        ("api_usage_log", Duration::days(90), format!("INSERT INTO api_usage_log (api_key_id, method, route, status, latency_ms, created_at) VALUES ({key_id}, 'GET', '/api/v1/leaderboard{{n}}', 200, 1, '{{t}}')")),
    ];
    // One row an hour past its table's retention, one an hour short of it.
    for (_, age, insert) in &rows {
        let stamps = [
            ts(now - *age - Duration::hours(1)),
            ts(now - *age + Duration::hours(1)),
        ];
        for (n, t) in stamps.iter().enumerate() {
            app.sql(&insert.replace("{n}", &n.to_string()).replace("{t}", t))
                .await;
        }
    }
    // A refresh token that expired eight days ago, and one that expired yesterday.
    for (n, expired) in [Duration::days(8), Duration::days(1)].iter().enumerate() {
        let t = ts(now - *expired);
        app.sql(&format!(
            "INSERT INTO refresh_tokens (user_id, family_id, token_hash, family_created_at, created_at, last_used_at, expires_at) \
             VALUES ({}, 'fam{n}', 'hash{n}', '{t}', '{t}', '{t}', '{t}')",
            admin.id
        ))
        .await;
    }
    let count = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    let before: Vec<i64> = counts(&app, &rows.iter().map(|r| count(r.0)).collect::<Vec<_>>()).await;

    let report = prune(&app.db, Utc::now()).await.unwrap();
    assert_eq!(
        report,
        PruneReport {
            idempotency_keys: 1,
            login_attempts: 1,
            refresh_tokens: 1,
            api_usage_log: 1,
            api_failed_auth: 1,
            token_failed_auth: 1,
            password_resets: 1,
            email_verifications: 1,
            login_challenges: 1,
            session_step_ups: 1,
        }
    );
    let after: Vec<i64> = counts(&app, &rows.iter().map(|r| count(r.0)).collect::<Vec<_>>()).await;
    for ((table, _, _), (b, a)) in rows.iter().zip(before.iter().zip(&after)) {
        assert_eq!(*a, b - 1, "{table}: only the expired row goes");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM refresh_tokens WHERE family_id = 'fam1'")
            .await,
        1
    );
    // A second pass finds nothing.
    assert_eq!(
        prune(&app.db, Utc::now()).await.unwrap(),
        PruneReport::default()
    );
}

async fn counts(app: &crate::helpers::TestApp, queries: &[String]) -> Vec<i64> {
    let mut out = Vec::new();
    for q in queries {
        out.push(app.count(q).await);
    }
    out
}

#[tokio::test]
async fn metrics_answer_allowed_addresses_or_the_configured_token_only() {
    use musabaqati::config::Secret;
    const TOKEN: &str = "scrape-token-0123456789";
    let app = spawn_app_with(|s| {
        s.metrics_allow = musabaqati::client_addr::parse_networks("10.0.0.0/8").unwrap();
        s.metrics_token = Some(Secret::new(TOKEN));
    })
    .await;
    let get = |token: Option<&'static str>| {
        let mut req = app.client.get(app.url("/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    // Loopback is no longer on the list.
    assert_error(get(None).await.unwrap(), 403, "forbidden").await;
    assert_error(
        get(Some("scrape-token-wrong")).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = get(Some(TOKEN)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("musabaqati_up 1"));
}
