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
