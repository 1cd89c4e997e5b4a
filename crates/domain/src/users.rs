//! Users as the API shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::validation::{validate_display_name, validate_email, validate_username, Validator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "user" => Some(Self::User),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Suspended,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// A user account as its owner (and admins) see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    /// Unique handle, compared case-insensitively.
    #[cfg_attr(feature = "openapi", schema(example = "ahmad_99"))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(example = "أحمد"))]
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub status: UserStatus,
    /// Spendable points (كربتو). Never negative.
    pub points_balance: i64,
    /// Points ever earned; leaderboards rank by this, not by the balance.
    pub lifetime_earned: i64,
    /// Code friends use to register through the Friend Challenge.
    pub referral_code: String,
    /// `ar` or `en`.
    pub locale: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Whether the current email address was confirmed through a link sent to it. With the
    /// `email_verification_required` setting on, an unverified account cannot join paid
    /// competitions, redeem rewards or transfer points (403 `email_not_verified`).
    #[serde(default)]
    pub email_verified: bool,
}

/// PATCH /admin/users/{id}: change a user's role, status, display name, username or email.
/// Absent fields stay as they are; a change to the name, username or email needs a `note`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUserRequest {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub status: Option<UserStatus>,
    /// Why (kept in the audit log), e.g. when suspending from an alert. Required when the display
    /// name, username or email changes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
    /// The same rules as at registration.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 50, pattern = r"\S")
    )]
    pub display_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 30, pattern = r"^[A-Za-z][A-Za-z0-9_.]*$")
    )]
    pub username: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = r"^[^@\s]+@[^@.\s]+(\.[^@.\s]+)+$")
    )]
    pub email: Option<String>,
}

impl AdminUpdateUserRequest {
    /// Whether the request touches the account's identity (name, username, email).
    pub fn edits_identity(&self) -> bool {
        self.display_name.is_some() || self.username.is_some() || self.email.is_some()
    }

    /// The field rules of registration for the identity fields, and the note's rules (length,
    /// text) — in Arabic, all at once. Whether the note is required depends on what actually
    /// changes, which only the server knows.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if let Some(name) = &self.display_name {
            v.check("display_name", validate_display_name(name));
        }
        if let Some(username) = &self.username {
            v.check("username", validate_username(username));
        }
        if let Some(email) = &self.email {
            v.check("email", validate_email(email.trim()));
        }
        let mut errors = v.finish().err().unwrap_or_default();
        if let Err(note) = (crate::safety::RiskDecision {
            note: self.note.clone(),
        })
        .validate(false)
        {
            errors.extend(note);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// `POST /admin/users/{id}/password-reset`: a one-time link an admin hands to the user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminResetLink {
    /// Open once to set a new password; shown only in this answer.
    pub link: String,
    pub expires_at: DateTime<Utc>,
}
