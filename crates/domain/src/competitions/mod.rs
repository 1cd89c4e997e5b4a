//! Competitions: kinds, the lifecycle, requests with their validation rules, and the shapes the
//! API answers with. The SPA validates its forms with the same functions the server uses.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::FieldErrors;
use crate::text::TextKind;
use crate::validation::Validator;

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;
pub const RULES_MAX: usize = 10_000;
pub const CATEGORY_MAX: usize = 50;
pub const URL_MAX: usize = 500;
pub const PRIZES_MAX: usize = 100;
pub const POINTS_MAX: i64 = 1_000_000_000;
pub const QUIZ_DURATION_MIN: i64 = 10;
pub const QUIZ_DURATION_MAX: i64 = 24 * 3600;
pub const MAX_PARTICIPANTS_MAX: i64 = 1_000_000;
/// A competition may last at most this long.
pub const LONGEST_DAYS: i64 = 366;
pub const QUESTIONS_MAX: usize = 200;
pub const QUESTION_TEXT_MAX: usize = 1000;
pub const CHOICES_MIN: usize = 2;
pub const CHOICES_MAX: usize = 6;
pub const CHOICE_MAX: usize = 300;
pub const QUESTION_POINTS_MAX: i64 = 1000;
pub const RESULTS_MAX: usize = 10_000;
pub const SCORE_MAX: i64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompetitionKind {
    /// Multiple-choice questions, scored automatically.
    Quiz,
    /// Scores entered by an admin.
    Judged,
}

impl CompetitionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quiz => "quiz",
            Self::Judged => "judged",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "quiz" => Some(Self::Quiz),
            "judged" => Some(Self::Judged),
            _ => None,
        }
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Quiz => "اختبار",
            Self::Judged => "تحكيم",
        }
    }
}

/// draft → published → running → ended → finalized. Only `publish` and `finalize` are actions;
/// `running` and `ended` follow from `starts_at` and `ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompetitionStatus {
    Draft,
    Published,
    Running,
    Ended,
    Finalized,
}

/// Fields whose text can be corrected at any time.
const TEXT_FIELDS: [&str; 7] = [
    "title",
    "title_en",
    "description",
    "description_en",
    "rules",
    "category",
    "cover_url",
];

impl CompetitionStatus {
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Published,
        Self::Running,
        Self::Ended,
        Self::Finalized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Running => "running",
            Self::Ended => "ended",
            Self::Finalized => "finalized",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Draft => "مسودة",
            Self::Published => "منشورة",
            Self::Running => "جارية",
            Self::Ended => "منتهية",
            Self::Finalized => "معتمدة النتائج",
        }
    }

    /// The status the clock has moved a stored status to. Never moves backwards.
    pub fn effective(
        self,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        match self {
            Self::Published | Self::Running if now >= ends_at => Self::Ended,
            Self::Published if now >= starts_at => Self::Running,
            other => other,
        }
    }

    /// Which fields an admin may change in this status. Entry fee, prizes and kind are what
    /// people joined for, so they freeze at publication; the schedule freezes once running.
    pub fn editable_fields(self) -> Vec<&'static str> {
        let mut fields = TEXT_FIELDS.to_vec();
        match self {
            Self::Draft => fields.extend([
                "kind",
                "starts_at",
                "ends_at",
                "registration_opens_at",
                "registration_closes_at",
                "quiz_duration_seconds",
                "max_participants",
                "entry_fee",
                "participation_points",
                "prizes",
            ]),
            Self::Published => fields.extend([
                "starts_at",
                "ends_at",
                "registration_opens_at",
                "registration_closes_at",
                "quiz_duration_seconds",
                "max_participants",
            ]),
            Self::Running => fields.push("ends_at"),
            Self::Ended | Self::Finalized => {}
        }
        fields
    }

    /// Questions can be changed until the competition starts.
    pub fn questions_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Published)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParticipationStatus {
    /// Joined, has not submitted (or been scored) yet.
    Registered,
    /// Answers submitted (quiz) or score entered (judged).
    Submitted,
    /// Ranked and credited at finalization.
    Completed,
    Withdrawn,
    Disqualified,
}

impl ParticipationStatus {
    pub const ALL: [Self; 5] = [
        Self::Registered,
        Self::Submitted,
        Self::Completed,
        Self::Withdrawn,
        Self::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Submitted => "submitted",
            Self::Completed => "completed",
            Self::Withdrawn => "withdrawn",
            Self::Disqualified => "disqualified",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Still taking part (counts towards `participants_count`).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Registered | Self::Submitted | Self::Completed)
    }
}

/// Whether people can join now: published or running, inside the registration window (default:
/// from publication until `starts_at`), and before the end.
pub fn registration_open(
    status: CompetitionStatus,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let status = status.effective(starts_at, ends_at, now);
    matches!(
        status,
        CompetitionStatus::Published | CompetitionStatus::Running
    ) && opens_at.is_none_or(|o| now >= o)
        && now < closes_at.unwrap_or(starts_at)
        && now < ends_at
}

/// One line of the prize table: the participant ranked `rank` receives `points`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prize {
    #[cfg_attr(feature = "openapi", schema(example = 1, minimum = 1, maximum = 100))]
    pub rank: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(example = 500, minimum = 1, maximum = 1_000_000_000)
    )]
    pub points: i64,
}

/// POST /admin/competitions. Also the complete form that PATCH merges into before validating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCompetitionRequest {
    /// The Arabic title (must contain Arabic letters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "مسابقة الثقافة العامة",
            min_length = 1,
            max_length = 200,
            pattern = "[\u{0621}-\u{064A}]"
        )
    )]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title_en: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description_en: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10_000))]
    pub rules: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub category: Option<String>,
    /// An `https://` (or `http://`) address, or a path on this site starting with `/`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = r"^(https?://\S*|/([^/\s]\S*)?)?$")
    )]
    pub cover_url: Option<String>,
    /// `quiz` or `judged`.
    #[cfg_attr(feature = "openapi", schema(value_type = CompetitionKind))]
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Registration opens at publication when absent.
    #[serde(default)]
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// Registration closes at `starts_at` when absent; may be as late as `ends_at`.
    #[serde(default)]
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Quiz only: seconds each participant has from first opening the questions.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 86_400))]
    pub quiz_duration_seconds: Option<i64>,
    /// Unlimited when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub max_participants: Option<i64>,
    /// Points debited on joining (refunded on withdrawal before the start).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub entry_fee: i64,
    /// Points for every participant who submits (or is scored).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub participation_points: i64,
    /// Ranks 1..N, each once, points > 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub prizes: Vec<Prize>,
}

fn has_arabic_letter(value: &str) -> bool {
    value
        .chars()
        .any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

fn check_text(v: &mut Validator, field: &str, value: &str, max: usize, required: bool) {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        if required {
            v.add(field, "هذا الحقل مطلوب.");
        }
        return;
    }
    if trimmed.chars().count() > max {
        v.add(field, format!("يجب ألا يزيد النص على {max} حرف."));
    } else {
        // Titles and categories are one line; descriptions, rules and questions may span lines.
        let kind = match field {
            "title" | "title_en" | "category" => TextKind::Line,
            _ => TextKind::Multiline,
        };
        v.text(field, trimmed, kind);
    }
}

fn check_url(v: &mut Validator, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let scheme_ok = value.starts_with("https://")
        || value.starts_with("http://")
        || (value.starts_with('/') && !value.starts_with("//"));
    if value.len() > URL_MAX {
        v.add("cover_url", "رابط الصورة أطول من المسموح.");
    } else if !scheme_ok || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        v.add("cover_url", "رابط الصورة يجب أن يبدأ بـ https:// أو /.");
    }
}

impl CreateCompetitionRequest {
    /// Rules that hold regardless of the clock. See also [`Self::validate_schedule`].
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        check_text(&mut v, "title", &self.title, TITLE_MAX, true);
        if !self.title.trim().is_empty() && !has_arabic_letter(&self.title) {
            v.add(
                "title",
                "اكتب عنوان المسابقة بالعربية؛ العنوان الإنجليزي مكانه title_en.",
            );
        }
        check_text(
            &mut v,
            "title_en",
            self.title_en.as_deref().unwrap_or(""),
            TITLE_MAX,
            false,
        );
        check_text(
            &mut v,
            "description",
            &self.description,
            DESCRIPTION_MAX,
            false,
        );
        check_text(
            &mut v,
            "description_en",
            self.description_en.as_deref().unwrap_or(""),
            DESCRIPTION_MAX,
            false,
        );
        check_text(
            &mut v,
            "rules",
            self.rules.as_deref().unwrap_or(""),
            RULES_MAX,
            false,
        );
        check_text(
            &mut v,
            "category",
            self.category.as_deref().unwrap_or(""),
            CATEGORY_MAX,
            false,
        );
        check_url(&mut v, self.cover_url.as_deref().unwrap_or(""));

        let kind = CompetitionKind::parse(&self.kind);
        if kind.is_none() {
            v.add("kind", "نوع المسابقة يجب أن يكون quiz أو judged.");
        }
        if self.ends_at <= self.starts_at {
            v.add("ends_at", "يجب أن يكون موعد النهاية بعد موعد البداية.");
        } else if self.ends_at - self.starts_at > Duration::days(LONGEST_DAYS) {
            v.add("ends_at", "لا يمكن أن تزيد مدة المسابقة على سنة.");
        }
        let closes = self.registration_closes_at.unwrap_or(self.starts_at);
        if let Some(closes_at) = self.registration_closes_at {
            if closes_at > self.ends_at {
                v.add(
                    "registration_closes_at",
                    "يجب أن يغلق التسجيل قبل نهاية المسابقة أو عندها.",
                );
            }
        }
        if let Some(opens_at) = self.registration_opens_at {
            if opens_at >= closes {
                v.add(
                    "registration_opens_at",
                    "يجب أن يفتح التسجيل قبل موعد إغلاقه (موعد البداية إن لم يُحدَّد).",
                );
            }
        }
        if let Some(d) = self.quiz_duration_seconds {
            if kind == Some(CompetitionKind::Judged) {
                v.add(
                    "quiz_duration_seconds",
                    "مدة الاختبار تخص مسابقات الاختبار فقط.",
                );
            } else if !(QUIZ_DURATION_MIN..=QUIZ_DURATION_MAX).contains(&d) {
                v.add(
                    "quiz_duration_seconds",
                    "مدة الاختبار يجب أن تكون بين 10 ثوانٍ و24 ساعة.",
                );
            }
        }
        if let Some(n) = self.max_participants {
            if !(1..=MAX_PARTICIPANTS_MAX).contains(&n) {
                v.add(
                    "max_participants",
                    "الحد الأقصى للمشاركين يجب أن يكون بين 1 ومليون.",
                );
            }
        }
        if !(0..=POINTS_MAX).contains(&self.entry_fee) {
            v.add(
                "entry_fee",
                "رسوم الاشتراك يجب أن تكون صفرًا أو أكثر (حتى مليار).",
            );
        }
        if !(0..=POINTS_MAX).contains(&self.participation_points) {
            v.add(
                "participation_points",
                "نقاط المشاركة يجب أن تكون صفرًا أو أكثر (حتى مليار).",
            );
        }
        if let Err(message) = validate_prizes(&self.prizes) {
            v.add("prizes", message);
        }
        v.finish()
    }

    /// Rules relative to now: a competition being created or rescheduled must still end in
    /// the future.
    pub fn validate_schedule(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        if self.ends_at <= now {
            v.add("ends_at", "موعد النهاية يجب أن يكون في المستقبل.");
        }
        v.finish()
    }
}

/// Ranks must be exactly 1..N (each once), every prize positive.
pub fn validate_prizes(prizes: &[Prize]) -> Result<(), &'static str> {
    if prizes.len() > PRIZES_MAX {
        return Err("لا يمكن أن تزيد الجوائز على 100 مركز.");
    }
    if prizes
        .iter()
        .any(|p| p.points <= 0 || p.points > POINTS_MAX)
    {
        return Err("نقاط كل جائزة يجب أن تكون أكبر من صفر.");
    }
    let ranks: BTreeSet<i64> = prizes.iter().map(|p| p.rank).collect();
    let expected: BTreeSet<i64> = (1..=prizes.len() as i64).collect();
    if ranks.len() != prizes.len() || ranks != expected {
        return Err("مراكز الجوائز يجب أن تكون 1، 2، 3… دون تكرار أو فجوات.");
    }
    Ok(())
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// PATCH /admin/competitions/{id}: only the fields present change; `null` clears an optional
/// field. Which fields may change depends on the status ([`CompetitionStatus::editable_fields`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCompetitionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "[\u{0621}-\u{064A}]")
    )]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 200))]
    pub title_en: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 5000))]
    pub description_en: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 10_000))]
    pub rules: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 50))]
    pub category: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 500, pattern = r"^(https?://\S*|/([^/\s]\S*)?)?$"))]
    pub cover_url: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<CompetitionKind>))]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 10, maximum = 86_400))]
    pub quiz_duration_seconds: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 1, maximum = 1_000_000))]
    pub max_participants: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub entry_fee: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub participation_points: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub prizes: Option<Vec<Prize>>,
}

impl UpdateCompetitionRequest {
    /// The competition as it would be after this change.
    pub fn merged(&self, current: &CreateCompetitionRequest) -> CreateCompetitionRequest {
        let mut m = current.clone();
        macro_rules! take {
            ($($f:ident),*) => {$( if let Some(value) = &self.$f { m.$f = value.clone(); } )*};
        }
        take!(
            title,
            title_en,
            description,
            description_en,
            rules,
            category,
            cover_url,
            kind,
            starts_at,
            ends_at,
            registration_opens_at,
            registration_closes_at,
            quiz_duration_seconds,
            max_participants,
            entry_fee,
            participation_points,
            prizes
        );
        m
    }
}

/// The fields whose values differ between two versions of a competition.
pub fn changed_fields(
    before: &CreateCompetitionRequest,
    after: &CreateCompetitionRequest,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => {$( if before.$f != after.$f { out.push(stringify!($f)); } )*};
    }
    cmp!(
        title,
        title_en,
        description,
        description_en,
        rules,
        category,
        cover_url,
        kind,
        starts_at,
        ends_at,
        registration_opens_at,
        registration_closes_at,
        quiz_duration_seconds,
        max_participants,
        entry_fee,
        participation_points,
        prizes
    );
    out
}

/// A competition as the API shows it (public and admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Competition {
    pub id: i64,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub rules: Option<String>,
    pub category: Option<String>,
    pub cover_url: Option<String>,
    pub kind: CompetitionKind,
    /// The current status (follows the clock: published → running → ended).
    pub status: CompetitionStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// As configured (null = at publication).
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// As configured (null = at `starts_at`).
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// When registration actually closes.
    pub registration_deadline: DateTime<Utc>,
    /// Whether joining is possible right now (ignoring capacity; see `is_full`).
    pub registration_open: bool,
    pub quiz_duration_seconds: Option<i64>,
    pub max_participants: Option<i64>,
    pub participants_count: i64,
    pub is_full: bool,
    pub entry_fee: i64,
    pub participation_points: i64,
    pub prizes: Vec<Prize>,
    pub question_count: i64,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub finalized_at: Option<DateTime<Utc>>,
    /// Present when the request carried a Bearer token: whether the caller takes part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<bool>,
    /// Present when the caller has (or had) a participation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_status: Option<ParticipationStatus>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetitionPage {
    pub items: Vec<Competition>,
    pub next_cursor: Option<String>,
}

mod questions;
mod results;
#[cfg(test)]
mod tests;

pub use questions::*;
pub use results::*;
