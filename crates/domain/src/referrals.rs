//! Friend Challenge (تحدي الصديق): referrals and their review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Registered with the code; waiting for the friend's first finished competition with real
    /// activity (a paid entry fee, or a score with a right answer).
    Pending,
    /// The friend finished a competition; bonuses are being credited.
    Qualified,
    /// Both bonuses credited.
    Rewarded,
    Rejected,
    /// Held for admin review by an abuse rule; no bonus until approved.
    Flagged,
}

impl ReferralStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Qualified => "qualified",
            Self::Rewarded => "rewarded",
            Self::Rejected => "rejected",
            Self::Flagged => "flagged",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Qualified,
            Self::Rewarded,
            Self::Rejected,
            Self::Flagged,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Pending => "بانتظار أول مسابقة",
            Self::Qualified => "مؤهّل",
            Self::Rewarded => "حصلتما على المكافأة",
            Self::Rejected => "مرفوض",
            Self::Flagged => "قيد المراجعة",
        }
    }
}

/// Why a referral was flagged.
pub fn reason_label_ar(reason: &str) -> &'static str {
    match reason {
        "same_ip" => "التسجيل من عنوان الشبكة نفسه الذي يستخدمه صاحب الدعوة",
        "same_device" => "التسجيل من الجهاز نفسه الذي يستخدمه صاحب الدعوة",
        "daily_cap" => "تجاوز صاحب الدعوة الحد اليومي للدعوات",
        "referee_suspended" => "حساب الصديق موقوف",
        "funded_by_referrer" => "حوّل صاحب الدعوة نقاطًا إلى الصديق قبل تأهله",
        _ => "سبب آخر",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitedFriend {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub status: ReferralStatus,
    pub status_label: String,
    pub joined_at: DateTime<Utc>,
    pub qualified_at: Option<DateTime<Utc>>,
    /// Points the inviter earned from this friend.
    pub points_earned: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralSummary {
    /// The caller's referral code.
    pub code: String,
    /// Path of the share link (prefix with the site's origin): `/register?ref=CODE`.
    pub share_path: String,
    /// What the inviter gets per qualified friend.
    pub referrer_bonus: i64,
    /// What the friend gets.
    pub referee_bonus: i64,
    pub invited: Vec<InvitedFriend>,
    pub total_invited: i64,
    pub total_rewarded: i64,
    pub total_points_earned: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminReferral {
    pub id: i64,
    pub referrer_id: i64,
    pub referrer_username: String,
    pub referee_id: i64,
    pub referee_username: String,
    pub status: ReferralStatus,
    pub status_label: String,
    /// Abuse-rule codes (`same_ip`, `same_device`, `daily_cap`, `referee_suspended`,
    /// `funded_by_referrer`).
    pub reasons: Vec<String>,
    /// Arabic explanations of `reasons`.
    pub reason_labels: Vec<String>,
    pub ip: Option<String>,
    pub referrer_bonus: i64,
    pub referee_bonus: i64,
    pub created_at: DateTime<Utc>,
    pub qualified_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminReferralPage {
    pub items: Vec<AdminReferral>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralDecision {
    /// Optional note (shown in the audit log).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl ReferralDecision {
    pub fn validate(&self) -> Result<(), crate::FieldErrors> {
        let mut v = crate::validation::Validator::new();
        if let Some(note) = self.note.as_deref().map(str::trim) {
            if note.chars().count() > 500 {
                v.add("note", "يجب ألا تزيد الملاحظة على 500 حرف.");
            } else {
                v.text("note", note, crate::text::TextKind::Multiline);
            }
        }
        v.finish()
    }
}
