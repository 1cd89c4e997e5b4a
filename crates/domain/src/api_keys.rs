//! Integrator API keys: the key format, the kinds and ceilings, and the request and response
//! types of `/api/v1/admin/api-keys` (the scopes are in `api_scopes`).

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

pub use crate::api_scopes::{ApiKeyKind, ApiScope};
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

/// Largest per-call or per-day award ceiling: the largest single award.
pub const CEILING_MAX: i64 = crate::points::AMOUNT_MAX;

/// How much a service key holding `admin:points:write` may award or deduct: per call and per
/// UTC day, both counted on the absolute amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardCeilings {
    pub per_call: i64,
    pub per_day: i64,
}

/// The message for a ceiling field, or `None` when the pair is right. Shared by create and edit.
fn check_ceilings(
    v: &mut Validator,
    per_call: Option<i64>,
    per_day: Option<i64>,
) -> Option<AwardCeilings> {
    let range = |v: &mut Validator, field: &str, value: Option<i64>| match value {
        None => {
            v.add(field, "هذا السقف مطلوب لمفتاح يملك نطاق منح النقاط.");
            None
        }
        Some(n) if !(1..=CEILING_MAX).contains(&n) => {
            v.add(
                field,
                format!("يجب أن يكون السقف عددًا صحيحًا بين 1 و{CEILING_MAX}."),
            );
            None
        }
        Some(n) => Some(n),
    };
    let per_call = range(v, "award_max_per_call", per_call);
    let per_day = range(v, "award_max_per_day", per_day);
    let (per_call, per_day) = (per_call?, per_day?);
    if per_call > per_day {
        v.add(
            "award_max_per_day",
            "يجب ألا يقل السقف اليومي عن سقف الطلب الواحد.",
        );
        return None;
    }
    Some(AwardCeilings { per_call, per_day })
}

/// `POST /admin/api-keys`. A key's owner is always the admin creating it: there is no way to
/// create a key that acts as another person.
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
    /// `personal` (default): acts as you on participant routes, participant scopes only.
    /// `service`: may carry admin scopes (`admin:…`); needs at least one.
    #[serde(default)]
    pub kind: ApiKeyKind,
    /// At least one scope, e.g. `["points:read", "points:write"]` or, for a service key,
    /// `["admin:points:write"]`.
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
    /// Required with `admin:points:write` (and refused without it): the largest award or
    /// deduction one call may make, in points (absolute value).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub award_max_per_call: Option<i64>,
    /// Required with `admin:points:write` (and refused without it): the most points awarded
    /// plus deducted through the key per UTC day; at least `award_max_per_call`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub award_max_per_day: Option<i64>,
    /// Removed: a key always acts as the admin who creates it. Any value is refused with a
    /// message that says so (rather than only "unknown field").
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub owner_id: Option<serde_json::Value>,
}

/// A create request that passed the rules that do not need the database.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApiKeyRequest {
    pub name: String,
    pub kind: ApiKeyKind,
    /// Deduplicated, in [`ApiScope::ALL`] order.
    pub scopes: Vec<ApiScope>,
    pub rate_limit_per_minute: i32,
    pub expires_at: Option<DateTime<Utc>>,
    /// Set exactly when the scopes include `admin:points:write`.
    pub ceilings: Option<AwardCeilings>,
}

fn check_name(v: &mut Validator, name: &str) {
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
}

fn check_rate(v: &mut Validator, rate: i64) {
    if !(RATE_LIMIT_MIN..=RATE_LIMIT_MAX).contains(&rate) {
        v.add(
            "rate_limit_per_minute",
            format!("يجب أن يكون حد الطلبات في الدقيقة بين {RATE_LIMIT_MIN} و{RATE_LIMIT_MAX}."),
        );
    }
}

/// `«label»، «label»` for messages, the way the picker names scopes.
fn labels(scopes: &[ApiScope]) -> String {
    scopes
        .iter()
        .map(|s| format!("«{}»", s.label_ar()))
        .collect::<Vec<_>>()
        .join("، ")
}

/// The scope rules of a kind: a personal key carries no admin scope; a service key at least one.
fn check_kind(v: &mut Validator, kind: ApiKeyKind, scopes: &[ApiScope]) {
    let admin: Vec<ApiScope> = scopes.iter().copied().filter(|s| s.is_admin()).collect();
    match kind {
        ApiKeyKind::Personal if !admin.is_empty() => {
            v.add(
                "scopes",
                format!(
                    "نطاقات الإدارة لا تُمنح إلا لمفتاح خدمة: {}. اختر «مفتاح خدمة» أو أزلها.",
                    labels(&admin)
                ),
            );
        }
        ApiKeyKind::Service if admin.is_empty() && !scopes.is_empty() => {
            v.add(
                "scopes",
                "مفتاح الخدمة يحتاج نطاق إدارة واحدًا على الأقل؛ لغير ذلك أنشئ مفتاحًا شخصيًا.",
            );
        }
        _ => {}
    }
}

impl CreateApiKeyRequest {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidApiKeyRequest, FieldErrors> {
        let mut v = Validator::new();
        let name = self.name.trim();
        check_name(&mut v, name);
        if self.owner_id.as_ref().is_some_and(|o| !o.is_null()) {
            v.add(
                "owner_id",
                "لا يمكن إنشاء مفتاح يعمل باسم مستخدم آخر: مالك المفتاح هو المشرف الذي ينشئه دائمًا. احذف هذا الحقل.",
            );
        }
        let mut scopes = Vec::new();
        if self.scopes.is_empty() {
            v.add("scopes", "اختر نطاقًا واحدًا على الأقل.");
        }
        for (i, raw) in self.scopes.iter().enumerate() {
            let raw = raw.trim();
            match (ApiScope::parse(raw), ApiScope::renamed(raw)) {
                (Some(scope), _) => scopes.push(scope),
                (None, Some(new)) => {
                    v.add(
                        &format!("scopes[{i}]"),
                        format!(
                            "صار النطاق «{raw}» نطاق إدارة باسم «{new}»، ولا يُمنح إلا لمفتاح خدمة."
                        ),
                    );
                }
                (None, None) => {
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
        check_kind(&mut v, self.kind, &scopes);
        check_rate(&mut v, self.rate_limit_per_minute);
        if self.expires_at.is_some_and(|e| e <= now) {
            v.add(
                "expires_at",
                "يجب أن يكون تاريخ انتهاء الصلاحية في المستقبل.",
            );
        }
        // Ceilings belong to a service key that may award; on a personal key the scope itself is
        // the error (reported above), so the ceilings are not asked for as well.
        let awards =
            self.kind == ApiKeyKind::Service && scopes.contains(&ApiScope::AdminPointsWrite);
        let ceilings = if awards {
            check_ceilings(&mut v, self.award_max_per_call, self.award_max_per_day)
        } else {
            if self.award_max_per_call.is_some() || self.award_max_per_day.is_some() {
                let field = if self.award_max_per_call.is_some() {
                    "award_max_per_call"
                } else {
                    "award_max_per_day"
                };
                v.add(field, NO_CEILINGS_WITHOUT_POINTS);
            }
            None
        };
        v.finish()?;
        Ok(ValidApiKeyRequest {
            name: name.to_owned(),
            kind: self.kind,
            scopes,
            rate_limit_per_minute: i32::try_from(self.rate_limit_per_minute).unwrap_or(i32::MAX),
            // Microseconds, like every timestamp the server writes (SQLite compares them as text).
            expires_at: self.expires_at.map(|t| t.trunc_subsecs(6)),
            ceilings,
        })
    }
}

const NO_CEILINGS_WITHOUT_POINTS: &str =
    "سقوف المنح لا تخص إلا مفتاح خدمة يملك نطاق «منح النقاط وخصمها»؛ اتركها فارغة.";

/// `PATCH /admin/api-keys/{id}`: what may change on a key without issuing a new secret. The
/// kind and the scopes never change (create a new key instead), nor does the owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateApiKeyRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000))]
    pub rate_limit_per_minute: Option<i64>,
    /// Only for a key holding `admin:points:write`; the pair must stay consistent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub award_max_per_call: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub award_max_per_day: Option<i64>,
}

/// A key's editable settings after an update was applied to them and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApiKeyUpdate {
    pub name: String,
    pub rate_limit_per_minute: i32,
    pub ceilings: Option<AwardCeilings>,
}

impl UpdateApiKeyRequest {
    /// Applies the request to a key's current settings (`current`) and checks the result; the
    /// ceilings are required (and only allowed) when `scopes` include `admin:points:write`.
    pub fn validate(
        &self,
        scopes: &[ApiScope],
        current: &ValidApiKeyUpdate,
    ) -> Result<ValidApiKeyUpdate, FieldErrors> {
        let mut v = Validator::new();
        if *self == Self::default() {
            v.add("body", "لا شيء لتغييره: أرسل حقلًا واحدًا على الأقل.");
        }
        let name = self
            .name
            .as_deref()
            .map_or(current.name.as_str(), str::trim);
        check_name(&mut v, name);
        let rate = self
            .rate_limit_per_minute
            .unwrap_or(i64::from(current.rate_limit_per_minute));
        check_rate(&mut v, rate);
        let ceilings = if scopes.contains(&ApiScope::AdminPointsWrite) {
            check_ceilings(
                &mut v,
                self.award_max_per_call
                    .or(current.ceilings.map(|c| c.per_call)),
                self.award_max_per_day
                    .or(current.ceilings.map(|c| c.per_day)),
            )
        } else {
            for (field, value) in [
                ("award_max_per_call", self.award_max_per_call),
                ("award_max_per_day", self.award_max_per_day),
            ] {
                if value.is_some() {
                    v.add(field, NO_CEILINGS_WITHOUT_POINTS);
                }
            }
            None
        };
        v.finish()?;
        Ok(ValidApiKeyUpdate {
            name: name.to_owned(),
            rate_limit_per_minute: i32::try_from(rate).unwrap_or(i32::MAX),
            ceilings,
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
    pub kind: ApiKeyKind,
    /// Arabic label of `kind`.
    pub kind_label: String,
    /// The account the key acts as: its creator (keys made before 2026-12-07 for another user
    /// were revoked by the migration that introduced kinds).
    pub owner_id: i64,
    pub owner_username: String,
    pub owner_display_name: String,
    pub owner_role: String,
    pub scopes: Vec<ApiScope>,
    pub rate_limit_per_minute: i32,
    /// Point-award ceilings (service keys with `admin:points:write`); `null` on other keys, and
    /// on converted keys until an admin sets them (awards through such a key are refused).
    pub award_max_per_call: Option<i64>,
    pub award_max_per_day: Option<i64>,
    /// Points awarded plus deducted through the key so far today (UTC).
    pub awarded_today: i64,
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

impl ApiKey {
    /// The key's settings as an update starts from them.
    pub fn settings(&self) -> ValidApiKeyUpdate {
        ValidApiKeyUpdate {
            name: self.name.clone(),
            rate_limit_per_minute: self.rate_limit_per_minute,
            ceilings: self
                .award_max_per_call
                .zip(self.award_max_per_day)
                .map(|(per_call, per_day)| AwardCeilings { per_call, per_day }),
        }
    }
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
            kind: ApiKeyKind::Personal,
            scopes: vec![
                "points:write".into(),
                "points:read".into(),
                "points:read".into(),
            ],
            rate_limit_per_minute: 60,
            expires_at: None,
            award_max_per_call: None,
            award_max_per_day: None,
            owner_id: None,
        }
    }

    fn service(scopes: &[&str], ceilings: Option<(i64, i64)>) -> CreateApiKeyRequest {
        CreateApiKeyRequest {
            kind: ApiKeyKind::Service,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            award_max_per_call: ceilings.map(|c| c.0),
            award_max_per_day: ceilings.map(|c| c.1),
            ..request()
        }
    }

    #[test]
    fn a_valid_request_is_trimmed_and_its_scopes_sorted_and_deduplicated() {
        let now = Utc::now();
        let valid = request().validate(now).unwrap();
        assert_eq!(valid.name, "متجر الشريك");
        assert_eq!(valid.kind, ApiKeyKind::Personal);
        assert_eq!(
            valid.scopes,
            vec![ApiScope::PointsRead, ApiScope::PointsWrite]
        );
        assert_eq!(valid.ceilings, None);
        let valid = service(
            &["admin:points:write", "admin:users:read"],
            Some((100, 1000)),
        )
        .validate(now)
        .unwrap();
        assert_eq!(
            valid.ceilings,
            Some(AwardCeilings {
                per_call: 100,
                per_day: 1000
            })
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
            ("scopes[0]", Box::new(|r| r.scopes[0] = "users:read".into())),
            (
                "scopes",
                Box::new(|r| r.scopes[0] = "admin:points:write".into()),
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
            (
                "owner_id",
                Box::new(|r| r.owner_id = Some(serde_json::json!(7))),
            ),
            (
                "award_max_per_call",
                Box::new(|r| r.award_max_per_call = Some(5)),
            ),
            ("scopes", Box::new(|r| r.kind = ApiKeyKind::Service)),
        ];
        for (field, change) in cases {
            let mut r = request();
            change(&mut r);
            let errors = r.validate(now).unwrap_err();
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn the_points_scope_needs_both_ceilings_in_range_and_in_order() {
        let now = Utc::now();
        let cases = [
            (None, "award_max_per_call"),
            (Some((0, 10)), "award_max_per_call"),
            (Some((10, 0)), "award_max_per_day"),
            (Some((10, 5)), "award_max_per_day"),
            (Some((1, CEILING_MAX + 1)), "award_max_per_day"),
        ];
        for (ceilings, field) in cases {
            let errors = service(&["admin:points:write"], ceilings)
                .validate(now)
                .unwrap_err();
            assert!(errors.contains_key(field), "{ceilings:?}: {errors:?}");
        }
        let errors = service(&["admin:users:read"], Some((1, 2)))
            .validate(now)
            .unwrap_err();
        assert!(errors.contains_key("award_max_per_call"), "{errors:?}");
        // On a personal key the admin scope is the error, not missing ceilings.
        let mut personal = service(&["admin:points:write"], None);
        personal.kind = ApiKeyKind::Personal;
        let errors = personal.validate(now).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["scopes"], "{errors:?}");
    }

    #[test]
    fn an_update_checks_the_key_it_applies_to() {
        let current = ValidApiKeyUpdate {
            name: "خدمة".into(),
            rate_limit_per_minute: 60,
            ceilings: None,
        };
        let points = [ApiScope::AdminPointsWrite];
        // A converted key without ceilings needs both before anything else changes.
        let errors = UpdateApiKeyRequest {
            name: Some("جديد".into()),
            ..Default::default()
        }
        .validate(&points, &current)
        .unwrap_err();
        assert!(errors.contains_key("award_max_per_call"), "{errors:?}");
        let valid = UpdateApiKeyRequest {
            award_max_per_call: Some(50),
            award_max_per_day: Some(500),
            ..Default::default()
        }
        .validate(&points, &current)
        .unwrap();
        assert_eq!(valid.ceilings.map(|c| c.per_day), Some(500));
        // Only one changes: the other is the key's current value.
        let valid = UpdateApiKeyRequest {
            award_max_per_day: Some(900),
            ..Default::default()
        }
        .validate(&points, &valid)
        .unwrap();
        assert_eq!(
            valid.ceilings,
            Some(AwardCeilings {
                per_call: 50,
                per_day: 900
            })
        );
        let errors = UpdateApiKeyRequest::default()
            .validate(&points, &valid)
            .unwrap_err();
        assert!(errors.contains_key("body"));
        let errors = UpdateApiKeyRequest {
            award_max_per_call: Some(5),
            ..Default::default()
        }
        .validate(&[ApiScope::PointsRead], &current)
        .unwrap_err();
        assert!(errors.contains_key("award_max_per_call"));
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
