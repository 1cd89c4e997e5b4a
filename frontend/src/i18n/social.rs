//! Arabic strings of chat, Friend Challenge and the referral review (issue 6), kept in their own
//! file so that section merges cleanly; `i18n` re-exports everything, so pages write
//! `i18n::CHAT_TITLE` like any other string. A name also defined in `i18n.rs` would silently win
//! over the one here (glob imports are shadowed), so every name here must be new.
//! User-supplied names inside sentences are wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL
//! ISOLATE (U+2068/U+2069) so a Latin name cannot reorder the Arabic around it.

// Navigation
pub const NAV_CHAT: &str = "الدردشة";
pub const NAV_FRIENDS: &str = "تحدي الصديق";
pub fn unread_messages(n: &str) -> String {
    format!("رسائل غير مقروءة: {n}")
}

// Chat: the rooms list
pub const CHAT_TITLE: &str = "الدردشة";
pub const CHAT_ROOMS: &str = "المحادثات والغرف";
pub const MY_CHATS: &str = "محادثاتي";
pub const PUBLIC_ROOMS: &str = "غرف عامة يمكنك الانضمام إليها";
/// No conversations and no public room to join either.
pub const NO_CHATS: &str = "لا محادثات بعد. أنشئ مجموعة، أو راسل أحد المتسابقين من لوحة الصدارة.";
/// No conversations, with public rooms listed below.
pub const NO_CHATS_JOIN: &str =
    "لا محادثات بعد. انضم إلى إحدى الغرف العامة أدناه، أو أنشئ مجموعة، أو راسل أحد المتسابقين من لوحة الصدارة.";
pub const NEW_DIRECT: &str = "رسالة جديدة";
pub const NEW_GROUP: &str = "مجموعة جديدة";
pub const NEW_GROUP_TITLE: &str = "مجموعة خاصة جديدة";
pub const NEW_GROUP_TEXT: &str =
    "لا يراها إلا أعضاؤها. بعد إنشائها أضف من تريد من قائمة خيارات المجموعة.";
pub const GROUP_NAME: &str = "اسم المجموعة";
pub const CREATE_GROUP: &str = "إنشاء المجموعة";
pub const NEW_DIRECT_TITLE: &str = "محادثة خاصة جديدة";
pub const NEW_DIRECT_TEXT: &str = "اكتب اسم المستخدم لمن تريد مراسلته كما يظهر بعد علامة @.";
pub const USERNAME_TO_MESSAGE: &str = "اسم المستخدم";
pub const START_CHAT: &str = "بدء المحادثة";
pub const DIRECT_CHAT: &str = "محادثة خاصة";
pub const YOU_PREFIX: &str = "أنت: ";
pub const MUTED: &str = "مكتومة";
pub const JOIN_ROOM: &str = "انضمام";
pub fn join_room(name: &str) -> String {
    format!("انضمام إلى \u{2068}{name}\u{2069}")
}
pub const CHAT_PICK: &str = "اختر محادثة";
pub const CHAT_PICK_HINT: &str = "اختر محادثة من القائمة، أو ابدأ محادثة جديدة.";
pub const ROOM_NOT_FOUND: &str = "لم نجد هذه المحادثة.";
pub fn members_n(n: &str) -> String {
    format!("الأعضاء: {n}")
}

// Chat: the "message" button on people
pub const MESSAGE_USER: &str = "مراسلة";
pub fn message_user(name: &str) -> String {
    format!("مراسلة \u{2068}{name}\u{2069}")
}

// Chat: a room
pub const PUBLIC_ROOM: &str = "غرفة عامة";
pub const PRIVATE_GROUP: &str = "مجموعة خاصة";
pub const BACK_TO_CHATS: &str = "العودة إلى المحادثات";
pub const ROOM_OPTIONS: &str = "خيارات المحادثة";
pub const MUTE: &str = "كتم الإشعارات";
pub const UNMUTE: &str = "إلغاء الكتم";
pub const INVITE_MEMBER: &str = "إضافة عضو";
pub const INVITE_TEXT: &str = "يُضاف العضو إلى المجموعة مباشرة ويصله إشعار بذلك.";
pub const USERNAME_TO_ADD: &str = "اسم مستخدم العضو";
pub const ADD_MEMBER: &str = "إضافة";
pub fn member_added(name: &str) -> String {
    format!("أُضيف \u{2068}{name}\u{2069} إلى المجموعة. يمكنك إضافة عضو آخر.")
}
pub const LEAVE_ROOM: &str = "مغادرة الغرفة";
pub const LEAVE_TEXT: &str =
    "لن تصلك رسائلها بعد المغادرة. إن كنت مالك مجموعة خاصة انتقلت ملكيتها إلى أقدم أعضائها.";
pub const BLOCK_USER: &str = "حظر المستخدم";
pub const BLOCK_TEXT: &str =
    "لن يستطيع مراسلتك ولا إضافتك إلى مجموعاته، ولن تصلك إشارة كتابته. يمكنك إلغاء الحظر متى شئت.";
pub const UNBLOCK_USER: &str = "إلغاء الحظر";
pub const YOU_BLOCKED: &str = "لقد حظرت هذا المستخدم، فلا يمكنكما تبادل الرسائل.";
pub const DELETE_MESSAGE_TITLE: &str = "حذف الرسالة";
pub const DELETE_TEXT: &str = "تُحذف الرسالة عند الجميع، ويبقى مكانها ظاهرًا في المحادثة.";
pub const DELETE_MESSAGE: &str = "حذف";
pub const EDIT_MESSAGE: &str = "تعديل";
pub const EDITED: &str = "(معدّلة)";
pub const MESSAGE_DELETED: &str = "حُذفت هذه الرسالة.";
pub const NO_MESSAGES_YET: &str = "لا رسائل بعد. ابدأ المحادثة!";
pub const CONVERSATION_START: &str = "بداية المحادثة";
pub const OLDER_MESSAGES: &str = "عرض رسائل أقدم";
pub const NEW_MESSAGES: &str = "رسائل جديدة";
pub const JOIN_TO_READ: &str = "انضم إلى الغرفة لتقرأ رسائلها وتشارك فيها.";
pub const ROOM_ARCHIVED: &str = "هذه الغرفة مؤرشفة؛ يمكنك قراءة رسائلها فقط.";
pub const RECONNECTING: &str = "انقطع الاتصال المباشر؛ نعيد الاتصال الآن…";
pub fn is_typing(name: &str) -> String {
    format!("\u{2068}{name}\u{2069} يكتب الآن…")
}

// Chat: the composer
pub const MESSAGE_LABEL: &str = "نص الرسالة";
pub const MESSAGE_PLACEHOLDER: &str = "اكتب رسالتك…";
pub const EDITING_MESSAGE: &str = "تعديل رسالتك";
pub const SEND: &str = "إرسال";
pub const SAVE_EDIT: &str = "حفظ التعديل";
pub const COMPOSER_HELP: &str = "زر الإدخال يرسل الرسالة، ومع زر التبديل يبدأ سطرًا جديدًا.";
pub fn chars_of(n: &str, max: &str) -> String {
    format!("{n} من {max} حرف")
}

// Friend Challenge (/friends)
pub const FRIENDS_TITLE: &str = "تحدي الصديق";
pub const FRIENDS_DETAILS: &str = "أصدقاؤك المدعوون ومشاركة الرابط";
pub const FRIENDS_SUBTITLE: &str =
    "ادعُ أصدقاءك إلى مسابقاتي، واربحا كربتو معًا حين يُنهي صديقك أول مسابقة له.";
pub const YOUR_CODE: &str = "رمز دعوتك";
pub const SHARE_LINK: &str = "رابط الدعوة";
pub const COPY: &str = "نسخ";
pub const COPIED: &str = "تم النسخ";
pub const COPY_BY_HAND: &str = "تعذّر النسخ تلقائيًا؛ حدّد الرابط وانسخه يدويًا.";
pub const SHARE_WHATSAPP: &str = "مشاركة عبر واتساب";
pub fn whatsapp_text(link: &str) -> String {
    format!("تحدَّني في مسابقاتي! سجّل من هذا الرابط لنربح كربتو معًا: {link}")
}
pub const BONUSES_TITLE: &str = "المكافأة";
pub const BONUS_YOU: &str = "لك";
pub const BONUS_FRIEND: &str = "لصديقك";
pub const BONUS_WHEN: &str = "تُضاف إلى رصيدكما حين يُنهي صديقك أول مسابقة يشارك فيها.";
pub const FRIENDS_HOW: &str = "كيف يعمل التحدي؟";
pub const FRIENDS_STEP_1: &str = "شارك رابط دعوتك أو رمزك مع صديق.";
pub const FRIENDS_STEP_2: &str = "يسجّل صديقك من الرابط فيظهر في قائمتك.";
pub const FRIENDS_STEP_3: &str = "حين يُنهي أول مسابقة تُضاف المكافأة إلى رصيدكما تلقائيًا.";
pub const FAIR_PLAY: &str =
    "الدعوات من الجهاز نفسه أو الشبكة نفسها، وما يتجاوز الحد اليومي، يراجعها فريقنا قبل صرف المكافأة.";
pub const INVITED_FRIENDS: &str = "أصدقاؤك المدعوون";
pub const STAT_INVITED: &str = "المدعوون";
pub const STAT_REWARDED: &str = "نالوا المكافأة";
pub const STAT_EARNED: &str = "ربحت منهم";
pub const NO_FRIENDS: &str = "لم تدعُ أحدًا بعد";
pub const NO_FRIENDS_HINT: &str = "شارك رابطك، وسيظهر هنا كل صديق يسجّل من خلاله.";
pub fn joined_on(date: &str) -> String {
    format!("سجّل في {date}")
}
pub fn qualified_on(date: &str) -> String {
    format!("أنهى أول مسابقة في {date}")
}

// Admin: the referral review (/admin/referrals)
pub const ADMIN_REFERRALS: &str = "الدعوات";
pub const REFERRALS_TEXT: &str = "دعوات تحدي الصديق. الدعوات المشتبه بها لا تُصرف مكافأتها حتى تعتمدها أو ترفضها، ويُسجَّل كل قرار في سجل التدقيق.";
pub const REFERRAL_FILTER: &str = "تصفية الدعوات حسب الحالة";
pub const COL_REFERRAL: &str = "الدعوة";
pub const COL_REFERRER: &str = "صاحب الدعوة";
pub const COL_FRIEND: &str = "الصديق";
pub const COL_REASONS: &str = "أسباب المراجعة";
pub const COL_IP: &str = "عنوان الشبكة";
pub const COL_DATES: &str = "التواريخ";
pub const COL_BONUS: &str = "المكافأة";
pub const NO_REFERRALS: &str = "لا دعوات بهذه الحالة.";
pub const APPROVE_REFERRAL: &str = "اعتماد";
pub const REJECT_REFERRAL: &str = "رفض";
pub const REJECT_REFERRAL_TEXT: &str = "لن تُصرف أي مكافأة لهذه الدعوة، ويُسجَّل الرفض في سجل التدقيق.";
pub const REFERRAL_APPROVED: &str = "اعتُمدت الدعوة وصُرفت المكافأة للطرفين.";
pub const REFERRAL_REJECTED: &str = "رُفضت الدعوة.";
pub fn approve_referral_title(friend: &str) -> String {
    format!("اعتماد دعوة \u{2068}@{friend}\u{2069}")
}
pub fn reject_referral_title(friend: &str) -> String {
    format!("رفض دعوة \u{2068}@{friend}\u{2069}")
}
pub fn approve_referral_text(
    referrer_bonus: &str,
    referrer: &str,
    referee_bonus: &str,
    referee: &str,
) -> String {
    format!(
        "يُضاف {referrer_bonus} كربتو إلى \u{2068}@{referrer}\u{2069} و{referee_bonus} كربتو إلى \u{2068}@{referee}\u{2069} مرة واحدة، ويُبلَّغ كلاهما."
    )
}
pub fn invited_on(date: &str) -> String {
    format!("الدعوة: {date}")
}
pub fn decided_on(date: &str) -> String {
    format!("القرار: {date}")
}

// Statuses as the admin reads them (the participant's wording, from `domain`, speaks to the
// inviter: «حصلتما على المكافأة»).
pub const RF_PENDING: &str = "بانتظار أول مسابقة";
pub const RF_QUALIFIED: &str = "مؤهّلة";
pub const RF_REWARDED: &str = "صُرفت المكافأة";
pub const RF_REJECTED: &str = "مرفوضة";
pub const RF_FLAGGED: &str = "بحاجة إلى مراجعة";
pub fn referral_status_admin(s: domain::referrals::ReferralStatus) -> &'static str {
    use domain::referrals::ReferralStatus as S;
    match s {
        S::Pending => RF_PENDING,
        S::Qualified => RF_QUALIFIED,
        S::Rewarded => RF_REWARDED,
        S::Rejected => RF_REJECTED,
        S::Flagged => RF_FLAGGED,
    }
}

// Chat: read ticks on one's own messages in direct rooms (issue 13 item 9)
pub const MESSAGE_SENT: &str = "أُرسلت";
pub const MESSAGE_READ: &str = "تمت القراءة";

// Admin → chat rooms (issue 13 item 9)
pub const ADMIN_CHAT_ROOMS: &str = "غرف الدردشة";
pub const CHAT_ROOMS_HINT: &str =
    "الغرف العامة يراها كل المشاركين وينضمون إليها. الأرشفة تجعل الغرفة للقراءة فقط وتخفيها عمّن ليس عضوًا فيها.";
pub const NEW_PUBLIC_ROOM: &str = "غرفة عامة جديدة";
pub const EDIT_CHAT_ROOM: &str = "تعديل الغرفة";
pub const CREATE_CHAT_ROOM: &str = "إنشاء الغرفة";
pub const CHAT_ROOM_NAME: &str = "اسم الغرفة";
pub const CHAT_ROOM_DESCRIPTION: &str = "وصف الغرفة (اختياري)";
pub const CHAT_ROOM_COL: &str = "الغرفة";
pub const CHAT_ROOM_KIND_COL: &str = "النوع";
pub const CHAT_ROOM_MEMBERS_COL: &str = "الأعضاء";
pub const CHAT_ROOM_OPEN: &str = "نشطة";
pub const CHAT_ROOM_ARCHIVED: &str = "مؤرشفة";
pub const ARCHIVE_CHAT_ROOM: &str = "أرشفة";
pub const UNARCHIVE_CHAT_ROOM: &str = "إلغاء الأرشفة";
pub const ARCHIVE_CHAT_ROOM_TEXT: &str =
    "تصبح الغرفة للقراءة فقط: لا يكتب فيها أحد، ولا يراها إلا أعضاؤها. يمكنك إلغاء الأرشفة لاحقًا.";
pub const NO_ADMIN_CHAT_ROOMS: &str = "لا غرف بعد.";
pub fn archive_chat_room_title(name: &str) -> String {
    format!("أرشفة الغرفة \u{2068}{name}\u{2069}؟")
}
pub fn chat_room_archived_done(name: &str) -> String {
    format!("أُرشفت الغرفة \u{2068}{name}\u{2069}.")
}
pub fn chat_room_unarchived_done(name: &str) -> String {
    format!("أُعيدت الغرفة \u{2068}{name}\u{2069} إلى النشاط.")
}
pub fn chat_room_saved(name: &str) -> String {
    format!("حُفظت الغرفة \u{2068}{name}\u{2069}.")
}
