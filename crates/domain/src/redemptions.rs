//! The redemption workflow (pending → approved → fulfilled, or pending → rejected | cancelled):
//! the participant's request, the admin's decisions one by one or in bulk, and what is shown of
//! a redemption. Re-exported by `rewards`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::rewards::{check_text, ADMIN_NOTE_MAX, BULK_MAX, USER_NOTE_MAX};
use crate::validation::Validator;

/// POST /rewards/{id}/redeem (the body is optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// A note for the admins (size, delivery details…).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: Option<String>,
}

impl RedeemRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        check_text(
            &mut v,
            "note",
            self.note.as_deref(),
            USER_NOTE_MAX,
            "يجب ألا تزيد الملاحظة على 200 حرف.",
        );
        v.finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedemptionStatus {
    Pending,
    Approved,
    Fulfilled,
    Rejected,
    Cancelled,
}

impl RedemptionStatus {
    pub const ALL: [RedemptionStatus; 5] = [
        Self::Pending,
        Self::Approved,
        Self::Fulfilled,
        Self::Rejected,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Fulfilled => "fulfilled",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Pending => "قيد المراجعة",
            Self::Approved => "تمت الموافقة",
            Self::Fulfilled => "تم التسليم",
            Self::Rejected => "مرفوض",
            Self::Cancelled => "ملغى",
        }
    }

    /// Whether a redemption in this status counts toward the per-user limit.
    pub fn counts_toward_limit(self) -> bool {
        !matches!(self, Self::Rejected | Self::Cancelled)
    }
}

/// One step of a redemption's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineStep {
    /// The status reached at this step.
    pub status: RedemptionStatus,
    /// Arabic description of the step.
    pub label: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redemption {
    pub id: i64,
    pub reward_id: i64,
    pub reward_name: String,
    pub reward_icon: Option<String>,
    pub reward_image_url: Option<String>,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// Points debited at request time (refunded in full on rejection or cancellation).
    pub cost: i64,
    pub status: RedemptionStatus,
    /// Arabic label of `status`.
    pub status_label: String,
    pub user_note: Option<String>,
    pub admin_note: Option<String>,
    /// Who decided (admins only; `null` in the user's own list).
    pub decided_by_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub fulfilled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The history, oldest first.
    pub timeline: Vec<TimelineStep>,
    /// The owner may still cancel it.
    pub can_cancel: bool,
    /// Why a fraud rule held it for a closer look (admins only; `null` in the user's own list
    /// and when no rule fired).
    #[serde(default)]
    pub risk_reason: Option<String>,
}

impl Redemption {
    /// Builds the timeline from the timestamps.
    pub fn build_timeline(&mut self) {
        let mut steps = vec![TimelineStep {
            status: RedemptionStatus::Pending,
            label: "أُرسل طلب الاستبدال".into(),
            at: self.created_at,
            note: self.user_note.clone(),
        }];
        if let Some(at) = self.decided_at {
            let rejected = self.status == RedemptionStatus::Rejected;
            steps.push(TimelineStep {
                status: if rejected {
                    RedemptionStatus::Rejected
                } else {
                    RedemptionStatus::Approved
                },
                label: if rejected {
                    "رُفض الطلب وأُعيدت النقاط".into()
                } else {
                    "وافقت الإدارة على الطلب".into()
                },
                at,
                note: self.admin_note.clone(),
            });
        }
        if let Some(at) = self.fulfilled_at {
            steps.push(TimelineStep {
                status: RedemptionStatus::Fulfilled,
                label: "سُلّمت المكافأة".into(),
                at,
                note: None,
            });
        }
        if let Some(at) = self.cancelled_at {
            steps.push(TimelineStep {
                status: RedemptionStatus::Cancelled,
                label: "أُلغي الطلب وأُعيدت النقاط".into(),
                at,
                note: None,
            });
        }
        self.timeline = steps;
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionPage {
    pub items: Vec<Redemption>,
    pub next_cursor: Option<String>,
}

/// The answer to a redemption: the request and the balance after the debit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedeemResponse {
    pub redemption: Redemption,
    pub points_balance: i64,
}

/// Approve / fulfil (note optional) and reject (note required).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Required (not blank) when rejecting.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl DecisionRequest {
    pub fn validate(&self, note_required: bool) -> Result<(), FieldErrors> {
        validate_admin_note(self.note.as_deref(), note_required)
    }
}

fn validate_admin_note(note: Option<&str>, required: bool) -> Result<(), FieldErrors> {
    let mut v = Validator::new();
    if required && note.is_none_or(|n| n.trim().is_empty()) {
        v.add("note", "سبب الرفض مطلوب.");
    }
    check_text(
        &mut v,
        "note",
        note,
        ADMIN_NOTE_MAX,
        "يجب ألا تزيد الملاحظة على 500 حرف.",
    );
    v.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Approve,
    Reject,
}

/// POST /admin/redemptions/bulk.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkDecisionRequest {
    /// Redemption ids (positive, each once).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub ids: Vec<i64>,
    pub action: BulkAction,
    /// Required (not blank) when rejecting.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl BulkDecisionRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut fields =
            match validate_admin_note(self.note.as_deref(), self.action == BulkAction::Reject) {
                Ok(()) => FieldErrors::new(),
                Err(f) => f,
            };
        let mut seen = std::collections::BTreeSet::new();
        if self.ids.is_empty() {
            fields.insert("ids".into(), "اختر طلبًا واحدًا على الأقل.".into());
        } else if self.ids.len() > BULK_MAX {
            fields.insert(
                "ids".into(),
                "يمكن معالجة 100 طلب على الأكثر في المرة الواحدة.".into(),
            );
        } else if self.ids.iter().any(|id| *id <= 0 || !seen.insert(*id)) {
            fields.insert(
                "ids".into(),
                "قائمة الطلبات فيها معرّف غير صالح أو مكرر.".into(),
            );
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(fields)
        }
    }
}

/// The outcome for one id of a bulk action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkItemResult {
    pub id: i64,
    pub ok: bool,
    /// The status after the action (when it succeeded).
    pub status: Option<RedemptionStatus>,
    /// Error code when it failed (e.g. `invalid_transition`, `not_found`).
    pub error_code: Option<String>,
    /// Arabic error message when it failed.
    pub error_message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkDecisionResponse {
    pub succeeded: usize,
    pub failed: usize,
    pub results: Vec<BulkItemResult>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_needs_a_note_and_bulk_ids_are_checked() {
        assert!(DecisionRequest { note: None }.validate(true).is_err());
        assert!(DecisionRequest { note: None }.validate(false).is_ok());
        let bulk = BulkDecisionRequest {
            ids: vec![1, 1],
            action: BulkAction::Approve,
            note: None,
        };
        assert!(bulk.validate().unwrap_err().contains_key("ids"));
        let bulk = BulkDecisionRequest {
            ids: vec![1],
            action: BulkAction::Reject,
            note: Some(" ".into()),
        };
        assert!(bulk.validate().unwrap_err().contains_key("note"));
    }

    #[test]
    fn statuses_have_arabic_labels() {
        for s in RedemptionStatus::ALL {
            assert_eq!(RedemptionStatus::parse(s.as_str()), Some(s));
            assert!(!s.label_ar().is_ascii());
        }
    }
}
