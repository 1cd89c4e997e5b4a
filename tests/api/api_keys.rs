//! Integrator API keys: the admin endpoints, authentication with `X-API-Key` / `Bearer mk_…`,
//! the scope table on every route, per-key rate limits, the usage log, refused attempts with the
//! per-address block, and that the secret is never stored. The split between participant and
//! admin scopes, the award ceilings and the key migration have their own files below.

mod ceilings;
mod migration;
mod split;
mod traffic;

use std::collections::BTreeSet;
use std::time::Duration;

use domain::api_keys::ApiScope;
use musabaqati::auth::scopes::{Access, ROUTES};
use musabaqati::entities::api_keys;
use reqwest::{Method, Response, StatusCode};
use sea_orm::EntityTrait;
use serde_json::{json, Value};

use crate::helpers::{assert_error, award, balance, spawn_app, spawn_app_with, TestApp, TestUser};

/// Creates a key as `admin` (201 asserted) and returns the response body.
pub(super) async fn create_key(app: &TestApp, admin: &TestUser, body: Value) -> Value {
    let res = app
        .post("/api/v1/admin/api-keys", Some(&admin.token), body.clone())
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "create key {body}");
    res.json().await.unwrap()
}

/// A personal key (participant scopes only) of `admin`.
pub(super) async fn key_with(
    app: &TestApp,
    admin: &TestUser,
    scopes: &[&str],
    per_minute: i64,
) -> Value {
    create_key(
        app,
        admin,
        json!({"name": "تكامل الاختبار", "scopes": scopes, "rate_limit_per_minute": per_minute}),
    )
    .await
}

/// A service key of `admin`; with `admin:points:write` its ceilings are `ceilings` (default:
/// the largest allowed).
pub(super) async fn service_key(
    app: &TestApp,
    admin: &TestUser,
    scopes: &[&str],
    ceilings: Option<(i64, i64)>,
) -> Value {
    let mut body = json!({"name": "خدمة الاختبار", "kind": "service", "scopes": scopes, "rate_limit_per_minute": 10_000});
    if scopes.contains(&"admin:points:write") {
        let (per_call, per_day) = ceilings.unwrap_or((1_000_000_000, 1_000_000_000));
        body["award_max_per_call"] = json!(per_call);
        body["award_max_per_day"] = json!(per_day);
    }
    create_key(app, admin, body).await
}

/// A key for `scope` alone: personal for a participant scope, service for an admin scope.
async fn key_for_scope(app: &TestApp, admin: &TestUser, scope: ApiScope) -> Value {
    if scope.is_admin() {
        service_key(app, admin, &[scope.as_str()], None).await
    } else {
        key_with(app, admin, &[scope.as_str()], 10_000).await
    }
}

/// Every scope there is, on one service key.
pub(super) async fn key_with_everything(app: &TestApp, admin: &TestUser) -> Value {
    let all: Vec<&str> = ApiScope::ALL.iter().map(|s| s.as_str()).collect();
    service_key(app, admin, &all, None).await
}

pub(super) fn key_of(created: &Value) -> &str {
    created["key"].as_str().unwrap()
}

/// The secret part of `mk_<id>_<secret>`. The id has a fixed length; the secret is base64url and
/// may itself contain `_`, so it is not "whatever follows the last `_`".
fn secret_of(key: &str) -> &str {
    &key[domain::api_keys::KEY_PREFIX.len() + domain::api_keys::PUBLIC_ID_LEN + 1..]
}

/// A request authenticated by an API key in `X-API-Key`.
pub(super) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> Response {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("X-API-Key", key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

pub(super) async fn key_get(app: &TestApp, path: &str, key: &str) -> Response {
    call(app, Method::GET, path, key, None).await
}

/// Waits for a background write (the usage log flushes in batches).
pub(super) async fn wait_for_count(app: &TestApp, sql: &str, expected: i64) {
    for _ in 0..100 {
        if app.count(sql).await >= expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{sql} never reached {expected} (now {})",
        app.count(sql).await
    );
}

pub(super) fn fast_usage_log() -> impl FnOnce(&mut musabaqati::config::Settings) {
    |s| s.usage_flush_ms = 50
}

async fn error_code(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// `/a/{id}/b/{username}` with values that exist nowhere, so no call changes anything.
pub(super) fn sample_path(pattern: &str) -> String {
    pattern
        .replace("{id}", "999999")
        .replace("{qid}", "999999")
        .replace("{username}", "nobody")
        .replace("{kind}", "users")
}

#[tokio::test]
async fn every_documented_route_declares_what_an_api_key_needs_and_the_document_shows_it() {
    let app = spawn_app().await;
    let spec: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let declared: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), r.pattern.to_owned()))
        .collect();
    let undeclared: Vec<_> = documented.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "routes without an entry in auth::scopes::ROUTES: {undeclared:?}"
    );
    let stale: Vec<_> = declared.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "entries in auth::scopes::ROUTES with no route: {stale:?}"
    );

    // The document carries the scheme and each operation's scope.
    assert_eq!(
        spec["components"]["securitySchemes"]["api_key"]["name"],
        "X-API-Key"
    );
    let balance = &spec["paths"]["/api/v1/points/balance"]["get"];
    assert!(
        balance["security"]
            .as_array()
            .unwrap()
            .contains(&json!({"api_key": ["points:read"]})),
        "{balance}"
    );
    let award = &spec["paths"]["/api/v1/admin/points/award"]["post"];
    assert!(
        award["security"]
            .as_array()
            .unwrap()
            .contains(&json!({"api_key": ["admin:points:write"]})),
        "{award}"
    );
    let board = &spec["paths"]["/api/v1/leaderboard"]["get"];
    let security = board["security"].as_array().unwrap();
    assert!(security.contains(&json!({})), "still public: {board}");
    assert!(security.contains(&json!({"api_key": ["competitions:read"]})));
    let keys = &spec["paths"]["/api/v1/admin/api-keys"]["post"];
    assert!(!keys["security"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.get("api_key").is_some()));
    assert!(keys["description"]
        .as_str()
        .unwrap()
        .contains("api_key_not_allowed"));
}

#[tokio::test]
async fn every_route_refuses_a_key_without_its_scope_and_admits_one_with_it() {
    let app = spawn_app().await;
    let admin = app.admin("scopeadmin").await;
    // One key per scope carrying only that scope (personal for a participant scope, service for
    // an admin one); a key lacking scope s is another scope's key.
    let mut only = Vec::new();
    for &scope in ApiScope::ALL {
        let created = key_for_scope(&app, &admin, scope).await;
        only.push((scope, key_of(&created).to_owned()));
    }
    let everything = key_with_everything(&app, &admin).await;
    let everything = key_of(&everything).to_owned();
    let key_for = |scope: ApiScope| {
        only.iter()
            .find(|(s, _)| *s == scope)
            .map(|(_, k)| k.clone())
            .unwrap()
    };
    let key_without = |scope: ApiScope| {
        only.iter()
            .find(|(s, _)| *s != scope)
            .map(|(_, k)| k.clone())
            .unwrap()
    };

    for route in ROUTES {
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let path = sample_path(route.pattern);
        let what = format!("{} {}", route.method, route.pattern);
        match route.access {
            Access::Scope(scope) => {
                let res = call(&app, method.clone(), &path, &key_without(scope), None).await;
                let body = assert_error(res, 403, "missing_scope").await;
                assert_eq!(body["error"]["fields"]["scope"], scope.as_str(), "{what}");

                let (status, body) =
                    error_code(call(&app, method, &path, &key_for(scope), None).await).await;
                assert_admitted(status, &body, &what);
            }
            Access::AnyKey => {
                let (status, body) =
                    error_code(call(&app, method, &path, &key_for(ApiScope::ChatRead), None).await)
                        .await;
                assert_admitted(status, &body, &what);
            }
            Access::Never => {
                let res = call(&app, method, &path, &everything, None).await;
                assert_error(res, 403, "api_key_not_allowed").await;
            }
        }
    }
}

/// The key got past authentication and authorization (whatever the route then said).
fn assert_admitted(status: u16, body: &Value, what: &str) {
    assert!(status < 500, "{what}: {status} {body}");
    assert_ne!(status, 401, "{what}: {body}");
    let code = body["error"]["code"].as_str().unwrap_or("");
    assert!(
        ![
            "missing_scope",
            "api_key_not_allowed",
            "forbidden",
            "rate_limited",
            "ip_blocked"
        ]
        .contains(&code),
        "{what}: {status} {body}"
    );
}

#[tokio::test]
async fn a_personal_key_acts_as_its_creator_within_its_scopes() {
    let app = spawn_app().await;
    let admin = app.admin("owneradmin").await;
    let friend = app.register("keyfriend").await;
    award(&app, &admin, admin.id, 100).await;
    let created = create_key(
        &app,
        &admin,
        json!({"name": "متجر", "scopes": ["points:read", "points:write"], "rate_limit_per_minute": 100}),
    )
    .await;
    assert_eq!(created["kind"], "personal");
    assert_eq!(created["kind_label"], "مفتاح شخصي");
    assert_eq!(created["owner_id"], admin.id);
    assert_eq!(created["created_by"], admin.id);
    assert_eq!(created["owner_username"], "owneradmin");
    assert!(created["award_max_per_call"].is_null() && created["awarded_today"] == 0);
    let key = key_of(&created);

    let res = key_get(&app, "/api/v1/points/balance", key).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["points_balance"], 100);
    let me: Value = key_get(&app, "/api/v1/me", key).await.json().await.unwrap();
    assert_eq!(me["username"], "owneradmin");

    // Authorization: Bearer mk_… works the same.
    let res = app
        .client
        .get(app.url("/api/v1/points/balance"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A transfer is the owner's, recorded against the key.
    let res = app
        .client
        .post(app.url("/api/v1/points/transfers"))
        .header("X-API-Key", key)
        .header("Idempotency-Key", "key-transfer-1")
        .json(&json!({"to_username": "keyfriend", "amount": 30, "note": "من التكامل"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &admin).await, 70);
    assert_eq!(balance(&app, &friend).await, 30);
    let key_id = created["id"].as_i64().unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE actor_api_key_id = {key_id}"
        ))
        .await,
        2,
        "both ledger rows of the transfer name the key"
    );

    // An admin owner does not open admin routes to a participant scope.
    let res = call(
        &app,
        Method::POST,
        "/api/v1/admin/points/award",
        key,
        Some(json!({"user_id": friend.id, "amount": 5, "reason": "x"})),
    )
    .await;
    let body = assert_error(res, 403, "missing_scope").await;
    assert_eq!(body["error"]["fields"]["scope"], "admin:points:write");
    assert_eq!(balance(&app, &friend).await, 30);
    // Scopes still apply to the owner's own routes.
    let res = key_get(&app, "/api/v1/notifications", key).await;
    let body = assert_error(res, 403, "missing_scope").await;
    assert_eq!(body["error"]["fields"]["scope"], "notifications:read");
}

#[tokio::test]
async fn admin_work_done_with_a_key_names_the_key_and_the_admin_who_created_it() {
    let app = spawn_app().await;
    let admin = app.admin("keyawarder").await;
    let user = app.register("awarded").await;
    let created = service_key(&app, &admin, &["admin:points:write"], Some((100, 1000))).await;
    let key_id = created["id"].as_i64().unwrap();
    let res = app
        .client
        .post(app.url("/api/v1/admin/points/award"))
        .header("X-API-Key", key_of(&created))
        .header("Idempotency-Key", "award-by-key-1")
        .json(&json!({"user_id": user.id, "amount": 40, "reason": "مكافأة من النظام الخارجي"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 40);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM points_transactions WHERE user_id = {} AND actor_api_key_id = {key_id}",
            user.id
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'points.adjust' AND actor_api_key_id = {key_id} AND actor_key_creator_id = {id} AND actor_user_id = {id}",
            id = admin.id
        ))
        .await,
        1
    );
    // The audit log shows the key by its prefix and its creator by name.
    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=points.adjust",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let entry = &audit["items"][0];
    assert_eq!(entry["actor_api_key_id"], key_id);
    assert_eq!(entry["actor_api_key_prefix"], created["prefix"]);
    assert_eq!(entry["actor_key_creator_id"], admin.id);
    assert_eq!(entry["actor_key_creator_username"], "keyawarder");
    // Work done with the admin's own token names no key.
    award(&app, &admin, user.id, 1).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'points.adjust' AND actor_api_key_id IS NULL AND actor_key_creator_id IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn keys_are_listed_without_secrets_and_every_change_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin("lister").await;
    let created = create_key(
        &app,
        &admin,
        json!({"name": "لوحة الشريك", "scopes": ["competitions:read", "points:read", "competitions:read"], "rate_limit_per_minute": 120}),
    )
    .await;
    let key = key_of(&created);
    let prefix = created["prefix"].as_str().unwrap();
    assert!(prefix.starts_with("mk_") && prefix.len() == 15, "{prefix}");
    assert!(key.starts_with(&format!("{prefix}_")));
    assert!(
        key.len() >= prefix.len() + 1 + 43,
        "32 random bytes in base64url"
    );
    assert_eq!(
        created["scopes"],
        json!(["competitions:read", "points:read"])
    );
    assert_eq!(created["rate_limit_per_minute"], 120);
    assert_eq!(created["owner_id"], admin.id);
    assert_eq!(created["created_by_username"], "lister");
    assert!(created["expires_at"].is_null() && created["revoked_at"].is_null());

    let res = app.get("/api/v1/admin/api-keys", Some(&admin.token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let secret = secret_of(key);
    assert!(!text.contains(secret), "no secret in the list");
    assert!(
        !text.contains("key_hash") && !text.contains("\"key\""),
        "{text}"
    );
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list["items"][0]["prefix"], prefix);
    assert_eq!(list["items"][0]["status_label"], "فعّال");
    let one: Value = app
        .get(
            &format!("/api/v1/admin/api-keys/{}", created["id"]),
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["name"], "لوحة الشريك");
    assert!(one.get("key").is_none());

    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=api_key.create",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"][0]["target_id"], created["id"].to_string());
    assert_eq!(audit["items"][0]["details"]["prefix"], prefix);

    for (query, expected) in [
        ("status=active", 1),
        ("status=revoked", 0),
        ("status=expired", 0),
    ] {
        let page: Value = app
            .get(
                &format!("/api/v1/admin/api-keys?{query}"),
                Some(&admin.token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), expected, "{query}");
    }
    let res = app
        .get("/api/v1/admin/api-keys?status=old", Some(&admin.token))
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .get("/api/v1/admin/api-keys/999999", Some(&admin.token))
        .await;
    assert_error(res, 404, "not_found").await;
    let res = app
        .get("/api/v1/admin/api-keys/abc", Some(&admin.token))
        .await;
    assert_error(res, 400, "bad_request").await;
}

#[tokio::test]
async fn rotating_issues_a_new_key_with_the_same_settings_and_revokes_the_old_one() {
    let app = spawn_app().await;
    let admin = app.admin("rotator").await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let old = create_key(
        &app,
        &admin,
        json!({"name": "مفتاح دوري", "kind": "service", "scopes": ["points:read", "rewards:read", "admin:points:write"], "rate_limit_per_minute": 77, "expires_at": expires, "award_max_per_call": 50, "award_max_per_day": 500}),
    )
    .await;
    let old_id = old["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/admin/api-keys/{old_id}/rotate"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let new: Value = res.json().await.unwrap();
    assert_ne!(new["key"], old["key"]);
    assert_ne!(new["prefix"], old["prefix"]);
    assert_eq!(new["rotated_from_id"], old_id);
    for field in [
        "name",
        "kind",
        "scopes",
        "rate_limit_per_minute",
        "award_max_per_call",
        "award_max_per_day",
        "expires_at",
        "owner_id",
    ] {
        assert_eq!(new[field], old[field], "{field}");
    }
    assert_eq!(new["status"], "active");

    assert_error(
        key_get(&app, "/api/v1/points/balance", key_of(&old)).await,
        401,
        "api_key_revoked",
    )
    .await;
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", key_of(&new))
            .await
            .status(),
        StatusCode::OK
    );
    let res = app
        .post(
            &format!("/api/v1/admin/api-keys/{old_id}/rotate"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_error(res, 409, "invalid_transition").await;
    let res = app
        .post(
            "/api/v1/admin/api-keys/999999/rotate",
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_error(res, 404, "not_found").await;
    let audit: Value = app
        .get(
            "/api/v1/admin/audit-log?action=api_key.rotate",
            Some(&admin.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
    assert_eq!(audit["items"][0]["details"]["from_id"], old_id);
    assert_eq!(audit["items"][0]["target_id"], new["id"].to_string());
}

#[tokio::test]
async fn the_full_key_is_never_stored_anywhere() {
    let app = spawn_app_with(fast_usage_log()).await;
    let admin = app.admin("keeper").await;
    let created = key_with(&app, &admin, &["points:read", "points:write"], 1000).await;
    let key = key_of(&created).to_owned();
    let secret = secret_of(&key).to_owned();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", &key).await.status(),
        200
    );
    assert_eq!(
        key_get(&app, "/api/v1/admin/users", &key).await.status(),
        403
    );
    let wrong = format!(
        "{}_{}",
        created["prefix"].as_str().unwrap(),
        "WrongSecretWrongSecretWrongSecretWrongSecr"
    );
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", &wrong)
            .await
            .status(),
        401
    );
    let rotated: Value = app
        .post(
            &format!("/api/v1/admin/api-keys/{id}/rotate"),
            Some(&admin.token),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_key = key_of(&rotated).to_owned();
    let new_secret = secret_of(&new_key).to_owned();
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", &key).await.status(),
        401
    );
    assert_eq!(
        key_get(&app, "/api/v1/points/balance", &new_key)
            .await
            .status(),
        200
    );
    wait_for_count(&app, "SELECT COUNT(*) FROM api_usage_log", 3).await;

    let columns: &[(&str, &[&str])] = &[
        ("api_keys", &["name", "prefix", "key_hash", "scopes"]),
        (
            "audit_log",
            &["action", "target_type", "target_id", "ip", "details"],
        ),
        ("api_usage_log", &["method", "route", "ip"]),
        (
            "api_failed_auth",
            &["key_prefix", "ip", "reason", "method", "path"],
        ),
        ("admin_notifications", &["title", "body", "payload"]),
    ];
    for needle in [&secret, &new_secret, &"WrongSecretWrongSecret".to_owned()] {
        for (table, cols) in columns {
            for col in *cols {
                let found = app
                    .count(&format!(
                        "SELECT COUNT(*) FROM {table} WHERE CAST({col} AS TEXT) LIKE '%{needle}%'"
                    ))
                    .await;
                assert_eq!(found, 0, "{table}.{col} holds a secret");
            }
        }
    }
    // What is stored is the SHA-256 of the key, not the key.
    let row = api_keys::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.key_hash.len(), 64);
    assert!(row.key_hash.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn keys_never_reach_key_management_sessions_or_the_websocket() {
    let app = spawn_app().await;
    let admin = app.admin("boundary").await;
    let created = key_with_everything(&app, &admin).await;
    let key = key_of(&created);
    let res = call(
        &app,
        Method::POST,
        "/api/v1/admin/api-keys",
        key,
        Some(json!({"name": "x", "scopes": ["points:read"], "rate_limit_per_minute": 5})),
    )
    .await;
    assert_error(res, 403, "api_key_not_allowed").await;
    for (method, path) in [
        (Method::POST, "/api/v1/me/password"),
        (Method::POST, "/api/v1/auth/logout-all"),
        (Method::GET, "/api/v1/me/sessions"),
        (Method::GET, "/api/v1/ws"),
        (
            Method::DELETE,
            &*format!("/api/v1/admin/api-keys/{}", created["id"]),
        ),
        (
            Method::PATCH,
            &*format!("/api/v1/admin/api-keys/{}", created["id"]),
        ),
    ] {
        let res = call(&app, method, path, key, None).await;
        assert_error(res, 403, "api_key_not_allowed").await;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM api_keys").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")
            .await,
        1
    );
}
