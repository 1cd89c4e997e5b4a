//! Arabic strings of trust and safety (issue 12): the alert inbox and its badge, held transfers,
//! flagged accounts, the investigation section of a user's page and the dashboard's safety
//! cards, kept in their own file so the section merges cleanly; `i18n` re-exports everything.
//! Every name here must be new (see `i18n/social.rs`).

// Tabs and the badge
pub const ADMIN_ALERTS: &str = "التنبيهات";
pub const ADMIN_HELD_TRANSFERS: &str = "التحويلات المعلّقة";
pub fn unread_alerts_label(n: &str) -> String {
    format!("التنبيهات: {n} غير مقروءة")
}
pub const ALERT_VIEWS: &str = "أقسام التنبيهات";
pub const ALERTS_INBOX: &str = "صندوق التنبيهات";
pub const FLAGGED_ACCOUNTS: &str = "الحسابات المعلّمة";

// The inbox (kind names as the server's `services::alerts::KINDS` writes them)
pub const ALERT_KIND: &str = "النوع";
pub const ALL_KINDS: &str = "كل الأنواع";
pub const READ_STATE: &str = "الحالة";
pub const ALL_ALERTS: &str = "الكل";
pub const UNREAD_ONLY: &str = "غير المقروءة فقط";
pub const UNREAD_ALERT: &str = "جديد";
pub const MARK_READ: &str = "تعليم كمقروء";
pub const MARK_ALL_READ: &str = "تعليم الكل كمقروء";
pub const NO_ALERTS: &str = "لا تنبيهات هنا. كل شيء هادئ.";
pub const NEW_ALERTS: &str = "وصلت تنبيهات جديدة.";
pub const SHOW_NEW_ALERTS: &str = "عرضها";
pub const SEVERITY_CRITICAL: &str = "حرج";
pub const SEVERITY_WARNING: &str = "تحذير";
pub const SEVERITY_INFO: &str = "للعلم";
pub const KIND_ACCOUNT_FARM: &str = "مزرعة حسابات محتملة";
pub const KIND_TRANSFER_HELD: &str = "تحويل معلّق للمراجعة";
pub const KIND_REDEMPTION_HELD: &str = "استبدال بحاجة إلى تدقيق";
pub const KIND_REFERRAL: &str = "دعوة بحاجة إلى مراجعة";
pub const KIND_PURCHASE: &str = "طلب شراء باقة";
pub const KIND_LOGIN_ACCOUNT: &str = "قفل تسجيل الدخول لحساب";
pub const KIND_LOGIN_IP: &str = "قفل تسجيل الدخول لعنوان";
pub const KIND_TOKEN_REUSE: &str = "إعادة استعمال رمز تحديث";
pub const KIND_API_KEY_BLOCKED: &str = "حظر عنوان يجرّب مفاتيح الربط";
pub const KIND_BEARER_FAILURES: &str = "رموز دخول مرفوضة متكررة";
/// The Arabic name of an alert kind, for an alert whose server label is missing.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "account_farm" => KIND_ACCOUNT_FARM,
        "transfer_held" => KIND_TRANSFER_HELD,
        "redemption_held" => KIND_REDEMPTION_HELD,
        "referral_flagged" | "referral_review" => KIND_REFERRAL,
        "purchase_requested" => KIND_PURCHASE,
        "login_throttled_account" => KIND_LOGIN_ACCOUNT,
        "login_throttled_ip" => KIND_LOGIN_IP,
        "refresh_token_reuse" => KIND_TOKEN_REUSE,
        "api_key_ip_blocked" => KIND_API_KEY_BLOCKED,
        "bearer_token_failures" => KIND_BEARER_FAILURES,
        _ => "تنبيه",
    }
}
/// What an alert is about, before its link.
pub fn subject_kind(kind: &str) -> &'static str {
    match kind {
        "user" => "الحساب",
        "held_transfer" => "التحويل",
        "referral" => "الدعوة",
        "api_key" => "المفتاح",
        "purchase" => "طلب الشراء",
        "redemption" => "طلب الاستبدال",
        "address" => "العنوان",
        _ => "الموضوع",
    }
}
pub fn confirm_action(label: &str) -> String {
    format!("تأكيد: {label}؟ يُسجَّل القرار في سجل التدقيق.")
}
pub fn action_done(label: &str) -> String {
    format!("تم: {label}.")
}

// Notes (the inline form that replaces a prompt)
pub const NOTE_REQUIRED: &str = "ملاحظة (مطلوبة)";
pub const WORKING: &str = "جارٍ التنفيذ…";

// Held transfers
pub const HELD_INTRO: &str = "تحويلات أوقفتها قواعد رصد الاحتيال. خُصمت النقاط من المرسل وهي في الحجز: الإفراج يضيفها إلى المستلم، والرفض يعيدها إلى المرسل مرة واحدة.";
pub const HELD_FILTER: &str = "تصفية التحويلات المعلّقة حسب الحالة";
pub const HELD_STATE: &str = "بانتظار المراجعة";
pub const RELEASED_STATE: &str = "أُفرج عنها";
pub const REJECTED_STATE: &str = "مرفوضة";
pub const HELD_USER_FILTER: &str = "المرسل أو المستلم";
pub const COL_TRANSFER: &str = "من ← إلى";
pub const COL_HELD_WHY: &str = "سبب التعليق";
pub const NO_HELD_TRANSFERS: &str = "لا تحويلات بهذه الحالة.";
pub const SENT_TO: &str = "إلى";
pub const SENDER_NOTE: &str = "ملاحظة المرسل";
pub const DECISION_NOTE: &str = "ملاحظة القرار";
pub const RELEASE: &str = "إفراج";
pub const REJECT_HELD: &str = "رفض واسترداد";
pub fn held_on(date: &str) -> String {
    format!("عُلّق في {date}")
}
pub fn release_question(amount: &str, recipient: &str) -> String {
    format!("تصل {amount} إلى \u{200E}@{recipient} فور الإفراج.")
}
pub fn reject_question(amount: &str, sender: &str) -> String {
    format!("تعود {amount} إلى \u{200E}@{sender}، ولا يصل المستلمَ شيء. اكتب سبب الرفض.")
}
pub fn released_text(amount: &str, recipient: &str) -> String {
    format!("أُفرج عن التحويل: وصلت {amount} إلى \u{200E}@{recipient}.")
}
pub fn rejected_text(amount: &str, sender: &str) -> String {
    format!("رُفض التحويل وأعيدت {amount} إلى \u{200E}@{sender}.")
}

// Flags
pub const FLAGS_INTRO: &str =
    "الحساب المعلَّم يبقى عاملًا، لكن تحويلاته وطلبات استبداله تُعلَّق للمراجعة حتى يُزال التعليم بملاحظة.";
pub const FLAGS_FILTER: &str = "تصفية الحسابات المعلّمة";
pub const FLAGS_OPEN: &str = "سارية";
pub const COL_FLAG_RULE: &str = "القاعدة";
pub const NO_FLAGS: &str = "لا حسابات معلّمة.";
pub const FLAG_OPEN: &str = "معلَّم";
pub const FLAG_CLEARED: &str = "أُزيل التعليم";
pub const CLEAR_FLAG: &str = "إزالة التعليم";
pub const FLAG_CLEARED_DONE: &str = "أُزيل التعليم.";
pub fn clear_flag_question(username: &str) -> String {
    format!("إزالة التعليم عن \u{200E}@{username}: تعود تحويلاته وطلباته إلى مسارها المعتاد ما لم يبقَ تعليم آخر.")
}
pub fn flagged_on(date: &str) -> String {
    format!("عُلّم في {date}")
}

// The investigation section of a user's page
pub const INVESTIGATION: &str = "التحقيق";
pub const RISK_ACCOUNT: &str = "الدخول والتسجيل";
pub const REGISTRATION_IP: &str = "عنوان التسجيل";
pub const REGISTRATION_DEVICE: &str = "جهاز التسجيل";
pub const LAST_LOGIN_IP: &str = "عنوان آخر دخول";
pub const SIGN_IN_STATE: &str = "الدخول";
pub const LOGIN_LOCKED: &str = "مقفل بعد محاولات فاشلة";
pub const LOGIN_OPEN: &str = "متاح";
pub const UNLOCK: &str = "فك القفل";
pub const UNLOCK_QUESTION: &str = "يُمسح عدّاد المحاولات الفاشلة لهذا الحساب فيستطيع الدخول فورًا.";
pub const UNLOCKED_DONE: &str = "فُكّ القفل؛ يستطيع صاحب الحساب الدخول الآن.";
pub const FLAG_ACCOUNT: &str = "تعليم الحساب";
pub const FLAG_QUESTION: &str =
    "تُعلَّق تحويلات الحساب وطلبات استبداله للمراجعة حتى يُزال التعليم. اكتب السبب.";
pub const FLAGGED_DONE: &str = "عُلّم الحساب.";
pub const LINKED_ACCOUNTS: &str = "حسابات مرتبطة";
pub const LINKED_BY: &str = "سبب الارتباط";
pub const NO_LINKED: &str = "لا حسابات تشاركه العنوان أو الجهاز.";
pub fn open_flags(n: &str) -> String {
    format!("تعليمات سارية: {n}")
}
pub const FLAGS_TITLE: &str = "التعليمات";
pub const NO_FLAGS_HERE: &str = "لم يُعلَّم هذا الحساب.";
pub const NO_HELD_HERE: &str = "لا تحويلات معلّقة له أو إليه.";
pub const HELD_REDEMPTIONS: &str = "طلبات استبدال معلّمة";
pub const NO_HELD_REDEMPTIONS: &str = "لا طلبات استبدال معلّمة.";
pub const OPEN_FLAGGED_QUEUE: &str = "فتح طلبات الاستبدال المعلّمة";
pub const RECENT_SIGN_INS: &str = "آخر محاولات الدخول";
pub const NO_SIGN_INS: &str = "لا محاولات دخول مسجّلة.";
pub const SIGN_IN_OK: &str = "نجح";
pub const SIGN_IN_FAILED: &str = "فشل";
pub const ACTIVE_SESSIONS: &str = "الجلسات المفتوحة";
pub const NO_SESSIONS: &str = "لا جلسات مفتوحة.";
pub const END_SESSION: &str = "إنهاء";
pub const SESSION_ENDED: &str = "أُنهيت الجلسة؛ يلزم الدخول من جديد على ذلك الجهاز.";
pub fn session_times(started: &str, last: &str) -> String {
    format!("بدأت {started} · آخر استخدام {last}")
}
pub const RISK_REFERRALS: &str = "الدعوات";
pub const NO_RISK_REFERRALS: &str = "لم يدعُ أحدًا ولم يُدعَ.";
pub const REFERRED_BY: &str = "دعاه";
pub const REFERRED_FRIEND: &str = "دعا";
pub const RISK_COMPETITIONS: &str = "المسابقات";
pub const NO_RISK_COMPETITIONS: &str = "لم يشارك في مسابقة.";
pub fn score_of(score: &str) -> String {
    format!("النتيجة {score}")
}

// Dashboard
pub const SAFETY_TITLE: &str = "الثقة والأمان";
pub const CARD_UNREAD_ALERTS: &str = "تنبيهات غير مقروءة";
pub const CARD_UNREAD_ALERTS_HINT: &str = "أحداث أمنية وقواعد احتيال";
pub const CARD_OPEN_FLAGS: &str = "حسابات معلّمة";
pub const CARD_OPEN_FLAGS_HINT: &str = "تعليمات لم تُزل بعد";
pub const CARD_HELD_TRANSFERS: &str = "تحويلات معلّقة";
pub const CARD_HELD_TRANSFERS_HINT: &str = "بانتظار الإفراج أو الرفض";
pub const CARD_HELD_REDEMPTIONS: &str = "استبدالات معلّمة";
pub const CARD_HELD_REDEMPTIONS_HINT: &str = "طلبات رصدتها القواعد";

// The redemption queue and the settings page
pub const FLAGGED_ONLY: &str = "المعلّمة فقط";
pub const FLAGGED_BADGE: &str = "معلّم";
pub const SETTINGS_RISK_GROUP: &str = "قواعد رصد الاحتيال";
pub const SETTINGS_RISK_TEXT: &str =
    "حدود كل قاعدة وإيقافها. ما يتجاوز الحد يُعلَّق للمراجعة ويصل تنبيه إلى صندوق التنبيهات.";
pub const SETTINGS_GENERAL_GROUP: &str = "الإعدادات العامة";
pub const RISK_GROUP_FARM: &str = "مزارع الحسابات";
pub const RISK_GROUP_TRANSFERS: &str = "التحويلات";
pub const RISK_GROUP_REDEMPTIONS: &str = "طلبات الاستبدال";

// The sender's side of a held transfer (points page)
pub fn transfer_held(amount: &str, name: &str) -> String {
    format!("أُرسل تحويل {amount} كربتو إلى {name} للمراجعة: خُصمت النقاط من رصيدك وتصل إليه بعد موافقة الإدارة، وتعود إليك إن رُفض.")
}
