//! System settings: every known key with its type, range, default and Arabic label. The server
//! validates `PUT /admin/settings` with these rules and the SPA renders and checks its form with
//! the same ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const PAYMENT_INSTRUCTIONS: &str = "payment_instructions";
pub const ADMIN_CONTACT: &str = "admin_contact";
pub const TRANSFER_DAILY_LIMIT: &str = "transfer_daily_limit";
pub const REFERRAL_REFERRER_BONUS: &str = "referral_referrer_bonus";
pub const REFERRAL_REFEREE_BONUS: &str = "referral_referee_bonus";
pub const REFERRAL_DAILY_CAP: &str = "referral_daily_cap";
pub const REFERRAL_MIN_SCORE: &str = "referral_min_score";
pub const PURCHASE_OPEN_LIMIT: &str = "purchase_open_limit";
pub const PURCHASE_DAILY_LIMIT: &str = "purchase_daily_limit";
pub const REGISTRATION_OPEN: &str = "registration_open";
pub const WEEK_START: &str = "week_start";
pub const DIGITS: &str = "digits";
pub const API_KEY_FAILURES_PER_IP: &str = "api_key_failures_per_ip";
pub const API_KEY_FAILURE_WINDOW_MINUTES: &str = "api_key_failure_window_minutes";
pub const RISK_FARM_ENABLED: &str = "risk_farm_enabled";
pub const RISK_FARM_MAX_ACCOUNTS: &str = "risk_farm_max_accounts";
pub const RISK_FARM_WINDOW_HOURS: &str = "risk_farm_window_hours";
pub const RISK_TRANSFER_ENABLED: &str = "risk_transfer_enabled";
pub const RISK_TRANSFER_MAX_PER_HOUR: &str = "risk_transfer_max_per_hour";
pub const RISK_TRANSFER_MAX_POINTS_PER_HOUR: &str = "risk_transfer_max_points_per_hour";
pub const RISK_FAN_IN_MAX_SENDERS: &str = "risk_fan_in_max_senders";
pub const RISK_YOUNG_ACCOUNT_DAYS: &str = "risk_young_account_days";
pub const RISK_YOUNG_ACCOUNT_MAX_POINTS: &str = "risk_young_account_max_points";
pub const RISK_REDEMPTION_ENABLED: &str = "risk_redemption_enabled";
pub const RISK_REDEMPTION_MAX_PER_HOUR: &str = "risk_redemption_max_per_hour";
pub const ADMIN_TOTP_REQUIRED: &str = "admin_totp_required";
pub const STEP_UP_POINTS_THRESHOLD: &str = "step_up_points_threshold";
pub const EMAIL_VERIFICATION_REQUIRED: &str = "email_verification_required";

/// The fraud rules' settings, in the order the admin settings page groups them.
pub const RISK_KEYS: [&str; 11] = [
    RISK_FARM_ENABLED,
    RISK_FARM_MAX_ACCOUNTS,
    RISK_FARM_WINDOW_HOURS,
    RISK_TRANSFER_ENABLED,
    RISK_TRANSFER_MAX_PER_HOUR,
    RISK_TRANSFER_MAX_POINTS_PER_HOUR,
    RISK_FAN_IN_MAX_SENDERS,
    RISK_YOUNG_ACCOUNT_DAYS,
    RISK_YOUNG_ACCOUNT_MAX_POINTS,
    RISK_REDEMPTION_ENABLED,
    RISK_REDEMPTION_MAX_PER_HOUR,
];

/// The value type and allowed range of a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingType {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Text {
        max_len: usize,
        multiline: bool,
    },
    /// One of these values (value, Arabic label).
    Choice(&'static [(&'static str, &'static str)]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingDefault {
    Bool(bool),
    Int(i64),
    Text(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub ty: SettingType,
    pub default: SettingDefault,
    /// Served without sign-in by `GET /settings/public`.
    pub public: bool,
}

const WEEK_DAYS: &[(&str, &str)] = &[
    ("saturday", "السبت"),
    ("sunday", "الأحد"),
    ("monday", "الاثنين"),
];
const DIGIT_STYLES: &[(&str, &str)] = &[
    ("arab", "أرقام عربية (٠١٢٣)"),
    ("latn", "أرقام لاتينية (0123)"),
];

pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: REGISTRATION_OPEN,
        label: "التسجيل مفتوح",
        description: "السماح بإنشاء حسابات جديدة.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(true),
        public: true,
    },
    SettingDef {
        key: PAYMENT_INSTRUCTIONS,
        label: "تعليمات الدفع",
        description: "تظهر للمستخدم بعد طلب شراء باقة نقاط.",
        ty: SettingType::Text {
            max_len: 2000,
            multiline: true,
        },
        default: SettingDefault::Text(
            "حوّل قيمة الباقة إلى حساب المنصة واكتب رقم الطلب في ملاحظة التحويل، ثم راسل الإدارة بإيصال الدفع.",
        ),
        public: false,
    },
    SettingDef {
        key: ADMIN_CONTACT,
        label: "وسيلة التواصل مع الإدارة",
        description: "بريد أو رقم هاتف يظهر مع تعليمات الدفع وفي صفحات المساعدة.",
        ty: SettingType::Text {
            max_len: 200,
            multiline: false,
        },
        default: SettingDefault::Text(""),
        public: true,
    },
    SettingDef {
        key: TRANSFER_DAILY_LIMIT,
        label: "الحد اليومي للتحويلات",
        description: "أقصى عدد من النقاط يرسله المستخدم إلى غيره في اليوم (بتوقيت UTC).",
        ty: SettingType::Int {
            min: 0,
            max: 1_000_000_000,
        },
        default: SettingDefault::Int(1000),
        public: false,
    },
    SettingDef {
        key: REFERRAL_REFERRER_BONUS,
        label: "مكافأة الداعي",
        description: "النقاط التي يحصل عليها صاحب رمز الدعوة عند تأهل صديقه.",
        ty: SettingType::Int {
            min: 0,
            max: 1_000_000,
        },
        default: SettingDefault::Int(50),
        public: false,
    },
    SettingDef {
        key: REFERRAL_REFEREE_BONUS,
        label: "مكافأة المدعو",
        description: "النقاط التي يحصل عليها الصديق المدعو عند تأهله.",
        ty: SettingType::Int {
            min: 0,
            max: 1_000_000,
        },
        default: SettingDefault::Int(25),
        public: false,
    },
    SettingDef {
        key: REFERRAL_DAILY_CAP,
        label: "الحد اليومي لمكافآت الدعوة",
        description: "أقصى عدد من الدعوات المكافأة لكل مستخدم في اليوم؛ ما زاد يُحال إلى المراجعة.",
        ty: SettingType::Int {
            min: 0,
            max: 100_000,
        },
        default: SettingDefault::Int(10),
        public: false,
    },
    SettingDef {
        key: REFERRAL_MIN_SCORE,
        label: "أدنى درجة لتأهل دعوة الصديق",
        description: "يتأهل الصديق حين تُعتمد نتيجة مسابقة له بهذه الدرجة أو أعلى مع إجابة صحيحة واحدة على الأقل، أو حين يشترك في مسابقة برسوم؛ التسليم الفارغ لا يؤهل.",
        ty: SettingType::Int {
            min: 1,
            max: 1_000_000,
        },
        default: SettingDefault::Int(1),
        public: false,
    },
    SettingDef {
        key: PURCHASE_OPEN_LIMIT,
        label: "حد طلبات الشراء المفتوحة لكل مستخدم",
        description: "أقصى عدد من طلبات شراء الباقات بانتظار الدفع لكل مستخدم؛ يطلب باقة أخرى بعد دفع أحدها أو إلغائه.",
        ty: SettingType::Int { min: 1, max: 100 },
        default: SettingDefault::Int(3),
        public: false,
    },
    SettingDef {
        key: PURCHASE_DAILY_LIMIT,
        label: "حد طلبات الشراء اليومي لكل مستخدم",
        description: "أقصى عدد من طلبات شراء الباقات يرسلها المستخدم خلال 24 ساعة، مدفوعة أو ملغاة أو مفتوحة.",
        ty: SettingType::Int { min: 1, max: 1000 },
        default: SettingDefault::Int(10),
        public: false,
    },
    SettingDef {
        key: WEEK_START,
        label: "أول أيام الأسبوع",
        description: "بداية الأسبوع في لوحة المتصدرين الأسبوعية.",
        ty: SettingType::Choice(WEEK_DAYS),
        default: SettingDefault::Text("saturday"),
        public: true,
    },
    SettingDef {
        key: DIGITS,
        label: "نمط الأرقام الافتراضي",
        description: "طريقة عرض الأرقام في الواجهة لمن لم يختر نمطًا.",
        ty: SettingType::Choice(DIGIT_STYLES),
        default: SettingDefault::Text("arab"),
        public: true,
    },
    SettingDef {
        key: API_KEY_FAILURES_PER_IP,
        label: "حد محاولات مفاتيح الربط الفاشلة لكل عنوان",
        description: "عدد المحاولات بمفاتيح ربط غير صالحة من عنوان واحد خلال المدة أدناه قبل حظر العنوان مؤقتًا وتنبيه الإدارة.",
        ty: SettingType::Int { min: 1, max: 10_000 },
        default: SettingDefault::Int(20),
        public: false,
    },
    SettingDef {
        key: API_KEY_FAILURE_WINDOW_MINUTES,
        label: "مدة احتساب محاولات مفاتيح الربط الفاشلة (بالدقائق)",
        description: "تُحتسب المحاولات الفاشلة خلال هذه المدة، ويبقى العنوان محظورًا حتى تخرج أقدم محاولة محتسبة منها.",
        ty: SettingType::Int { min: 1, max: 1440 },
        default: SettingDefault::Int(10),
        public: false,
    },
    // Fraud rules (issue 12; defaults and why in docs/SAFETY.md).
    SettingDef {
        key: RISK_FARM_ENABLED,
        label: "رصد مزارع الحسابات",
        description: "تعليم الحساب الجديد وتنبيه الإدارة حين تُنشأ حسابات كثيرة من عنوان واحد أو جهاز واحد.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(true),
        public: false,
    },
    SettingDef {
        key: RISK_FARM_MAX_ACCOUNTS,
        label: "أقصى عدد حسابات من عنوان أو جهاز واحد",
        description: "ما زاد على هذا العدد خلال المدة أدناه يُعلَّم، ويصل تنبيه واحد لكل مجموعة.",
        ty: SettingType::Int { min: 1, max: 1000 },
        default: SettingDefault::Int(3),
        public: false,
    },
    SettingDef {
        key: RISK_FARM_WINDOW_HOURS,
        label: "مدة رصد مزارع الحسابات (بالساعات)",
        description: "تُحتسب الحسابات المنشأة من العنوان أو الجهاز نفسه خلال هذه المدة.",
        ty: SettingType::Int { min: 1, max: 720 },
        default: SettingDefault::Int(24),
        public: false,
    },
    SettingDef {
        key: RISK_TRANSFER_ENABLED,
        label: "مراجعة التحويلات المريبة",
        description: "تعليق التحويلات التي تتجاوز الحدود أدناه حتى يراجعها مشرف: تُخصم النقاط من المرسل فورًا ولا تصل المستلم إلا بعد الإفراج.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(true),
        public: false,
    },
    SettingDef {
        key: RISK_TRANSFER_MAX_PER_HOUR,
        label: "أقصى عدد تحويلات للمرسل في الساعة",
        description: "التحويل الذي يتجاوز هذا العدد خلال ساعة يُعلَّق للمراجعة.",
        ty: SettingType::Int { min: 1, max: 10_000 },
        default: SettingDefault::Int(10),
        public: false,
    },
    SettingDef {
        key: RISK_TRANSFER_MAX_POINTS_PER_HOUR,
        label: "أقصى نقاط يرسلها المستخدم في الساعة",
        description: "التحويل الذي يتجاوز به المرسل هذا المجموع خلال ساعة يُعلَّق للمراجعة.",
        ty: SettingType::Int {
            min: 1,
            max: 1_000_000_000,
        },
        default: SettingDefault::Int(500),
        public: false,
    },
    SettingDef {
        key: RISK_FAN_IN_MAX_SENDERS,
        label: "أقصى عدد مرسلين مختلفين إلى مستلم واحد في الساعة",
        description: "التحويل من مرسل جديد يتجاوز به المستلم هذا العدد خلال ساعة يُعلَّق للمراجعة.",
        ty: SettingType::Int { min: 1, max: 10_000 },
        default: SettingDefault::Int(3),
        public: false,
    },
    SettingDef {
        key: RISK_YOUNG_ACCOUNT_DAYS,
        label: "عمر الحساب الحديث (بالأيام)",
        description: "الحساب الأحدث من هذا العمر لا يرسل في تحويل واحد أكثر من الحد أدناه دون مراجعة.",
        ty: SettingType::Int { min: 0, max: 365 },
        default: SettingDefault::Int(7),
        public: false,
    },
    SettingDef {
        key: RISK_YOUNG_ACCOUNT_MAX_POINTS,
        label: "أقصى تحويل من حساب حديث",
        description: "تحويل أكبر من هذا من حساب حديث يُعلَّق للمراجعة.",
        ty: SettingType::Int {
            min: 1,
            max: 1_000_000_000,
        },
        default: SettingDefault::Int(200),
        public: false,
    },
    SettingDef {
        key: RISK_REDEMPTION_ENABLED,
        label: "رصد موجات الاستبدال",
        description: "تعليم طلبات الاستبدال الكثيرة أو الصادرة من حساب معلَّم في قائمة المراجعة وتنبيه الإدارة.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(true),
        public: false,
    },
    SettingDef {
        key: RISK_REDEMPTION_MAX_PER_HOUR,
        label: "أقصى طلبات استبدال للمستخدم في الساعة",
        description: "الطلب الذي يتجاوز هذا العدد خلال ساعة يُعلَّم في قائمة المراجعة.",
        ty: SettingType::Int { min: 1, max: 1000 },
        default: SettingDefault::Int(5),
        public: false,
    },
    SettingDef {
        key: ADMIN_TOTP_REQUIRED,
        label: "إلزام المشرفين بالتحقق بخطوتين",
        description: "عند التفعيل يُرفض كل طلب إداري من مشرف لم يفعّل التحقق بخطوتين حتى يفعّله من ملفه الشخصي.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(false),
        public: false,
    },
    SettingDef {
        key: STEP_UP_POINTS_THRESHOLD,
        label: "حد النقاط الذي يتطلب تأكيد الهوية",
        description: "منح أو خصم أكثر من هذا العدد من النقاط يتطلب تأكيدًا حديثًا برمز التحقق أو بكلمة المرور.",
        ty: SettingType::Int {
            min: 0,
            max: 1_000_000_000,
        },
        default: SettingDefault::Int(1000),
        public: false,
    },
    SettingDef {
        key: EMAIL_VERIFICATION_REQUIRED,
        label: "اشتراط تأكيد البريد الإلكتروني",
        description: "عند التفعيل لا ينضم المستخدم إلى مسابقة برسوم ولا يستبدل مكافأة ولا يحوّل نقاطًا حتى يؤكّد بريده من الرابط المرسل إليه. الحسابات التي سبقت هذه الميزة تُعدّ مؤكَّدة.",
        ty: SettingType::Bool,
        default: SettingDefault::Bool(false),
        public: true,
    },
];

pub fn find(key: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|d| d.key == key)
}

impl SettingDef {
    pub fn default_value(&self) -> Value {
        match self.default {
            SettingDefault::Bool(b) => Value::Bool(b),
            SettingDefault::Int(n) => Value::from(n),
            SettingDefault::Text(t) => Value::from(t),
        }
    }

    /// Checks a new value and returns it as stored (text trimmed).
    pub fn validate(&self, value: &Value) -> Result<Value, String> {
        match self.ty {
            SettingType::Bool => value
                .as_bool()
                .map(Value::Bool)
                .ok_or_else(|| "القيمة يجب أن تكون true أو false.".to_owned()),
            SettingType::Int { min, max } => match value.as_i64() {
                Some(n) if (min..=max).contains(&n) => Ok(Value::from(n)),
                Some(_) => Err(format!("القيمة يجب أن تكون بين {min} و{max}.")),
                None => Err("القيمة يجب أن تكون عددًا صحيحًا.".to_owned()),
            },
            SettingType::Text { max_len, multiline } => {
                let Some(text) = value.as_str() else {
                    return Err("القيمة يجب أن تكون نصًا.".to_owned());
                };
                let text = text.trim().replace("\r\n", "\n");
                if text.chars().count() > max_len {
                    return Err(format!("يجب ألا يزيد النص على {max_len} حرف."));
                }
                let kind = if multiline {
                    crate::text::TextKind::Multiline
                } else {
                    crate::text::TextKind::Line
                };
                crate::text::check_text(&text, kind, self.label)?;
                Ok(Value::from(text))
            }
            SettingType::Choice(choices) => match value.as_str() {
                Some(v) if choices.iter().any(|(c, _)| *c == v) => Ok(Value::from(v)),
                _ => Err(format!(
                    "القيمة يجب أن تكون إحدى: {}.",
                    choices
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join("، ")
                )),
            },
        }
    }

    pub fn kind(&self) -> SettingKind {
        match self.ty {
            SettingType::Bool => SettingKind::Bool,
            SettingType::Int { .. } => SettingKind::Int,
            SettingType::Text { .. } => SettingKind::Text,
            SettingType::Choice(_) => SettingKind::Choice,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SettingKind {
    Bool,
    Int,
    Text,
    Choice,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingChoice {
    pub value: String,
    pub label: String,
}

/// One setting as the admin settings page renders it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingItem {
    pub key: String,
    /// Arabic label.
    pub label: String,
    /// Arabic help text.
    pub description: String,
    pub kind: SettingKind,
    pub value: Value,
    pub default: Value,
    pub is_default: bool,
    /// For `choice` settings.
    pub choices: Vec<SettingChoice>,
    /// For `int` settings.
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// For `text` settings.
    pub max_length: Option<usize>,
    pub multiline: bool,
    /// Served to everyone by `GET /settings/public`.
    pub public: bool,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by_username: Option<String>,
}

impl SettingItem {
    /// The item for `def` with its current value (`None` = never set).
    pub fn new(def: &SettingDef, current: Option<Value>) -> Self {
        let default = def.default_value();
        let value = current.unwrap_or_else(|| default.clone());
        let (min, max) = match def.ty {
            SettingType::Int { min, max } => (Some(min), Some(max)),
            _ => (None, None),
        };
        let (max_length, multiline) = match def.ty {
            SettingType::Text { max_len, multiline } => (Some(max_len), multiline),
            _ => (None, false),
        };
        let choices = match def.ty {
            SettingType::Choice(c) => c
                .iter()
                .map(|(value, label)| SettingChoice {
                    value: (*value).to_owned(),
                    label: (*label).to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            key: def.key.to_owned(),
            label: def.label.to_owned(),
            description: def.description.to_owned(),
            kind: def.kind(),
            is_default: value == default,
            value,
            default,
            choices,
            min,
            max,
            max_length,
            multiline,
            public: def.public,
            updated_at: None,
            updated_by_username: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsList {
    pub items: Vec<SettingItem>,
}

/// What the SPA needs before sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSettings {
    pub registration_open: bool,
    /// `arab` or `latn`: the default digit style.
    pub digits: String,
    /// `saturday`, `sunday` or `monday`.
    pub week_start: String,
    pub admin_contact: String,
    /// Whether unverified accounts are refused paid joins, redemptions and transfers (the SPA
    /// then shows a banner with a resend button).
    #[serde(default)]
    pub email_verification_required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_default_passes_its_own_rule_and_keys_are_unique() {
        let mut keys = std::collections::BTreeSet::new();
        for def in SETTINGS {
            assert!(keys.insert(def.key), "duplicate key {}", def.key);
            assert_eq!(def.validate(&def.default_value()), Ok(def.default_value()));
            assert!(!def.label.is_ascii());
        }
    }

    #[test]
    fn values_are_checked_by_type_and_range() {
        let limit = find(TRANSFER_DAILY_LIMIT).unwrap();
        assert!(limit.validate(&json!(-1)).is_err());
        assert!(limit.validate(&json!("5")).is_err());
        assert!(limit.validate(&json!(1.5)).is_err());
        assert_eq!(limit.validate(&json!(0)), Ok(json!(0)));
        let week = find(WEEK_START).unwrap();
        assert!(week.validate(&json!("friday")).is_err());
        assert!(find(REGISTRATION_OPEN)
            .unwrap()
            .validate(&json!("yes"))
            .is_err());
        let contact = find(ADMIN_CONTACT).unwrap();
        assert_eq!(contact.validate(&json!("  a@b.co ")), Ok(json!("a@b.co")));
        assert!(contact.validate(&json!("a\nb")).is_err());
        assert!(find(PAYMENT_INSTRUCTIONS)
            .unwrap()
            .validate(&json!("a\nb"))
            .is_ok());
    }
}
