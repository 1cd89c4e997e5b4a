//! Arabic strings of the admin tab «مفاتيح API» (integrator keys, their kinds, scopes, award
//! ceilings, usage and refused attempts), kept in their own file so the section merges cleanly;
//! `i18n` re-exports everything. Every name here must be new (see `i18n/social.rs`).

pub const ADMIN_API_KEYS: &str = "مفاتيح API";
pub const API_KEY_VIEWS: &str = "أقسام مفاتيح الربط";
pub const API_KEYS_LIST: &str = "المفاتيح";
pub const FAILED_ATTEMPTS: &str = "المحاولات المرفوضة";
pub const API_KEYS_INTRO: &str =
    "مفاتيح تتيح للأنظمة الأخرى استخدام واجهة المنصة. المفتاح الشخصي يعمل باسم من أنشأه على مسارات المشاركين فقط؛ ومفتاح الخدمة وحده يحمل صلاحيات الإدارة التي تختارها، ومنحُ النقاط به مقيّد بسقفين.";
pub const KEY_STATES: &str = "تصفية المفاتيح حسب الحالة";
pub const KEYS_ACTIVE: &str = "فعّالة";
pub const KEYS_REVOKED: &str = "ملغاة";
pub const KEYS_EXPIRED: &str = "منتهية";
pub const NO_API_KEYS: &str = "لا مفاتيح بهذه الحالة.";
pub const NEW_API_KEY: &str = "مفتاح جديد";
pub const CREATE_API_KEY: &str = "إنشاء المفتاح";
pub const CREATING: &str = "جارٍ الإنشاء…";
pub const COL_KEY: &str = "المفتاح";
pub const COL_OWNER: &str = "المالك";
pub const COL_SCOPES: &str = "النطاقات";
pub const COL_RATE: &str = "حد الطلبات";
pub const COL_EXPIRES: &str = "ينتهي";
pub const COL_LAST_USED: &str = "آخر استخدام";
pub const NEVER_EXPIRES: &str = "لا ينتهي";
pub const NEVER_USED: &str = "لم يُستخدم بعد";
pub const KEY_USAGE: &str = "الاستخدام";
pub const ROTATE: &str = "تدوير";
pub const REVOKE: &str = "إلغاء";
pub fn per_minute(n: &str) -> String {
    format!("{n} / دقيقة")
}
pub fn open_key(name: &str) -> String {
    format!("استخدام المفتاح «\u{2068}{name}\u{2069}» وتفاصيله")
}

// The create form
pub const KEY_NAME: &str = "اسم المفتاح";
pub const KEY_NAME_HINT: &str = "ما الذي يستخدمه، مثل اسم النظام المتكامل.";
// Kinds
pub const KEY_KIND: &str = "نوع المفتاح";
pub const KIND_PERSONAL_HINT: &str =
    "يعمل باسمك على مسارات المشاركين فقط: رصيدك وتحويلاتك ومسابقاتك ومحادثاتك. لا يفتح أي مسار إداري.";
pub const KIND_SERVICE_HINT: &str =
    "لنظام يؤدي أعمالًا إدارية: يحمل نطاقات الإدارة التي تختارها، ويعمل باسمك. منح النقاط به مقيّد بسقف لكل طلب وسقف يومي.";
pub const KEY_ACTS_AS_YOU: &str =
    "يعمل كل مفتاح باسم المشرف الذي ينشئه دائمًا؛ لا يمكن إنشاء مفتاح باسم مستخدم آخر.";
pub const KEY_SCOPES: &str = "النطاقات";
pub const PARTICIPANT_SCOPES: &str = "نطاقات المشارك (تعمل باسمك)";
pub const ADMIN_SCOPES: &str = "نطاقات الإدارة (لمفاتيح الخدمة فقط)";
pub const KEY_SCOPES_HINT: &str =
    "اختر أقل ما يحتاجه النظام المتكامل. نطاق المشارك لا يفتح مسارًا إداريًا أبدًا.";
pub const SCOPE_READ: &str = "قراءة";
pub const SCOPE_WRITE: &str = "كتابة";
pub const ADMIN_SCOPE_TAG: &str = "إدارة";
pub const KEY_RATE: &str = "حد الطلبات في الدقيقة";
pub fn key_rate_hint(min: &str, max: &str) -> String {
    format!("من {min} إلى {max}، ويُطبَّق على كل خادم على حدة.")
}
pub const KEY_EXPIRES: &str = "تاريخ انتهاء الصلاحية (اختياري)";
pub const KEY_EXPIRES_HINT: &str = "اتركه فارغًا ليبقى المفتاح صالحًا حتى يُلغى.";
// Award ceilings
pub const CEILINGS: &str = "سقوف منح النقاط وخصمها";
pub const CEILINGS_HINT: &str =
    "تُحسب القيمة المطلقة لكل منح أو خصم عبر هذا المفتاح. ما يتجاوز أحد السقفين يُرفض ولا يتغير شيء.";
pub const CEILING_PER_CALL: &str = "سقف الطلب الواحد (كربتو)";
pub const CEILING_PER_DAY: &str = "السقف اليومي (كربتو)";
pub const CEILING_PER_DAY_HINT: &str = "يبدأ العدّ من جديد كل يوم عند منتصف الليل بالتوقيت العالمي.";
pub const CEILINGS_MISSING: &str =
    "لم تُحدَّد سقوف منح النقاط لهذا المفتاح، فالمنح والخصم به موقوفان حتى تحدّدها.";
pub const AWARDED_TODAY: &str = "مُنح اليوم";
pub fn ceilings_line(per_call: &str, per_day: &str) -> String {
    format!("سقف المنح: {per_call} للطلب، {per_day} يوميًا")
}
pub fn used_today(used: &str, per_day: &str) -> String {
    format!("{used} من {per_day}")
}

// The audit log
pub const AUDIT_VIA_KEY: &str = "عبر المفتاح";
pub const AUDIT_KEY_CREATED_BY: &str = "الذي أنشأه";

// Editing
pub const EDIT_KEY: &str = "تعديل الإعدادات";
pub const SAVE_KEY: &str = "حفظ التعديلات";
pub const KEY_SAVED_CHANGES: &str = "حُفظت إعدادات المفتاح.";
pub const EDIT_KEY_HINT: &str =
    "يمكن تعديل الاسم وحد الطلبات وسقوف المنح. النوع والنطاقات لا تتغير؛ لذلك أنشئ مفتاحًا جديدًا.";
pub fn edit_key_title(name: &str) -> String {
    format!("تعديل المفتاح «\u{2068}{name}\u{2069}»")
}

/// The resource a scope is about (`ApiScope::area`: `points` of `points:read` and of
/// `admin:points:write`).
pub fn scope_resource(resource: &str) -> &'static str {
    match resource {
        "competitions" => "المسابقات",
        "points" => "النقاط",
        "users" => "المستخدمون",
        "rewards" => "المكافآت",
        "redemptions" => "طلبات الاستبدال",
        "purchases" => "المشتريات",
        "packages" => "باقات النقاط",
        "referrals" => "الدعوات",
        "chat" => "المحادثات",
        "notifications" => "الإشعارات",
        "inbox" => "تنبيهات الإدارة",
        "settings" => "الإعدادات",
        "stats" => "الإحصاءات",
        "audit" => "سجل التدقيق",
        "ledger" => "دفاتر النقاط",
        "exports" => "التصدير",
        _ => "أخرى",
    }
}

// Shown once
pub const KEY_CREATED: &str = "أُنشئ المفتاح";
pub const KEY_ROTATED: &str = "دُوّر المفتاح";
pub const KEY_SHOWN_ONCE: &str =
    "هذه المرة الوحيدة التي يظهر فيها المفتاح كاملًا. انسخه الآن واحفظه في مكان آمن: لا نحتفظ إلا ببصمته، فلا يمكن عرضه مرة أخرى. إن فقدته فدوّره.";
pub const KEY_FULL: &str = "المفتاح الكامل";
pub const KEY_HEADER_HINT: &str = "يُرسَل مع كل طلب في الترويسة";
pub const COPY_KEY: &str = "نسخ المفتاح";
pub const COPIED_KEY: &str = "نُسخ المفتاح.";
pub const KEY_SAVED: &str = "حفظت المفتاح";
pub const KEY_CLOSE_CONFIRM: &str = "هل نسخت المفتاح وحفظته؟ بعد الإغلاق لن تتمكن من رؤيته مرة أخرى.";
pub const KEY_CLOSE_YES: &str = "نعم، أغلق";
pub const KEY_CLOSE_BACK: &str = "رجوع إلى المفتاح";

// Revoke and rotate
pub const REVOKE_KEY: &str = "إلغاء المفتاح";
pub const REVOKE_KEY_TEXT: &str =
    "يتوقف المفتاح عن العمل فورًا على كل الخوادم، ولا يمكن التراجع عن ذلك. ستُرفض كل الطلبات التي تستخدمه.";
pub const ROTATE_KEY: &str = "تدوير المفتاح";
pub const ROTATE_KEY_TEXT: &str =
    "يُنشأ مفتاح جديد بالاسم والنوع والنطاقات والحدود والسقوف نفسها، يعمل باسمك أنت، ويتوقف هذا المفتاح فورًا. حدّث النظام المتكامل بالمفتاح الجديد.";
pub const GO_BACK: &str = "تراجع";
pub fn revoke_key_title(name: &str) -> String {
    format!("إلغاء المفتاح «\u{2068}{name}\u{2069}»")
}
pub fn rotate_key_title(name: &str) -> String {
    format!("تدوير المفتاح «\u{2068}{name}\u{2069}»")
}

// Usage
pub const ALL_KEYS: &str = "كل المفاتيح";
pub const REFRESH: &str = "تحديث";
pub const USAGE_PERIOD: &str = "مدة الاستخدام";
pub const LAST_DAY: &str = "آخر يوم";
pub const LAST_WEEK: &str = "آخر أسبوع";
pub const LAST_MONTH: &str = "آخر ٣٠ يومًا";
pub const CALLS: &str = "الطلبات";
pub const ERRORS: &str = "الأخطاء";
pub const ERROR_RATE: &str = "نسبة الأخطاء";
pub const USAGE_CHART: &str = "الطلبات والأخطاء عبر الوقت";
pub const USAGE_LAG: &str = "تُسجَّل الطلبات على دفعات، فقد يتأخر ظهورها ثانية أو نحوها.";
pub const RECENT_CALLS: &str = "أحدث الطلبات";
pub const NO_CALLS: &str = "لا طلبات في هذه المدة.";
pub const NOW: &str = "الآن";
pub const COL_TIME: &str = "الوقت";
pub const COL_METHOD: &str = "الطريقة";
pub const COL_ROUTE: &str = "المسار";
pub const COL_HTTP_STATUS: &str = "الرد";
pub const COL_LATENCY: &str = "المدة";
pub const CREATED_AT: &str = "أُنشئ";
pub const CREATED_BY: &str = "أنشأه";
pub const ROTATED_FROM: &str = "بديل المفتاح رقم";
pub fn millis(n: &str) -> String {
    format!("{n} ملي ث")
}
pub fn usage_summary(calls: &str, errors: &str) -> String {
    format!("{calls} طلبًا، منها {errors} بأخطاء")
}

// Failed attempts
pub const FAILED_INTRO: &str =
    "طلبات قدّمت مفتاحًا غير صالح. لا يُحفظ السر المقدَّم أبدًا، بل بادئة المفتاح حين يمكن قراءتها.";
pub const FILTER_IP: &str = "عنوان الشبكة";
pub const FILTER_REASON: &str = "السبب";
pub const ALL_REASONS: &str = "كل الأسباب";
pub const COL_PREFIX: &str = "بادئة المفتاح";
pub const COL_REQUEST: &str = "الطلب";
pub const NO_FAILED: &str = "لا محاولات مرفوضة مطابقة.";
pub const UNREADABLE: &str = "غير مقروءة";
