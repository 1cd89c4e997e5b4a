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

// ===== Competitions, points ledger, leaderboards, notifications (competitions issue) =====
// Kept together in this section; other features add their own sections.

// Navigation and shared words
pub const NAV_COMPETITIONS: &str = "المسابقات";
pub const NAV_LEADERBOARD: &str = "المتصدرون";
pub const NAV_POINTS: &str = "نقاطي";
pub const NAV_PROFILE_SHORT: &str = "حسابي";
pub const CLOSE: &str = "إغلاق";
pub const DONE: &str = "تم";
pub const EDIT: &str = "تعديل";
pub const DELETE: &str = "حذف";
pub const SAVING: &str = "جارٍ الحفظ…";
pub const SAVE_CHANGES: &str = "حفظ التغييرات";
pub const YOU: &str = "أنت";
pub const TODAY: &str = "اليوم";
pub const SINCE: &str = "منذ";
pub const FREE: &str = "مجانية";
pub const CURRENT_BALANCE: &str = "رصيدك الحالي";
pub const ERR_POSITIVE_NUMBER: &str = "أدخل عددًا صحيحًا أكبر من صفر.";
pub const ERR_WHOLE_NUMBER: &str = "أدخل عددًا صحيحًا.";
pub const ERR_DATETIME: &str = "أدخل التاريخ والوقت كاملين.";
pub fn rank_title(rank: &str) -> String {
    format!("المركز {rank}")
}
/// "المركز الأول" … "المركز العاشر", then "المركز ١١".
pub fn rank_name(rank: i64, formatted: &str) -> String {
    const ORDINALS: [&str; 10] = [
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
    ];
    match usize::try_from(rank - 1).ok().and_then(|i| ORDINALS.get(i)) {
        Some(o) => format!("المركز {o}"),
        None => format!("المركز {formatted}"),
    }
}

// Countdown
pub const CD_DAYS: &str = "أيام";
pub const CD_HOURS: &str = "ساعات";
pub const CD_MINUTES: &str = "دقائق";
pub const CD_SECONDS: &str = "ثوانٍ";
pub const STARTS_IN: &str = "تبدأ المسابقة بعد";
pub const ENDS_IN: &str = "تنتهي المسابقة بعد";
pub const UPDATING_STATE: &str = "جارٍ تحديث حالة المسابقة…";

// Competitions list
pub const COMPETITIONS_TITLE: &str = "المسابقات";
pub const COMPETITIONS_SUBTITLE: &str =
    "اختر مسابقة، واشترك قبل أن يُغلق التسجيل، ونافس على الجوائز.";
pub const COMPETITION_FILTERS: &str = "تصفية المسابقات حسب الحالة";
pub const FILTER_OPEN: &str = "التسجيل مفتوح";
pub const FILTER_UPCOMING: &str = "قادمة";
pub const FILTER_RUNNING: &str = "جارية";
pub const FILTER_ENDED: &str = "منتهية";
pub const FILTER_ALL: &str = "الكل";
pub const SEARCH_COMPETITIONS: &str = "ابحث عن مسابقة";
pub const COMPETITIONS_EMPTY: &str = "لا توجد مسابقات هنا الآن";
pub const COMPETITIONS_EMPTY_HINT: &str =
    "جرّب تبويبًا آخر، أو عد قريبًا؛ نضيف مسابقات جديدة باستمرار.";
pub const COMPETITIONS_EMPTY_SEARCH: &str = "لم نجد مسابقة تطابق بحثك. جرّب كلمة أخرى.";
pub const STATE_OPEN: &str = "التسجيل مفتوح";
pub const STATE_SOON: &str = "قريبًا";
pub const STATE_RUNNING: &str = "جارية";
pub const STATE_ENDED: &str = "منتهية";
pub const STATE_FINALIZED: &str = "النتائج معتمدة";
pub const STATE_FINALIZED_LONG: &str = "اعتُمدت النتائج ووُزّعت الجوائز";
pub const STATE_DRAFT: &str = "مسودة";
pub const JOINED: &str = "مشترك";
pub const PRIZES: &str = "الجوائز";
pub const NO_PRIZES: &str = "بلا جوائز مراكز";
pub const ENTRY_FEE: &str = "رسوم الاشتراك";
pub const PARTICIPANTS: &str = "المشاركون";
pub fn starts_when(relative: &str) -> String {
    format!("تبدأ {relative}")
}
pub fn ends_when(relative: &str) -> String {
    format!("تنتهي {relative}")
}
pub fn ended_when(relative: &str) -> String {
    format!("انتهت {relative}")
}

// Competition page
pub const ALL_COMPETITIONS: &str = "كل المسابقات";
pub const BROWSE_COMPETITIONS: &str = "تصفّح المسابقات";
pub const COMPETITION_NOT_FOUND: &str = "المسابقة غير موجودة";
pub const COMPETITION_NOT_FOUND_TEXT: &str = "ربما حُذفت هذه المسابقة أو أن الرابط غير صحيح.";
pub const DETAILS: &str = "التفاصيل";
pub const STARTS_AT: &str = "البداية";
pub const ENDS_AT: &str = "النهاية";
pub const REGISTRATION_DEADLINE: &str = "آخر موعد للتسجيل";
pub const PARTICIPATION_POINTS: &str = "نقاط المشاركة";
pub const QUESTION_COUNT: &str = "عدد الأسئلة";
pub const QUIZ_DURATION: &str = "مدة الاختبار";
pub const PRIZE_TABLE: &str = "جدول الجوائز";
pub const NO_PRIZE_TABLE: &str = "لا جوائز مراكز لهذه المسابقة.";
pub fn participation_note(points: &str) -> String {
    format!("ويحصل كل من يُكمل المشاركة على {points} كربتو.")
}
pub const RULES: &str = "القواعد";
pub const NO_RULES: &str = "لا قواعد إضافية لهذه المسابقة.";
pub const TAKE_PART: &str = "المشاركة";
pub const SIGN_IN_TO_JOIN: &str = "سجّل الدخول للاشتراك";
pub const JOIN_FREE: &str = "اشترك الآن مجانًا";
pub fn join_for(fee: &str) -> String {
    format!("اشترك مقابل {fee} كربتو")
}
pub fn join_confirm(fee: &str) -> String {
    format!("سيُخصم {fee} كربتو من رصيدك رسومَ اشتراك. هل تتابع؟")
}
pub fn withdraw_confirm(fee: &str) -> String {
    if fee.chars().all(|c| c == '0' || c == '٠') {
        "هل تريد الانسحاب من هذه المسابقة؟".to_owned()
    } else {
        format!("هل تريد الانسحاب؟ ستُعاد إليك رسوم الاشتراك ({fee} كربتو).")
    }
}
pub const CONFIRM_JOIN: &str = "تأكيد الاشتراك";
pub const CONFIRM_WITHDRAW: &str = "نعم، انسحب";
pub const NOT_ENOUGH_FOR_FEE: &str = "رصيدك لا يكفي لرسوم الاشتراك.";
pub const JOIN_DONE: &str = "اشتركت في المسابقة. بالتوفيق!";
pub const WITHDRAW_DONE: &str = "انسحبت من المسابقة.";
pub const WITHDRAW: &str = "الانسحاب من المسابقة";
pub const YOU_ARE_IN: &str = "أنت مشترك في هذه المسابقة";
pub const YOU_ARE_IN_HINT: &str = "يمكنك الانسحاب قبل البداية وتُعاد إليك الرسوم.";
pub const START_QUIZ: &str = "ابدأ الاختبار";
pub const ANSWERS_SENT: &str = "أرسلت إجاباتك";
pub const RESULTS_AFTER_END: &str =
    "تُعلن المراكز وتُمنح الجوائز بعد انتهاء المسابقة واعتماد النتائج.";
pub const JUDGED_RUNNING: &str = "المسابقة جارية، وستُدخل لجنة التحكيم الدرجات.";
pub const AWAITING_RESULTS: &str = "انتهت المسابقة، والنتائج بانتظار الاعتماد.";
pub const RESULTS_READY: &str = "اعتُمدت النتائج";
pub const COMPETITION_FULL: &str = "اكتمل عدد المشاركين.";
pub const REGISTRATION_CLOSED: &str = "التسجيل مغلق.";
pub const ENTRY_TITLE: &str = "مشاركتك";
pub const ENTRY_TEXT: &str = "وصف المشاركة";
pub const ENTRY_LINK: &str = "رابط العمل (اختياري)";
pub const ENTRY_LINK_HINT: &str = "رابط يبدأ بـ https:// إلى صورة العمل أو ملفه.";
pub const ENTRY_SEND: &str = "إرسال المشاركة";
pub const ENTRY_UPDATE: &str = "حفظ التعديل";
pub const ENTRY_SAVED: &str = "حُفظت مشاركتك.";
pub const ENTRY_NONE: &str = "لم ترسل مشاركة في هذه المسابقة.";
pub const ENTRY_AWAITING_SCORE: &str = "لم تُدخل لجنة التحكيم درجتك بعد.";
pub fn entry_open_until(at: &str) -> String {
    format!("يمكنك إرسال مشاركتك وتعديلها حتى {at}.")
}
pub fn entry_sent_at(at: &str) -> String {
    format!("آخر حفظ: {at}")
}
pub fn entry_score(score: &str) -> String {
    format!("درجتك من لجنة التحكيم: {score}")
}
pub const JUDGED_ENTRIES: &str = "المشاركات";
pub const JUDGE_WITHOUT_NAMES: &str = "إخفاء الأسماء أثناء التحكيم";
pub const NO_ENTRIES: &str = "لم تصل مشاركات بعد.";
pub fn entries_missing(n: &str) -> String {
    format!("مشتركون لم يرسلوا مشاركة: {n}")
}

pub const REGISTRATION_CLOSED_AT_START: &str = "أُغلق التسجيل عند بدء المسابقة.";
pub fn registration_opens(relative: &str) -> String {
    format!("يفتح التسجيل {relative}.")
}
pub fn registration_closed(relative: &str) -> String {
    format!("أُغلق التسجيل {relative}.")
}
pub const RESULTS: &str = "النتائج";
pub const RESULTS_PROVISIONAL: &str = "النتائج الأولية";
pub const RESULTS_PROVISIONAL_HINT: &str = "قد يتغير الترتيب حتى تُعتمد النتائج.";
pub const YOUR_RANK: &str = "مركزك";
pub const OUT_OF: &str = "من";
pub const YOUR_SCORE: &str = "درجتك:";
pub const YOU_EARNED: &str = "ربحت";
pub const NO_SCORE: &str = "لم تُسجَّل لك درجة في هذه المسابقة.";
pub const NO_RESULTS: &str = "لا نتائج بعد.";
pub const SCORE: &str = "الدرجة";
pub const RANK: &str = "المركز";

// Quiz
pub const QUIZ_TITLE: &str = "الاختبار";
pub const BACK_TO_COMPETITION: &str = "العودة إلى المسابقة";
pub const QUIZ_NOT_PARTICIPANT: &str = "اشترك في المسابقة أولًا لتتمكن من حل الاختبار.";
pub const QUIZ_NOT_RUNNING: &str = "الاختبار غير متاح الآن: لم تبدأ المسابقة بعد أو انتهى وقتها.";
pub const QUIZ_NO_QUESTIONS: &str = "لا أسئلة في هذا الاختبار.";
pub const QUIZ_PROGRESS: &str = "تقدّمك في الاختبار";
pub const TIME_LEFT: &str = "الوقت المتبقي";
pub const PREVIOUS: &str = "السابق";
pub const NEXT: &str = "التالي";
pub const REVIEW_AND_SEND: &str = "مراجعة وإرسال";
pub const QUESTIONS_NAV: &str = "الانتقال بين الأسئلة";
pub const SEND_ANSWERS: &str = "إرسال الإجابات";
pub const SEND_FINAL: &str = "لا يمكن تعديل الإجابات بعد الإرسال.";
pub const KEEP_REVIEWING: &str = "متابعة المراجعة";
pub const TIME_UP_SENT: &str = "انتهى الوقت، فأُرسلت إجاباتك تلقائيًا.";
pub const SCORE_TITLE: &str = "أُرسلت إجاباتك";
pub const SCORE_PERFECT: &str = "إجابات كاملة! أحسنت";
pub fn question_of(n: &str, total: &str) -> String {
    format!("السؤال {n} من {total}")
}
pub fn question_points(points: &str) -> String {
    format!("نقاط السؤال: {points}")
}
pub fn answered_of(n: &str, total: &str) -> String {
    format!("أجبت عن {n} من {total}")
}
pub fn unanswered(n: &str) -> String {
    format!("أسئلة بلا إجابة: {n}. لا تُحتسب لها درجات.")
}
pub fn go_to_question(n: &str) -> String {
    format!("السؤال {n}")
}
pub fn correct_of(correct: &str, total: &str) -> String {
    format!("إجابات صحيحة: {correct} من {total}")
}

// Leaderboard
pub const LEADERBOARD_TITLE: &str = "المتصدرون";
pub const LEADERBOARD_SUBTITLE: &str =
    "الترتيب بالنقاط المكتسبة من المسابقات والمكافآت، لا بالرصيد.";
pub const LEADERBOARD_PERIODS: &str = "فترة الترتيب";
pub const PERIOD_ALL: &str = "كل الأوقات";
pub const PERIOD_MONTH: &str = "هذا الشهر";
pub const PERIOD_WEEK: &str = "هذا الأسبوع";
pub const MY_RANK: &str = "ترتيبك";
pub const MY_RANK_NONE: &str = "لم تكسب نقاطًا في هذه الفترة بعد. شارك في مسابقة لتدخل الترتيب.";
pub const MY_RANK_SIGN_IN: &str = "سجّل الدخول لترى ترتيبك.";
pub const EARNED_IN_PERIOD: &str = "كسبت في هذه الفترة";
pub const BOARD_EMPTY: &str = "لا أحد في الترتيب بعد";
pub const BOARD_EMPTY_HINT: &str = "كن أول المتصدرين: شارك في مسابقة واكسب كربتو.";

// Points
pub const POINTS_TITLE: &str = "نقاطي";
pub const POINTS_SUBTITLE: &str = "رصيدك من كربتو، وكل حركة عليه، والتحويل إلى أصدقائك.";
pub fn chart_title(days: &str) -> String {
    format!("رصيدك خلال آخر {days} يومًا")
}
pub const CHART_EMPTY: &str = "لا بيانات لعرضها بعد.";
pub fn chart_summary(days: &str, from: &str, to: &str) -> String {
    format!("رصيدك خلال آخر {days} يومًا: من {from} إلى {to} كربتو.")
}
pub const HISTORY_TITLE: &str = "سجل الحركات";
pub const HISTORY_FILTER: &str = "نوع الحركة";
pub const HISTORY_ALL: &str = "كل الحركات";
pub const HISTORY_EMPTY: &str = "لا حركات هنا بعد.";
pub const BALANCE_AFTER: &str = "الرصيد بعدها:";
pub const FROM_USER: &str = "من";
pub const TO_USER: &str = "إلى";
pub const TRANSFER_TITLE: &str = "تحويل كربتو";
pub const TRANSFER_TEXT: &str = "أرسل من رصيدك إلى مستخدم آخر باسم المستخدم الخاص به.";
pub const TRANSFER_TO: &str = "اسم المستخدم المستلم";
pub const AMOUNT_FIELD: &str = "المبلغ";
pub const TRANSFER_NOTE: &str = "ملاحظة (اختيارية)";
pub const TRANSFER_NEXT: &str = "متابعة";
pub const TRANSFER_LOOKING: &str = "جارٍ البحث عن المستلم…";
pub const TRANSFER_CONFIRM_TITLE: &str = "تأكد من المستلم قبل الإرسال:";
pub const BALANCE_AFTER_TRANSFER: &str = "رصيدك بعد التحويل";
pub const TRANSFER_SEND: &str = "تأكيد التحويل";
pub const TRANSFER_SENDING: &str = "جارٍ التحويل…";
pub const TRANSFER_SELF: &str = "لا يمكنك التحويل إلى نفسك.";
pub const TRANSFER_NO_USER: &str = "لا يوجد مستخدم نشط بهذا الاسم.";
pub fn transfer_not_enough(balance: &str) -> String {
    format!("رصيدك لا يكفي؛ رصيدك الحالي {balance} كربتو.")
}
pub fn transfer_done(amount: &str, name: &str) -> String {
    format!("حوّلت {amount} كربتو إلى {name}.")
}

// Notifications
pub const NOTIFICATIONS: &str = "الإشعارات";
pub const NOTIF_UNREAD: &str = "غير مقروء";
pub const NOTIF_MARK_READ: &str = "تحديد كمقروء";
pub const NOTIF_MARK_ALL: &str = "تحديد الكل كمقروء";
pub const NOTIF_EMPTY: &str = "لا إشعارات بعد. سنخبرك هنا بالنتائج والنقاط الواصلة.";
pub fn notifications_unread(n: &str) -> String {
    format!("الإشعارات، غير المقروءة: {n}")
}

// Admin: users' points
pub const ADMIN_COL_ACTIONS: &str = "إجراءات";
pub const AWARD_OPEN: &str = "تعديل الرصيد";
pub const LEDGER_OPEN: &str = "سجل النقاط";
pub const AWARD_DIRECTION: &str = "نوع التعديل";
pub const AWARD_ADD: &str = "إضافة";
pub const AWARD_DEDUCT: &str = "خصم";
pub const REASON_FIELD: &str = "السبب";
pub const REASON_HINT: &str = "مطلوب، ويظهر للمستخدم في سجل حركاته وفي سجل التدقيق.";
pub const AWARD_SUBMIT: &str = "تنفيذ التعديل";
pub fn award_title(name: &str) -> String {
    format!("تعديل رصيد {name}")
}
pub fn award_done(amount: &str, balance: &str, deducted: bool) -> String {
    if deducted {
        format!("خُصم {amount} كربتو. الرصيد الآن {balance} كربتو.")
    } else {
        format!("أُضيف {amount} كربتو. الرصيد الآن {balance} كربتو.")
    }
}
pub fn ledger_of(name: &str) -> String {
    format!("سجل نقاط {name}")
}

// Admin: competitions
pub const ADMIN_COMPETITIONS: &str = "المسابقات";
pub const ADMIN_NO_COMPETITIONS: &str = "لا توجد مسابقات بهذه الحالة.";
pub const ADMIN_STATE_PUBLISHED: &str = "منشورة";
pub const ADMIN_STATE_ENDED: &str = "بانتظار الاعتماد";
pub const NEW_COMPETITION: &str = "مسابقة جديدة";
pub const MANAGE: &str = "إدارة";
pub const KIND: &str = "النوع";
pub const VIEW_PUBLIC_PAGE: &str = "صفحة المسابقة";
pub const COMPETITION_DETAILS: &str = "بيانات المسابقة";
pub const FIELDS_LOCKED: &str = "بعض الحقول مقفلة: الرسوم والجوائز والنوع تُقفل عند النشر، والمواعيد حين تبدأ المسابقة (عدا موعد النهاية).";
pub const COMPETITION_TITLE_FIELD: &str = "العنوان";
pub const COMPETITION_TITLE_EN: &str = "العنوان بالإنجليزية (اختياري)";
pub const DESCRIPTION_FIELD: &str = "الوصف";
pub const DESCRIPTION_EN_FIELD: &str = "الوصف بالإنجليزية (اختياري)";
pub const CATEGORY_FIELD: &str = "التصنيف (اختياري)";
pub const COVER_FIELD: &str = "رابط صورة الغلاف (اختياري)";
pub const COVER_HINT: &str = "رابط يبدأ بـ https:// أو مسار على الموقع يبدأ بـ /.";
pub const REG_OPENS_FIELD: &str = "فتح التسجيل (اختياري)";
pub const REG_OPENS_HINT: &str = "إن تُرك فارغًا يُفتح التسجيل عند النشر.";
pub const REG_CLOSES_FIELD: &str = "إغلاق التسجيل (اختياري)";
pub const REG_CLOSES_HINT: &str = "إن تُرك فارغًا يُغلق عند البداية، ويمكن أن يمتد حتى النهاية.";
pub const MAX_PARTICIPANTS_FIELD: &str = "الحد الأقصى للمشاركين (اختياري)";
pub const MAX_PARTICIPANTS_HINT: &str = "اتركه فارغًا لعدد غير محدود.";
pub const QUIZ_DURATION_FIELD: &str = "مدة الاختبار بالثواني (اختيارية)";
pub const QUIZ_DURATION_HINT: &str = "الوقت المتاح لكل مشارك منذ فتح الأسئلة، مثلًا 300 = خمس دقائق. إن تُركت فارغة فالمتاح حتى نهاية المسابقة.";
pub const PRIZES_HINT: &str =
    "نقاط كل مركز بالترتيب: الأول ثم الثاني… اترك الجدول فارغًا إن لم تكن هناك جوائز مراكز.";
pub const ADD_PRIZE: &str = "إضافة مركز";
pub fn remove_rank(rank: &str) -> String {
    format!("حذف المركز {rank}")
}
pub const CREATE_DRAFT: &str = "إنشاء المسابقة (مسودة)";
pub const COMPETITION_SAVED: &str = "حُفظت المسابقة.";
pub const QUESTIONS: &str = "الأسئلة";
pub const QUESTIONS_LOCKED: &str = "بدأت المسابقة، فلم يعد تعديل الأسئلة ممكنًا.";
pub const NO_QUESTIONS: &str = "لا أسئلة بعد. أضف سؤالًا واحدًا على الأقل قبل النشر.";
pub const ADD_QUESTION: &str = "إضافة السؤال";
pub const QUESTION_TEXT: &str = "نص السؤال";
pub const CHOICES: &str = "الخيارات";
pub const CHOICES_HINT: &str = "من خيارين إلى ستة. حدّد الإجابة الصحيحة بعلامة ✓ بجانبها.";
pub const ADD_CHOICE: &str = "إضافة خيار";
pub const MARK_CORRECT: &str = "الإجابة الصحيحة";
pub const CORRECT_ANSWER: &str = "الإجابة الصحيحة";
pub fn mark_correct_n(n: &str) -> String {
    format!("الخيار {n} هو الإجابة الصحيحة")
}
pub fn choice_n(n: &str) -> String {
    format!("الخيار {n}")
}
pub fn remove_choice(n: &str) -> String {
    format!("حذف الخيار {n}")
}
pub const QUESTION_POINTS_FIELD: &str = "نقاط الإجابة الصحيحة";
pub const MOVE_UP: &str = "نقل لأعلى";
pub const MOVE_DOWN: &str = "نقل لأسفل";
pub const DELETE_QUESTION_CONFIRM: &str = "حذف هذا السؤال؟";
pub const ACTIONS: &str = "الإجراءات";
pub const PUBLISH: &str = "نشر المسابقة";
pub const PUBLISH_CLOSED_CONFIRM: &str = "موعد إغلاق التسجيل في هذه المسابقة قد مضى (إن لم يُحدَّد فهو موعد البداية)، فلن يستطيع أحد الانضمام إليها بعد نشرها. عدّل موعد إغلاق التسجيل أولًا، أو انشرها كما هي.";
pub const PUBLISH_ANYWAY: &str = "انشرها كما هي";
pub const PUBLISH_CONFIRM: &str =
    "بعد النشر تظهر المسابقة للجميع، وتُقفل الرسوم والجوائز والنوع. هل تنشرها؟";
pub const PUBLISHED_OK: &str = "نُشرت المسابقة.";
pub const FINALIZE: &str = "اعتماد النتائج";
pub const FINALIZE_CONFIRM: &str =
    "ستُحسب المراكز وتُمنح الجوائز ونقاط المشاركة مرة واحدة، ولا يمكن التراجع. هل تعتمد النتائج؟";
pub fn finalized_ok(ranked: &str, prizes: &str, participation: &str) -> String {
    format!("اعتُمدت النتائج: رُتّب {ranked} من المشاركين، وصُرف {prizes} كربتو جوائز و{participation} كربتو نقاط مشاركة.")
}
pub const DELETE_COMPETITION: &str = "حذف المسابقة";
pub const DELETE_CONFIRM: &str = "ستُحذف المسابقة نهائيًا. هل أنت متأكد؟";
pub const HINT_DRAFT: &str = "مسودة لا يراها المشاركون. راجع البيانات ثم انشرها.";
pub const HINT_DRAFT_NEEDS_QUESTIONS: &str = "أضف سؤالًا واحدًا على الأقل قبل نشر الاختبار.";
pub const HINT_PUBLISHED: &str = "منشورة والتسجيل حسب مواعيده. تُحذف فقط إن لم يشترك فيها أحد.";
pub const HINT_RUNNING: &str =
    "المسابقة جارية. تُعتمد النتائج بعد انتهائها، ويمكنك تقديم موعد النهاية من النموذج.";
pub const HINT_ENDED: &str = "انتهت المسابقة. اعتمد النتائج لتوزيع الجوائز.";
pub const HINT_FINALIZED: &str = "اعتُمدت النتائج ووُزّعت الجوائز.";
pub const NO_PARTICIPANTS: &str = "لا مشاركين بعد.";
pub const ENTER_RESULTS: &str = "المشاركون والدرجات";
pub const ENTER_RESULTS_HINT: &str =
    "أدخل درجة كل مشارك ثم احفظ. يُرتّب المشاركون حسب الدرجة عند اعتماد النتائج.";
pub const SAVE_RESULTS: &str = "حفظ الدرجات";
pub const POINTS_AWARDED: &str = "النقاط الممنوحة";
pub fn results_saved(n: &str) -> String {
    format!("حُفظت الدرجات ({n}).")
}
pub fn score_for(name: &str) -> String {
    format!("درجة {name}")
}
pub fn participation_status(s: domain::competitions::ParticipationStatus) -> &'static str {
    use domain::competitions::ParticipationStatus as P;
    match s {
        P::Registered => "مسجّل",
        P::Submitted => "أرسل إجاباته",
        P::Completed => "مكتمل",
        P::Withdrawn => "منسحب",
        P::Disqualified => "مستبعد",
    }
}

// ===== Rewards, redemptions, the point store, and their administration; users, settings,
// dashboard (rewards & administration issue) =====

// Navigation and shared words
pub const NAV_REWARDS: &str = "المكافآت";
pub const NAV_STORE: &str = "المتجر";
pub const NAV_MORE: &str = "المزيد";
pub const COST: &str = "التكلفة";
pub const REWARD: &str = "المكافأة";
pub const PACKAGE: &str = "الباقة";
pub const PRICE: &str = "السعر";
pub const TOTAL: &str = "المجموع";
pub const REFERENCE: &str = "رقم الطلب";
pub const REQUESTED_AT: &str = "تاريخ الطلب";
pub const ADMIN_CONTACT: &str = "التواصل مع الإدارة";
pub const SENDING: &str = "جارٍ الإرسال…";
pub const FILTER: &str = "تصفية";
pub const SORT: &str = "الترتيب";
pub const NOTE_OPTIONAL: &str = "ملاحظة (اختيارية)";
pub const CUSTOM_AMOUNT: &str = "مبلغ مخصّص";
pub const POINTS_FIELD: &str = "النقاط";
pub const BONUS_FIELD: &str = "نقاط الهدية";
pub const ON: &str = "مفعّل";
pub const OFF: &str = "معطّل";
pub const R_PENDING: &str = "قيد المراجعة";
pub const R_APPROVED: &str = "تمت الموافقة";
pub const R_FULFILLED: &str = "تم التسليم";
pub const R_REJECTED: &str = "مرفوضة";
pub const R_CANCELLED: &str = "ملغاة";
pub const P_REQUESTED: &str = "بانتظار الدفع";
pub const P_PAID: &str = "مدفوعة";
pub const P_CANCELLED: &str = "ملغاة";
pub const TRANSFER_NO_USER_ANY: &str = "لا يوجد مستخدم بهذا الاسم.";
pub const USER_REQUIRED: &str = "أدخل اسم المستخدم.";

// Rewards catalogue
pub const REWARDS_TITLE: &str = "المكافآت";
pub const REWARDS_SUBTITLE: &str = "استبدل رصيدك من كربتو بمكافآت حقيقية، وتابع طلبك حتى يصلك.";
pub const MY_REDEMPTIONS: &str = "طلبات الاستبدال";
pub const EARN_MORE: &str = "اكسب المزيد";
pub const BUY_POINTS: &str = "اشترِ كربتو";
pub const REWARD_CATEGORIES: &str = "تصنيفات المكافآت";
pub const AFFORDABLE_ONLY: &str = "يكفيها رصيدي";
pub const SEARCH_REWARDS: &str = "ابحث عن مكافأة";
pub const REWARDS_EMPTY: &str = "لا مكافآت هنا الآن";
pub const REWARDS_EMPTY_HINT: &str =
    "جرّب تصنيفًا آخر أو كلمة بحث مختلفة؛ نضيف مكافآت جديدة باستمرار.";
pub const SOLD_OUT: &str = "نفدت الكمية";
pub const SIGN_IN_TO_REDEEM: &str = "سجّل الدخول للاستبدال";
pub const YOU_CAN_AFFORD: &str = "رصيدك يكفي لهذه المكافأة";
pub const REDEEM_NOW: &str = "استبدل الآن";
pub const BALANCE_PROGRESS: &str = "رصيدك مقارنةً بتكلفة المكافأة";
pub const FOLLOW_REQUESTS: &str = "تابع طلباتك";
pub fn stock_left(n: &str) -> String {
    format!("متبقٍّ {n} فقط")
}
pub fn limit_per_user(n: &str) -> String {
    format!("الحد: {n} لكل مستخدم")
}
pub fn limit_left(limit: &str, left: &str) -> String {
    format!("الحد: {limit} لكل مستخدم · تبقّى لك {left}")
}
pub fn available_until(date: &str) -> String {
    format!("متاحة حتى {date}")
}
pub fn you_need(n: &str) -> String {
    format!("تحتاج {n} كربتو إضافية")
}
pub fn redeem_done(name: &str) -> String {
    format!("أرسلنا طلب استبدال «\u{2068}{name}\u{2069}»، وسنُعلمك حين تراجعه الإدارة.")
}

// Redeem dialog
pub const REDEEM_CONFIRM_TITLE: &str = "تأكيد الاستبدال";
pub const BALANCE_AFTER_REDEEM: &str = "رصيدك بعد الاستبدال";
pub const REDEEM_NOTE: &str = "ملاحظة للإدارة (اختيارية)";
pub const REDEEM_NOTE_HINT: &str = "مثل المقاس أو طريقة التسليم، حتى 200 حرف.";
pub const REDEEM_REFUND_NOTE: &str =
    "تُخصم النقاط الآن، وتعود إليك كاملة إن رُفض الطلب أو ألغيته قبل مراجعته.";
pub const REDEEM_CONFIRM: &str = "تأكيد الاستبدال";
pub const REDEEMING: &str = "جارٍ الاستبدال…";

// My redemptions
pub const MY_REDEMPTIONS_SUBTITLE: &str = "كل طلباتك ومراحل كل طلب، من الإرسال حتى التسليم.";
pub const BROWSE_REWARDS: &str = "تصفّح المكافآت";
pub const REDEMPTION_FILTERS: &str = "تصفية الطلبات حسب الحالة";
pub const NO_REDEMPTIONS: &str = "لا طلبات استبدال هنا";
pub const NO_REDEMPTIONS_HINT: &str = "اختر مكافأة يكفيها رصيدك واستبدلها، وستظهر هنا مع مراحلها.";
pub const REQUEST_HISTORY: &str = "مراحل الطلب";
pub const YOUR_NOTE: &str = "ملاحظتك";
pub const ADMIN_NOTE: &str = "ملاحظة الإدارة";
pub const NEXT_REVIEW: &str = "بانتظار مراجعة الإدارة";
pub const NEXT_DELIVERY: &str = "بانتظار التسليم";
pub const CANCEL_REQUEST: &str = "إلغاء الطلب";
pub const CANCEL_REQUEST_YES: &str = "نعم، ألغِ الطلب";
pub const KEEP_REQUEST: &str = "تراجع";
pub fn cancel_request_confirm(points: &str) -> String {
    format!("سيُلغى الطلب وتعود إليك {points} كربتو.")
}

// Store
pub const STORE_TITLE: &str = "متجر كربتو";
pub const STORE_SUBTITLE: &str = "اشحن رصيدك بباقات كربتو، وادفع بالطريقة التي تناسبك.";
pub const HOW_IT_WORKS: &str = "كيف يتم الشراء";
pub const HOW_1: &str = "اختر الباقة واحصل على رقم الطلب";
pub const HOW_2: &str = "ادفع حسب التعليمات واذكر رقم الطلب";
pub const HOW_3: &str = "تُضاف النقاط فور تأكيد الإدارة للدفع";
pub const BUY_PACKAGE: &str = "اطلب هذه الباقة";
pub const SIGN_IN_TO_BUY: &str = "سجّل الدخول للشراء";
pub const NO_PACKAGES: &str = "لا باقات متاحة الآن";
pub const NO_PACKAGES_HINT: &str = "عد قريبًا؛ ستظهر هنا باقات كربتو حين تضيفها الإدارة.";
pub const MY_PURCHASES: &str = "مشترياتي";
pub const NO_PURCHASES: &str = "لا مشتريات بعد.";
pub const HOW_TO_PAY: &str = "طريقة الدفع";
pub const BUY_TITLE: &str = "طلب باقة كربتو";
pub const BUY_NOTE: &str =
    "لن يُخصم شيء الآن: ستحصل على رقم طلب وتعليمات الدفع، وتُضاف النقاط بعد أن تؤكد الإدارة استلام المبلغ.";
pub const CONFIRM_BUY: &str = "تأكيد الطلب";
pub const BUY_DONE: &str = "سُجّل طلبك. أكمل الدفع واذكر رقم الطلب.";
pub const YOUR_REFERENCE: &str = "رقم طلبك";
pub const COPY_REFERENCE: &str = "نسخ رقم الطلب";
pub const COPIED_REFERENCE: &str = "نُسخ رقم الطلب.";
pub const COPY_INSTRUCTIONS: &str = "نسخ التعليمات";
pub const COPIED_INSTRUCTIONS: &str = "نُسخت تعليمات الدفع.";
pub const COPY_CONTACT: &str = "نسخ وسيلة التواصل";
pub const COPIED_CONTACT: &str = "نُسخت وسيلة التواصل.";
pub const AMOUNT_DUE: &str = "المبلغ المطلوب";
pub const POINTS_AFTER_PAYMENT: &str = "تُضاف بعد الدفع";
pub fn bonus_points(n: &str) -> String {
    format!("+{n} كربتو هدية")
}
pub fn you_receive(n: &str) -> String {
    format!("تحصل على {n} كربتو")
}
pub fn paid_on(when: &str) -> String {
    format!("أُكّد الدفع في {when}")
}

// Admin: tabs and the overview
pub const ADMIN_OVERVIEW: &str = "نظرة عامة";
pub const ADMIN_REWARDS: &str = "المكافآت";
pub const ADMIN_REDEMPTIONS: &str = "طلبات الاستبدال";
pub const ADMIN_PACKAGES: &str = "الباقات";
pub const ADMIN_PURCHASES: &str = "المشتريات";
pub const ADMIN_SETTINGS: &str = "الإعدادات";
pub const KPI_USERS: &str = "المستخدمون";
pub const KPI_ACTIVE: &str = "نشطون اليوم";
pub const KPI_CIRCULATION: &str = "كربتو المتداولة";
pub const KPI_COMPETITIONS: &str = "المسابقات";
pub const QUEUE_REDEMPTIONS: &str = "طلبات استبدال بانتظار القرار";
pub const QUEUE_REDEMPTIONS_HINT: &str = "وافق عليها أو ارفضها من طابور الاستبدال";
pub const QUEUE_PURCHASES: &str = "مشتريات بانتظار الدفع";
pub const QUEUE_PURCHASES_HINT: &str = "أكّد الدفع بمرجعه لإضافة النقاط";
pub const SIGNUPS_CHART: &str = "التسجيلات اليومية (آخر ٣٠ يومًا)";
pub const FLOWS_CHART: &str = "حركة كربتو (آخر ٣٠ يومًا)";
pub const MINTED: &str = "أُصدرت";
pub const BURNED: &str = "أُنفقت";
pub const MOVED: &str = "حُوّلت بين المستخدمين";
pub const EXPORTS: &str = "تصدير البيانات";
pub const EXPORTS_TEXT: &str = "ملفات CSV تفتح في Excel بالعربية. يُسجَّل كل تنزيل في سجل التدقيق.";
pub const EXPORT_USERS: &str = "المستخدمون";
pub const EXPORT_TRANSACTIONS: &str = "حركات النقاط";
pub const EXPORT_REDEMPTIONS: &str = "طلبات الاستبدال";
pub const EXPORT_PURCHASES: &str = "المشتريات";
pub fn kpi_users_sub(today: &str, suspended: &str) -> String {
    format!("{today} جدد اليوم · {suspended} موقوف")
}
pub fn signups_summary(total: &str) -> String {
    format!("{total} تسجيلًا خلال ٣٠ يومًا")
}
pub fn generated_at(when: &str) -> String {
    format!("الأرقام محدّثة حتى {when}")
}

// Admin: rewards
pub const NEW_REWARD: &str = "مكافأة جديدة";
pub const EDIT_REWARD: &str = "تعديل المكافأة";
pub const CREATE_REWARD: &str = "إنشاء المكافأة";
pub const REWARD_STATES: &str = "تصفية المكافآت حسب الحالة";
pub const REWARDS_ACTIVE: &str = "مفعّلة";
pub const REWARDS_INACTIVE: &str = "موقوفة";
pub const REWARDS_RETIRED: &str = "مؤرشفة";
pub const ADMIN_NO_REWARDS: &str = "لا مكافآت بهذه الحالة.";
pub const STOCK: &str = "الكمية";
pub const UNLIMITED: &str = "غير محدودة";
pub const PER_USER: &str = "لكل مستخدم";
pub const REQUESTS: &str = "الطلبات";
pub const RETIRE: &str = "أرشفة";
pub const RETIRE_TEXT: &str =
    "تختفي المكافأة من الكتالوج ولا يمكن تعديلها بعد ذلك، وتبقى طلباتها السابقة كما هي.";
pub const REWARD_NAME: &str = "اسم المكافأة";
pub const REWARD_LOOK: &str = "شكل المكافأة";
pub const LOOK_ICON: &str = "أيقونة";
pub const LOOK_IMAGE: &str = "صورة";
pub const ICON_FIELD: &str = "الأيقونة (اختيارية)";
pub const ICON_HINT: &str = "رمز تعبيري (إيموجي)، أو اسم أيقونة: gift أو trophy أو coin أو medal.";
pub const IMAGE_FIELD: &str = "رابط الصورة";
pub const IMAGE_REQUIRED: &str = "أدخل رابط الصورة أو اختر أيقونة.";
pub const COST_FIELD: &str = "التكلفة بالكربتو";
pub const STOCK_FIELD: &str = "الكمية المتاحة";
pub const UNLIMITED_STOCK: &str = "كمية غير محدودة";
pub const LIMIT_FIELD: &str = "الحد لكل مستخدم (اختياري)";
pub const LIMIT_HINT: &str =
    "عدد مرات الاستبدال المسموحة للمستخدم الواحد؛ اتركه فارغًا لعدم التقييد.";
pub const AVAILABLE_FROM: &str = "متاحة من (اختياري)";
pub const AVAILABLE_UNTIL: &str = "متاحة حتى (اختياري)";
pub const WINDOW_HINT: &str = "اترك الموعدين فارغين لتكون المكافأة متاحة دائمًا.";
pub const REWARD_ACTIVE: &str = "مفعّلة وتظهر في الكتالوج";
pub fn pending_and_approved(pending: &str, approved: &str) -> String {
    format!("{pending} معلّق · {approved} مقبول")
}
pub fn retire_title(name: &str) -> String {
    format!("أرشفة «\u{2068}{name}\u{2069}»")
}

// Admin: the redemption queue
pub const ALL_REWARDS: &str = "كل المكافآت";
pub const OLDEST_FIRST: &str = "الأقدم أولًا";
pub const NEWEST_FIRST: &str = "الأحدث أولًا";
pub const CLEAR_FILTER: &str = "إزالة التصفية";
pub const QUEUE_EMPTY: &str = "لا طلبات هنا. الطابور نظيف!";
pub const SELECT_ROW: &str = "تحديد الطلب";
pub const SELECT_ALL: &str = "تحديد كل الطلبات المعلّقة";
pub const BULK_ACTIONS: &str = "إجراءات على الطلبات المحددة";
pub const APPROVE: &str = "موافقة";
pub const REJECT: &str = "رفض";
pub const FULFIL: &str = "تم التسليم";
pub const APPROVE_SELECTED: &str = "موافقة على المحدد";
pub const REJECT_SELECTED: &str = "رفض المحدد";
pub const CLEAR_SELECTION: &str = "إلغاء التحديد";
pub const APPROVE_TITLE: &str = "الموافقة على الطلب";
pub const APPROVE_TEXT: &str = "يُبلَّغ المستخدم بالموافقة، وتبقى النقاط مخصومة.";
pub const REJECT_TITLE: &str = "رفض الطلب";
pub const REJECT_TEXT: &str = "تعود النقاط إلى المستخدم وتُعاد الكمية إلى المخزون، ويرى سبب الرفض.";
pub const REJECT_REASON: &str = "سبب الرفض";
pub const FULFIL_TITLE: &str = "تأكيد تسليم المكافأة";
pub const FULFIL_TEXT: &str = "يمكنك إضافة رمز القسيمة أو رقم الشحنة في الملاحظة ليراها المستخدم.";
pub fn selected_n(n: &str) -> String {
    format!("محدد: {n}")
}
pub fn bulk_approve_title(n: &str) -> String {
    format!("الموافقة على {n} من الطلبات")
}
pub fn bulk_reject_title(n: &str) -> String {
    format!("رفض {n} من الطلبات")
}
pub fn bulk_done(ok: &str, failed: &str) -> String {
    format!("نُفّذ الإجراء على {ok}، وتعذّر على {failed}.")
}

// Admin: packages
pub const PACKAGES_HINT: &str = "تظهر الباقات المفعّلة في المتجر مرتبةً حسب ترتيب العرض.";
pub const NEW_PACKAGE: &str = "باقة جديدة";
pub const EDIT_PACKAGE: &str = "تعديل الباقة";
pub const CREATE_PACKAGE: &str = "إنشاء الباقة";
pub const ACTIVE: &str = "مفعّلة";
pub const HIDDEN: &str = "مخفية";
pub const SORT_ORDER: &str = "ترتيب العرض";
pub const SORT_HINT: &str = "الأصغر يظهر أولًا.";
pub const PACKAGE_NAME: &str = "اسم الباقة";
pub const PRICE_FIELD: &str = "السعر";
pub const CURRENCY_FIELD: &str = "العملة";
pub const CURRENCY_HINT: &str = "رمز من ثلاثة أحرف مثل SAR أو USD أو KWD.";
pub const LABEL_FIELD: &str = "الشارة (اختيارية)";
pub const LABEL_HINT: &str = "تظهر على الباقة، مثل «الأكثر طلبًا».";
pub const PACKAGE_ACTIVE: &str = "مفعّلة وتظهر في المتجر";
pub const ERR_PRICE: &str = "أدخل السعر رقمًا، مثل 25 أو 25.50.";
pub const DELETE_PACKAGE_TEXT: &str =
    "تُحذف الباقة نهائيًا. إن كانت لها مشتريات فلا يمكن حذفها؛ أخفِها بإلغاء تفعيلها بدلًا من ذلك.";
pub fn delete_package_title(name: &str) -> String {
    format!("حذف «\u{2068}{name}\u{2069}»")
}
pub fn price_preview(price: &str, minor: &str) -> String {
    format!("يظهر للمشتري: {price} (يُحفظ {minor} بأصغر وحدة للعملة).")
}
pub fn price_hint(decimals: u32) -> String {
    format!("بالعملة نفسها، بحد أقصى {decimals} منازل عشرية.")
}

// Admin: purchases
pub const PURCHASE_FILTERS: &str = "تصفية المشتريات حسب الحالة";
pub const SEARCH_REFERENCE: &str = "ابحث برقم الطلب";
pub const NO_PURCHASES_ADMIN: &str = "لا مشتريات بهذه الحالة.";
pub const MARK_PAID: &str = "تأكيد الدفع";
pub const PAYMENT_REFERENCE: &str = "مرجع الدفع";
pub const PAYMENT_REF_SHORT: &str = "المرجع:";
pub const CANCEL_PURCHASE: &str = "إلغاء الطلب";
pub const CANCEL_PURCHASE_TEXT: &str = "يُلغى طلب الشراء دون إضافة نقاط، ويرى المستخدم ملاحظتك.";
pub const RECORD_PURCHASE: &str = "تسجيل عملية شراء";
pub const RECORD_TEXT: &str =
    "لدفعة استلمتها مباشرة: تُسجَّل العملية مدفوعة وتُضاف النقاط إلى المستخدم فورًا.";
pub const RECORD_SUBMIT: &str = "تسجيل وإضافة النقاط";
pub const BONUS_OPTIONAL: &str = "نقاط الهدية (اختيارية)";
pub const PRICE_PAID: &str = "المبلغ المدفوع";
pub fn mark_paid_title(reference: &str) -> String {
    format!("تأكيد دفع الطلب {}", domain::text::ltr(reference))
}
pub fn mark_paid_text(points: &str, username: &str) -> String {
    format!("تُضاف {points} كربتو إلى \u{2068}@{username}\u{2069} مرة واحدة. أدخل رقم التحويل أو الإيصال.")
}
pub fn cancel_purchase_title(reference: &str) -> String {
    format!("إلغاء الطلب {}", domain::text::ltr(reference))
}
pub fn paid_done(reference: &str, points: &str, balance: &str) -> String {
    format!(
        "أُكّد دفع الطلب {} وأُضيف {points} كربتو؛ رصيد المستخدم الآن {balance}.",
        domain::text::ltr(reference)
    )
}
pub fn recorded_done(points: &str, username: &str, balance: &str) -> String {
    format!(
        "سُجّلت العملية وأُضيف {points} كربتو إلى \u{2068}@{username}\u{2069}؛ رصيده الآن {balance}."
    )
}

// Admin: one user
pub const USER_DETAILS: &str = "بيانات المستخدم";
pub const USER_DETAILS_OPEN: &str = "عرض بيانات المستخدم وسجلاته";
pub const USER_SECTIONS: &str = "سجلات المستخدم";
pub const REFERRAL_CODE: &str = "رمز الدعوة";
pub const SUSPEND: &str = "إيقاف الحساب";
pub const SUSPEND_TEXT: &str = "لن يتمكن المستخدم من الدخول، وتُنهى جلساته المفتوحة.";
pub const REACTIVATE: &str = "إعادة تفعيل الحساب";
pub const REACTIVATE_TEXT: &str = "يستطيع المستخدم الدخول من جديد.";
pub const MAKE_ADMIN: &str = "ترقية إلى مدير";
pub const MAKE_ADMIN_TEXT: &str = "يحصل على صلاحيات الإدارة كاملة، بما فيها النقاط والإعدادات.";
pub const MAKE_USER: &str = "إرجاع إلى مستخدم عادي";
pub const MAKE_USER_TEXT: &str = "تُسحب منه صلاحيات الإدارة.";

// Admin: settings
pub const SETTINGS_TEXT: &str = "تسري التغييرات فور الحفظ، ويُسجَّل كل تغيير في سجل التدقيق.";
pub const SAVE_SETTINGS: &str = "حفظ الإعدادات";
pub const SETTINGS_SAVED: &str = "حُفظت الإعدادات.";
pub const PUBLIC_SETTING: &str = "يظهر للزوار";
pub const DEFAULT_VALUE: &str = "الافتراضي";
pub const EMPTY_VALUE: &str = "فارغ";
pub const RESTORE_DEFAULT: &str = "استعادة الافتراضي";
pub fn range_hint(min: &str, max: &str) -> String {
    format!("(من {min} إلى {max})")
}
pub fn length_hint(max: &str) -> String {
    format!("(حتى {max} حرف)")
}
pub fn updated_on(when: &str) -> String {
    format!("عُدّل في {when}")
}

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

// ===== Trust and safety (issue 12): in i18n/safety.rs =====
mod safety;
pub use safety::*;
