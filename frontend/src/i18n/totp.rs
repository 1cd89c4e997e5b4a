//! Two-factor sign-in and step-up confirmation (issue 15 item 5).

pub const TOTP_SECTION: &str = "التحقق بخطوتين";
pub const TOTP_INTRO: &str =
    "اطلب رمزًا من تطبيق المصادقة (مثل Google Authenticator أو Aegis) مع كلمة المرور عند كل تسجيل دخول.";
pub const TOTP_ON: &str = "التحقق بخطوتين مفعّل.";
pub const TOTP_OFF: &str = "التحقق بخطوتين غير مفعّل.";
pub const TOTP_START: &str = "تفعيل التحقق بخطوتين";
pub const TOTP_SCAN: &str =
    "امسح الرمز بتطبيق المصادقة، أو اكتب المفتاح يدويًا، ثم أدخل الرمز المكوَّن من ستة أرقام.";
pub const TOTP_SECRET_LABEL: &str = "المفتاح";
pub const TOTP_CODE_FIELD: &str = "رمز التحقق";
pub const TOTP_CONFIRM: &str = "تأكيد التفعيل";
pub const TOTP_RECOVERY_TITLE: &str = "رموز الاسترداد";
pub const TOTP_RECOVERY_HINT: &str =
    "احفظ هذه الرموز في مكان آمن؛ لن تظهر مرة أخرى. كل رمز يصلح لتسجيل دخول واحد إن فقدت هاتفك.";
pub const TOTP_RECOVERY_DONE: &str = "حفظتها";
pub const TOTP_DISABLE: &str = "إيقاف التحقق بخطوتين";
pub const TOTP_DISABLE_HINT: &str = "أدخل رمزًا من التطبيق أو رمز استرداد لإيقافه.";
pub const TOTP_DISABLED: &str = "أُوقف التحقق بخطوتين.";
pub const TOTP_LOGIN_HINT: &str = "أدخل الرمز الظاهر في تطبيق المصادقة، أو أحد رموز الاسترداد.";
pub const TOTP_LOGIN_SUBMIT: &str = "تحقق";
pub const TOTP_LOGIN_PENDING: &str = "جارٍ التحقق…";
pub const STEP_UP_TITLE: &str = "تأكيد الهوية";
pub const STEP_UP_HINT_CODE: &str =
    "هذه العملية حساسة. أدخل رمز التحقق من تطبيق المصادقة للمتابعة.";
pub const STEP_UP_HINT_PASSWORD: &str = "هذه العملية حساسة. أدخل كلمة المرور للمتابعة.";
pub const STEP_UP_SUBMIT: &str = "تأكيد ومتابعة";
pub const STEP_UP_CANCEL: &str = "إلغاء";
