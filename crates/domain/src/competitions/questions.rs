//! Questions, answers and submissions of a quiz.

use super::*;

/// POST /admin/competitions/{id}/questions (and the merged form PATCH validates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "ما عاصمة المغرب؟",
            min_length = 1,
            max_length = 1000,
            pattern = r"\S"
        )
    )]
    pub text: String,
    /// 2–6 non-empty choices, shown in this order.
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 6))]
    pub choices: Vec<String>,
    /// Index into `choices` (from 0).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 5))]
    pub correct_index: i64,
    /// Points for a correct answer (default 1).
    #[serde(default = "one")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub points: i64,
}

fn one() -> i64 {
    1
}

impl QuestionRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        check_text(&mut v, "text", &self.text, QUESTION_TEXT_MAX, true);
        if !(CHOICES_MIN..=CHOICES_MAX).contains(&self.choices.len()) {
            v.add("choices", "يجب أن يكون للسؤال من خيارين إلى ستة خيارات.");
        } else if self.choices.iter().any(|c| c.trim().is_empty()) {
            v.add("choices", "لا يمكن أن يكون أي خيار فارغًا.");
        } else if self
            .choices
            .iter()
            .any(|c| c.trim().chars().count() > CHOICE_MAX)
        {
            v.add("choices", "يجب ألا يزيد الخيار على 300 حرف.");
        } else if let Some(problem) = self
            .choices
            .iter()
            .find_map(|c| crate::text::text_problem(c.trim(), TextKind::Line))
        {
            v.add("choices", problem.message("الخيارات"));
        } else {
            let distinct: BTreeSet<&str> = self.choices.iter().map(|c| c.trim()).collect();
            if distinct.len() != self.choices.len() {
                v.add("choices", "الخيارات يجب أن تكون مختلفة.");
            }
        }
        if self.correct_index < 0 || self.correct_index >= self.choices.len() as i64 {
            v.add("correct_index", "رقم الإجابة الصحيحة خارج نطاق الخيارات.");
        }
        if !(1..=QUESTION_POINTS_MAX).contains(&self.points) {
            v.add("points", "نقاط السؤال يجب أن تكون بين 1 و1000.");
        }
        v.finish()
    }
}

/// PATCH /admin/competitions/{id}/questions/{qid}: the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateQuestionRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"\S")
    )]
    pub text: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 6))]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 5))]
    pub correct_index: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub points: Option<i64>,
    /// Display order (smaller first).
    #[serde(default)]
    pub position: Option<i64>,
}

impl UpdateQuestionRequest {
    pub fn merged(&self, current: &QuestionRequest) -> QuestionRequest {
        QuestionRequest {
            text: self.text.clone().unwrap_or_else(|| current.text.clone()),
            choices: self
                .choices
                .clone()
                .unwrap_or_else(|| current.choices.clone()),
            correct_index: self.correct_index.unwrap_or(current.correct_index),
            points: self.points.unwrap_or(current.points),
        }
    }
}

/// A question with its answer, for admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminQuestion {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub choices: Vec<String>,
    pub correct_index: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminQuestionList {
    pub items: Vec<AdminQuestion>,
}

/// A question as participants see it: never with the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub choices: Vec<String>,
    pub points: i64,
}

/// GET /competitions/{id}/questions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSet {
    pub competition_id: i64,
    pub questions: Vec<Question>,
    /// When this participant first opened the questions (their timer's start).
    pub started_at: DateTime<Utc>,
    /// Answers are accepted until then: the personal timer or the competition's end.
    pub deadline: DateTime<Utc>,
    pub submitted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub question_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub choice_index: i64,
}

/// POST /competitions/{id}/submission. Unanswered questions score nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// At most one answer per question.
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub answers: Vec<AnswerInput>,
}

impl SubmissionRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.answers.len() > QUESTIONS_MAX {
            v.add("answers", "عدد الإجابات أكبر من عدد الأسئلة الممكن.");
        }
        let ids: BTreeSet<i64> = self.answers.iter().map(|a| a.question_id).collect();
        if ids.len() != self.answers.len() {
            v.add("answers", "أجب عن كل سؤال مرة واحدة فقط.");
        }
        if self.answers.iter().any(|a| a.choice_index < 0) {
            v.add("answers", "رقم الخيار غير صحيح.");
        }
        v.finish()
    }
}
