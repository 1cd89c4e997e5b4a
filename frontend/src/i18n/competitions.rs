//! Arabic strings of competitions, the points ledger, leaderboards and notifications, kept in
//! their own file (the catalogue had grown past 1,000 lines); `i18n` re-exports everything.

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
