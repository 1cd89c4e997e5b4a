//! Arabic strings of rewards, redemptions, the point store and their administration; users,
//! settings and the dashboard. Kept in their own file; `i18n` re-exports everything.

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
pub const HOW_TO_PAY_THIS: &str = "كيف أدفع هذا الطلب؟";
pub fn pay_this(amount: &str) -> String {
    format!("ادفع {amount} واذكر رقم الطلب هذا مع الدفعة:")
}
pub const CANCEL_PURCHASE_CONFIRM: &str =
    "إلغاء هذا الطلب نهائي؛ لا تدفع بعده. إن كنت دفعت فعلًا فتواصل مع الإدارة بدل الإلغاء.";
pub const CANCEL_PURCHASE_YES: &str = "ألغِ طلب الشراء";
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
    "تختفي المكافأة من الكتالوج فلا يستطيع أحد طلبها، ولا يمكن تعديلها أو إعادتها بعد الأرشفة. تبقى طلباتها السابقة كما هي.";
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
pub const APPROVE_TEXT: &str = "يُبلَّغ صاحب الطلب بالموافقة وتبقى النقاط مخصومة من رصيده، ثم تؤكّد التسليم لاحقًا. لا يمكن التراجع عن الموافقة.";
pub const REJECT_TITLE: &str = "رفض الطلب";
pub const REJECT_TEXT: &str =
    "تعود النقاط إلى صاحب الطلب وتُعاد الكمية إلى المخزون، ويرى سبب الرفض. لا يمكن التراجع عن الرفض.";
pub const REJECT_REASON: &str = "سبب الرفض";
pub const FULFIL_TITLE: &str = "تأكيد تسليم المكافأة";
pub const FULFIL_TEXT: &str = "يُبلَّغ صاحب الطلب بأن المكافأة سُلّمت، ولا يمكن التراجع عن ذلك. يمكنك إضافة رمز القسيمة أو رقم الشحنة في الملاحظة ليراها.";
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
pub const CANCEL_PURCHASE_TEXT: &str = "يُلغى طلب الشراء دون إضافة نقاط، ويرى صاحب الطلب ملاحظتك. لا يمكن التراجع عن الإلغاء؛ يستطيع صاحبه تقديم طلب جديد.";
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
    format!("تُضاف {points} كربتو إلى رصيد \u{2068}@{username}\u{2069} مرة واحدة، ولا يمكن التراجع بعد التأكيد. أدخل رقم التحويل أو الإيصال.")
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
pub const SUSPEND_TEXT: &str =
    "لن يتمكن صاحب الحساب من الدخول، وتُنهى جلساته المفتوحة فورًا. يمكنك إعادة تفعيل الحساب لاحقًا.";
pub const SUSPEND_REASON: &str =
    "سبب الإيقاف (يراه صاحب الحساب عند محاولة الدخول، مع وسيلة التواصل مع الإدارة)";
pub const REACTIVATE: &str = "إعادة تفعيل الحساب";
pub const REACTIVATE_TEXT: &str =
    "يستطيع صاحب الحساب الدخول من جديد فورًا. يمكنك إيقافه مرة أخرى متى احتجت.";
pub const MAKE_ADMIN: &str = "ترقية إلى مدير";
pub const MAKE_ADMIN_TEXT: &str = "يحصل صاحب الحساب على صلاحيات الإدارة كاملة، بما فيها النقاط والإعدادات، وتُنهى جلساته الحالية ليدخل بصلاحياته الجديدة. يمكنك سحبها لاحقًا.";
pub const MAKE_USER: &str = "إرجاع إلى مستخدم عادي";
pub const MAKE_USER_TEXT: &str =
    "تُسحب من صاحب الحساب صلاحيات الإدارة فورًا وتُنهى جلساته الحالية. يمكنك ترقيته من جديد لاحقًا.";

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
