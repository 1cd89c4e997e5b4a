//! Arabic strings of the leaderboard's pages and "around me" view (issue 13 item 8). Every name
//! here must be new (see `i18n/social.rs`).

pub const BOARD_PAGES: &str = "صفحات الترتيب";
pub const BOARD_PREV: &str = "السابق";
pub const BOARD_NEXT: &str = "التالي";
pub const BOARD_TOP: &str = "إلى القمة";
pub const BOARD_AROUND_ME: &str = "موقعي في الترتيب";
pub fn board_range(from: &str, to: &str, total: &str) -> String {
    format!("المراكز {from}–{to} من {total}")
}

// Public profiles
pub const PROFILE_OF: &str = "الملف العام";
pub const PROFILE_NOT_FOUND: &str = "لا يوجد مشارك بهذا الاسم.";
pub const PROFILE_MEMBER_SINCE: &str = "عضو منذ";
pub const PROFILE_POINTS: &str = "النقاط المكتسبة";
pub const PROFILE_RANK: &str = "الترتيب العام";
pub const PROFILE_UNRANKED: &str = "لم يُرتَّب بعد";
pub const PROFILE_COMPLETED: &str = "مسابقات أكملها";
pub const PROFILE_WINS: &str = "المركز الأول";
pub const PROFILE_PODIUMS: &str = "منصّات التتويج";
pub const PROFILE_RECENT: &str = "آخر النتائج";
pub const PROFILE_NO_RESULTS: &str = "لا نتائج بعد.";
pub const PROFILE_SCORE: &str = "الدرجة";
pub fn profile_title(name: &str) -> String {
    format!("{name} · الملف العام")
}
