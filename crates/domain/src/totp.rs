//! Two-factor sign-in (TOTP, RFC 6238) and step-up confirmation DTOs.

use serde::{Deserialize, Serialize};

/// How many recovery codes `POST /me/totp/enable` returns.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// How long a step-up confirmation lets an admin perform sensitive operations.
pub const STEP_UP_TTL_SECS: i64 = 600;

/// A new, not yet active secret (`POST /me/totp/setup`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// The shared secret in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…` for the QR code.
    pub otpauth_uri: String,
}

/// A six-digit code from the authenticator app.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpCodeRequest {
    #[cfg_attr(feature = "openapi", schema(example = "123456"))]
    pub code: String,
}

/// The recovery codes, shown once (`POST /me/totp/enable`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Turn two-factor sign-in off with the password or a current code (or recovery code).
/// Also the body of `POST /auth/step-up`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Whether two-factor sign-in is on (`GET /me/totp`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpStatus {
    pub enabled: bool,
    /// Unused recovery codes left.
    pub recovery_codes_left: i64,
}

/// The answer to a right password when the account has two-factor sign-in on: no tokens yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpChallenge {
    /// Always true.
    pub totp_required: bool,
    /// Opaque, single use, valid five minutes: send it to `POST /auth/login/totp`.
    pub challenge: String,
}

/// The second sign-in step: a TOTP code or a recovery code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpLoginRequest {
    pub challenge: String,
    pub code: String,
}

/// `POST /auth/step-up` succeeded: sensitive operations are allowed until `expires_in` seconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepUpResponse {
    pub expires_in: i64,
}
