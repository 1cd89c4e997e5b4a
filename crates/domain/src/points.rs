//! Points (كربتو): balances, the ledger, transfers and awards.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::text::TextKind;
use crate::validation::{validate_username, Validator};

/// Why a ledger row exists. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    CompetitionPrize,
    Participation,
    EntryFee,
    EntryFeeRefund,
    TransferIn,
    TransferOut,
    /// A transfer a fraud rule held: the sender's points go into the hold.
    TransferHold,
    /// A held transfer an admin rejected: the hold goes back to the sender.
    TransferHoldRefund,
    Redemption,
    RedemptionRefund,
    Purchase,
    ReferralBonus,
    AdminAdjustment,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 13] = [
        Self::CompetitionPrize,
        Self::Participation,
        Self::EntryFee,
        Self::EntryFeeRefund,
        Self::TransferIn,
        Self::TransferOut,
        Self::TransferHold,
        Self::TransferHoldRefund,
        Self::Redemption,
        Self::RedemptionRefund,
        Self::Purchase,
        Self::ReferralBonus,
        Self::AdminAdjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CompetitionPrize => "competition_prize",
            Self::Participation => "participation",
            Self::EntryFee => "entry_fee",
            Self::EntryFeeRefund => "entry_fee_refund",
            Self::TransferIn => "transfer_in",
            Self::TransferOut => "transfer_out",
            Self::TransferHold => "transfer_hold",
            Self::TransferHoldRefund => "transfer_hold_refund",
            Self::Redemption => "redemption",
            Self::RedemptionRefund => "redemption_refund",
            Self::Purchase => "purchase",
            Self::ReferralBonus => "referral_bonus",
            Self::AdminAdjustment => "admin_adjustment",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The Arabic label shown in histories.
    pub fn label_ar(self) -> &'static str {
        match self {
            Self::CompetitionPrize => "جائزة مسابقة",
            Self::Participation => "نقاط مشاركة",
            Self::EntryFee => "رسوم اشتراك في مسابقة",
            Self::EntryFeeRefund => "استرداد رسوم اشتراك",
            Self::TransferIn => "تحويل وارد",
            Self::TransferOut => "تحويل صادر",
            Self::TransferHold => "تحويل صادر معلّق للمراجعة",
            Self::TransferHoldRefund => "استرداد تحويل مرفوض",
            Self::Redemption => "استبدال مكافأة",
            Self::RedemptionRefund => "استرداد استبدال مكافأة",
            Self::Purchase => "شراء باقة نقاط",
            Self::ReferralBonus => "مكافأة تحدي الصديق",
            Self::AdminAdjustment => "تعديل من الإدارة",
        }
    }

    /// Whether a movement of this kind counts as points *earned by competing*: the one rule of
    /// every leaderboard and of `lifetime_earned` (docs/DECISIONS.md, "Leaderboards"). Prizes
    /// and participation points count, with their sign (a reversal lowers the score). Admin
    /// adjustments never count, either way — a welcome credit cannot put anyone on a board and
    /// a correction cannot keep them there — and neither do referral bonuses, bought,
    /// transferred or refunded points.
    pub fn is_earning(self) -> bool {
        matches!(self, Self::CompetitionPrize | Self::Participation)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balance {
    pub points_balance: i64,
    pub lifetime_earned: i64,
}

/// One ledger row. `amount` is signed: credits positive, debits negative.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    pub id: i64,
    pub amount: i64,
    pub balance_after: i64,
    pub kind: LedgerKind,
    /// Arabic label of the kind.
    pub kind_label: String,
    /// Why, in words (an admin's reason, a competition title, a transfer note…).
    pub reason: Option<String>,
    pub reference_type: Option<String>,
    pub reference_id: Option<i64>,
    /// The other side of a transfer.
    pub counterparty_username: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerPage {
    pub items: Vec<LedgerEntry>,
    pub next_cursor: Option<String>,
}

/// End-of-day balance, for the balance chart.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalancePoint {
    pub date: NaiveDate,
    pub balance: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceHistory {
    pub points: Vec<BalancePoint>,
}

pub const NOTE_MAX: usize = 200;
pub const REASON_MAX: usize = 300;
/// The largest amount one transfer, award or adjustment may move.
pub const AMOUNT_MAX: i64 = 1_000_000_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "layla",
            min_length = 3,
            max_length = 30,
            pattern = r"^[A-Za-z][A-Za-z0-9_.]*$"
        )
    )]
    pub to_username: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = 50, minimum = 1, maximum = 1_000_000_000)
    )]
    pub amount: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: Option<String>,
}

impl TransferRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if validate_username(self.to_username.trim()).is_err() {
            v.add("to_username", "اسم المستخدم المستلم غير صحيح.");
        }
        if self.amount <= 0 {
            v.add("amount", "يجب أن يكون المبلغ أكبر من صفر.");
        } else if self.amount > AMOUNT_MAX {
            v.add("amount", "المبلغ أكبر من المسموح.");
        }
        if let Some(note) = &self.note {
            if note.chars().count() > NOTE_MAX {
                v.add("note", "يجب ألا تزيد الملاحظة على 200 حرف.");
            } else {
                v.text("note", note.trim(), TextKind::Multiline);
            }
        }
        v.finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferResponse {
    /// The sender's ledger row (`transfer_out`, or `transfer_hold` when held).
    pub entry: LedgerEntry,
    /// The sender's balance after the transfer.
    pub points_balance: i64,
    pub to_username: String,
    /// `completed`: the recipient has the points. `held`: a fraud rule held the transfer for
    /// review; the points left the sender's balance and reach the recipient only if an admin
    /// releases it (a rejection refunds them).
    #[serde(default)]
    pub status: TransferStatus,
    /// The held transfer's id, when held.
    #[serde(default)]
    pub held_transfer_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    #[default]
    Completed,
    Held,
}

/// POST /admin/points/award and /admin/users/{id}/adjust: a manual credit (positive) or debit
/// (negative) with a mandatory reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub user_id: i64,
    /// Not 0: positive credits, negative debits.
    #[cfg_attr(feature = "openapi", schema(example = 100, minimum = -1_000_000_000, maximum = 1_000_000_000))]
    pub amount: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "فوز في تحدي الأسبوع",
            min_length = 1,
            max_length = 300,
            pattern = r"\S"
        )
    )]
    pub reason: String,
}

impl AwardRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.user_id <= 0 {
            v.add("user_id", "المستخدم غير صحيح.");
        }
        validate_amount(&mut v, self.amount);
        validate_reason(&mut v, &self.reason);
        v.finish()
    }
}

/// POST /admin/users/{id}/adjust.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustRequest {
    /// Not 0: positive credits, negative debits.
    #[cfg_attr(feature = "openapi", schema(minimum = -1_000_000_000, maximum = 1_000_000_000))]
    pub amount: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = r"\S")
    )]
    pub reason: String,
}

impl AdjustRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        validate_amount(&mut v, self.amount);
        validate_reason(&mut v, &self.reason);
        v.finish()
    }
}

fn validate_amount(v: &mut Validator, amount: i64) {
    if amount == 0 {
        v.add("amount", "يجب ألا يكون المبلغ صفرًا.");
    } else if amount.unsigned_abs() > AMOUNT_MAX.unsigned_abs() {
        v.add("amount", "المبلغ أكبر من المسموح.");
    }
}

fn validate_reason(v: &mut Validator, reason: &str) {
    let len = reason.trim().chars().count();
    if len == 0 {
        v.add("reason", "السبب مطلوب.");
    } else if len > REASON_MAX {
        v.add("reason", "يجب ألا يزيد السبب على 300 حرف.");
    } else {
        v.text("reason", reason.trim(), TextKind::Multiline);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerViolation {
    pub invariant: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerReport {
    pub users_checked: i64,
    pub transactions_checked: i64,
    pub violations: Vec<LedgerViolation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_have_arabic_labels() {
        for k in LedgerKind::ALL {
            assert_eq!(LedgerKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
            assert!(!k.label_ar().is_ascii());
        }
        assert!(LedgerKind::CompetitionPrize.is_earning());
        assert!(!LedgerKind::Purchase.is_earning());
        assert!(!LedgerKind::TransferIn.is_earning());
        assert!(!LedgerKind::AdminAdjustment.is_earning());
        assert!(!LedgerKind::ReferralBonus.is_earning());
    }
}
