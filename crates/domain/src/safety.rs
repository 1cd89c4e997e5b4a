//! Trust and safety (issue 12): the fraud rules' flags, transfers held for review, the alert
//! inbox's subjects and actions, and what an investigator sees about one account.
//!
//! The rules themselves run on the server (`services::risk`); their thresholds are system
//! settings (`crate::settings`, keys starting with `risk_`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Session;
use crate::rewards::Redemption;

/// Why an account was flagged or an operation held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskRule {
    /// More accounts than allowed registered from one address or device in the window.
    AccountFarm,
    /// The sender made more transfers in the last hour than allowed.
    TransferVelocity,
    /// The sender sent more points in the last hour than allowed.
    TransferVolume,
    /// The recipient received from more distinct senders in the last hour than allowed.
    TransferFanIn,
    /// A young account sent more points in one transfer than allowed.
    YoungAccount,
    /// The sender's account has an open flag.
    FlaggedSender,
    /// More redemption requests in the last hour than allowed.
    RedemptionBurst,
    /// The redeeming account has an open flag.
    FlaggedRedeemer,
    /// An admin flagged the account by hand.
    Manual,
}

impl RiskRule {
    pub const ALL: [RiskRule; 9] = [
        Self::AccountFarm,
        Self::TransferVelocity,
        Self::TransferVolume,
        Self::TransferFanIn,
        Self::YoungAccount,
        Self::FlaggedSender,
        Self::RedemptionBurst,
        Self::FlaggedRedeemer,
        Self::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountFarm => "account_farm",
            Self::TransferVelocity => "transfer_velocity",
            Self::TransferVolume => "transfer_volume",
            Self::TransferFanIn => "transfer_fan_in",
            Self::YoungAccount => "young_account",
            Self::FlaggedSender => "flagged_sender",
            Self::RedemptionBurst => "redemption_burst",
            Self::FlaggedRedeemer => "flagged_redeemer",
            Self::Manual => "manual",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::AccountFarm => "حسابات كثيرة من عنوان أو جهاز واحد",
            Self::TransferVelocity => "تحويلات كثيرة خلال ساعة",
            Self::TransferVolume => "نقاط كثيرة محوّلة خلال ساعة",
            Self::TransferFanIn => "مستلم يتلقى من مرسلين كثيرين خلال ساعة",
            Self::YoungAccount => "تحويل كبير من حساب حديث",
            Self::FlaggedSender => "المرسل حساب معلَّم",
            Self::RedemptionBurst => "طلبات استبدال كثيرة خلال ساعة",
            Self::FlaggedRedeemer => "طلب استبدال من حساب معلَّم",
            Self::Manual => "تعليم يدوي من الإدارة",
        }
    }
}

/// A flag on an account: open until an admin clears it with a note.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskFlag {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub rule: RiskRule,
    pub rule_label: String,
    /// What the rule saw, in Arabic.
    pub reason: String,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub cleared_at: Option<DateTime<Utc>>,
    pub cleared_by_username: Option<String>,
    pub clear_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskFlagPage {
    pub items: Vec<RiskFlag>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HeldTransferStatus {
    /// The sender's points are in the hold; the recipient has nothing yet.
    Held,
    /// An admin released it: the recipient was credited.
    Released,
    /// An admin rejected it: the sender was refunded.
    Rejected,
}

impl HeldTransferStatus {
    pub const ALL: [HeldTransferStatus; 3] = [Self::Held, Self::Released, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::Released => "released",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Held => "معلّق للمراجعة",
            Self::Released => "أُفرج عنه",
            Self::Rejected => "مرفوض ومسترد",
        }
    }
}

/// A transfer a rule held for review.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldTransfer {
    pub id: i64,
    pub sender_id: i64,
    pub sender_username: String,
    pub recipient_id: i64,
    pub recipient_username: String,
    pub amount: i64,
    pub note: Option<String>,
    /// The rules that held it (the first is the main one).
    pub rules: Vec<RiskRule>,
    pub rule_labels: Vec<String>,
    /// What the rules saw, in Arabic.
    pub reason: String,
    pub status: HeldTransferStatus,
    pub status_label: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_username: Option<String>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldTransferPage {
    pub items: Vec<HeldTransfer>,
    pub next_cursor: Option<String>,
}

/// The body of every admin decision that takes a note: releasing or rejecting a held transfer,
/// clearing a flag (note required), flagging by hand (note required), unlocking, unblocking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskDecision {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl RiskDecision {
    /// `required`: the note must be present and non-blank.
    pub fn validate(&self, required: bool) -> Result<(), crate::FieldErrors> {
        let mut v = crate::validation::Validator::new();
        let note = self.note.as_deref().map(str::trim).unwrap_or_default();
        if required && note.is_empty() {
            v.add("note", "اكتب سبب القرار.");
        } else if note.chars().count() > 500 {
            v.add("note", "يجب ألا تزيد الملاحظة على 500 حرف.");
        } else if let Err(message) =
            crate::text::check_text(note, crate::text::TextKind::Multiline, "الملاحظة")
        {
            v.add("note", message);
        }
        v.finish()
    }

    /// Validates, then gives the trimmed note (`None` when blank).
    pub fn checked_note(&self, required: bool) -> Result<Option<String>, crate::FieldErrors> {
        self.validate(required)?;
        Ok(self.note())
    }

    /// The trimmed note, `None` when blank.
    pub fn note(&self) -> Option<String> {
        self.note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
    }
}

/// `POST /admin/blocked-addresses/unblock`: lets an address sign in and try API keys again.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnblockAddressRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub ip: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// What an alert is about; the SPA links it (`user` → the user page, and so on).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertSubject {
    /// `user`, `held_transfer`, `referral`, `api_key`, `purchase`, `redemption` or `address`.
    pub kind: String,
    /// The row's id (none for an address).
    pub id: Option<i64>,
    /// What to show, in Arabic or as the username / address itself.
    pub label: String,
}

/// One action an admin can take on an alert from the inbox. The SPA sends `method` to `path`
/// with `{"note": …}` (and `body` merged in, when given).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertAction {
    /// Stable code: `release_transfer`, `reject_transfer`, `approve_referral`,
    /// `reject_referral`, `clear_flag`, `unlock_account`, `unblock_address`, `suspend_user`,
    /// `revoke_api_key`, `mark_purchase_paid`, `cancel_purchase`.
    pub action: String,
    /// Arabic button text.
    pub label: String,
    pub method: String,
    pub path: String,
    /// Extra JSON fields the request needs besides the note.
    pub body: Option<serde_json::Value>,
    /// The action cannot be taken without a note.
    pub note_required: bool,
    /// Destructive or money-moving: the SPA asks for confirmation.
    pub danger: bool,
}

/// Counts for the admin header badge and the dashboard cards.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SafetySummary {
    pub unread_alerts: i64,
    pub open_flags: i64,
    pub held_transfers: i64,
    /// Pending redemptions a rule flagged.
    pub held_redemptions: i64,
}

/// Another account that shares something with the one investigated.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub status: String,
    /// `registration_ip`, `last_login_ip` or `device`.
    pub links: Vec<String>,
    /// Arabic labels of `links`.
    pub link_labels: Vec<String>,
    pub open_flags: i64,
    pub points_balance: i64,
    pub created_at: DateTime<Utc>,
}

/// One sign-in attempt on the account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRecord {
    pub ip: String,
    pub success: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReferral {
    pub id: i64,
    /// The other side: the friend for referrals made, the referrer for the one received.
    pub other_user_id: i64,
    pub other_username: String,
    pub status: String,
    pub status_label: String,
    pub reasons: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskCompetition {
    pub competition_id: i64,
    pub title: String,
    pub status: String,
    pub score: Option<i64>,
    pub joined_at: DateTime<Utc>,
}

/// `GET /admin/users/{id}/risk`: what an investigator needs about one account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRisk {
    pub user_id: i64,
    pub username: String,
    pub registration_ip: Option<String>,
    /// The device cookie the account registered with.
    pub device_id: Option<String>,
    pub last_login_ip: Option<String>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Newest first, at most 20.
    pub sign_ins: Vec<SignInRecord>,
    /// Sign-in is refused for this account right now (failures from several addresses).
    pub login_locked: bool,
    /// Active sessions (refresh-token families); `current` is always false here.
    pub sessions: Vec<Session>,
    pub linked_accounts: Vec<LinkedAccount>,
    /// Open and cleared, newest first.
    pub flags: Vec<RiskFlag>,
    pub referrals_made: Vec<RiskReferral>,
    pub referred_by: Option<RiskReferral>,
    /// Newest first, at most 20.
    pub competitions: Vec<RiskCompetition>,
    /// Transfers held for review, sent or to be received, newest first.
    pub held_transfers: Vec<HeldTransfer>,
    /// Pending redemptions a rule flagged.
    pub held_redemptions: Vec<Redemption>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_arabic() {
        for rule in RiskRule::ALL {
            assert_eq!(RiskRule::parse(rule.as_str()), Some(rule));
            assert!(!rule.label_ar().is_ascii());
        }
        for status in HeldTransferStatus::ALL {
            assert_eq!(HeldTransferStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(RiskRule::parse("nope"), None);
    }

    #[test]
    fn a_required_note_must_not_be_blank() {
        let blank = RiskDecision {
            note: Some("  ".into()),
        };
        assert!(blank.validate(true).is_err());
        assert!(blank.validate(false).is_ok());
        assert_eq!(blank.note(), None);
        let long = RiskDecision {
            note: Some("x".repeat(501)),
        };
        assert!(long.validate(false).is_err());
    }
}
