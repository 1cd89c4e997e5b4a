//! Email verification and the owner's data rights (issue 15, items 3 and 7): confirming an
//! address, downloading one's data, deleting one's account.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::packages::Purchase;
use crate::points::LedgerEntry;
use crate::referrals::InvitedFriend;
use crate::rewards::Redemption;
use crate::users::User;
use crate::validation::Validator;

/// `POST /auth/verify-email`: the token from the link.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
}

impl VerifyEmailRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        let token = self.token.trim();
        if token.is_empty() || token.len() > 128 {
            v.add(
                "token",
                crate::ErrorCode::InvalidVerificationToken.message_ar(),
            );
        }
        v.finish()
    }
}

/// The address a link confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailVerified {
    pub email: String,
    pub verified_at: DateTime<Utc>,
}

/// `POST /me/email/verification`: where the new link went and until when it works.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationSent {
    pub sent_to: String,
    pub expires_at: DateTime<Utc>,
}

/// `DELETE /me`: the password, and a two-factor code when two-factor sign-in is on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub password: String,
    /// A current TOTP code or an unused recovery code (required when TOTP is enabled).
    #[serde(default)]
    pub totp_code: Option<String>,
}

impl DeleteAccountRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.password.is_empty() || self.password.len() > 128 {
            v.add("password", "اكتب كلمة المرور لتأكيد حذف الحساب.");
        }
        if self.totp_code.as_deref().is_some_and(|c| c.len() > 64) {
            v.add("totp_code", "رمز التحقق أطول من المسموح.");
        }
        v.finish()
    }
}

/// A chat message the owner sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedMessage {
    pub id: i64,
    pub room_id: i64,
    /// The room's name (`None` for direct conversations).
    pub room_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Removed from the room (by the owner or a moderator); the text is still the owner's.
    pub deleted: bool,
}

/// The owner's side of the Friend Challenge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedReferrals {
    pub code: String,
    /// Username of who invited the owner, if anyone did.
    pub referred_by: Option<String>,
    pub invited: Vec<InvitedFriend>,
}

/// `GET /me/export`: everything the platform keeps about the signed-in account, as one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataExport {
    /// `musabaqati-data-export/1`.
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub profile: User,
    /// Every ledger row, oldest first.
    pub ledger: Vec<LedgerEntry>,
    pub redemptions: Vec<Redemption>,
    pub purchases: Vec<Purchase>,
    pub chat_messages: Vec<ExportedMessage>,
    pub referrals: ExportedReferrals,
}

pub const EXPORT_FORMAT: &str = "musabaqati-data-export/1";
