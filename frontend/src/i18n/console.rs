//! The admin console (issue 13 item 10): the grouped navigation, the audit log's filters and
//! readable details, time zones in date fields, queue and package-warning wording.
//! Names start with CONSOLE_/AUDIT_ (or `console_`, `audit_`, `zone_`…) so the glob re-export in
//! i18n.rs cannot be shadowed by, or shadow, another module's string.

// ---- Navigation ----
pub const CONSOLE_SECTION: &str = "القسم";
pub const CONSOLE_GROUP_OVERVIEW: &str = "نظرة عامة";
pub const CONSOLE_GROUP_SAFETY: &str = "الأمان";
pub const CONSOLE_GROUP_MEMBERS: &str = "الأعضاء";
pub const CONSOLE_GROUP_COMPETITIONS: &str = "المسابقات";
pub const CONSOLE_GROUP_STORE: &str = "المكافآت والمتجر";
pub const CONSOLE_GROUP_PLATFORM: &str = "المنصة";
/// Read after a section's count by screen readers ("٣ بانتظار المراجعة").
pub const CONSOLE_WAITING: &str = " بانتظار المراجعة";
pub fn console_option_count(label: &str, n: &str) -> String {
    format!("{label} ({n})")
}
pub const CONSOLE_NO_SECTION_TITLE: &str = "قسم غير موجود";
pub const CONSOLE_NO_SECTION: &str =
    "لا يوجد في الإدارة قسم بهذا العنوان. ربما تغيّر الرابط أو كُتب خطأ؛ اختر قسمًا من القائمة.";
pub const CONSOLE_BACK_TO_OVERVIEW: &str = "العودة إلى النظرة العامة";
pub const CONSOLE_RECORD_MISSING: &str =
    "لم نجد السجل المطلوب في هذا الرابط؛ ربما حُذف أو أن رقمه غير صحيح.";

// ---- Audit log: filters ----
pub const AUDIT_FILTERS: &str = "تصفية سجل التدقيق";
pub const AUDIT_FILTER_ACTION: &str = "الإجراء";
pub const AUDIT_FILTER_ACTOR: &str = "المنفّذ (اسم المستخدم)";
pub const AUDIT_FILTER_TARGET: &str = "نوع الهدف";
pub const AUDIT_FILTER_TARGET_ID: &str = "رقم الهدف";
pub const AUDIT_FILTER_FROM: &str = "من تاريخ";
pub const AUDIT_FILTER_TO: &str = "إلى تاريخ (شاملًا)";
pub const AUDIT_ANY: &str = "الكل";
pub const AUDIT_APPLY: &str = "تطبيق التصفية";
pub const AUDIT_CLEAR: &str = "مسح التصفية";
pub const AUDIT_NONE_MATCH: &str = "لا توجد عمليات تطابق هذه التصفية.";
pub const AUDIT_ITS_HISTORY: &str = "سجلّه";

// ---- Audit log: details ----
pub const AUDIT_BECAME: &str = "صار";
pub const AUDIT_RAW: &str = "التفاصيل الخام";
pub const AUDIT_YES: &str = "نعم";
pub const AUDIT_NO: &str = "لا";
pub const AUDIT_F_ROLE: &str = "الدور";
pub const AUDIT_F_STATUS: &str = "الحالة";
pub const AUDIT_F_BALANCE: &str = "الرصيد";
pub const AUDIT_F_DISPLAY_NAME: &str = "الاسم الظاهر";
pub const AUDIT_F_USERNAME: &str = "اسم المستخدم";
pub const AUDIT_F_EMAIL: &str = "البريد الإلكتروني";
pub const AUDIT_F_NAME: &str = "الاسم";
pub const AUDIT_F_SCOPES: &str = "الصلاحيات";
pub const AUDIT_F_EXPIRES: &str = "تاريخ الانتهاء";
pub const AUDIT_F_RATE: &str = "الحد في الدقيقة";
pub const AUDIT_F_AWARD_CALL: &str = "سقف المنحة الواحدة";
pub const AUDIT_F_AWARD_DAY: &str = "سقف المنح في اليوم";
pub const AUDIT_F_KIND: &str = "نوع المفتاح";
pub const AUDIT_F_OWNER: &str = "المالك";
pub const AUDIT_F_PREFIX: &str = "بادئة المفتاح";
pub const AUDIT_NOTE: &str = "الملاحظة";
pub const AUDIT_REASON: &str = "السبب";
pub const AUDIT_REFERENCE: &str = "رقم الطلب";
pub const AUDIT_PAYMENT_REFERENCE: &str = "مرجع الدفع";
pub const AUDIT_AMOUNT: &str = "المقدار";
pub const AUDIT_COST: &str = "التكلفة";
pub const AUDIT_POINTS: &str = "النقاط";

// ---- Dates and time zones ----
// `zone` is the browser's own Arabic name for its time zone ("التوقيت العالمي المنسق").
pub fn zone_only(zone: &str) -> String {
    format!("المنطقة الزمنية: {zone} (منطقة متصفحك).")
}
pub fn moment_in_zone(moment: &str, zone: &str) -> String {
    format!("{moment} — المنطقة الزمنية: {zone} (منطقة متصفحك).")
}
pub fn dates_in_zone(zone: &str) -> String {
    format!("الأيام بحسب المنطقة الزمنية: {zone} (منطقة متصفحك).")
}

// ---- Packages going on sale with default payment settings ----
pub const PACKAGE_DEFAULTS_TITLE: &str = "إعدادات الدفع ما زالت على قيمها الافتراضية";
pub fn package_defaults_text(which: &str) -> String {
    format!(
        "ستظهر هذه الباقة للمشاركين فور حفظها، ومن يطلبها سيرى تعليمات الدفع الحالية. لم تُضبط بعد: {which}. \
         يمكنك مراجعة الإعدادات أولًا، أو تفعيل الباقة الآن ثم إخفاؤها لاحقًا متى شئت."
    )
}
pub const PACKAGE_ACTIVATE_ANYWAY: &str = "تفعيل الباقة رغم ذلك";
pub const PACKAGE_REVIEW_SETTINGS: &str = "مراجعة إعدادات الدفع";

// ---- Confirmation buttons: a verb and its object, never «نعم» ----
pub const CONFIRM_APPROVE_REDEMPTION: &str = "الموافقة على الطلب";
pub const CONFIRM_REJECT_REDEMPTION: &str = "رفض الطلب وإعادة النقاط";
pub const CONFIRM_FULFIL: &str = "تأكيد التسليم";
pub const CONFIRM_APPROVE_SELECTED: &str = "الموافقة على الطلبات المحددة";
pub const CONFIRM_REJECT_SELECTED: &str = "رفض الطلبات المحددة وإعادة نقاطها";
pub const CONFIRM_RETIRE_REWARD: &str = "أرشفة المكافأة";
pub const CONFIRM_DELETE_PACKAGE: &str = "حذف الباقة نهائيًا";
pub const CONFIRM_MARK_PAID: &str = "تأكيد الدفع وإضافة النقاط";
pub const CONFIRM_CANCEL_PURCHASE: &str = "إلغاء طلب الشراء";
