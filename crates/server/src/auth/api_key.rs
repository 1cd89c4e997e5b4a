//! Integrator API keys on the wire: `mk_<public id>_<secret>`, sent as `X-API-Key` or as
//! `Authorization: Bearer mk_…`. Only the SHA-256 of the whole key is stored (the secret has 256
//! bits of entropy, so a fast hash is enough); the public id finds the row and the hashes are
//! compared in constant time.

use std::future::Future;

use actix_web::http::header;
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::api_keys::{ApiKeyKind, ApiScope, KEY_PREFIX, PUBLIC_ID_LEN};
use domain::{ErrorCode, FieldErrors};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::extractors::AuthUser;
use super::scopes::{Access, RouteAccess};
use crate::error::ApiError;

pub const HEADER: &str = "x-api-key";
/// Longer values are not keys; they are refused before any hashing.
const MAX_KEY_LEN: usize = 128;
const SECRET_BYTES: usize = 32;
const PUBLIC_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A request authenticated by an API key (put in the request extensions by the middleware).
#[derive(Debug, Clone)]
pub struct ApiKeyPrincipal {
    pub key_id: i64,
    /// `mk_` + the public id.
    pub prefix: String,
    pub kind: ApiKeyKind,
    /// The admin who created the key (its owner: a key never acts as someone else).
    pub created_by: Option<i64>,
    pub scopes: Vec<ApiScope>,
    pub rate_limit_per_minute: u32,
    /// The owner the key acts for (`api_key_id` set).
    pub user: AuthUser,
}

/// The key a request presents, if any: `X-API-Key`, or a Bearer token that starts with `mk_`
/// (a Bearer JWT is not a key). The value is never logged.
pub fn credential(req: &HttpRequest) -> Option<String> {
    if let Some(value) = req.headers().get(HEADER) {
        return Some(value.to_str().unwrap_or("").trim().to_owned());
    }
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && token.starts_with(KEY_PREFIX))
        .then(|| token.to_owned())
}

/// `mk_<id>_<secret>` → `mk_<id>`, when the key has the right shape.
pub fn parse_prefix(key: &str) -> Option<String> {
    if key.len() > MAX_KEY_LEN {
        return None;
    }
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (id, secret) = rest.split_at_checked(PUBLIC_ID_LEN)?;
    let secret = secret.strip_prefix('_')?;
    let id_ok = id.bytes().all(|b| PUBLIC_ALPHABET.contains(&b));
    let secret_ok = !secret.is_empty()
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (id_ok && secret_ok).then(|| format!("{KEY_PREFIX}{id}"))
}

/// A new key: (`mk_<id>`, the full key). The secret is 32 random bytes, base64url.
pub fn generate() -> (String, String) {
    let id: String = (0..PUBLIC_ID_LEN)
        .map(|_| PUBLIC_ALPHABET[rand::random_range(0..PUBLIC_ALPHABET.len())] as char)
        .collect();
    let secret: [u8; SECRET_BYTES] = rand::random();
    let prefix = format!("{KEY_PREFIX}{id}");
    let key = format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(secret));
    (prefix, key)
}

pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Constant-time comparison of the presented key's hash with the stored one.
pub fn verify(key: &str, stored_hash: &str) -> bool {
    hash(key).as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

/// Whether a key may reach a route. `None` (a route missing from the table) is refused. An admin
/// scope counts only on a service key, and only an admin scope opens an admin route: a
/// participant scope never does, whoever owns the key (the table says so too; this holds even if
/// an entry were wrong).
pub fn check_access(
    principal: &ApiKeyPrincipal,
    route: Option<&RouteAccess>,
) -> Result<(), ApiError> {
    let Some(route) = route else {
        return Err(ApiError::Code(ErrorCode::ApiKeyNotAllowed));
    };
    match route.access {
        Access::AnyKey => Ok(()),
        Access::Scope(scope) if route.is_admin() && !scope.is_admin() => {
            Err(ApiError::Code(ErrorCode::ApiKeyNotAllowed))
        }
        Access::Scope(scope)
            if principal.scopes.contains(&scope)
                && (!scope.is_admin() || principal.kind == ApiKeyKind::Service) =>
        {
            Ok(())
        }
        Access::Scope(scope) => {
            let mut fields = FieldErrors::new();
            fields.insert("scope".to_owned(), scope.as_str().to_owned());
            Err(ApiError::FieldConflict {
                code: ErrorCode::MissingScope,
                fields,
            })
        }
        Access::Never => Err(ApiError::Code(ErrorCode::ApiKeyNotAllowed)),
    }
}

/// The key a request is acting through: audit and ledger rows written below name it, and the
/// audit row also the admin who created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActingKey {
    pub id: i64,
    pub created_by: Option<i64>,
}

impl From<&ApiKeyPrincipal> for ActingKey {
    fn from(p: &ApiKeyPrincipal) -> Self {
        Self {
            id: p.key_id,
            created_by: p.created_by,
        }
    }
}

tokio::task_local! {
    static CURRENT_KEY: ActingKey;
}

/// Runs a request's handling with its API key readable through [`current_key`], so audit and
/// ledger rows written anywhere below record the key without every handler passing it on.
pub async fn with_current_key<F: Future>(key: ActingKey, fut: F) -> F::Output {
    CURRENT_KEY.scope(key, fut).await
}

/// The API key the current request was authenticated with, if any.
pub fn current_key() -> Option<ActingKey> {
    CURRENT_KEY.try_with(|k| *k).ok()
}

/// The id of [`current_key`].
pub fn current_key_id() -> Option<i64> {
    current_key().map(|k| k.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_verify_and_others_do_not() {
        let (prefix, key) = generate();
        assert_eq!(prefix.len(), KEY_PREFIX.len() + PUBLIC_ID_LEN);
        assert!(key.starts_with(&format!("{prefix}_")));
        // 32 bytes in unpadded base64 are 43 characters.
        assert_eq!(key.len(), prefix.len() + 1 + 43);
        assert_eq!(parse_prefix(&key).as_deref(), Some(prefix.as_str()));
        let stored = hash(&key);
        assert!(verify(&key, &stored));
        assert!(!verify(&format!("{key}x"), &stored));
        let (_, other) = generate();
        assert_ne!(key, other);
    }

    #[test]
    fn malformed_keys_have_no_prefix() {
        for bad in [
            "",
            "mk_",
            "mk_short_secret",
            "xx_abcdefghijkl_secret",
            "mk_ABCDEFGHIJKL_secret",
            "mk_abcdefghijkl_",
            "mk_abcdefghijklsecret",
            "mk_abcdefghijkl_sec ret",
            &format!("mk_abcdefghijkl_{}", "a".repeat(200)),
        ] {
            assert_eq!(parse_prefix(bad), None, "{bad:?}");
        }
        assert_eq!(
            parse_prefix("mk_abcdefghijkl_se-c_ret").as_deref(),
            Some("mk_abcdefghijkl")
        );
    }

    #[test]
    fn current_key_is_visible_inside_the_scope_only() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            assert_eq!(current_key_id(), None);
            let key = ActingKey {
                id: 7,
                created_by: Some(3),
            };
            let inside = with_current_key(key, async { (current_key_id(), current_key()) }).await;
            assert_eq!(inside, (Some(7), Some(key)));
            assert_eq!(current_key(), None);
        });
    }
}
