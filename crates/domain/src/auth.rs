//! Registration, sign-in and session DTOs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::users::User;
use crate::validation::{
    validate_display_name, validate_email, validate_password, validate_username, Validator,
};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "ahmad_99",
            min_length = 3,
            max_length = 30,
            pattern = r"^[A-Za-z][A-Za-z0-9_.]*$"
        )
    )]
    pub username: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "ahmad@example.com",
            max_length = 254,
            pattern = r"^[^@\s]+@[^@.\s]+(\.[^@.\s]+)+$"
        )
    )]
    pub email: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "a-long-secret-phrase", min_length = 8, max_length = 128)
    )]
    pub password: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "أحمد", min_length = 1, max_length = 50, pattern = r"\S")
    )]
    pub display_name: String,
    /// A friend's referral code (Friend Challenge), optional.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 32, pattern = r"^[A-Za-z0-9]*$")
    )]
    pub referral_code: Option<String>,
}

impl RegisterRequest {
    /// All field errors at once, in Arabic.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        v.check("username", validate_username(&self.username))
            .check("email", validate_email(self.email.trim()))
            .check("password", validate_password(&self.password))
            .check("display_name", validate_display_name(&self.display_name));
        if let Some(code) = &self.referral_code {
            let code = code.trim();
            if !code.is_empty()
                && (code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                v.add("referral_code", "رمز الدعوة غير صحيح.");
            }
        }
        if !self.password.is_empty() && self.password.to_lowercase() == self.username.to_lowercase()
        {
            v.add("password", "يجب ألا تطابق كلمة المرور اسم المستخدم.");
        }
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Username or email.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "ahmad_99",
            min_length = 1,
            max_length = 254,
            pattern = r"\S"
        )
    )]
    pub login: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub password: String,
}

impl LoginRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.login.trim().is_empty() {
            v.add("login", "اسم المستخدم أو البريد الإلكتروني مطلوب.");
        } else if self.login.len() > crate::validation::EMAIL_MAX {
            v.add("login", "اسم المستخدم أو البريد الإلكتروني أطول من المسموح.");
        }
        if self.password.is_empty() {
            v.add("password", "كلمة المرور مطلوبة.");
        } else if self.password.chars().count() > crate::validation::PASSWORD_MAX {
            v.add("password", "كلمة المرور أطول من المسموح.");
        }
        v.finish()
    }
}

/// Answer to login, register and refresh. The refresh token travels only in an httpOnly cookie.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[cfg_attr(feature = "openapi", schema(example = 900))]
    pub expires_in: i64,
    pub user: User,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl ChangePasswordRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.current_password.is_empty() {
            v.add("current_password", "كلمة المرور الحالية مطلوبة.");
        }
        v.check("new_password", validate_password(&self.new_password));
        if !self.new_password.is_empty() && self.new_password == self.current_password {
            v.add(
                "new_password",
                "يجب أن تختلف كلمة المرور الجديدة عن الحالية.",
            );
        }
        v.finish()
    }
}

/// PATCH /me: every field optional; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 50, pattern = r"\S")
    )]
    pub display_name: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = r"^[^@\s]+@[^@.\s]+(\.[^@.\s]+)+$")
    )]
    pub email: Option<String>,
    /// `ar` or `en`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(ar|en)$"))]
    pub locale: Option<String>,
}

impl UpdateMeRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if let Some(name) = &self.display_name {
            v.check("display_name", validate_display_name(name));
        }
        if let Some(email) = &self.email {
            v.check("email", validate_email(email.trim()));
        }
        if let Some(locale) = &self.locale {
            if locale != "ar" && locale != "en" {
                v.add("locale", "اللغة يجب أن تكون ar أو en.");
            }
        }
        v.finish()
    }
}

/// `POST /auth/password-reset`: ask for a reset link by email.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "ahmad@example.com",
            max_length = 254,
            pattern = r"^[^@\s]+@[^@.\s]+(\.[^@.\s]+)+$"
        )
    )]
    pub email: String,
}

impl PasswordResetRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        v.check("email", validate_email(self.email.trim()));
        v.finish()
    }
}

/// The answer to a reset request: the same whether or not the address has an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetAccepted {
    pub message: String,
}

/// What every reset request is answered with.
pub const PASSWORD_RESET_ACCEPTED_AR: &str =
    "إذا كان هذا البريد مسجّلًا لدينا فستصلك خلال دقائق رسالة فيها رابط لتعيين كلمة مرور جديدة، صالح لمدة 30 دقيقة.";

/// `POST /auth/password-reset/confirm`: the token from the link and the new password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl PasswordResetConfirm {
    /// The password rules of registration (the username rule is checked by the server, which
    /// knows the account).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        let token = self.token.trim();
        if token.is_empty() || token.len() > 128 {
            v.add("token", crate::ErrorCode::InvalidResetToken.message_ar());
        }
        v.check("new_password", validate_password(&self.new_password));
        v.finish()
    }
}

/// One signed-in device (a refresh-token family).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Stable id of the session (its refresh-token family).
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// True for the session this request came from.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_reports_every_bad_field_at_once() {
        let req = RegisterRequest {
            username: "9".into(),
            email: "nope".into(),
            password: "short".into(),
            display_name: " ".into(),
            referral_code: Some("bad code!".into()),
        };
        let fields = req.validate().unwrap_err();
        for f in [
            "username",
            "email",
            "password",
            "display_name",
            "referral_code",
        ] {
            assert!(fields.contains_key(f), "missing {f}");
        }
    }
}
