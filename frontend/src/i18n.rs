//! The Arabic catalogue: every string a person sees lives here, so wording stays consistent and a
//! second language later means swapping one module. Messages with parameters are functions; the
//! numbers they receive are already formatted (digits setting applied) by `format::Fmt`.

// Brand and shell
pub const APP_NAME: &str = "مسابقاتي";
pub const APP_TAGLINE: &str = "نافس، اربح، واستمتع";
pub const POINTS_UNIT: &str = "كربتو";
pub const SKIP_TO_CONTENT: &str = "تخطَّ إلى المحتوى";
pub const MAIN_NAV: &str = "التنقل الرئيسي";
pub const NAV_HOME: &str = "الرئيسية";
pub const NAV_PROFILE: &str = "الملف الشخصي";
pub const NAV_ADMIN: &str = "الإدارة";
pub const NAV_LOGIN: &str = "تسجيل الدخول";
pub const NAV_REGISTER: &str = "إنشاء حساب";
pub const NAV_LOGOUT: &str = "تسجيل الخروج";
pub const USER_MENU: &str = "قائمة الحساب";
pub const BALANCE_LABEL: &str = "رصيدك";
pub const DIGITS_LABEL: &str = "شكل الأرقام";
pub const DIGITS_ARABIC: &str = "عربية ١٢٣";
pub const DIGITS_WESTERN: &str = "غربية 123";
pub const LOADING: &str = "جارٍ التحميل…";
pub const SIGNING_OUT: &str = "جارٍ تسجيل الخروج…";
pub const ROLE_ADMIN: &str = "مدير";
pub const ROLE_USER: &str = "مستخدم";
pub const STATUS_ACTIVE: &str = "نشط";
pub const STATUS_SUSPENDED: &str = "موقوف";

// Generic errors (the server's own Arabic message is preferred whenever there is one)
pub const ERR_NETWORK: &str = "تعذّر الاتصال بالخادم. تحقّق من اتصالك بالإنترنت ثم أعد المحاولة.";
pub const ERR_FIX_FIELDS: &str = "راجع الحقول المميّزة بالأحمر.";
pub fn err_unexpected(status: &str) -> String {
    format!("حدث خطأ غير متوقع (الرمز {status}). أعد المحاولة بعد قليل.")
}
pub fn retry_after(when: &str) -> String {
    format!("يمكنك المحاولة مجددًا {when}.")
}
pub const RETRY: &str = "إعادة المحاولة";

// Landing (anonymous home)
pub const HERO_BADGE: &str = "منصة المسابقات العربية";
pub const HERO_TITLE: &str = "نافس أصدقاءك واجمع كربتو مع كل فوز";
pub const HERO_TEXT: &str = "مسابقاتي منصة عربية للمسابقات: شارك في التحديات، واجمع نقاط كربتو، واستبدلها بمكافآت، وادعُ أصدقاءك ليخوضوا التحدي معك.";
pub const HERO_CTA_REGISTER: &str = "ابدأ الآن مجانًا";
pub const HERO_CTA_LOGIN: &str = "لديّ حساب";
pub const FEATURE_COMPETE_TITLE: &str = "مسابقات متنوعة";
pub const FEATURE_COMPETE_TEXT: &str =
    "اختبارات سريعة ومسابقات يحكّمها فريقنا، بجداول ترتيب تُحدَّث باستمرار.";
pub const FEATURE_POINTS_TITLE: &str = "نقاط كربتو";
pub const FEATURE_POINTS_TEXT: &str =
    "اكسب كربتو مع كل مشاركة وفوز، وتابع رصيدك وكل حركة عليه بوضوح.";
pub const FEATURE_FRIENDS_TITLE: &str = "تحدي الصديق";
pub const FEATURE_FRIENDS_TEXT: &str = "شارك رمز دعوتك، واحصلا معًا على مكافأة حين يبدأ صديقك رحلته.";

// Dashboard (signed-in home)
pub const GREETING_MORNING: &str = "صباح الخير";
pub const GREETING_EVENING: &str = "مساء الخير";
pub const DASHBOARD_SUBTITLE: &str = "إليك ملخص حسابك اليوم.";
pub const BALANCE_CARD_TITLE: &str = "رصيد كربتو";
pub const BALANCE_AVAILABLE: &str = "متاح للاستخدام";
pub const LIFETIME_EARNED: &str = "إجمالي ما كسبته";
pub const MEMBER_SINCE: &str = "عضو منذ";
pub const LAST_LOGIN: &str = "آخر دخول";
pub const LAST_LOGIN_NOW: &str = "هذه أول زيارة لك";
pub const ACCOUNT_TYPE: &str = "نوع الحساب";
pub const ACCOUNT_SUMMARY: &str = "ملخص الحساب";
pub const REFERRAL_TITLE: &str = "تحدي الصديق";
pub const REFERRAL_TEXT: &str =
    "ادعُ أصدقاءك برمزك الخاص. حين ينضم صديقك ويشارك في أول مسابقة له، تحصلان معًا على مكافأة كربتو.";
pub const REFERRAL_CODE_LABEL: &str = "رمز الدعوة الخاص بك";
pub const COPY_CODE: &str = "نسخ الرمز";
pub const COPY_LINK: &str = "نسخ رابط الدعوة";
pub const COPIED_CODE: &str = "نُسخ رمز الدعوة.";
pub const COPIED_LINK: &str = "نُسخ رابط الدعوة.";
pub const COPY_FAILED: &str = "تعذّر النسخ؛ انسخ الرمز يدويًا.";
pub const WELCOME_TITLE: &str = "أهلًا بك في مسابقاتي!";
pub const WELCOME_TEXT: &str = "حسابك جاهز. ثلاث خطوات صغيرة لتبدأ بقوة:";
pub const WELCOME_STEP_ACCOUNT: &str = "أنشأت حسابك";
pub const WELCOME_STEP_PROFILE: &str = "راجع بيانات ملفك الشخصي";
pub const WELCOME_STEP_INVITE: &str = "شارك رمز دعوتك مع صديق";
pub const WELCOME_DISMISS: &str = "إخفاء الترحيب";
pub const QUICK_LINKS: &str = "روابط سريعة";
pub const QUICK_PROFILE: &str = "إدارة الملف الشخصي والأمان";
pub const QUICK_ADMIN: &str = "لوحة الإدارة";
pub fn greeting(salutation: &str) -> String {
    format!("{salutation}،")
}

// Login
pub const LOGIN_TITLE: &str = "تسجيل الدخول";
pub const LOGIN_SUBTITLE: &str = "مرحبًا بعودتك! أدخل بياناتك للمتابعة.";
pub const LOGIN_FIELD: &str = "اسم المستخدم أو البريد الإلكتروني";
pub const PASSWORD_FIELD: &str = "كلمة المرور";
pub const LOGIN_SUBMIT: &str = "دخول";
pub const LOGIN_PENDING: &str = "جارٍ الدخول…";
pub const LOGIN_NO_ACCOUNT: &str = "ليس لديك حساب؟";
pub const LOGIN_NEED_AUTH: &str = "سجّل الدخول أولًا للوصول إلى هذه الصفحة.";
pub const SHOW_PASSWORD: &str = "إظهار كلمة المرور";
pub const SIGNED_OUT: &str = "سجّلت الخروج بنجاح.";
pub const SIGNED_OUT_ALL: &str = "سجّلت الخروج من جميع الأجهزة.";

// Register
pub const REGISTER_TITLE: &str = "إنشاء حساب جديد";
pub const REGISTER_SUBTITLE: &str = "انضم إلى مسابقاتي في أقل من دقيقة.";
pub const USERNAME_FIELD: &str = "اسم المستخدم";
pub fn username_hint(min: &str, max: &str) -> String {
    format!("من {min} إلى {max} حرفًا: حروف لاتينية وأرقام والشرطة السفلية والنقطة، ويبدأ بحرف.")
}
pub const EMAIL_FIELD: &str = "البريد الإلكتروني";
pub const DISPLAY_NAME_FIELD: &str = "الاسم الظاهر";
pub const DISPLAY_NAME_HINT: &str = "الاسم الذي يراه الآخرون في المسابقات وجداول الترتيب.";
pub fn password_hint(min: &str) -> String {
    format!("{min} أحرف على الأقل. العبارات الطويلة أقوى.")
}
pub const REFERRAL_FIELD: &str = "رمز الدعوة (اختياري)";
pub const REFERRAL_HINT: &str = "إن دعاك صديق فأدخل رمزه لتحصلا على المكافأة.";
pub const REGISTER_SUBMIT: &str = "إنشاء الحساب";
pub const REGISTER_PENDING: &str = "جارٍ إنشاء الحساب…";
pub const REGISTER_HAVE_ACCOUNT: &str = "لديك حساب بالفعل؟";
pub const REFERRAL_APPLIED: &str = "دعاك صديق! رمز دعوته مُدخل في النموذج.";
pub const AUTH_PANEL_TITLE: &str = "كل مسابقاتك في مكان واحد";
pub const AUTH_PANEL_POINT_1: &str = "شارك في مسابقات جديدة كل أسبوع";
pub const AUTH_PANEL_POINT_2: &str = "اجمع كربتو واستبدلها بمكافآت";
pub const AUTH_PANEL_POINT_3: &str = "ادعُ أصدقاءك وتحدَّوا بعضكم";

// Profile
pub const PROFILE_TITLE: &str = "الملف الشخصي";
pub const PROFILE_SUBTITLE: &str = "بياناتك، وأمان حسابك، والأجهزة المتصلة.";
pub const PROFILE_INFO: &str = "البيانات الشخصية";
pub const PROFILE_USERNAME_NOTE: &str = "اسم المستخدم ثابت ولا يمكن تغييره.";
pub const PROFILE_SAVE: &str = "حفظ التغييرات";
pub const PROFILE_SAVING: &str = "جارٍ الحفظ…";
pub const PROFILE_SAVED: &str = "حُفظت التغييرات.";
pub const PROFILE_NOTHING: &str = "لا توجد تغييرات لحفظها.";
pub const PASSWORD_TITLE: &str = "تغيير كلمة المرور";
pub const PASSWORD_TEXT: &str =
    "بعد التغيير تبقى متصلًا على هذا الجهاز، وتُنهى جلساتك على الأجهزة الأخرى.";
pub const CURRENT_PASSWORD_FIELD: &str = "كلمة المرور الحالية";
pub const NEW_PASSWORD_FIELD: &str = "كلمة المرور الجديدة";
pub const CONFIRM_PASSWORD_FIELD: &str = "تأكيد كلمة المرور الجديدة";
pub const PASSWORD_MISMATCH: &str = "كلمتا المرور غير متطابقتين.";
pub const PASSWORD_SUBMIT: &str = "تغيير كلمة المرور";
pub const PASSWORD_PENDING: &str = "جارٍ التغيير…";
pub const PASSWORD_CHANGED: &str = "غُيّرت كلمة المرور بنجاح.";
pub const SESSIONS_TITLE: &str = "الأجهزة والجلسات";
pub const SESSIONS_TEXT: &str = "الأجهزة التي سجّلت منها الدخول. أنهِ أي جلسة لا تعرفها.";
pub const SESSION_CURRENT: &str = "هذا الجهاز";
pub const SESSION_END: &str = "إنهاء";
pub const SESSION_ENDING: &str = "جارٍ الإنهاء…";
pub const SESSION_ENDED_OK: &str = "أُنهيت الجلسة.";
pub const SESSION_STARTED: &str = "بدأت";
pub const SESSION_LAST_USED: &str = "آخر نشاط";
pub const SESSION_IP: &str = "عنوان الشبكة";
pub const SESSIONS_EMPTY: &str = "لا توجد جلسات أخرى.";
pub const LOGOUT_ALL: &str = "تسجيل الخروج من جميع الأجهزة";
pub const LOGOUT_ALL_CONFIRM: &str = "سيُطلب منك ومن كل أجهزتك تسجيل الدخول من جديد. هل أنت متأكد؟";
pub const LOGOUT_ALL_YES: &str = "نعم، سجّل خروجي من الجميع";
pub const CANCEL: &str = "إلغاء";
pub const PREFS_TITLE: &str = "التفضيلات";
pub const PREFS_DIGITS_TEXT: &str = "اختر طريقة عرض الأرقام والتواريخ في التطبيق.";
pub const PREFS_THEME_TEXT: &str = "يتبع مظهر التطبيق (فاتح أو داكن) إعدادات جهازك تلقائيًا.";
pub const UNKNOWN_DEVICE: &str = "جهاز غير معروف";
pub const UNKNOWN_IP: &str = "غير معروف";
pub fn device(browser: &str, os: &str) -> String {
    format!("{browser} على {os}")
}

// Browsers and systems, for the sessions list
pub const BROWSER_CHROME: &str = "كروم";
pub const BROWSER_FIREFOX: &str = "فايرفوكس";
pub const BROWSER_SAFARI: &str = "سفاري";
pub const BROWSER_EDGE: &str = "إيدج";
pub const BROWSER_OPERA: &str = "أوبرا";
pub const BROWSER_SAMSUNG: &str = "متصفح سامسونج";
pub const BROWSER_APP: &str = "تطبيق";
pub const OS_ANDROID: &str = "أندرويد";
pub const OS_IPHONE: &str = "آيفون";
pub const OS_IPAD: &str = "آيباد";
pub const OS_WINDOWS: &str = "ويندوز";
pub const OS_MAC: &str = "ماك";
pub const OS_CHROMEOS: &str = "كروم أو إس";
pub const OS_LINUX: &str = "لينكس";
pub const OS_UNKNOWN: &str = "نظام غير معروف";

// Admin
pub const ADMIN_TITLE: &str = "لوحة الإدارة";
pub const ADMIN_SUBTITLE: &str = "كل ما تحتاجه لإدارة المنصة في مكان واحد.";
pub const ADMIN_TABS: &str = "أقسام الإدارة";
pub const ADMIN_USERS: &str = "المستخدمون";
pub const ADMIN_AUDIT: &str = "سجل التدقيق";
pub const ADMIN_SEARCH_LABEL: &str = "ابحث عن مستخدم";
pub const ADMIN_SEARCH_PLACEHOLDER: &str = "ابحث بالاسم أو البريد";
pub const ADMIN_SEARCH: &str = "بحث";
pub const ADMIN_COL_USER: &str = "المستخدم";
pub const ADMIN_COL_EMAIL: &str = "البريد الإلكتروني";
pub const ADMIN_COL_ROLE: &str = "الدور";
pub const ADMIN_COL_STATUS: &str = "الحالة";
pub const ADMIN_COL_BALANCE: &str = "الرصيد";
pub const ADMIN_COL_JOINED: &str = "الانضمام";
pub const ADMIN_NO_USERS: &str = "لا يوجد مستخدمون مطابقون لبحثك.";
pub const ADMIN_NO_AUDIT: &str = "لا توجد أحداث مسجّلة بعد.";
pub const LOAD_MORE: &str = "عرض المزيد";
pub const AUDIT_BY: &str = "بواسطة";
pub const AUDIT_SYSTEM: &str = "النظام";
pub const AUDIT_API_KEY: &str = "مفتاح ربط برمجي";
pub const AUDIT_TARGET: &str = "الهدف";
pub const FORBIDDEN_TITLE: &str = "لا تملك صلاحية الوصول";
pub const FORBIDDEN_TEXT: &str = "هذه الصفحة مخصّصة لمديري المنصة.";

/// Arabic label of an audit-log action code (the codes the server writes today).
pub fn audit_action(code: &str) -> Option<&'static str> {
    Some(match code {
        "user.register" => "إنشاء حساب",
        "user.create_admin" => "إنشاء حساب مدير",
        "user.login" => "تسجيل دخول",
        "user.logout" => "تسجيل خروج",
        "user.password_reset" => "تعيين كلمة مرور عبر رابط إعادة التعيين",
        "user.password_reset_link" => "إصدار رابط لإعادة تعيين كلمة المرور",
        "user.identity_change" => "تعديل الاسم أو اسم المستخدم أو البريد",
        "email.retry" => "إعادة إرسال رسالة بريد",
        "user.logout_all" => "تسجيل خروج من جميع الأجهزة",
        "user.password_change" => "تغيير كلمة المرور",
        "user.profile_update" => "تعديل الملف الشخصي",
        "user.role_change" => "تغيير الدور",
        "user.status_change" => "تغيير حالة الحساب",
        "session.end" => "إنهاء جلسة",
        "session.reuse_detected" => "إعادة استخدام رمز جلسة (أُنهيت الجلسة)",
        "api_key.create" => "إنشاء مفتاح ربط برمجي",
        "api_key.revoke" => "إلغاء مفتاح ربط برمجي",
        "api_key.rotate" => "تدوير مفتاح ربط برمجي",
        "api_key.update" => "تعديل مفتاح ربط برمجي",
        "api_key.convert" => "تحويل مفتاح ربط برمجي عند فصل نطاقات الإدارة",
        "competition.create" => "إنشاء مسابقة",
        "competition.update" => "تعديل مسابقة",
        "competition.delete" => "حذف مسابقة",
        "competition.publish" => "نشر مسابقة",
        "competition.results" => "إدخال نتائج مسابقة",
        "competition.finalize" => "اعتماد نتائج مسابقة وصرف الجوائز",
        "points.adjust" => "تعديل رصيد يدوي",
        "reward.create" => "إضافة مكافأة",
        "reward.update" => "تعديل مكافأة",
        "reward.retire" => "إيقاف مكافأة",
        "redemption.approve" => "الموافقة على طلب استبدال",
        "redemption.reject" => "رفض طلب استبدال",
        "redemption.fulfill" => "تسليم طلب استبدال",
        "redemption.cancel" => "إلغاء طلب استبدال",
        "package.create" => "إضافة باقة نقاط",
        "package.update" => "تعديل باقة نقاط",
        "package.delete" => "حذف باقة نقاط",
        "purchase.mark_paid" => "تأكيد دفع طلب شراء",
        "purchase.cancel" => "إلغاء طلب شراء",
        "purchase.record" => "تسجيل عملية شراء",
        "referral.approve" => "اعتماد دعوة صديق",
        "referral.reject" => "رفض دعوة صديق",
        "settings.update" => "تعديل إعدادات المنصة",
        "chat.room_create" => "إنشاء غرفة دردشة",
        "chat.room_update" => "تعديل غرفة دردشة",
        "chat.room_delete" => "حذف غرفة دردشة",
        "chat.message_delete" => "حذف رسالة",
        "export.download" => "تصدير بيانات",
        _ => return None,
    })
}
pub const AUDIT_OTHER: &str = "إجراء آخر";
pub fn audit_target_id(kind: &str, id: &str) -> String {
    format!("{kind} رقم {id}")
}

/// Arabic label of an audit-log target type.
pub fn audit_target(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "user" => "مستخدم",
        "session" => "جلسة",
        "competition" => "مسابقة",
        "reward" => "مكافأة",
        "settings" | "setting" => "الإعدادات",
        "redemption" => "طلب استبدال",
        "package" => "باقة نقاط",
        "purchase" => "طلب شراء",
        "referral" => "دعوة صديق",
        "chat_room" => "غرفة دردشة",
        "chat_message" => "رسالة",
        "export" => "تصدير",
        "api_key" => "مفتاح ربط برمجي",
        _ => return None,
    })
}

// 404
pub const NOT_FOUND_TITLE: &str = "الصفحة غير موجودة";
pub const NOT_FOUND_TEXT: &str = "ربما نُقلت هذه الصفحة أو أن الرابط غير صحيح.";
pub const NOT_FOUND_HOME: &str = "العودة إلى الرئيسية";

// Page titles (the browser tab)
pub fn page_title(page: &str) -> String {
    format!("{page} · {APP_NAME}")
}

// ===== Competitions, points ledger, leaderboards, notifications: in i18n/competitions.rs =====
mod competitions;
pub use competitions::*;

// ===== Rewards, redemptions, the point store, users, settings, dashboard: in i18n/rewards.rs =====
mod rewards;
pub use rewards::*;

// ===== Chat, Friend Challenge, referral review (issue 6): in i18n/social.rs =====
mod social;
pub use social::*;

// ===== Admin: integrator API keys: in i18n/api_keys.rs =====
mod api_keys;
pub use api_keys::*;

// ===== Password reset, outbox, admin edit of a user (issue 15): in i18n/accounts.rs =====
mod accounts;
pub use accounts::*;

// ===== Two-factor sign-in and step-up (issue 15 item 5): in i18n/totp.rs =====
mod totp;
pub use totp::*;

// ===== Leaderboard pages and "around me" (issue 13 item 8): in i18n/board.rs =====
mod board;
pub use board::*;

// ===== My competitions (issue 17 item 1): in i18n/mine.rs =====
mod mine;
pub use mine::*;

// ===== Trust and safety (issue 12): in i18n/safety.rs =====
mod safety;
pub use safety::*;

// ===== Email verification and data rights (issue 15 items 3 and 7): in i18n/verify.rs =====
mod verify;
pub use verify::*;

// ===== Accessibility and the phone quiz (issue 13, items 7 and 11): in i18n/a11y.rs =====
mod a11y;
pub use a11y::*;

// ===== The home page's feed (issue 13 item 6): in i18n/home.rs =====
mod home;
pub use home::*;

// ===== The admin console: navigation, audit filters and details (issue 13 item 10): in i18n/console.rs =====
mod console;
pub use console::*;
