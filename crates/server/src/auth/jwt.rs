//! Short-lived HS256 access tokens carrying user id, role, token_version and session id.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use domain::ErrorCode;

pub const ISSUER: &str = "musabaqati";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    pub role: String,
    /// The user's token_version when issued; bumping it revokes every access token at once.
    pub tv: i32,
    /// Refresh-token family (the session) this token belongs to.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &str, ttl_secs: i64) -> Self {
        // Only HS256 is accepted: tokens claiming `none` or another algorithm fail to decode.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl_secs,
        }
    }

    pub fn issue(
        &self,
        user_id: i64,
        role: &str,
        token_version: i32,
        session_id: &str,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.to_owned(),
            tv: token_version,
            sid: session_id.to_owned(),
            iat: now,
            exp: now + self.ttl_secs,
            iss: ISSUER.to_owned(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("signing a JWT: {e}")))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        self.check(token).map_err(TokenFailure::error)
    }

    /// The claims of a well-formed, correctly signed, unexpired token, or why not.
    pub fn check(&self, token: &str) -> Result<Claims, TokenFailure> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenFailure::Expired,
                ErrorKind::InvalidSignature
                | ErrorKind::InvalidAlgorithm
                | ErrorKind::InvalidAlgorithmName => TokenFailure::BadSignature,
                _ => TokenFailure::Malformed,
            })
    }
}

/// Why a bearer token was refused; recorded in `token_failed_auth.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    /// Not a JWT, not ours in shape, or missing claims.
    Malformed,
    /// Signed with another key or algorithm (forged or edited).
    BadSignature,
    Expired,
    /// Correctly signed for an account that does not exist (any more).
    UnknownUser,
    /// Its session ended (logout, ended from the sessions page, reuse detected) or the account's
    /// token_version moved on (logout everywhere, password or role change).
    SessionRevoked,
    AccountSuspended,
}

impl TokenFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::BadSignature => "bad_signature",
            Self::Expired => "expired",
            Self::UnknownUser => "unknown_user",
            Self::SessionRevoked => "session_revoked",
            Self::AccountSuspended => "account_suspended",
        }
    }

    /// What the caller sees: 401 (403 for a suspended account), with a code that tells a client
    /// whether refreshing can help.
    pub fn error(self) -> ApiError {
        ApiError::Code(match self {
            Self::Malformed | Self::BadSignature | Self::UnknownUser => ErrorCode::InvalidToken,
            Self::Expired => ErrorCode::TokenExpired,
            Self::SessionRevoked => ErrorCode::SessionRevoked,
            Self::AccountSuspended => ErrorCode::AccountSuspended,
        })
    }

    /// Whether it counts towards the per-address alert. An expired token is what every idle tab
    /// sends once before it refreshes, and it proves the sender once held a valid one: recorded,
    /// not counted.
    pub fn is_suspicious(self) -> bool {
        self != Self::Expired
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip_and_wrong_key_is_rejected() {
        let keys = JwtKeys::new("k1-k1-k1-k1-k1-k1-k1-k1-k1-k1-k1-k1", 60);
        let token = keys.issue(7, "admin", 3, "fam").unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.role.as_str(), claims.tv),
            ("7", "admin", 3)
        );
        let other = JwtKeys::new("k2-k2-k2-k2-k2-k2-k2-k2-k2-k2-k2-k2", 60);
        assert_eq!(
            other.verify(&token).unwrap_err().code(),
            ErrorCode::InvalidToken
        );
        assert_eq!(other.check(&token).unwrap_err(), TokenFailure::BadSignature);
        assert_eq!(keys.check("garbage").unwrap_err(), TokenFailure::Malformed);
    }

    #[test]
    fn expired_token_reports_token_expired() {
        let keys = JwtKeys::new("secret-secret-secret-secret-secret!", -60);
        let token = keys.issue(1, "user", 0, "f").unwrap();
        assert_eq!(
            keys.verify(&token).unwrap_err().code(),
            ErrorCode::TokenExpired
        );
        assert_eq!(keys.check(&token).unwrap_err(), TokenFailure::Expired);
    }
}
