//! Accessibility and the phone quiz (issue 13, items 7 and 11).

/// The review step's list of answers.
pub const REVIEW_ANSWERS: &str = "إجاباتك";
pub const NOT_ANSWERED: &str = "لم تُجب بعد";
pub const CHANGE_ANSWER: &str = "تغيير";
pub fn change_answer_label(n: &str) -> String {
    format!("تغيير إجابة السؤال {n}")
}
pub fn review_question(n: &str) -> String {
    format!("السؤال {n}")
}
/// Leaves the review for the questions (the review replaces the question on screen).
pub const BACK_TO_QUESTIONS: &str = "العودة إلى الأسئلة";
