//! Health, metrics, security headers, CORS and the OpenAPI document.

use serde_json::Value;

use crate::helpers::{spawn_app, spawn_app_with};

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
    assert!(text.contains("musabaqati_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
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
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/logout-all", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me/password", "post"),
        ("/api/v1/me/sessions", "get"),
        ("/api/v1/me/sessions/{id}", "delete"),
        ("/api/v1/admin/users", "get"),
        ("/api/v1/admin/users/{id}", "get"),
        ("/api/v1/admin/users/{id}", "patch"),
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
        ("/api/v1/admin/api-keys/{id}", "delete"),
        ("/api/v1/admin/api-keys/{id}/rotate", "post"),
        ("/api/v1/admin/api-keys/{id}/usage", "get"),
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
