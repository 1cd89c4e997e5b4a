//! The home page's feed (issue 13 item 6): what is live, what starts soon, the week's rank and
//! recent activity for participants; a featured competition and the top players for visitors.

pub const HOME_LIVE_NOW: &str = "يجري الآن";
pub const HOME_STARTING_SOON: &str = "تبدأ قريبًا";
pub const HOME_NOTHING_LIVE: &str = "لا مسابقة جارية الآن.";
pub const HOME_NOTHING_SOON: &str = "لا مسابقات مجدولة بعد.";
pub const HOME_BROWSE_ALL: &str = "تصفّح كل المسابقات";
pub const HOME_WEEK_RANK: &str = "ترتيبك هذا الأسبوع";
pub const HOME_RANK_WORD: &str = "المركز";
pub const HOME_WEEK_UNRANKED: &str = "لم تكسب نقاطًا هذا الأسبوع بعد؛ شارك في مسابقة لتدخل الترتيب.";
pub fn home_week_rank_of(total: &str) -> String {
    format!("من {total} متسابق")
}
pub fn home_week_points(points: &str) -> String {
    format!("{points} كربتو هذا الأسبوع")
}
pub const HOME_SEE_BOARD: &str = "لوحة المتصدرين";
pub const HOME_RECENT_ACTIVITY: &str = "آخر النشاط";
pub const HOME_NO_ACTIVITY: &str = "لا حركة في رصيدك بعد.";
pub const HOME_ALL_ACTIVITY: &str = "كل حركات الرصيد";
pub fn home_participants(n: &str) -> String {
    format!("{n} مشارك")
}
pub const HOME_FEATURED: &str = "مسابقة مميزة";
pub const HOME_FEATURED_LIVE: &str = "جارية الآن";
pub const HOME_JOIN_NOW: &str = "شارك الآن";
pub const HOME_VIEW: &str = "التفاصيل";
pub const HOME_TOP_PLAYERS: &str = "أبطال الأسبوع";
pub const HOME_TOP_PLAYERS_ALL: &str = "أبطال المنصة";
pub const HOME_NO_PLAYERS: &str = "لم يكسب أحد نقاطًا بعد؛ كن الأول.";
pub const HOME_EXPLORE: &str = "استكشف قبل أن تسجّل";
