//! Point packages and purchases. Payment happens outside the platform (bank transfer, cash…):
//! a user requests a package and gets a reference; an admin records the payment, which credits
//! the points once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::rewards::{check_text, clean_optional, double_option};
use crate::validation::Validator;

pub const PACKAGE_NAME_MAX: usize = 80;
pub const LABEL_MAX: usize = 40;
pub const POINTS_MAX: i64 = 100_000_000;
pub const PRICE_MAX: i64 = 100_000_000_000;
pub const SORT_ORDER_MAX: i64 = 100_000;
pub const PAYMENT_REFERENCE_MAX: usize = 100;
pub const PURCHASE_NOTE_MAX: usize = 500;

fn default_true() -> bool {
    true
}

/// Digits after the decimal point for a currency (ISO 4217 minor units; 2 for unlisted ones).
pub fn minor_units(currency: &str) -> u32 {
    match currency {
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "JPY" | "KRW" | "DJF" | "KMF" | "XAF" | "XOF" => 0,
        _ => 2,
    }
}

/// `2500, "SAR"` → `"25.00 SAR"`; `1500, "KWD"` → `"1.500 KWD"`.
pub fn format_price(price_minor: i64, currency: &str) -> String {
    let units = minor_units(currency);
    if units == 0 {
        return format!("{price_minor} {currency}");
    }
    let scale = 10i64.pow(units);
    let sign = if price_minor < 0 { "-" } else { "" };
    let abs = price_minor.unsigned_abs();
    let scale = scale.unsigned_abs();
    format!(
        "{sign}{}.{:0width$} {currency}",
        abs / scale,
        abs % scale,
        width = units as usize
    )
}

/// The Arabic symbol of a currency, as Arabic readers write it (the code for unlisted ones).
pub fn currency_symbol_ar(currency: &str) -> &str {
    match currency {
        "SAR" => "ر.س.",
        "AED" => "د.إ.",
        "KWD" => "د.ك.",
        "QAR" => "ر.ق.",
        "BHD" => "د.ب.",
        "OMR" => "ر.ع.",
        "JOD" => "د.أ.",
        "EGP" => "ج.م.",
        "IQD" => "د.ع.",
        "MAD" => "د.م.",
        "TND" => "د.ت.",
        "DZD" => "د.ج.",
        "LYD" => "د.ل.",
        "USD" => "US$",
        "EUR" => "€",
        other => other,
    }
}

/// The one money formatter of Arabic texts, on the server (notifications, messages) and in the
/// SPA: `999, "SAR"` → `"9.99 ر.س."`, with Western digits that the SPA converts to the reader's
/// digit style (`Fmt::text`: «٩٫٩٩ ر.س.»). `price_display` in the API stays `format_price`.
pub fn format_money(price_minor: i64, currency: &str) -> String {
    let amount = format_price(price_minor, currency);
    let number = amount.strip_suffix(currency).unwrap_or(&amount).trim_end();
    format!("{number} {}", currency_symbol_ar(currency))
}

fn check_currency(v: &mut Validator, field: &str, currency: &str) {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        v.add(
            field,
            "رمز العملة يجب أن يكون ثلاثة أحرف لاتينية مثل SAR أو USD.",
        );
    }
}

/// POST /admin/packages (and the full form behind PATCH).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PackageRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "الباقة الذهبية",
            min_length = 1,
            max_length = 80,
            pattern = r"\S"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = 1000, minimum = 1, maximum = 100_000_000)
    )]
    pub points: i64,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = 100, minimum = 0, maximum = 100_000_000)
    )]
    pub bonus_points: i64,
    /// Price in minor units (halalas, cents…).
    #[cfg_attr(
        feature = "openapi",
        schema(example = 2500, minimum = 0, maximum = 100_000_000_000_i64)
    )]
    pub price_minor: i64,
    /// ISO 4217, e.g. `SAR` (any case).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "SAR", pattern = r"^\s*[A-Za-z]{3}\s*$")
    )]
    pub currency: String,
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 80))]
    pub name_en: Option<String>,
    /// A ribbon such as «الأكثر طلبًا».
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub label: Option<String>,
    /// Lower first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = -100_000, maximum = 100_000))]
    pub sort_order: i64,
}

impl Default for PackageRequest {
    fn default() -> Self {
        Self {
            name: String::new(),
            points: 0,
            bonus_points: 0,
            price_minor: 0,
            currency: String::new(),
            active: true,
            name_en: None,
            label: None,
            sort_order: 0,
        }
    }
}

impl PackageRequest {
    pub fn normalized(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.currency = self.currency.trim().to_ascii_uppercase();
        self.name_en = clean_optional(self.name_en.as_deref());
        self.label = clean_optional(self.label.as_deref());
        self
    }

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.name.trim().is_empty() {
            v.add("name", "اسم الباقة مطلوب.");
        }
        check_text(
            &mut v,
            "name",
            Some(&self.name),
            PACKAGE_NAME_MAX,
            "يجب ألا يزيد اسم الباقة على 80 حرفًا.",
        );
        check_text(
            &mut v,
            "name_en",
            self.name_en.as_deref(),
            PACKAGE_NAME_MAX,
            "يجب ألا يزيد الاسم الإنجليزي على 80 حرفًا.",
        );
        check_text(
            &mut v,
            "label",
            self.label.as_deref(),
            LABEL_MAX,
            "يجب ألا تزيد الشارة على 40 حرفًا.",
        );
        if self.points <= 0 {
            v.add("points", "عدد النقاط يجب أن يكون أكبر من صفر.");
        } else if self.points > POINTS_MAX {
            v.add("points", "عدد النقاط أكبر من المسموح.");
        }
        if self.bonus_points < 0 {
            v.add("bonus_points", "نقاط الهدية لا يمكن أن تكون سالبة.");
        } else if self.bonus_points > POINTS_MAX {
            v.add("bonus_points", "نقاط الهدية أكبر من المسموح.");
        }
        if self.price_minor < 0 {
            v.add("price_minor", "السعر لا يمكن أن يكون سالبًا.");
        } else if self.price_minor > PRICE_MAX {
            v.add("price_minor", "السعر أكبر من المسموح.");
        }
        check_currency(&mut v, "currency", &self.currency);
        if !(-SORT_ORDER_MAX..=SORT_ORDER_MAX).contains(&self.sort_order) {
            v.add("sort_order", "ترتيب العرض يجب أن يكون بين -100000 و100000.");
        }
        v.finish()
    }
}

/// PATCH /admin/packages/{id}: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdatePackageRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 80, pattern = r"\S")
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub points: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub bonus_points: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 100_000_000_000_i64)
    )]
    pub price_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\s*[A-Za-z]{3}\s*$"))]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 80))]
    pub name_en: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 40))]
    pub label: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = -100_000, maximum = 100_000))]
    pub sort_order: Option<i64>,
}

impl UpdatePackageRequest {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    pub fn apply_to(&self, current: &PackageRequest) -> PackageRequest {
        fn pick<T: Clone>(patch: &Option<T>, current: &T) -> T {
            patch.clone().unwrap_or_else(|| current.clone())
        }
        PackageRequest {
            name: pick(&self.name, &current.name),
            points: pick(&self.points, &current.points),
            bonus_points: pick(&self.bonus_points, &current.bonus_points),
            price_minor: pick(&self.price_minor, &current.price_minor),
            currency: pick(&self.currency, &current.currency),
            active: pick(&self.active, &current.active),
            name_en: pick(&self.name_en, &current.name_en),
            label: pick(&self.label, &current.label),
            sort_order: pick(&self.sort_order, &current.sort_order),
        }
        .normalized()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Package {
    pub id: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub points: i64,
    pub bonus_points: i64,
    /// `points + bonus_points`: what the buyer receives.
    pub total_points: i64,
    pub price_minor: i64,
    pub currency: String,
    /// e.g. `25.00 SAR`.
    pub price_display: String,
    pub label: Option<String>,
    pub active: bool,
    pub sort_order: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageList {
    pub items: Vec<Package>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PurchaseStatus {
    Requested,
    Paid,
    Cancelled,
}

impl PurchaseStatus {
    pub const ALL: [PurchaseStatus; 3] = [Self::Requested, Self::Paid, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Requested => "بانتظار الدفع",
            Self::Paid => "مدفوع",
            Self::Cancelled => "ملغى",
        }
    }
}

/// POST /purchases.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub package_id: i64,
}

impl PurchaseRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.package_id <= 0 {
            v.add("package_id", "اختر باقة.");
        }
        v.finish()
    }
}

fn check_payment_reference(v: &mut Validator, value: &str) {
    let len = value.trim().chars().count();
    if len == 0 {
        v.add("payment_reference", "مرجع الدفع مطلوب.");
    } else if len > PAYMENT_REFERENCE_MAX {
        v.add("payment_reference", "يجب ألا يزيد مرجع الدفع على 100 حرف.");
    } else {
        v.text(
            "payment_reference",
            value.trim(),
            crate::text::TextKind::Line,
        );
    }
}

/// POST /admin/purchases/{id}/mark-paid.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkPaidRequest {
    /// The bank transfer number, receipt number…
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "TRX-99812",
            min_length = 1,
            max_length = 100,
            pattern = r"\S"
        )
    )]
    pub payment_reference: String,
}

impl MarkPaidRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        check_payment_reference(&mut v, &self.payment_reference);
        v.finish()
    }
}

/// POST /admin/purchases/{id}/cancel.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelPurchaseRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl CancelPurchaseRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        check_text(
            &mut v,
            "note",
            self.note.as_deref(),
            PURCHASE_NOTE_MAX,
            "يجب ألا تزيد الملاحظة على 500 حرف.",
        );
        v.finish()
    }
}

/// POST /admin/purchases: record a payment received directly, for a package or a custom amount.
/// Give `package_id`, or `points` with `price_minor` and `currency` (not both).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordPurchaseRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub user_id: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub package_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub points: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub bonus_points: Option<i64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 100_000_000_000_i64)
    )]
    pub price_minor: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\s*[A-Za-z]{3}\s*$"))]
    pub currency: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub payment_reference: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl RecordPurchaseRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.user_id <= 0 {
            v.add("user_id", "المستخدم غير صحيح.");
        }
        let custom = self.points.is_some()
            || self.bonus_points.is_some()
            || self.price_minor.is_some()
            || self.currency.is_some();
        match (self.package_id, custom) {
            (Some(_), true) => {
                v.add(
                    "package_id",
                    "اختر باقة أو أدخل نقاطًا وسعرًا مخصّصين، لا الاثنين معًا.",
                );
            }
            (Some(id), false) if id <= 0 => {
                v.add("package_id", "الباقة غير صحيحة.");
            }
            (Some(_), false) => {}
            (None, _) => {
                match self.points {
                    None => {
                        v.add("points", "اختر باقة أو أدخل عدد النقاط.");
                    }
                    Some(p) if p <= 0 => {
                        v.add("points", "عدد النقاط يجب أن يكون أكبر من صفر.");
                    }
                    Some(p) if p > POINTS_MAX => {
                        v.add("points", "عدد النقاط أكبر من المسموح.");
                    }
                    Some(_) => {}
                }
                match self.bonus_points {
                    Some(b) if b < 0 => {
                        v.add("bonus_points", "نقاط الهدية لا يمكن أن تكون سالبة.");
                    }
                    Some(b) if b > POINTS_MAX => {
                        v.add("bonus_points", "نقاط الهدية أكبر من المسموح.");
                    }
                    _ => {}
                }
                match self.price_minor {
                    None => {
                        v.add("price_minor", "المبلغ المدفوع مطلوب.");
                    }
                    Some(p) if !(0..=PRICE_MAX).contains(&p) => {
                        v.add("price_minor", "المبلغ المدفوع غير صحيح.");
                    }
                    Some(_) => {}
                }
                match self.currency.as_deref().map(str::trim) {
                    None | Some("") => {
                        v.add("currency", "رمز العملة مطلوب.");
                    }
                    Some(c) => check_currency(&mut v, "currency", &c.to_ascii_uppercase()),
                }
            }
        }
        check_payment_reference(&mut v, &self.payment_reference);
        check_text(
            &mut v,
            "note",
            self.note.as_deref(),
            PURCHASE_NOTE_MAX,
            "يجب ألا تزيد الملاحظة على 500 حرف.",
        );
        v.finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Purchase {
    pub id: i64,
    /// Human-friendly, unique: quote it with the payment (e.g. `MQ-7F3K2A`).
    pub reference: String,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub package_id: Option<i64>,
    /// The package's name; `null` for a custom amount.
    pub package_name: Option<String>,
    pub points: i64,
    pub bonus_points: i64,
    pub total_points: i64,
    pub price_minor: i64,
    pub currency: String,
    pub price_display: String,
    pub status: PurchaseStatus,
    /// Arabic label of `status`.
    pub status_label: String,
    pub payment_reference: Option<String>,
    pub note: Option<String>,
    /// The admin who recorded the payment (admins only; `null` in the user's own list).
    pub recorded_by_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchasePage {
    pub items: Vec<Purchase>,
    pub next_cursor: Option<String>,
}

/// How to pay, from the system settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentInstructions {
    pub payment_instructions: String,
    pub admin_contact: String,
}

/// The user's purchases plus how to pay for the ones still requested.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPurchasePage {
    pub items: Vec<Purchase>,
    pub next_cursor: Option<String>,
    pub payment_instructions: String,
    pub admin_contact: String,
}

/// The answer to a purchase request: the reference to quote and how to pay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseCreated {
    pub purchase: Purchase,
    pub reference: String,
    pub payment_instructions: String,
    pub admin_contact: String,
}

/// The answer to a recorded payment: the purchase and the buyer's balance after the credit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchasePaid {
    pub purchase: Purchase,
    pub points_balance: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> PackageRequest {
        PackageRequest {
            name: "ذهبية".into(),
            points: 1000,
            price_minor: 2500,
            currency: "SAR".into(),
            ..Default::default()
        }
    }

    #[test]
    fn prices_format_with_the_currency_minor_units() {
        assert_eq!(format_price(2500, "SAR"), "25.00 SAR");
        assert_eq!(format_price(5, "USD"), "0.05 USD");
        assert_eq!(format_price(1500, "KWD"), "1.500 KWD");
        assert_eq!(format_price(300, "JPY"), "300 JPY");
        assert_eq!(format_money(999, "SAR"), "9.99 ر.س.");
        assert_eq!(format_money(1500, "KWD"), "1.500 د.ك.");
        assert_eq!(format_money(300, "XYZ"), "3.00 XYZ");
    }

    #[test]
    fn package_rules_name_their_fields() {
        assert!(valid().validate().is_ok());
        let lower = PackageRequest {
            currency: "sar".into(),
            ..valid()
        }
        .normalized();
        assert_eq!(lower.currency, "SAR");
        for (req, field) in [
            (
                PackageRequest {
                    name: " ".into(),
                    ..valid()
                },
                "name",
            ),
            (
                PackageRequest {
                    points: 0,
                    ..valid()
                },
                "points",
            ),
            (
                PackageRequest {
                    bonus_points: -1,
                    ..valid()
                },
                "bonus_points",
            ),
            (
                PackageRequest {
                    price_minor: -1,
                    ..valid()
                },
                "price_minor",
            ),
            (
                PackageRequest {
                    currency: "ريال".into(),
                    ..valid()
                },
                "currency",
            ),
            (
                PackageRequest {
                    sort_order: 1_000_000,
                    ..valid()
                },
                "sort_order",
            ),
        ] {
            assert!(
                req.validate().unwrap_err().contains_key(field),
                "{field} is named"
            );
        }
    }

    #[test]
    fn a_recorded_purchase_is_a_package_or_a_custom_amount() {
        let both = RecordPurchaseRequest {
            user_id: 1,
            package_id: Some(1),
            points: Some(5),
            payment_reference: "x".into(),
            ..Default::default()
        };
        assert!(both.validate().unwrap_err().contains_key("package_id"));
        let neither = RecordPurchaseRequest {
            user_id: 1,
            payment_reference: "x".into(),
            ..Default::default()
        };
        assert!(neither.validate().unwrap_err().contains_key("points"));
        let custom = RecordPurchaseRequest {
            user_id: 1,
            points: Some(50),
            price_minor: Some(500),
            currency: Some("usd".into()),
            payment_reference: "CASH-1".into(),
            ..Default::default()
        };
        assert!(custom.validate().is_ok());
        assert!(MarkPaidRequest::default().validate().is_err());
    }
}
