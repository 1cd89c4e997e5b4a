//! The one table of what an API key needs for every route: a scope, nothing (any valid key), or
//! "never" (routes only people may use). The API-key middleware resolves a request against it
//! before routing; the `AuthUser`/`AdminUser`/`OptionalAuthUser` extractors check it again with
//! the pattern the router actually matched; the OpenAPI document shows it on every operation; and
//! a test compares it with the documented operations, so a new route without an entry fails
//! (docs/ARCHITECTURE.md §5).
//!
//! Participant routes need participant scopes (the key acts as its owner); admin routes need
//! admin scopes (`admin:…`, service keys only). A unit test holds the table to that split.

use std::sync::LazyLock;

use actix_router::ResourceDef;
use actix_web::http::Method;
use domain::api_keys::ApiScope;

/// What a request authenticated by an API key needs to reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Any valid key: public information, or the key's own identity (`GET /me`).
    AnyKey,
    /// A key carrying this scope.
    Scope(ApiScope),
    /// Keys are refused: key management, passwords, sessions, sign-in and the WebSocket.
    Never,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteAccess {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The full actix route pattern, as `HttpRequest::match_pattern()` reports it.
    pub pattern: &'static str,
    pub access: Access,
}

/// Every admin route starts with this; only admin scopes open them.
pub const ADMIN_PATH: &str = "/api/v1/admin/";

impl RouteAccess {
    /// An admin route (under `/api/v1/admin/`).
    pub fn is_admin(&self) -> bool {
        self.pattern.starts_with(ADMIN_PATH)
    }
}

const fn route(method: &'static str, pattern: &'static str, access: Access) -> RouteAccess {
    RouteAccess {
        method,
        pattern,
        access,
    }
}

use Access::{AnyKey, Never, Scope};
use ApiScope::*;

/// Every route of the server. Where two patterns can match the same path with the same method,
/// the one listed (and mounted) first wins, as in the router.
pub const ROUTES: &[RouteAccess] = &[
    // Health and the document itself (outside /api/v1 keys are not even read).
    route("GET", "/health/live", AnyKey),
    route("GET", "/health/ready", AnyKey),
    route("GET", "/metrics", AnyKey),
    route("GET", "/api/v1/openapi.json", AnyKey),
    route("GET", "/api/v1/settings/public", AnyKey),
    // Sign-in and sessions belong to people.
    route("POST", "/api/v1/auth/register", Never),
    route("POST", "/api/v1/auth/login", Never),
    route("POST", "/api/v1/auth/login/totp", Never),
    route("POST", "/api/v1/auth/step-up", Never),
    route("POST", "/api/v1/auth/refresh", Never),
    route("POST", "/api/v1/auth/logout", Never),
    route("POST", "/api/v1/auth/logout-all", Never),
    route("POST", "/api/v1/auth/password-reset", Never),
    route("POST", "/api/v1/auth/password-reset/confirm", Never),
    route("POST", "/api/v1/auth/verify-email", Never),
    route("GET", "/api/v1/me", AnyKey),
    route("PATCH", "/api/v1/me", Never),
    route("GET", "/api/v1/me/competitions", Scope(CompetitionsRead)),
    route("POST", "/api/v1/me/password", Never),
    route("DELETE", "/api/v1/me", Never),
    route("GET", "/api/v1/me/export", Never),
    route("POST", "/api/v1/me/email/verification", Never),
    route("GET", "/api/v1/me/sessions", Never),
    route("DELETE", "/api/v1/me/sessions/{id}", Never),
    route("GET", "/api/v1/me/totp", Never),
    route("POST", "/api/v1/me/totp/setup", Never),
    route("POST", "/api/v1/me/totp/enable", Never),
    route("POST", "/api/v1/me/totp/disable", Never),
    route("GET", "/api/v1/ws", Never),
    // Points
    route("GET", "/api/v1/points/balance", Scope(PointsRead)),
    route("GET", "/api/v1/points/transactions", Scope(PointsRead)),
    route("GET", "/api/v1/points/history", Scope(PointsRead)),
    route("POST", "/api/v1/points/transfers", Scope(PointsWrite)),
    route(
        "GET",
        "/api/v1/points/recipients/{username}",
        Scope(PointsRead),
    ),
    // Competitions and leaderboards
    route("GET", "/api/v1/competitions", Scope(CompetitionsRead)),
    route("GET", "/api/v1/competitions/{id}", Scope(CompetitionsRead)),
    route(
        "POST",
        "/api/v1/competitions/{id}/join",
        Scope(CompetitionsWrite),
    ),
    route(
        "DELETE",
        "/api/v1/competitions/{id}/join",
        Scope(CompetitionsWrite),
    ),
    route(
        "GET",
        "/api/v1/competitions/{id}/questions",
        Scope(CompetitionsRead),
    ),
    route(
        "POST",
        "/api/v1/competitions/{id}/submission",
        Scope(CompetitionsWrite),
    ),
    route(
        "PUT",
        "/api/v1/competitions/{id}/entry",
        Scope(CompetitionsWrite),
    ),
    route(
        "GET",
        "/api/v1/competitions/{id}/entry",
        Scope(CompetitionsRead),
    ),
    route(
        "GET",
        "/api/v1/competitions/{id}/leaderboard",
        Scope(CompetitionsRead),
    ),
    route("GET", "/api/v1/leaderboard", Scope(CompetitionsRead)),
    route("GET", "/api/v1/users/{username}", Scope(CompetitionsRead)),
    // Notifications
    route("GET", "/api/v1/notifications", Scope(NotificationsRead)),
    route(
        "POST",
        "/api/v1/notifications/{id}/read",
        Scope(NotificationsWrite),
    ),
    route(
        "POST",
        "/api/v1/notifications/read-all",
        Scope(NotificationsWrite),
    ),
    // Rewards, redemptions, packages, purchases, referrals
    route("GET", "/api/v1/rewards", Scope(RewardsRead)),
    route(
        "POST",
        "/api/v1/rewards/{id}/redeem",
        Scope(RedemptionsWrite),
    ),
    route("GET", "/api/v1/redemptions", Scope(RedemptionsRead)),
    route(
        "POST",
        "/api/v1/redemptions/{id}/cancel",
        Scope(RedemptionsWrite),
    ),
    route("GET", "/api/v1/packages", Scope(PurchasesRead)),
    route("GET", "/api/v1/purchases", Scope(PurchasesRead)),
    route("POST", "/api/v1/purchases", Scope(PurchasesWrite)),
    route(
        "POST",
        "/api/v1/purchases/{id}/cancel",
        Scope(PurchasesWrite),
    ),
    route("GET", "/api/v1/referrals", Scope(ReferralsRead)),
    // Chat
    route("GET", "/api/v1/chat/rooms", Scope(ChatRead)),
    route("POST", "/api/v1/chat/rooms", Scope(ChatWrite)),
    route("GET", "/api/v1/chat/rooms/{id}", Scope(ChatRead)),
    route("POST", "/api/v1/chat/rooms/{id}/join", Scope(ChatWrite)),
    route("POST", "/api/v1/chat/rooms/{id}/leave", Scope(ChatWrite)),
    route("POST", "/api/v1/chat/rooms/{id}/invite", Scope(ChatWrite)),
    route("GET", "/api/v1/chat/rooms/{id}/members", Scope(ChatRead)),
    route("POST", "/api/v1/chat/rooms/{id}/mute", Scope(ChatWrite)),
    route("POST", "/api/v1/chat/rooms/{id}/read", Scope(ChatWrite)),
    route("GET", "/api/v1/chat/rooms/{id}/messages", Scope(ChatRead)),
    route("POST", "/api/v1/chat/rooms/{id}/messages", Scope(ChatWrite)),
    route("PATCH", "/api/v1/chat/messages/{id}", Scope(ChatWrite)),
    route("DELETE", "/api/v1/chat/messages/{id}", Scope(ChatWrite)),
    route("POST", "/api/v1/chat/direct", Scope(ChatWrite)),
    route("GET", "/api/v1/chat/blocks", Scope(ChatRead)),
    route("POST", "/api/v1/chat/blocks", Scope(ChatWrite)),
    route("DELETE", "/api/v1/chat/blocks/{username}", Scope(ChatWrite)),
    // Admin: users, audit, inbox, ledger
    route("GET", "/api/v1/admin/users", Scope(AdminUsersRead)),
    route("GET", "/api/v1/admin/users/{id}", Scope(AdminUsersRead)),
    route("PATCH", "/api/v1/admin/users/{id}", Scope(AdminUsersWrite)),
    // A reset link is a key to the account, and the outbox lists what the links went to.
    route("POST", "/api/v1/admin/users/{id}/password-reset", Never),
    route("GET", "/api/v1/admin/emails", Never),
    route("POST", "/api/v1/admin/emails/{id}/retry", Never),
    route("GET", "/api/v1/admin/audit-log", Scope(AdminAuditRead)),
    route("GET", "/api/v1/admin/notifications", Scope(AdminInboxRead)),
    route(
        "POST",
        "/api/v1/admin/notifications/{id}/read",
        Scope(AdminInboxWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/notifications/read-all",
        Scope(AdminInboxWrite),
    ),
    // Admin: trust and safety. Keys may read; the decisions (releasing points, clearing flags,
    // lifting locks, ending sessions) are made by people only.
    route("GET", "/api/v1/admin/safety/summary", Scope(AdminInboxRead)),
    route("GET", "/api/v1/admin/held-transfers", Scope(AdminInboxRead)),
    route("POST", "/api/v1/admin/held-transfers/{id}/release", Never),
    route("POST", "/api/v1/admin/held-transfers/{id}/reject", Never),
    route("GET", "/api/v1/admin/risk-flags", Scope(AdminInboxRead)),
    route("POST", "/api/v1/admin/risk-flags/{id}/clear", Never),
    route("POST", "/api/v1/admin/users/{id}/flags", Never),
    route(
        "GET",
        "/api/v1/admin/users/{id}/risk",
        Scope(AdminUsersRead),
    ),
    route("POST", "/api/v1/admin/users/{id}/unlock", Never),
    route(
        "DELETE",
        "/api/v1/admin/users/{id}/sessions/{session_id}",
        Never,
    ),
    route("POST", "/api/v1/admin/blocked-addresses/unblock", Never),
    route(
        "POST",
        "/api/v1/admin/points/award",
        Scope(AdminPointsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/users/{id}/adjust",
        Scope(AdminPointsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/users/{id}/transactions",
        Scope(AdminLedgerRead),
    ),
    route("GET", "/api/v1/admin/ledger/verify", Scope(AdminLedgerRead)),
    // Admin: referrals
    route("GET", "/api/v1/admin/referrals", Scope(AdminReferralsRead)),
    route(
        "POST",
        "/api/v1/admin/referrals/{id}/approve",
        Scope(AdminReferralsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/referrals/{id}/reject",
        Scope(AdminReferralsWrite),
    ),
    // Admin: competitions
    route(
        "POST",
        "/api/v1/admin/competitions",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/competitions",
        Scope(AdminCompetitionsRead),
    ),
    route(
        "GET",
        "/api/v1/admin/competitions/{id}",
        Scope(AdminCompetitionsRead),
    ),
    route(
        "PATCH",
        "/api/v1/admin/competitions/{id}",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "DELETE",
        "/api/v1/admin/competitions/{id}",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/competitions/{id}/publish",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/competitions/{id}/finalize",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "PUT",
        "/api/v1/admin/competitions/{id}/results",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/competitions/{id}/participants",
        Scope(AdminCompetitionsRead),
    ),
    route(
        "GET",
        "/api/v1/admin/competitions/{id}/entries",
        Scope(AdminCompetitionsRead),
    ),
    route(
        "POST",
        "/api/v1/admin/competitions/{id}/questions",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/competitions/{id}/questions",
        Scope(AdminCompetitionsRead),
    ),
    route(
        "PATCH",
        "/api/v1/admin/competitions/{id}/questions/{qid}",
        Scope(AdminCompetitionsWrite),
    ),
    route(
        "DELETE",
        "/api/v1/admin/competitions/{id}/questions/{qid}",
        Scope(AdminCompetitionsWrite),
    ),
    // Admin: rewards and redemptions
    route("POST", "/api/v1/admin/rewards", Scope(AdminRewardsWrite)),
    route("GET", "/api/v1/admin/rewards", Scope(AdminRewardsRead)),
    route("GET", "/api/v1/admin/rewards/{id}", Scope(AdminRewardsRead)),
    route(
        "PATCH",
        "/api/v1/admin/rewards/{id}",
        Scope(AdminRewardsWrite),
    ),
    route(
        "DELETE",
        "/api/v1/admin/rewards/{id}",
        Scope(AdminRewardsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/redemptions",
        Scope(AdminRedemptionsRead),
    ),
    route(
        "POST",
        "/api/v1/admin/redemptions/bulk",
        Scope(AdminRedemptionsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/redemptions/{id}/approve",
        Scope(AdminRedemptionsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/redemptions/{id}/reject",
        Scope(AdminRedemptionsWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/redemptions/{id}/fulfill",
        Scope(AdminRedemptionsWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/users/{id}/redemptions",
        Scope(AdminRedemptionsRead),
    ),
    // Admin: packages and purchases
    route("POST", "/api/v1/admin/packages", Scope(AdminPackagesWrite)),
    route("GET", "/api/v1/admin/packages", Scope(AdminPackagesRead)),
    route(
        "GET",
        "/api/v1/admin/packages/{id}",
        Scope(AdminPackagesRead),
    ),
    route(
        "PATCH",
        "/api/v1/admin/packages/{id}",
        Scope(AdminPackagesWrite),
    ),
    route(
        "DELETE",
        "/api/v1/admin/packages/{id}",
        Scope(AdminPackagesWrite),
    ),
    route("GET", "/api/v1/admin/purchases", Scope(AdminPurchasesRead)),
    route(
        "POST",
        "/api/v1/admin/purchases",
        Scope(AdminPurchasesWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/purchases/{id}/mark-paid",
        Scope(AdminPurchasesWrite),
    ),
    route(
        "POST",
        "/api/v1/admin/purchases/{id}/cancel",
        Scope(AdminPurchasesWrite),
    ),
    route(
        "GET",
        "/api/v1/admin/users/{id}/purchases",
        Scope(AdminPurchasesRead),
    ),
    // Admin: settings, stats, exports
    route("GET", "/api/v1/admin/settings", Scope(AdminSettingsRead)),
    route("PUT", "/api/v1/admin/settings", Scope(AdminSettingsWrite)),
    route("GET", "/api/v1/admin/stats", Scope(AdminStatsRead)),
    route(
        "GET",
        "/api/v1/admin/export/{kind}.csv",
        Scope(AdminExportsRead),
    ),
    // Admin: chat moderation
    route("POST", "/api/v1/admin/chat/rooms", Scope(AdminChatWrite)),
    route("GET", "/api/v1/admin/chat/rooms", Scope(AdminChatRead)),
    route(
        "PATCH",
        "/api/v1/admin/chat/rooms/{id}",
        Scope(AdminChatWrite),
    ),
    route(
        "DELETE",
        "/api/v1/admin/chat/rooms/{id}",
        Scope(AdminChatWrite),
    ),
    // Admin: API keys are managed by people only (a key cannot mint, edit or rotate keys).
    route("GET", "/api/v1/admin/api-keys", Never),
    route("POST", "/api/v1/admin/api-keys", Never),
    route("GET", "/api/v1/admin/api-keys/failed-auth", Never),
    route("GET", "/api/v1/admin/api-keys/{id}", Never),
    route("PATCH", "/api/v1/admin/api-keys/{id}", Never),
    route("DELETE", "/api/v1/admin/api-keys/{id}", Never),
    route("POST", "/api/v1/admin/api-keys/{id}/rotate", Never),
    route("GET", "/api/v1/admin/api-keys/{id}/usage", Never),
];

struct Compiled {
    method: Method,
    def: ResourceDef,
    route: &'static RouteAccess,
}

static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    ROUTES
        .iter()
        .filter_map(|route| {
            Some(Compiled {
                method: Method::from_bytes(route.method.as_bytes()).ok()?,
                def: ResourceDef::new(route.pattern),
                route,
            })
        })
        .collect()
});

/// The entry for the pattern the router matched (what the extractors use).
pub fn lookup(method: &Method, pattern: &str) -> Option<&'static RouteAccess> {
    ROUTES
        .iter()
        .find(|r| r.pattern == pattern && r.method == method.as_str())
}

/// The entry a request path would be routed to (what the middleware uses, before routing).
pub fn resolve(method: &Method, path: &str) -> Option<&'static RouteAccess> {
    COMPILED
        .iter()
        .find(|c| c.method == method && c.def.is_match(path))
        .map(|c| c.route)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use actix_router::Path;

    use super::*;

    fn captures(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
        let def = ResourceDef::new(pattern);
        let mut p = Path::new(path);
        def.capture_match_info(&mut p).then(|| {
            p.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
    }

    #[test]
    fn every_route_is_listed_once_and_every_method_is_known() {
        let mut seen = HashSet::new();
        for r in ROUTES {
            assert!(
                seen.insert((r.method, r.pattern)),
                "{} {} is listed twice",
                r.method,
                r.pattern
            );
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&r.method),
                "{}",
                r.method
            );
        }
        assert_eq!(COMPILED.len(), ROUTES.len());
    }

    #[test]
    fn resolve_matches_paths_like_the_router() {
        let get = Method::GET;
        assert_eq!(
            resolve(&get, "/api/v1/competitions/42").map(|r| r.pattern),
            Some("/api/v1/competitions/{id}")
        );
        assert_eq!(
            resolve(&get, "/api/v1/admin/export/users.csv").map(|r| r.pattern),
            Some("/api/v1/admin/export/{kind}.csv")
        );
        assert_eq!(
            resolve(&get, "/api/v1/admin/api-keys/failed-auth").map(|r| r.pattern),
            Some("/api/v1/admin/api-keys/failed-auth")
        );
        assert_eq!(
            resolve(&Method::POST, "/api/v1/admin/redemptions/bulk").map(|r| r.pattern),
            Some("/api/v1/admin/redemptions/bulk")
        );
        assert!(resolve(&Method::PUT, "/api/v1/points/balance").is_none());
        assert!(resolve(&get, "/api/v1/nothing").is_none());
        assert_eq!(
            captures(
                "/api/v1/admin/export/{kind}.csv",
                "/api/v1/admin/export/users.csv"
            ),
            Some(vec![("kind".to_owned(), "users".to_owned())])
        );
    }

    #[test]
    fn admin_routes_need_admin_scopes_and_participant_routes_participant_scopes() {
        for r in ROUTES {
            if let Access::Scope(scope) = r.access {
                assert_eq!(
                    scope.is_admin(),
                    r.is_admin(),
                    "{} {} needs {scope}",
                    r.method,
                    r.pattern
                );
            }
        }
        for &scope in ApiScope::ALL {
            assert!(
                ROUTES.iter().any(|r| r.access == Access::Scope(scope)),
                "{scope} is required by no route"
            );
        }
    }

    #[test]
    fn the_integrator_guide_lists_every_scope_with_exactly_the_routes_it_opens() {
        let guide = include_str!("../../../../docs/INTEGRATORS.md");
        for &scope in ApiScope::ALL {
            let head = format!("| `{scope}` |");
            let row = guide
                .lines()
                .find(|l| l.starts_with(&head))
                .unwrap_or_else(|| panic!("{scope} has no row in docs/INTEGRATORS.md §3"));
            let opens: Vec<&RouteAccess> = ROUTES
                .iter()
                .filter(|r| r.access == Access::Scope(scope))
                .collect();
            for r in &opens {
                let route = format!("`{} {}`", r.method, r.pattern.trim_start_matches("/api/v1"));
                assert!(row.contains(&route), "{scope}: {route} is not in its row");
            }
            let listed: usize = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .iter()
                .map(|m| row.matches(&format!("`{m} /")).count())
                .sum();
            assert_eq!(listed, opens.len(), "{scope}: the row lists other routes");
        }
    }
}
