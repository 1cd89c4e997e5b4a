//! Integrator API keys: the scopes a key can carry (with the Arabic labels the admin's scope
//! picker shows), the key format, and the request and response types of
//! `/api/v1/admin/api-keys`.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::validation::Validator;

/// Every key starts with this: `mk_<public id>_<secret>`.
pub const KEY_PREFIX: &str = "mk_";
/// Length of the public id after `mk_` (lower-case letters and digits).
pub const PUBLIC_ID_LEN: usize = 12;
pub const NAME_MAX: usize = 100;
pub const RATE_LIMIT_MIN: i64 = 1;
pub const RATE_LIMIT_MAX: i64 = 10_000;
/// `GET /admin/api-keys/{id}/usage?days=`: default and maximum.
pub const USAGE_DAYS_DEFAULT: u32 = 7;
pub const USAGE_DAYS_MAX: u32 = 90;
/// Up to this many days the usage series is per hour, beyond it per day.
pub const USAGE_HOURLY_MAX_DAYS: u32 = 2;
/// The latest calls listed with the usage series.
pub const USAGE_RECENT: u64 = 50;

/// What a key may do. Each route of the API requires one scope (or refuses keys altogether);
/// the table lives in the server (`auth::scopes`) and is what the OpenAPI document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApiScope {
    #[serde(rename = "competitions:read")]
    CompetitionsRead,
    #[serde(rename = "competitions:write")]
    CompetitionsWrite,
    #[serde(rename = "points:read")]
    PointsRead,
    #[serde(rename = "points:write")]
    PointsWrite,
    #[serde(rename = "users:read")]
    UsersRead,
    #[serde(rename = "users:write")]
    UsersWrite,
    #[serde(rename = "rewards:read")]
    RewardsRead,
    #[serde(rename = "rewards:write")]
    RewardsWrite,
    #[serde(rename = "redemptions:read")]
    RedemptionsRead,
    #[serde(rename = "redemptions:write")]
    RedemptionsWrite,
    #[serde(rename = "purchases:read")]
    PurchasesRead,
    #[serde(rename = "purchases:write")]
    PurchasesWrite,
    #[serde(rename = "referrals:read")]
    ReferralsRead,
    #[serde(rename = "referrals:write")]
    ReferralsWrite,
    #[serde(rename = "chat:read")]
    ChatRead,
    #[serde(rename = "chat:write")]
    ChatWrite,
    #[serde(rename = "notifications:read")]
    NotificationsRead,
    #[serde(rename = "notifications:write")]
    NotificationsWrite,
    #[serde(rename = "settings:read")]
    SettingsRead,
    #[serde(rename = "settings:write")]
    SettingsWrite,
    #[serde(rename = "stats:read")]
    StatsRead,
    #[serde(rename = "audit:read")]
    AuditRead,
    #[serde(rename = "ledger:read")]
    LedgerRead,
    #[serde(rename = "exports:read")]
    ExportsRead,
}

impl ApiScope {
    /// Every scope, in the order the picker shows them.
    pub const ALL: [ApiScope; 24] = [
        Self::CompetitionsRead,
        Self::CompetitionsWrite,
        Self::PointsRead,
        Self::PointsWrite,
        Self::UsersRead,
        Self::UsersWrite,
        Self::RewardsRead,
        Self::RewardsWrite,
        Self::RedemptionsRead,
        Self::RedemptionsWrite,
        Self::PurchasesRead,
        Self::PurchasesWrite,
        Self::ReferralsRead,
        Self::ReferralsWrite,
        Self::ChatRead,
        Self::ChatWrite,
        Self::NotificationsRead,
        Self::NotificationsWrite,
        Self::SettingsRead,
        Self::SettingsWrite,
        Self::StatsRead,
        Self::AuditRead,
        Self::LedgerRead,
        Self::ExportsRead,
    ];

    /// The wire name (`points:write`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CompetitionsRead => "competitions:read",
            Self::CompetitionsWrite => "competitions:write",
            Self::PointsRead => "points:read",
            Self::PointsWrite => "points:write",
            Self::UsersRead => "users:read",
            Self::UsersWrite => "users:write",
            Self::RewardsRead => "rewards:read",
            Self::RewardsWrite => "rewards:write",
            Self::RedemptionsRead => "redemptions:read",
            Self::RedemptionsWrite => "redemptions:write",
            Self::PurchasesRead => "purchases:read",
            Self::PurchasesWrite => "purchases:write",
            Self::ReferralsRead => "referrals:read",
            Self::ReferralsWrite => "referrals:write",
            Self::ChatRead => "chat:read",
            Self::ChatWrite => "chat:write",
            Self::NotificationsRead => "notifications:read",
            Self::NotificationsWrite => "notifications:write",
            Self::SettingsRead => "settings:read",
            Self::SettingsWrite => "settings:write",
            Self::StatsRead => "stats:read",
            Self::AuditRead => "audit:read",
            Self::LedgerRead => "ledger:read",
            Self::ExportsRead => "exports:read",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Arabic label for the scope picker.
    pub fn label_ar(self) -> &'static str {
        match self {
            Self::CompetitionsRead => "قراءة المسابقات ولوحات المتصدرين",
            Self::CompetitionsWrite => "المشاركة في المسابقات وإدارتها",
            Self::PointsRead => "قراءة الرصيد وسجل النقاط",
            Self::PointsWrite => "تحويل النقاط ومنحها",
            Self::UsersRead => "قراءة بيانات المستخدمين",
            Self::UsersWrite => "تعديل أدوار المستخدمين وحالاتهم",
            Self::RewardsRead => "قراءة كتالوج المكافآت",
            Self::RewardsWrite => "إدارة المكافآت",
            Self::RedemptionsRead => "قراءة طلبات الاستبدال",
            Self::RedemptionsWrite => "طلب الاستبدال والبت فيه",
            Self::PurchasesRead => "قراءة الباقات وعمليات الشراء",
            Self::PurchasesWrite => "طلب الشراء وتسجيل الدفع وإدارة الباقات",
            Self::ReferralsRead => "قراءة الدعوات (تحدي الصديق)",
            Self::ReferralsWrite => "مراجعة الدعوات",
            Self::ChatRead => "قراءة المحادثات",
            Self::ChatWrite => "إرسال الرسائل وإدارة الغرف",
            Self::NotificationsRead => "قراءة الإشعارات",
            Self::NotificationsWrite => "تعليم الإشعارات كمقروءة",
            Self::SettingsRead => "قراءة إعدادات المنصة",
            Self::SettingsWrite => "تعديل إعدادات المنصة",
            Self::StatsRead => "قراءة إحصاءات لوحة التحكم",
            Self::AuditRead => "قراءة سجل التدقيق",
            Self::LedgerRead => "قراءة دفاتر النقاط لجميع المستخدمين وفحصها",
            Self::ExportsRead => "تنزيل ملفات التصدير (CSV)",
        }
    }

    /// Scopes that only admin routes require: a key owned by a non-admin could never use them,
    /// so creating such a key is refused.
    pub fn admin_only(self) -> bool {
        matches!(
            self,
            Self::UsersRead
                | Self::UsersWrite
                | Self::RewardsWrite
                | Self::ReferralsWrite
                | Self::SettingsRead
                | Self::SettingsWrite
                | Self::StatsRead
                | Self::AuditRead
                | Self::LedgerRead
                | Self::ExportsRead
        )
    }
}

impl std::fmt::Display for ApiScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a key can be used right now, as the list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyStatus {
    Active,
    Revoked,
    Expired,
}

impl ApiKeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "active" => Some(Self::Active),
            "revoked" => Some(Self::Revoked),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Active => "فعّال",
            Self::Revoked => "ملغى",
            Self::Expired => "منتهي الصلاحية",
        }
    }

    /// Revocation wins over expiry.
    pub fn of(
        revoked_at: Option<DateTime<Utc>>,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        if revoked_at.is_some() {
            Self::Revoked
        } else if expires_at.is_some_and(|e| e <= now) {
            Self::Expired
        } else {
            Self::Active
        }
    }
}

/// `POST /admin/api-keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. the integrating system's name.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "متجر الشريك",
            min_length = 1,
            max_length = 100,
            pattern = r"\S"
        )
    )]
    pub name: String,
    /// The user the key acts for; default: the admin creating it. Admin routes additionally
    /// need the owner to be an admin.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub owner_id: Option<i64>,
    /// At least one scope, e.g. `["points:read", "points:write"]`.
    #[cfg_attr(feature = "openapi", schema(example = json!(["points:read", "points:write"]), min_items = 1, value_type = Vec<ApiScope>))]
    pub scopes: Vec<String>,
    /// Requests per minute this key may make (1–10000), enforced per server process.
    #[cfg_attr(
        feature = "openapi",
        schema(example = 120, minimum = 1, maximum = 10_000)
    )]
    pub rate_limit_per_minute: i64,
    /// When the key stops working; `null` = never.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A create request that passed the rules that do not need the database.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApiKeyRequest {
    pub name: String,
    pub owner_id: Option<i64>,
    /// Deduplicated, in [`ApiScope::ALL`] order.
    pub scopes: Vec<ApiScope>,
    pub rate_limit_per_minute: i32,
    pub expires_at: Option<DateTime<Utc>>,
}

impl CreateApiKeyRequest {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidApiKeyRequest, FieldErrors> {
        let mut v = Validator::new();
        let name = self.name.trim();
        if name.is_empty() {
            v.add("name", "اسم المفتاح مطلوب.");
        } else if name.chars().count() > NAME_MAX {
            v.add(
                "name",
                format!("يجب ألا يزيد اسم المفتاح على {NAME_MAX} حرف."),
            );
        } else if name.chars().any(char::is_control) {
            v.add("name", "الاسم يحتوي على رموز غير مسموحة.");
        }
        if self.owner_id.is_some_and(|id| id <= 0) {
            v.add("owner_id", "معرّف المالك غير صالح.");
        }
        let mut scopes = Vec::new();
        if self.scopes.is_empty() {
            v.add("scopes", "اختر نطاقًا واحدًا على الأقل.");
        }
        for (i, raw) in self.scopes.iter().enumerate() {
            match ApiScope::parse(raw.trim()) {
                Some(scope) => scopes.push(scope),
                None => {
                    let shown: String = raw.chars().take(40).collect();
                    v.add(
                        &format!("scopes[{i}]"),
                        format!("نطاق غير معروف: «{shown}»."),
                    );
                }
            }
        }
        scopes.sort();
        scopes.dedup();
        let rate = self.rate_limit_per_minute;
        if !(RATE_LIMIT_MIN..=RATE_LIMIT_MAX).contains(&rate) {
            v.add(
                "rate_limit_per_minute",
                format!(
                    "يجب أن يكون حد الطلبات في الدقيقة بين {RATE_LIMIT_MIN} و{RATE_LIMIT_MAX}."
                ),
            );
        }
        if self.expires_at.is_some_and(|e| e <= now) {
            v.add(
                "expires_at",
                "يجب أن يكون تاريخ انتهاء الصلاحية في المستقبل.",
            );
        }
        v.finish()?;
        Ok(ValidApiKeyRequest {
            name: name.to_owned(),
            owner_id: self.owner_id,
            scopes,
            rate_limit_per_minute: i32::try_from(rate).unwrap_or(i32::MAX),
            // Microseconds, like every timestamp the server writes (SQLite compares them as text).
            expires_at: self.expires_at.map(|t| t.trunc_subsecs(6)),
        })
    }
}

/// An API key as the admin list shows it. The secret is never shown again after creation;
/// only its hash is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The public head of the key (`mk_` + 12 characters), enough to recognise it in logs.
    #[cfg_attr(feature = "openapi", schema(example = "mk_3f9c2a7b1d0e"))]
    pub prefix: String,
    pub owner_id: i64,
    pub owner_username: String,
    pub owner_display_name: String,
    /// The owner's role: admin routes need an admin owner.
    pub owner_role: String,
    pub scopes: Vec<ApiScope>,
    pub rate_limit_per_minute: i32,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Updated in batches, so it may lag a request by about a second.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The key this one replaced by rotation.
    pub rotated_from_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_by_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub status: ApiKeyStatus,
    /// Arabic label of `status`.
    pub status_label: String,
}

/// A key just created or rotated: the only response that carries the full key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The full key. Store it now: it is shown only in this response.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "mk_3f9c2a7b1d0e_Vb1x0m2Qk8yT4rJw9nZp6sLc3uHa7eGd5fKq1oXiB0M")
    )]
    pub key: String,
    #[serde(flatten)]
    pub api_key: ApiKey,
}

/// A page of keys, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyPage {
    pub items: Vec<ApiKey>,
    pub next_cursor: Option<String>,
}

/// The size of one usage bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageBucket {
    Hour,
    Day,
}

/// Calls in one bucket (every bucket of the period is listed, empty ones with zeros).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsagePoint {
    /// Start of the hour or day (UTC).
    pub start: DateTime<Utc>,
    pub calls: i64,
    /// Calls answered with a status of 400 or more.
    pub errors: i64,
}

/// One logged call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageCall {
    pub created_at: DateTime<Utc>,
    pub method: String,
    /// The route pattern, e.g. `/api/v1/competitions/{id}`.
    pub route: String,
    pub status: i32,
    pub latency_ms: i32,
    pub ip: Option<String>,
}

/// `GET /admin/api-keys/{id}/usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyUsage {
    pub api_key_id: i64,
    pub days: u32,
    /// `hour` for up to 2 days, `day` beyond.
    pub bucket: UsageBucket,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub total_calls: i64,
    pub total_errors: i64,
    pub series: Vec<UsagePoint>,
    /// The latest calls (at most 50), newest first.
    pub recent: Vec<UsageCall>,
}

/// Why a presented key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailedAuthReason {
    /// Not in the `mk_<id>_<secret>` format.
    Malformed,
    /// No key with that prefix.
    UnknownKey,
    /// The prefix exists but the secret is wrong.
    InvalidSecret,
    Revoked,
    Expired,
    OwnerSuspended,
}

impl FailedAuthReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnknownKey => "unknown_key",
            Self::InvalidSecret => "invalid_secret",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::OwnerSuspended => "owner_suspended",
        }
    }

    /// Every reason, in the order the admin's filter lists them.
    pub const ALL: [FailedAuthReason; 6] = [
        Self::Malformed,
        Self::UnknownKey,
        Self::InvalidSecret,
        Self::Revoked,
        Self::Expired,
        Self::OwnerSuspended,
    ];

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Malformed => "صيغة مفتاح غير صحيحة",
            Self::UnknownKey => "مفتاح غير معروف",
            Self::InvalidSecret => "سر المفتاح غير صحيح",
            Self::Revoked => "مفتاح ملغى",
            Self::Expired => "مفتاح منتهي الصلاحية",
            Self::OwnerSuspended => "حساب المالك موقوف",
        }
    }
}

/// One refused key attempt. The presented secret is never stored, only the key's public
/// prefix when it could be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedAuthEntry {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub ip: String,
    pub key_prefix: Option<String>,
    /// `malformed`, `unknown_key`, `invalid_secret`, `revoked`, `expired` or `owner_suspended`.
    pub reason: String,
    /// Arabic label of `reason`.
    pub reason_label: String,
    pub method: String,
    pub path: String,
}

/// A page of refused attempts, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedAuthPage {
    pub items: Vec<FailedAuthEntry>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateApiKeyRequest {
        CreateApiKeyRequest {
            name: " متجر الشريك ".into(),
            owner_id: None,
            scopes: vec![
                "points:write".into(),
                "points:read".into(),
                "points:read".into(),
            ],
            rate_limit_per_minute: 60,
            expires_at: None,
        }
    }

    #[test]
    fn scope_names_round_trip_through_serde_and_parse() {
        for scope in ApiScope::ALL {
            assert_eq!(ApiScope::parse(scope.as_str()), Some(scope));
            assert_eq!(
                serde_json::to_value(scope).unwrap(),
                serde_json::json!(scope.as_str())
            );
            assert!(!scope.label_ar().is_empty());
        }
        assert_eq!(ApiScope::parse("points:delete"), None);
    }

    #[test]
    fn a_valid_request_is_trimmed_and_its_scopes_sorted_and_deduplicated() {
        let now = Utc::now();
        let valid = request().validate(now).unwrap();
        assert_eq!(valid.name, "متجر الشريك");
        assert_eq!(
            valid.scopes,
            vec![ApiScope::PointsRead, ApiScope::PointsWrite]
        );
    }

    #[test]
    fn bad_fields_are_each_named() {
        let now = Utc::now();
        type Change = Box<dyn Fn(&mut CreateApiKeyRequest)>;
        let cases: Vec<(&str, Change)> = vec![
            ("name", Box::new(|r| r.name = "  ".into())),
            ("name", Box::new(|r| r.name = "x".repeat(101))),
            ("scopes", Box::new(|r| r.scopes.clear())),
            (
                "scopes[1]",
                Box::new(|r| r.scopes[1] = "points:delete".into()),
            ),
            (
                "rate_limit_per_minute",
                Box::new(|r| r.rate_limit_per_minute = 0),
            ),
            (
                "rate_limit_per_minute",
                Box::new(|r| r.rate_limit_per_minute = -5),
            ),
            (
                "rate_limit_per_minute",
                Box::new(|r| r.rate_limit_per_minute = 10_001),
            ),
            (
                "expires_at",
                Box::new(move |r| r.expires_at = Some(now - chrono::Duration::seconds(1))),
            ),
            ("owner_id", Box::new(|r| r.owner_id = Some(0))),
        ];
        for (field, change) in cases {
            let mut r = request();
            change(&mut r);
            let errors = r.validate(now).unwrap_err();
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn status_prefers_revoked_over_expired() {
        let now = Utc::now();
        let past = Some(now - chrono::Duration::seconds(1));
        assert_eq!(ApiKeyStatus::of(past, past, now), ApiKeyStatus::Revoked);
        assert_eq!(ApiKeyStatus::of(None, past, now), ApiKeyStatus::Expired);
        assert_eq!(ApiKeyStatus::of(None, None, now), ApiKeyStatus::Active);
    }
}
