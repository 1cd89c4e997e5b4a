//! Rewards: the catalogue and the admin reward form with its validation. The redemption workflow
//! lives in `redemptions` and is re-exported here, so `domain::rewards::Redemption` still names it.

use chrono::{DateTime, Datelike, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::FieldErrors;
use crate::text::TextKind;
use crate::validation::Validator;

pub use crate::redemptions::*;

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2000;
pub const COST_MAX: i64 = 1_000_000_000;
pub const STOCK_MAX: i64 = 1_000_000_000;
pub const PER_USER_LIMIT_MAX: i64 = 1000;
pub const URL_MAX: usize = 500;
pub const ICON_MAX: usize = 40;
pub const CATEGORY_MAX: usize = 40;
/// A user's note on a redemption request.
pub const USER_NOTE_MAX: usize = 200;
/// An admin's note on a decision.
pub const ADMIN_NOTE_MAX: usize = 500;
/// Redemptions handled by one bulk action.
pub const BULK_MAX: usize = 100;

/// For PATCH bodies: an absent field stays `None`, an explicit `null` becomes `Some(None)`.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn default_true() -> bool {
    true
}

/// Trimmed text, `None` when empty.
pub fn clean_optional(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The length limit, then the text rules of [`crate::text`]: names, labels, icons and
/// categories are one line; descriptions and notes may span lines.
pub(crate) fn check_text(
    v: &mut Validator,
    field: &str,
    value: Option<&str>,
    max: usize,
    too_long: &str,
) {
    if let Some(text) = value {
        let text = text.trim();
        if text.chars().count() > max {
            v.add(field, too_long);
        } else {
            let kind = match field {
                "description" | "note" => TextKind::Multiline,
                _ => TextKind::Line,
            };
            v.text(field, text, kind);
        }
    }
}

/// POST /admin/rewards (and the full form behind PATCH). `stock: null` means unlimited,
/// `per_user_limit: null` means no per-user limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RewardRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "قسيمة شراء 50 ريالًا",
            min_length = 1,
            max_length = 100,
            pattern = r"\S"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    /// Points (كربتو) debited per redemption.
    #[cfg_attr(
        feature = "openapi",
        schema(example = 500, minimum = 1, maximum = 1_000_000_000)
    )]
    pub cost: i64,
    /// Items left; `null` = unlimited.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub stock: Option<i64>,
    /// Redemptions one user may hold (pending, approved or fulfilled); `null` = no limit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub per_user_limit: Option<i64>,
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name_en: Option<String>,
    /// `https://…` or a path on this site (`/assets/…`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = r"^\s*(https?://\S*|/([^/\s]\S*)?)?\s*$")
    )]
    pub image_url: Option<String>,
    /// An emoji or an icon name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub icon: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub category: Option<String>,
    #[serde(default)]
    pub available_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub available_until: Option<DateTime<Utc>>,
}

impl Default for RewardRequest {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            cost: 0,
            stock: None,
            per_user_limit: None,
            active: true,
            name_en: None,
            image_url: None,
            icon: None,
            category: None,
            available_from: None,
            available_until: None,
        }
    }
}

impl RewardRequest {
    /// Trims text and turns empty optional text into `None`.
    pub fn normalized(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.name_en = clean_optional(self.name_en.as_deref());
        self.image_url = clean_optional(self.image_url.as_deref());
        self.icon = clean_optional(self.icon.as_deref());
        self.category = clean_optional(self.category.as_deref());
        // Microseconds, like every timestamp the server writes (SQLite compares them as text).
        self.available_from = self.available_from.map(|t| t.trunc_subsecs(6));
        self.available_until = self.available_until.map(|t| t.trunc_subsecs(6));
        self
    }

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        let name = self.name.trim();
        if name.is_empty() {
            v.add("name", "اسم المكافأة مطلوب.");
        }
        check_text(
            &mut v,
            "name",
            Some(name),
            NAME_MAX,
            "يجب ألا يزيد اسم المكافأة على 100 حرف.",
        );
        check_text(
            &mut v,
            "name_en",
            self.name_en.as_deref(),
            NAME_MAX,
            "يجب ألا يزيد الاسم الإنجليزي على 100 حرف.",
        );
        check_text(
            &mut v,
            "description",
            Some(&self.description),
            DESCRIPTION_MAX,
            "يجب ألا يزيد الوصف على 2000 حرف.",
        );
        if self.cost <= 0 {
            v.add("cost", "يجب أن تكون التكلفة أكبر من صفر.");
        } else if self.cost > COST_MAX {
            v.add("cost", "التكلفة أكبر من المسموح.");
        }
        match self.stock {
            Some(s) if s < 0 => {
                v.add("stock", "لا يمكن أن تكون الكمية سالبة.");
            }
            Some(s) if s > STOCK_MAX => {
                v.add("stock", "الكمية أكبر من المسموح.");
            }
            _ => {}
        }
        if self
            .per_user_limit
            .is_some_and(|l| !(1..=PER_USER_LIMIT_MAX).contains(&l))
        {
            v.add(
                "per_user_limit",
                "حد الاستبدال لكل مستخدم يجب أن يكون بين 1 و1000، أو فارغًا لعدم التقييد.",
            );
        }
        if let Some(url) = self.image_url.as_deref().map(str::trim) {
            let scheme_ok = url.starts_with("https://")
                || url.starts_with("http://")
                || (url.starts_with('/') && !url.starts_with("//"));
            if url.chars().count() > URL_MAX {
                v.add("image_url", "رابط الصورة أطول من المسموح.");
            } else if !scheme_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                v.add(
                    "image_url",
                    "رابط الصورة يجب أن يبدأ بـ https:// أو / ولا يحتوي على مسافات.",
                );
            }
        }
        check_text(
            &mut v,
            "icon",
            self.icon.as_deref(),
            ICON_MAX,
            "يجب ألا تزيد الأيقونة على 40 حرفًا.",
        );
        check_text(
            &mut v,
            "category",
            self.category.as_deref(),
            CATEGORY_MAX,
            "يجب ألا يزيد التصنيف على 40 حرفًا.",
        );
        for (field, value) in [
            ("available_from", self.available_from),
            ("available_until", self.available_until),
        ] {
            if value.is_some_and(|t| !(2000..=9999).contains(&t.year())) {
                v.add(field, "التاريخ خارج النطاق المسموح.");
            }
        }
        if let (Some(from), Some(until)) = (self.available_from, self.available_until) {
            if until <= from {
                v.add(
                    "available_until",
                    "يجب أن يكون تاريخ انتهاء الإتاحة بعد تاريخ بدئها.",
                );
            }
        }
        v.finish()
    }
}

/// PATCH /admin/rewards/{id}: only the fields present change. Nullable fields (`stock`,
/// `per_user_limit`, `name_en`, …) are cleared with an explicit `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateRewardRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub cost: Option<i64>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000))]
    pub stock: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 1, maximum = 1000))]
    pub per_user_limit: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 100))]
    pub name_en: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 500, pattern = r"^\s*(https?://\S*|/([^/\s]\S*)?)?\s*$"))]
    pub image_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 40))]
    pub icon: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 40))]
    pub category: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub available_from: Option<Option<DateTime<Utc>>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub available_until: Option<Option<DateTime<Utc>>>,
}

impl UpdateRewardRequest {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The full form after this patch, to validate as a whole.
    pub fn apply_to(&self, current: &RewardRequest) -> RewardRequest {
        fn pick<T: Clone>(patch: &Option<T>, current: &T) -> T {
            patch.clone().unwrap_or_else(|| current.clone())
        }
        RewardRequest {
            name: pick(&self.name, &current.name),
            description: pick(&self.description, &current.description),
            cost: pick(&self.cost, &current.cost),
            stock: pick(&self.stock, &current.stock),
            per_user_limit: pick(&self.per_user_limit, &current.per_user_limit),
            active: pick(&self.active, &current.active),
            name_en: pick(&self.name_en, &current.name_en),
            image_url: pick(&self.image_url, &current.image_url),
            icon: pick(&self.icon, &current.icon),
            category: pick(&self.category, &current.category),
            available_from: pick(&self.available_from, &current.available_from),
            available_until: pick(&self.available_until, &current.available_until),
        }
        .normalized()
    }
}

/// Where a reward stands, as the admin list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardState {
    Available,
    Inactive,
    Retired,
    Scheduled,
    Expired,
    OutOfStock,
}

impl RewardState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Inactive => "inactive",
            Self::Retired => "retired",
            Self::Scheduled => "scheduled",
            Self::Expired => "expired",
            Self::OutOfStock => "out_of_stock",
        }
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Available => "متاحة",
            Self::Inactive => "موقوفة",
            Self::Retired => "مؤرشفة",
            Self::Scheduled => "لم تبدأ إتاحتها بعد",
            Self::Expired => "انتهت مدة إتاحتها",
            Self::OutOfStock => "نفدت الكمية",
        }
    }

    /// Which state a reward is in at `now` (retired first, then inactive, window, stock).
    pub fn of(
        active: bool,
        retired: bool,
        stock: Option<i64>,
        available_from: Option<DateTime<Utc>>,
        available_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        if retired {
            Self::Retired
        } else if !active {
            Self::Inactive
        } else if available_from.is_some_and(|f| now < f) {
            Self::Scheduled
        } else if available_until.is_some_and(|u| now >= u) {
            Self::Expired
        } else if stock == Some(0) {
            Self::OutOfStock
        } else {
            Self::Available
        }
    }
}

/// A reward as admins see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reward {
    pub id: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub description: String,
    pub image_url: Option<String>,
    pub icon: Option<String>,
    pub category: Option<String>,
    pub cost: i64,
    /// Items left; `null` = unlimited.
    pub stock: Option<i64>,
    pub per_user_limit: Option<i64>,
    pub active: bool,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
    pub state: RewardState,
    /// Arabic label of `state`.
    pub state_label: String,
    /// Redemptions waiting for a decision.
    pub pending_count: i64,
    /// Approved or fulfilled redemptions.
    pub approved_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardPage {
    pub items: Vec<Reward>,
    pub next_cursor: Option<String>,
}

/// A reward in the public catalogue. The personal fields (`affordable`, `points_needed`,
/// `my_redemptions`, `remaining_allowance`, `can_redeem`, `blocked_reason`) are `null` for
/// anonymous visitors.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueItem {
    pub id: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub description: String,
    pub image_url: Option<String>,
    pub icon: Option<String>,
    pub category: Option<String>,
    pub cost: i64,
    /// Items left; `null` = unlimited.
    pub stock: Option<i64>,
    pub in_stock: bool,
    pub per_user_limit: Option<i64>,
    pub available_until: Option<DateTime<Utc>>,
    /// The caller's balance covers the cost.
    pub affordable: Option<bool>,
    /// Points still missing (0 when affordable).
    pub points_needed: Option<i64>,
    /// The caller's redemptions of this reward that count toward the limit.
    pub my_redemptions: Option<i64>,
    /// Redemptions the caller may still make; `null` = no limit (or anonymous).
    pub remaining_allowance: Option<i64>,
    /// Everything allows a redemption right now.
    pub can_redeem: Option<bool>,
    /// Why not, in Arabic (for the disabled button).
    pub blocked_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CataloguePage {
    pub items: Vec<CatalogueItem>,
    pub next_cursor: Option<String>,
    /// The caller's balance (`null` when anonymous).
    pub points_balance: Option<i64>,
    /// Categories present in the catalogue, for filter chips.
    pub categories: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> RewardRequest {
        RewardRequest {
            name: "قسيمة".into(),
            cost: 100,
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_reward_is_valid_and_active_by_default() {
        let r: RewardRequest =
            serde_json::from_value(serde_json::json!({"name": "قسيمة", "cost": 10})).unwrap();
        assert!(r.active);
        assert!(r.validate().is_ok());
        assert!(valid().validate().is_ok());
    }

    #[test]
    fn every_rule_names_its_field() {
        let cases: Vec<(RewardRequest, &str)> = vec![
            (
                RewardRequest {
                    name: "  ".into(),
                    ..valid()
                },
                "name",
            ),
            (
                RewardRequest {
                    name: "ا".repeat(101),
                    ..valid()
                },
                "name",
            ),
            (RewardRequest { cost: 0, ..valid() }, "cost"),
            (
                RewardRequest {
                    cost: COST_MAX + 1,
                    ..valid()
                },
                "cost",
            ),
            (
                RewardRequest {
                    stock: Some(-1),
                    ..valid()
                },
                "stock",
            ),
            (
                RewardRequest {
                    per_user_limit: Some(0),
                    ..valid()
                },
                "per_user_limit",
            ),
            (
                RewardRequest {
                    image_url: Some("javascript:alert(1)".into()),
                    ..valid()
                },
                "image_url",
            ),
            (
                RewardRequest {
                    description: "x".repeat(2001),
                    ..valid()
                },
                "description",
            ),
            (
                RewardRequest {
                    category: Some("c".repeat(41)),
                    ..valid()
                },
                "category",
            ),
            (
                RewardRequest {
                    available_from: Some(Utc::now()),
                    available_until: Some(Utc::now() - chrono::Duration::days(1)),
                    ..valid()
                },
                "available_until",
            ),
        ];
        for (req, field) in cases {
            let errors = req.validate().expect_err(field);
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_patch_distinguishes_absent_from_null() {
        let p: UpdateRewardRequest =
            serde_json::from_value(serde_json::json!({"stock": null, "cost": 5})).unwrap();
        assert_eq!(p.stock, Some(None));
        assert_eq!(p.per_user_limit, None);
        let current = RewardRequest {
            stock: Some(3),
            per_user_limit: Some(2),
            ..valid()
        };
        let merged = p.apply_to(&current);
        assert_eq!(
            (merged.stock, merged.per_user_limit, merged.cost),
            (None, Some(2), 5)
        );
        assert!(UpdateRewardRequest::default().is_empty());
    }

    #[test]
    fn states_and_statuses_have_arabic_labels() {
        let now = Utc::now();
        assert_eq!(
            RewardState::of(true, false, Some(0), None, None, now),
            RewardState::OutOfStock
        );
        assert_eq!(
            RewardState::of(
                true,
                false,
                None,
                Some(now + chrono::Duration::hours(1)),
                None,
                now
            ),
            RewardState::Scheduled
        );
        assert_eq!(
            RewardState::of(false, true, None, None, None, now),
            RewardState::Retired
        );
    }
}
