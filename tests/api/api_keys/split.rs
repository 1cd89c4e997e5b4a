//! Participant scopes act as the key's owner and never open an admin route; admin powers are
//! admin scopes on service keys; no key acts as anyone but the admin who created it (issue 11,
//! finding 3).

use domain::api_keys::ApiScope;
use musabaqati::auth::scopes::{Access, ROUTES};
use reqwest::Method;
use serde_json::{json, Value};

use super::{
    call, create_key, key_get, key_of, key_with, key_with_everything, sample_path, service_key,
};
use crate::helpers::{assert_error, balance, spawn_app, TestApp};

/// Rows that any admin power would have written.
async fn admin_footprint(app: &TestApp) -> [i64; 6] {
    let mut counts = [0; 6];
    for (slot, sql) in [
        "SELECT COUNT(*) FROM points_transactions",
        "SELECT COUNT(*) FROM competitions",
        "SELECT COUNT(*) FROM chat_rooms",
        "SELECT COUNT(*) FROM purchase_records",
        "SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'api_key.%' AND action NOT LIKE 'user.%'",
        "SELECT CAST(COALESCE(SUM(points_balance), 0) AS BIGINT) FROM users",
    ]
    .iter()
    .enumerate()
    {
        counts[slot] = app.count(sql).await;
    }
    counts
}

#[tokio::test]
async fn a_participant_scope_never_mints_points_or_uses_admin_powers_even_on_an_admins_key() {
    let app = spawn_app().await;
    let admin = app.admin("mintadmin").await;
    let user = app.register("mintee").await;
    // The probe's key: an admin's own key with the participant scopes that used to open admin
    // routes (an admin owner was all it took).
    let created = key_with(
        &app,
        &admin,
        &[
            "points:write",
            "competitions:write",
            "redemptions:write",
            "purchases:write",
            "chat:write",
        ],
        1000,
    )
    .await;
    let key = key_of(&created);
    let before = admin_footprint(&app).await;

    let user_id = user.id;
    let attempts: Vec<(&str, String, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/admin/points/award".into(),
            json!({"user_id": user_id, "amount": 1_000_000_000, "reason": "نقاط من لا شيء"}),
            "admin:points:write",
        ),
        (
            "POST",
            format!("/api/v1/admin/users/{user_id}/adjust"),
            json!({"amount": 1_000_000_000, "reason": "نقاط من لا شيء"}),
            "admin:points:write",
        ),
        (
            "POST",
            "/api/v1/admin/competitions".into(),
            json!({"title": "مسابقة", "kind": "quiz"}),
            "admin:competitions:write",
        ),
        (
            "POST",
            "/api/v1/admin/redemptions/bulk".into(),
            json!({"ids": [1], "action": "approve"}),
            "admin:redemptions:write",
        ),
        (
            "POST",
            "/api/v1/admin/purchases".into(),
            json!({"user_id": user_id, "package_id": 1}),
            "admin:purchases:write",
        ),
        (
            "POST",
            "/api/v1/admin/chat/rooms".into(),
            json!({"name": "غرفة"}),
            "admin:chat:write",
        ),
    ];
    for (method, path, body, needed) in attempts {
        let res = app
            .client
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&path),
            )
            .header("X-API-Key", key)
            .header("Idempotency-Key", format!("probe-{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let body = assert_error(res, 403, "missing_scope").await;
        assert_eq!(body["error"]["fields"]["scope"], needed, "{method} {path}");
    }
    assert_eq!(balance(&app, &user).await, 0, "nothing minted");
    assert_eq!(admin_footprint(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn every_admin_route_refuses_every_participant_scope_whoever_owns_the_key() {
    let app = spawn_app().await;
    let admin = app.admin("tableadmin").await;
    let participant: Vec<&str> = ApiScope::participant().map(|s| s.as_str()).collect();
    // Every participant scope on a personal key, and on a service key whose one admin scope is
    // unrelated to the route tried (reading statistics).
    let personal = key_with(&app, &admin, &participant, 10_000).await;
    let mut with_stats = participant.clone();
    with_stats.push("admin:stats:read");
    let service = service_key(&app, &admin, &with_stats, None).await;
    let before = admin_footprint(&app).await;

    let mut tried = 0;
    for route in ROUTES.iter().filter(|r| r.is_admin()) {
        let Access::Scope(needed) = route.access else {
            continue;
        };
        assert!(needed.is_admin(), "{} {}", route.method, route.pattern);
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let path = sample_path(route.pattern);
        for (which, key) in [("personal", &personal), ("service", &service)] {
            if which == "service" && needed == ApiScope::AdminStatsRead {
                continue;
            }
            let res = call(&app, method.clone(), &path, key_of(key), Some(json!({}))).await;
            let body = assert_error(res, 403, "missing_scope").await;
            assert_eq!(
                body["error"]["fields"]["scope"],
                needed.as_str(),
                "{which} key on {} {}",
                route.method,
                route.pattern
            );
            tried += 1;
        }
    }
    assert!(tried > 100, "only {tried} admin calls were tried");
    assert_eq!(admin_footprint(&app).await, before);
    // The service key's admin scope opens its own route.
    let res = key_get(&app, "/api/v1/admin/stats", key_of(&service)).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_admin_scope_works_only_on_a_service_key() {
    let app = spawn_app().await;
    let admin = app.admin("kindadmin").await;
    let service = service_key(&app, &admin, &["admin:users:read"], None).await;
    assert_eq!(
        key_get(&app, "/api/v1/admin/users", key_of(&service))
            .await
            .status(),
        200
    );
    // A row that says "personal" with an admin scope (no request can make one) gets nothing.
    app.sql(&format!(
        "UPDATE api_keys SET kind = 'personal' WHERE id = {}",
        service["id"]
    ))
    .await;
    let res = key_get(&app, "/api/v1/admin/users", key_of(&service)).await;
    let body = assert_error(res, 403, "missing_scope").await;
    assert_eq!(body["error"]["fields"]["scope"], "admin:users:read");
    // A demoted creator's service key loses the admin routes at once.
    app.sql(&format!(
        "UPDATE api_keys SET kind = 'service' WHERE id = {}",
        service["id"]
    ))
    .await;
    app.sql(&format!(
        "UPDATE users SET role = 'user' WHERE id = {}",
        admin.id
    ))
    .await;
    let res = key_get(&app, "/api/v1/admin/users", key_of(&service)).await;
    assert_error(res, 403, "forbidden").await;
}

#[tokio::test]
async fn no_key_can_be_made_to_act_as_another_person() {
    let app = spawn_app().await;
    let admin = app.admin("keymaker").await;
    let other_admin = app.admin("otheradmin").await;
    let victim = app.register("victim").await;

    // Naming an owner is refused, whoever it is, and creates nothing.
    for owner in [victim.id, other_admin.id, admin.id] {
        let res = app
            .post(
                "/api/v1/admin/api-keys",
                Some(&admin.token),
                json!({"name": "باسم غيري", "owner_id": owner, "scopes": ["chat:read", "points:write"], "rate_limit_per_minute": 10}),
            )
            .await;
        let body = assert_error(res, 422, "validation_failed").await;
        let message = body["error"]["fields"]["owner_id"].as_str().unwrap();
        assert!(message.contains("مستخدم آخر"), "{message}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM api_keys").await, 0);

    // A key always acts as its creator: the victim's messages and points are out of reach.
    let created = key_with(&app, &admin, &["chat:read", "points:read"], 10).await;
    assert_eq!(created["owner_id"], admin.id);
    let me: Value = key_get(&app, "/api/v1/me", key_of(&created))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], admin.id);

    // Rotating another admin's key gives a key that acts as the admin rotating it.
    let theirs = key_with(&app, &other_admin, &["points:read"], 10).await;
    let rotated: Value = app
        .post(
            &format!("/api/v1/admin/api-keys/{}/rotate", theirs["id"]),
            Some(&admin.token),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rotated["owner_id"], admin.id);
    assert_eq!(rotated["created_by"], admin.id);
    let me: Value = key_get(&app, "/api/v1/me", key_of(&rotated))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], admin.id);

    // A key row that acts for someone else (as older versions could make) is refused outright.
    let legacy = key_with(&app, &admin, &["chat:read"], 10).await;
    app.sql(&format!(
        "UPDATE api_keys SET owner_id = {} WHERE id = {}",
        victim.id, legacy["id"]
    ))
    .await;
    let res = key_get(&app, "/api/v1/chat/rooms", key_of(&legacy)).await;
    assert_error(res, 401, "api_key_revoked").await;
    // A key cannot create keys for anyone either.
    let everything = key_with_everything(&app, &admin).await;
    let res = call(
        &app,
        Method::POST,
        "/api/v1/admin/api-keys",
        key_of(&everything),
        Some(json!({"name": "x", "scopes": ["chat:read"], "rate_limit_per_minute": 5})),
    )
    .await;
    assert_error(res, 403, "api_key_not_allowed").await;
}

#[tokio::test]
async fn creating_a_key_validates_every_field_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("validator").await;
    let user = app.register("plainuser").await;
    let future = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let good = json!({"name": "مفتاح", "scopes": ["points:read"], "rate_limit_per_minute": 60, "expires_at": future});
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "unknown scope",
            with("scopes", json!(["points:read", "points:delete"])),
            "scopes[1]",
        ),
        ("no scope", with("scopes", json!([])), "scopes"),
        (
            "scopes not a list",
            with("scopes", json!("points:read")),
            "scopes",
        ),
        (
            "scope not a string",
            with("scopes", json!([7])),
            "scopes[0]",
        ),
        (
            "zero rate limit",
            with("rate_limit_per_minute", json!(0)),
            "rate_limit_per_minute",
        ),
        (
            "negative rate limit",
            with("rate_limit_per_minute", json!(-10)),
            "rate_limit_per_minute",
        ),
        (
            "huge rate limit",
            with("rate_limit_per_minute", json!(10_001)),
            "rate_limit_per_minute",
        ),
        (
            "rate limit as text",
            with("rate_limit_per_minute", json!("ten")),
            "rate_limit_per_minute",
        ),
        (
            "missing rate limit",
            without("rate_limit_per_minute"),
            "rate_limit_per_minute",
        ),
        (
            "expiry in the past",
            with("expires_at", json!(past)),
            "expires_at",
        ),
        (
            "expiry not a date",
            with("expires_at", json!("next week")),
            "expires_at",
        ),
        ("empty name", with("name", json!("   ")), "name"),
        ("long name", with("name", json!("م".repeat(101))), "name"),
        ("missing name", without("name"), "name"),
        ("unknown field", with("secret", json!("x")), "secret"),
        // There is no owner to choose: a key acts as the admin who creates it.
        (
            "another owner",
            with("owner_id", json!(user.id)),
            "owner_id",
        ),
        (
            "own id as owner",
            with("owner_id", json!(admin.id)),
            "owner_id",
        ),
        ("unknown kind", with("kind", json!("robot")), "kind"),
        (
            "admin scope on a personal key",
            with("scopes", json!(["points:read", "admin:users:read"])),
            "scopes",
        ),
        (
            "old admin-only name",
            with("scopes", json!(["users:read"])),
            "scopes[0]",
        ),
        (
            "service key without an admin scope",
            with("kind", json!("service")),
            "scopes",
        ),
        (
            "ceilings on a personal key",
            with("award_max_per_call", json!(10)),
            "award_max_per_call",
        ),
        (
            "points power without ceilings",
            {
                let mut body = with("kind", json!("service"));
                body["scopes"] = json!(["admin:points:write"]);
                body
            },
            "award_max_per_call",
        ),
        (
            "daily ceiling below the per-call one",
            {
                let mut body = with("kind", json!("service"));
                body["scopes"] = json!(["admin:points:write"]);
                body["award_max_per_call"] = json!(100);
                body["award_max_per_day"] = json!(99);
                body
            },
            "award_max_per_day",
        ),
        (
            "ceiling over the largest award",
            {
                let mut body = with("kind", json!("service"));
                body["scopes"] = json!(["admin:points:write"]);
                body["award_max_per_call"] = json!(1_000_000_001_i64);
                body["award_max_per_day"] = json!(1_000_000_001_i64);
                body
            },
            "award_max_per_call",
        ),
        (
            "ceiling as text",
            with("award_max_per_call", json!("many")),
            "award_max_per_call",
        ),
    ];
    for (what, body, field) in cases {
        let res = app
            .post("/api/v1/admin/api-keys", Some(&admin.token), body)
            .await;
        let body = assert_error(res, 422, "validation_failed").await;
        assert!(
            body["error"]["fields"][field].is_string(),
            "{what}: expected field {field} in {body}"
        );
        if what == "admin scope on a personal key" {
            // The message names the scopes the way the admin's picker does, not by wire name.
            let message = body["error"]["fields"]["scopes"].as_str().unwrap();
            assert!(
                message.contains("«البحث في المستخدمين وعرض حساباتهم»")
                    && !message.contains("admin:users:read"),
                "{message}"
            );
        }
        if what == "old admin-only name" {
            let message = body["error"]["fields"]["scopes[0]"].as_str().unwrap();
            assert!(message.contains("admin:users:read"), "{message}");
        }
    }
    let res = app
        .client
        .post(app.url("/api/v1/admin/api-keys"))
        .bearer_auth(&admin.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
    let res = app
        .post("/api/v1/admin/api-keys", Some(&user.token), good.clone())
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app.post("/api/v1/admin/api-keys", None, good.clone()).await;
    assert_error(res, 401, "unauthorized").await;

    assert_eq!(app.count("SELECT COUNT(*) FROM api_keys").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'api_key.%'")
            .await,
        0
    );

    // The same body is accepted once it is right (`owner_id: null` means "me", as before).
    let created = create_key(&app, &admin, with("owner_id", Value::Null)).await;
    assert_eq!(created["status"], "active");
    assert_eq!(created["scopes"], json!(["points:read"]));
    assert_eq!(created["owner_id"], admin.id);
    let service = create_key(
        &app,
        &admin,
        json!({"name": "خدمة", "kind": "service", "scopes": ["admin:points:write", "points:read"], "rate_limit_per_minute": 1, "award_max_per_call": 10, "award_max_per_day": 10}),
    )
    .await;
    assert_eq!(service["kind"], "service");
    assert_eq!(
        service["scopes"],
        json!(["points:read", "admin:points:write"])
    );
    assert_eq!(service["award_max_per_call"], 10);
    assert_eq!(service["award_max_per_day"], 10);
}
