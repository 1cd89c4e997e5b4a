//! Password reset, the email outbox and the admin's edit of a user (issue 15).

pub const FORGOT_LINK: &str = "نسيت كلمة المرور؟";
pub const FORGOT_TITLE: &str = "نسيت كلمة المرور";
pub const FORGOT_SUBTITLE: &str =
    "أدخل البريد الإلكتروني المسجّل في حسابك وسنرسل إليه رابطًا لتعيين كلمة مرور جديدة.";
pub const EMAIL_FIELD_LABEL: &str = "البريد الإلكتروني";
pub const FORGOT_SUBMIT: &str = "أرسل رابط إعادة التعيين";
pub const FORGOT_PENDING: &str = "جارٍ الإرسال…";
pub const FORGOT_SENT_TITLE: &str = "تحقّق من بريدك";
pub const FORGOT_SPAM_HINT: &str =
    "لم تصلك الرسالة؟ انظر في مجلد الرسائل غير المرغوب فيها، أو اطلب من مشرف المنصة رابطًا.";
pub const BACK_TO_LOGIN: &str = "العودة إلى تسجيل الدخول";
pub const RESET_TITLE: &str = "تعيين كلمة مرور جديدة";
pub const RESET_SUBTITLE: &str =
    "اختر كلمة مرور جديدة لحسابك. ستُنهى كل جلسات الدخول على كل الأجهزة.";
pub const RESET_SUBMIT: &str = "حفظ كلمة المرور الجديدة";
pub const RESET_PENDING: &str = "جارٍ الحفظ…";
pub const RESET_NO_TOKEN: &str =
    "هذا الرابط ناقص؛ افتح الرابط كما وصلك في الرسالة، أو اطلب رابطًا جديدًا.";
pub const RESET_REQUEST_NEW: &str = "اطلب رابطًا جديدًا";
pub const RESET_DONE: &str =
    "عُيّنت كلمة المرور الجديدة، وأُنهيت كل الجلسات. سجّل الدخول بكلمة المرور الجديدة.";

// Admin → outbox
pub const ADMIN_EMAILS: &str = "البريد الصادر";
pub const EMAILS_TABLE: &str = "رسائل البريد الصادر";
pub const EMAILS_EMPTY: &str = "لا رسائل هنا.";
pub const EMAILS_FILTER: &str = "الحالة";
pub const EMAILS_ALL: &str = "الكل";
pub const EMAIL_COL_TO: &str = "إلى";
pub const EMAIL_COL_SUBJECT: &str = "الموضوع";
pub const EMAIL_COL_STATUS: &str = "الحالة";
pub const EMAIL_COL_ATTEMPTS: &str = "المحاولات";
pub const EMAIL_COL_ERROR: &str = "آخر خطأ";
pub const EMAIL_COL_CREATED: &str = "أُنشئت";
pub const EMAIL_COL_ACTIONS: &str = "إجراء";
pub const EMAIL_RETRY: &str = "أعد الإرسال";
pub const EMAIL_RETRYING: &str = "جارٍ…";
pub const EMAILS_NO_SMTP: &str =
    "الرسائل «المسجّلة» لم تُرسل لأن خادم البريد غير مهيّأ (MUSABAQATI_SMTP_URL)؛ نصّها في سجل الخادم.";

pub fn email_status(s: domain::emails::EmailStatus) -> (&'static str, &'static str) {
    use domain::emails::EmailStatus::*;
    match s {
        Queued => ("في الانتظار", "tag tag-gold"),
        Sending => ("قيد الإرسال", "tag tag-gold"),
        Sent => ("أُرسلت", "tag tag-green"),
        Failed => ("فشلت", "tag tag-red"),
        Logged => ("مسجّلة دون إرسال", "tag"),
    }
}

// Admin → user → edit / reset link
pub const EDIT_USER_OPEN: &str = "تعديل البيانات";
pub const EDIT_USER_TITLE: &str = "تعديل بيانات المستخدم";
pub const EDIT_USER_TEXT: &str =
    "تنطبق قواعد التسجيل نفسها. اكتب سبب التعديل؛ يُحفظ في سجل التدقيق مع القيم قبل التعديل وبعده، ويُبلَّغ المستخدم.";
pub const DISPLAY_NAME_LABEL: &str = "الاسم الظاهر";
pub const USERNAME_LABEL: &str = "اسم المستخدم";
pub const NOTE_REQUIRED_LABEL: &str = "سبب التعديل";
pub const EDIT_USER_SUBMIT: &str = "حفظ التعديل";
pub const EDIT_USER_NOTHING: &str = "لم تغيّر شيئًا.";
pub const RESET_LINK_OPEN: &str = "رابط إعادة تعيين كلمة المرور";
pub const RESET_LINK_TEXT: &str =
    "يُصدر رابطًا لمرة واحدة صالحًا 30 دقيقة تسلّمه للمستخدم بنفسك (مفيد حين لا يوجد خادم بريد). يُعرض الرابط مرة واحدة فقط ويُسجَّل الإصدار في سجل التدقيق.";
pub const RESET_LINK_NOTE: &str = "السبب (مطلوب)";
pub const RESET_LINK_SUBMIT: &str = "أصدر الرابط";
pub const RESET_LINK_ONCE: &str = "انسخ الرابط الآن وسلّمه للمستخدم؛ لن يُعرض مرة أخرى. صالح حتى:";
pub const RESET_LINK_COPY: &str = "نسخ الرابط";
pub const RESET_LINK_COPIED: &str = "نُسخ الرابط.";
