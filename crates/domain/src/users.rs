//! Users as the API shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
}

/// PATCH /admin/users/{id}: change a user's role and/or status.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUserRequest {
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    /// Why (kept in the audit log), e.g. when suspending from an alert.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}
