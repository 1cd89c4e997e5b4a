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
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::Code(ErrorCode::TokenExpired),
                _ => ApiError::Code(ErrorCode::InvalidToken),
            })
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
    }

    #[test]
    fn expired_token_reports_token_expired() {
        let keys = JwtKeys::new("secret-secret-secret-secret-secret!", -60);
        let token = keys.issue(1, "user", 0, "f").unwrap();
        assert_eq!(
            keys.verify(&token).unwrap_err().code(),
            ErrorCode::TokenExpired
        );
    }
}
