//! Arabic strings of «مسابقاتي», the participant's own competitions (issue 17 item 1), and its
//! card on the home page. Every name here must be new (see `i18n/social.rs`).

pub const MY_COMPETITIONS: &str = "مسابقاتي";
pub const MY_COMPETITIONS_SUBTITLE: &str =
    "المسابقات التي اشتركت فيها: القادمة والجارية والمنتهية، ونتيجتك في كلٍّ منها.";
pub const MY_COMPETITIONS_FILTERS: &str = "تصفية مسابقاتي";
pub const MINE_UPCOMING: &str = "القادمة";
pub const MINE_RUNNING: &str = "الجارية";
pub const MINE_FINISHED: &str = "المنتهية";
pub const MINE_EMPTY_UPCOMING: &str = "لا مسابقات قادمة اشتركت فيها.";
pub const MINE_EMPTY_RUNNING: &str = "لا مسابقات جارية اشتركت فيها.";
pub const MINE_EMPTY_FINISHED: &str = "لم تنتهِ بعدُ أي مسابقة اشتركت فيها.";
pub const MINE_BROWSE: &str = "تصفّح المسابقات";
pub const MINE_SCORE: &str = "درجتك";
pub const MINE_RANK: &str = "مركزك";
pub const MINE_WON: &str = "ما ربحته";
pub const MINE_NOT_YET: &str = "—";
pub const MINE_RESULTS: &str = "النتائج";
pub const MINE_OPEN: &str = "صفحة المسابقة";
pub const MINE_START_QUIZ: &str = "ابدأ الاختبار";
pub const NEXT_COMPETITION: &str = "مسابقتك القادمة";
pub const CURRENT_COMPETITION: &str = "مسابقتك الجارية";
pub const ALL_MY_COMPETITIONS: &str = "كل مسابقاتي";
