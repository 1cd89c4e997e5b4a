//! The one error format of the API: `{"error":{"code","message","fields"}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Field name → Arabic message for every invalid field of a request.
pub type FieldErrors = BTreeMap<String, String>;

/// Stable, English, machine-readable error codes. Integrators switch on these; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    InvalidJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    ValidationFailed,
    Unauthorized,
    InvalidCredentials,
    TokenExpired,
    InvalidToken,
    SessionRevoked,
    AccountSuspended,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    UsernameTaken,
    EmailTaken,
    InsufficientPoints,
    IdempotencyKeyReused,
    Unprocessable,
    RateLimited,
    TooManyLoginAttempts,
    RegistrationClosed,
    TransferLimitExceeded,
    InvalidTransition,
    CompetitionFull,
    AlreadyJoined,
    RegistrationNotOpen,
    NotParticipant,
    AlreadySubmitted,
    CompetitionNotRunning,
    IdempotencyInProgress,
    OutOfStock,
    LimitReached,
    ServiceUnavailable,
    #[serde(rename = "internal_error")]
    Internal,
    RewardUnavailable,
    /// The API key is malformed, unknown, or its secret is wrong.
    InvalidApiKey,
    ApiKeyRevoked,
    ApiKeyExpired,
    /// The key's owner account is suspended.
    ApiKeyOwnerSuspended,
    /// The API key lacks the route's scope; `fields.scope` names it.
    MissingScope,
    /// The route never accepts API keys (key management, passwords, sessions, WebSocket).
    ApiKeyNotAllowed,
    /// Too many refused API keys from this address; `Retry-After` says for how long.
    IpBlocked,
    /// A point award or deduction through an API key over the key's per-call or per-day
    /// ceiling, or through a key whose ceilings are not set; `fields.amount` says which.
    ApiKeyCeilingExceeded,
    /// The session reached its absolute lifetime (`MUSABAQATI_SESSION_MAX_DAYS`): sign in again.
    SessionExpired,
    /// A password-reset link that is unknown, already used or expired.
    InvalidResetToken,
    /// In production, a request that reached the TLS-terminating proxy over plain HTTP and is
    /// not a GET/HEAD (those are redirected to https with 308).
    HttpsRequired,
    /// A sensitive admin operation needs a fresh confirmation: `POST /auth/step-up`, then retry.
    StepUpRequired,
    /// A wrong, reused or expired two-factor code (or sign-in challenge).
    InvalidTotpCode,
    /// The `admin_totp_required` setting is on and this admin has not enabled two-factor sign-in.
    TotpEnrolmentRequired,
    /// The `email_verification_required` setting is on and this account has not verified its
    /// email address: joining a paid competition, redeeming and transferring are refused.
    EmailNotVerified,
    /// An email-verification link that is unknown, already used, expired or for an address
    /// the account no longer has.
    InvalidVerificationToken,
    /// A verification link was asked for an address that is already verified.
    EmailAlreadyVerified,
    /// The account cannot be deleted while something of it is still pending (a redemption,
    /// a held transfer, a purchase awaiting payment); `fields` names what.
    AccountDeletionBlocked,
    /// The last active admin cannot delete their own account.
    LastAdmin,
}

impl ErrorCode {
    /// The wire string of the code (`insufficient_points`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::InvalidJson => "invalid_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::ValidationFailed => "validation_failed",
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::TokenExpired => "token_expired",
            Self::InvalidToken => "invalid_token",
            Self::SessionRevoked => "session_revoked",
            Self::AccountSuspended => "account_suspended",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::UsernameTaken => "username_taken",
            Self::EmailTaken => "email_taken",
            Self::InsufficientPoints => "insufficient_points",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::Unprocessable => "unprocessable",
            Self::RateLimited => "rate_limited",
            Self::TooManyLoginAttempts => "too_many_login_attempts",
            Self::RegistrationClosed => "registration_closed",
            Self::TransferLimitExceeded => "transfer_limit_exceeded",
            Self::InvalidTransition => "invalid_transition",
            Self::CompetitionFull => "competition_full",
            Self::AlreadyJoined => "already_joined",
            Self::RegistrationNotOpen => "registration_not_open",
            Self::NotParticipant => "not_participant",
            Self::AlreadySubmitted => "already_submitted",
            Self::CompetitionNotRunning => "competition_not_running",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::OutOfStock => "out_of_stock",
            Self::LimitReached => "limit_reached",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Internal => "internal_error",
            Self::RewardUnavailable => "reward_unavailable",
            Self::InvalidApiKey => "invalid_api_key",
            Self::ApiKeyRevoked => "api_key_revoked",
            Self::ApiKeyExpired => "api_key_expired",
            Self::ApiKeyOwnerSuspended => "api_key_owner_suspended",
            Self::MissingScope => "missing_scope",
            Self::ApiKeyNotAllowed => "api_key_not_allowed",
            Self::IpBlocked => "ip_blocked",
            Self::ApiKeyCeilingExceeded => "api_key_ceiling_exceeded",
            Self::SessionExpired => "session_expired",
            Self::InvalidResetToken => "invalid_reset_token",
            Self::HttpsRequired => "https_required",
            Self::StepUpRequired => "step_up_required",
            Self::InvalidTotpCode => "invalid_totp_code",
            Self::TotpEnrolmentRequired => "totp_enrolment_required",
            Self::EmailNotVerified => "email_not_verified",
            Self::InvalidVerificationToken => "invalid_verification_token",
            Self::EmailAlreadyVerified => "email_already_verified",
            Self::AccountDeletionBlocked => "account_deletion_blocked",
            Self::LastAdmin => "last_admin",
        }
    }

    /// The HTTP status this code is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest | Self::InvalidJson => 400,
            Self::ValidationFailed => 422,
            Self::Unauthorized
            | Self::InvalidCredentials
            | Self::TokenExpired
            | Self::InvalidToken
            | Self::SessionRevoked
            | Self::SessionExpired
            | Self::InvalidApiKey
            | Self::ApiKeyRevoked
            | Self::ApiKeyExpired
            | Self::ApiKeyOwnerSuspended => 401,
            Self::AccountSuspended
            | Self::Forbidden
            | Self::RegistrationClosed
            | Self::MissingScope
            | Self::ApiKeyNotAllowed => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict | Self::UsernameTaken | Self::EmailTaken | Self::InsufficientPoints => {
                409
            }
            Self::PayloadTooLarge => 413,
            Self::HttpsRequired => 400,
            Self::UnsupportedMediaType => 415,
            Self::IdempotencyKeyReused
            | Self::Unprocessable
            | Self::TransferLimitExceeded
            | Self::ApiKeyCeilingExceeded
            | Self::InvalidResetToken => 422,
            Self::StepUpRequired | Self::TotpEnrolmentRequired | Self::EmailNotVerified => 403,
            Self::InvalidVerificationToken => 422,
            Self::EmailAlreadyVerified | Self::AccountDeletionBlocked | Self::LastAdmin => 409,
            Self::InvalidTotpCode => 422,
            Self::NotParticipant => 403,
            Self::InvalidTransition
            | Self::CompetitionFull
            | Self::AlreadyJoined
            | Self::RegistrationNotOpen
            | Self::AlreadySubmitted
            | Self::CompetitionNotRunning
            | Self::IdempotencyInProgress
            | Self::OutOfStock
            | Self::LimitReached
            | Self::RewardUnavailable => 409,
            Self::RateLimited | Self::TooManyLoginAttempts | Self::IpBlocked => 429,
            Self::ServiceUnavailable => 503,
            Self::Internal => 500,
        }
    }

    /// The default Arabic message shown to people.
    pub fn message_ar(self) -> &'static str {
        match self {
            Self::BadRequest => "الطلب غير صالح.",
            Self::InvalidJson => "تعذّرت قراءة بيانات الطلب: صيغة JSON غير صحيحة.",
            Self::UnsupportedMediaType => "نوع المحتوى غير مدعوم؛ أرسل البيانات بصيغة JSON.",
            Self::PayloadTooLarge => "حجم الطلب أكبر من المسموح.",
            Self::ValidationFailed => "بعض الحقول غير صحيحة.",
            Self::Unauthorized => "يجب تسجيل الدخول أولًا.",
            Self::InvalidCredentials => "اسم المستخدم أو كلمة المرور غير صحيحة.",
            Self::TokenExpired => "انتهت صلاحية الجلسة؛ سجّل الدخول من جديد.",
            Self::InvalidToken => "رمز الدخول غير صالح.",
            Self::SessionRevoked => "أُنهيت هذه الجلسة؛ سجّل الدخول من جديد.",
            Self::AccountSuspended => "هذا الحساب موقوف.",
            Self::Forbidden => "ليست لديك صلاحية لهذا الإجراء.",
            Self::NotFound => "العنصر المطلوب غير موجود.",
            Self::MethodNotAllowed => "هذه الطريقة غير مسموحة لهذا المسار.",
            Self::Conflict => "تعارض الطلب مع الحالة الحالية.",
            Self::UsernameTaken => "اسم المستخدم مستخدم بالفعل.",
            Self::EmailTaken => "البريد الإلكتروني مسجّل بالفعل.",
            Self::InsufficientPoints => "رصيدك من كربتو غير كافٍ.",
            Self::IdempotencyKeyReused => "مفتاح عدم التكرار استُخدم من قبل لطلب مختلف.",
            Self::Unprocessable => "تعذّر تنفيذ الطلب.",
            Self::RateLimited => "طلبات كثيرة جدًا؛ حاول بعد قليل.",
            Self::TooManyLoginAttempts => "محاولات دخول فاشلة كثيرة؛ حاول لاحقًا.",
            Self::RegistrationClosed => "التسجيل مغلق حاليًا.",
            Self::TransferLimitExceeded => "تجاوزت الحد اليومي للتحويلات.",
            Self::InvalidTransition => "لا يمكن نقل العنصر إلى هذه الحالة من حالته الحالية.",
            Self::CompetitionFull => "اكتمل عدد المشاركين في هذه المسابقة.",
            Self::AlreadyJoined => "أنت مشترك في هذه المسابقة بالفعل.",
            Self::RegistrationNotOpen => "التسجيل في هذه المسابقة غير متاح الآن.",
            Self::NotParticipant => "هذا متاح للمشاركين في المسابقة فقط.",
            Self::AlreadySubmitted => "سلّمت إجاباتك من قبل.",
            Self::CompetitionNotRunning => "المسابقة ليست جارية الآن.",
            Self::IdempotencyInProgress => "طلب بالمفتاح نفسه قيد التنفيذ؛ أعد المحاولة بعد لحظة.",
            Self::OutOfStock => "نفدت الكمية المتاحة.",
            Self::LimitReached => "بلغت الحد المسموح.",
            Self::ServiceUnavailable => "الخدمة غير متاحة مؤقتًا؛ حاول بعد قليل.",
            Self::Internal => "حدث خطأ داخلي غير متوقع.",
            Self::RewardUnavailable => "هذه المكافأة غير متاحة للاستبدال الآن.",
            Self::InvalidApiKey => "مفتاح الربط البرمجي غير صالح.",
            Self::ApiKeyRevoked => "أُلغي مفتاح الربط البرمجي هذا.",
            Self::ApiKeyExpired => "انتهت صلاحية مفتاح الربط البرمجي.",
            Self::ApiKeyOwnerSuspended => "حساب مالك مفتاح الربط البرمجي موقوف.",
            Self::MissingScope => "مفتاح الربط البرمجي لا يملك الصلاحية المطلوبة لهذا الطلب.",
            Self::ApiKeyNotAllowed => "لا يمكن استخدام مفاتيح الربط البرمجي في هذا المسار.",
            Self::IpBlocked => "محاولات كثيرة بمفاتيح غير صالحة من هذا العنوان؛ حاول لاحقًا.",
            Self::ApiKeyCeilingExceeded => {
                "يتجاوز هذا الطلب سقف منح النقاط المسموح لمفتاح الربط البرمجي."
            }
            Self::SessionExpired => "انتهت المدة القصوى لهذه الجلسة؛ سجّل الدخول من جديد.",
            Self::InvalidResetToken => {
                "رابط إعادة تعيين كلمة المرور غير صالح أو استُخدم من قبل أو انتهت صلاحيته؛ اطلب رابطًا جديدًا."
            }
            Self::HttpsRequired => "يجب الاتصال عبر HTTPS؛ أعد إرسال الطلب إلى عنوان https.",
            Self::StepUpRequired => {
                "هذه العملية حساسة: أكّد هويتك برمز التحقق أو بكلمة المرور ثم أعد المحاولة."
            }
            Self::InvalidTotpCode => "رمز التحقق غير صحيح أو مستخدم من قبل أو انتهت صلاحيته.",
            Self::TotpEnrolmentRequired => {
                "يجب على المشرفين تفعيل التحقق بخطوتين: فعّله من صفحة الملف الشخصي ثم أعد المحاولة."
            }
            Self::EmailNotVerified => {
                "أكّد بريدك الإلكتروني أولًا: افتح الرابط الذي أرسلناه إليك، أو اطلب رابطًا جديدًا من صفحتك."
            }
            Self::InvalidVerificationToken => {
                "رابط تأكيد البريد غير صالح أو استُخدم من قبل أو انتهت صلاحيته؛ اطلب رابطًا جديدًا."
            }
            Self::EmailAlreadyVerified => "بريدك الإلكتروني مؤكَّد بالفعل.",
            Self::AccountDeletionBlocked => {
                "لا يمكن حذف الحساب وما زالت لديك عمليات معلّقة؛ انتظر حتى تُحسم أو ألغِها ثم أعد المحاولة."
            }
            Self::LastAdmin => {
                "أنت آخر مشرف نشط؛ لا يمكن حذف حسابك قبل أن يُعيَّن مشرف آخر."
            }
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and people (`message`, in Arabic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable English code, e.g. `insufficient_points`.
    #[cfg_attr(feature = "openapi", schema(example = "validation_failed"))]
    pub code: String,
    /// Arabic message for people.
    #[cfg_attr(feature = "openapi", schema(example = "بعض الحقول غير صحيحة."))]
    pub message: String,
    /// Per-field Arabic messages for validation errors (empty otherwise).
    #[serde(default)]
    pub fields: FieldErrors,
    /// Present on server faults: quote it when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.message_ar())
    }

    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.as_str().to_owned(),
                message: message.into(),
                fields: FieldErrors::new(),
                request_id: None,
            },
        }
    }

    pub fn with_fields(code: ErrorCode, fields: FieldErrors) -> Self {
        let mut body = Self::new(code);
        body.error.fields = fields;
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_serializes_to_the_documented_shape() {
        let mut fields = FieldErrors::new();
        fields.insert("username".into(), "قصير".into());
        let body = ErrorBody::with_fields(ErrorCode::ValidationFailed, fields);
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "validation_failed", "message": "بعض الحقول غير صحيحة.", "fields": {"username": "قصير"}}})
        );
    }

    #[test]
    fn serde_name_matches_as_str_for_every_code() {
        use ErrorCode::*;
        for code in [
            BadRequest,
            InvalidJson,
            UnsupportedMediaType,
            PayloadTooLarge,
            ValidationFailed,
            Unauthorized,
            InvalidCredentials,
            TokenExpired,
            InvalidToken,
            SessionRevoked,
            AccountSuspended,
            Forbidden,
            NotFound,
            MethodNotAllowed,
            Conflict,
            UsernameTaken,
            EmailTaken,
            InsufficientPoints,
            IdempotencyKeyReused,
            Unprocessable,
            RateLimited,
            TooManyLoginAttempts,
            RegistrationClosed,
            ServiceUnavailable,
            Internal,
            InvalidTransition,
            OutOfStock,
            LimitReached,
            RewardUnavailable,
            InvalidApiKey,
            ApiKeyRevoked,
            ApiKeyExpired,
            ApiKeyOwnerSuspended,
            MissingScope,
            ApiKeyNotAllowed,
            IpBlocked,
            ApiKeyCeilingExceeded,
            SessionExpired,
            InvalidResetToken,
            HttpsRequired,
            StepUpRequired,
            InvalidTotpCode,
            TotpEnrolmentRequired,
            EmailNotVerified,
            InvalidVerificationToken,
            EmailAlreadyVerified,
            AccountDeletionBlocked,
            LastAdmin,
        ] {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::json!(code.as_str())
            );
            assert!((400..600).contains(&code.http_status()));
        }
    }
}
