//! Email verification and the owner's data rights (issue 15, items 3 and 7).

// The banner shown to signed-in accounts that have not confirmed their address.
pub const VERIFY_BANNER: &str =
    "لم تؤكّد بريدك الإلكتروني بعد؛ أكّده لتنضم إلى المسابقات المدفوعة وتستبدل المكافآت وتحوّل النقاط.";
pub const VERIFY_RESEND: &str = "أرسل رابط التأكيد";
pub const VERIFY_RESENDING: &str = "جارٍ الإرسال…";
pub fn verify_sent(email: &str, hours: &str) -> String {
    // FSI … PDI isolate the address, so its dots stay inside it in right-to-left text.
    format!("أرسلنا رابط التأكيد إلى \u{2068}{email}\u{2069}. افتحه خلال {hours} ساعة.")
}

// The page the emailed link opens.
pub const VERIFY_TITLE: &str = "تأكيد البريد الإلكتروني";
pub const VERIFY_SUBTITLE: &str = "نتحقق من الرابط الذي وصلك.";
pub const VERIFY_PENDING: &str = "جارٍ تأكيد بريدك…";
pub fn verify_done(email: &str) -> String {
    format!("تأكّد بريدك \u{2068}{email}\u{2069}. شكرًا لك!")
}
pub const VERIFY_NO_TOKEN: &str =
    "الرابط ناقص. افتح الرابط كما وصلك في البريد، أو اطلب رابطًا جديدًا من صفحتك.";
pub const VERIFY_CONTINUE: &str = "إلى صفحتي";
pub const VERIFY_HOME: &str = "إلى الصفحة الرئيسية";

// «بياناتي» on the profile page.
pub const MY_DATA_TITLE: &str = "بياناتي";
pub const MY_DATA_TEXT: &str =
    "نزّل نسخة من كل ما نحفظه عنك: ملفك الشخصي وسجل نقاطك وطلبات الاستبدال والشراء والرسائل التي أرسلتها ودعواتك، في ملف JSON واحد.";
pub const EXPORT_BUTTON: &str = "تنزيل بياناتي";
pub const EXPORT_PENDING: &str = "جارٍ تجهيز ملفك…";
pub const EXPORT_DONE: &str = "نُزّل ملف بياناتك.";

pub const ACCOUNT_DELETE_TITLE: &str = "حذف الحساب";
pub const ACCOUNT_DELETE_TEXT: &str =
    "يُحذف اسمك واسم المستخدم وبريدك نهائيًا، وتنتهي كل جلساتك ومفاتيحك، ولا يمكن التراجع. تبقى حركات النقاط في السجل بلا اسم حتى تبقى الأرصدة صحيحة.";
pub const ACCOUNT_DELETE_BLOCKED_HINT: &str =
    "لا يُحذف الحساب وما زال لديك طلب استبدال لم يُسلَّم أو تحويل موقوف أو طلب شراء ينتظر الدفع.";
pub const ACCOUNT_DELETE_CONFIRM_LABEL: &str = "اكتب اسم المستخدم للتأكيد";
pub fn account_delete_confirm_hint(username: &str) -> String {
    format!("اسم المستخدم: {username}")
}
pub const ACCOUNT_DELETE_CONFIRM_MISMATCH: &str = "اكتب اسم المستخدم كما هو تمامًا.";
pub const ACCOUNT_DELETE_PASSWORD: &str = "كلمة المرور";
pub const ACCOUNT_DELETE_TOTP: &str = "رمز التحقق بخطوتين";
pub const ACCOUNT_DELETE_SUBMIT: &str = "احذف حسابي نهائيًا";
pub const ACCOUNT_DELETE_PENDING: &str = "جارٍ حذف الحساب…";
pub const ACCOUNT_DELETED: &str = "حُذف حسابك. نشكرك على وقتك معنا.";

// The admin's user page.
pub const EMAIL_VERIFIED_TAG: &str = "البريد مؤكَّد";
pub const EMAIL_UNVERIFIED_TAG: &str = "البريد غير مؤكَّد";
