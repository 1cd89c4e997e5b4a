//! Entries of judged competitions (issue 13, item 2): a participant submits a text and,
//! optionally, a link to their work, and may edit it until the competition ends; the admin
//! judges the entries side by side, with or without names.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::TextKind;
use crate::validation::Validator;
use crate::FieldErrors;

pub const ENTRY_TEXT_MAX: usize = 5000;
pub const ENTRY_LINK_MAX: usize = 500;

/// PUT /competitions/{id}/entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// What the entry is, in the participant's words (1–5000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub text: String,
    /// A link to the work (`https://…` or `http://…`), optional.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub link: Option<String>,
}

impl EntryRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut v = Validator::new();
        let text = self.text.trim();
        if text.is_empty() {
            v.add("text", "اكتب وصف مشاركتك.");
        } else if text.chars().count() > ENTRY_TEXT_MAX {
            v.add(
                "text",
                format!("يجب ألا يزيد الوصف على {ENTRY_TEXT_MAX} حرف."),
            );
        } else {
            v.text("text", text, TextKind::Multiline);
        }
        if let Some(link) = self.link().as_deref() {
            let web = link.starts_with("https://") || link.starts_with("http://");
            if link.chars().count() > ENTRY_LINK_MAX {
                v.add("link", "الرابط أطول من المسموح.");
            } else if !web
                || link.len() <= "https://".len()
                || link
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || crate::text::is_bidi_control(c))
            {
                v.add(
                    "link",
                    "الرابط يجب أن يبدأ بـ https:// أو http:// ولا يحتوي مسافات.",
                );
            }
        }
        v.finish()
    }

    /// The trimmed link, `None` when blank.
    pub fn link(&self) -> Option<String> {
        self.link
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
    }
}

/// The participant's own entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub competition_id: i64,
    pub text: String,
    pub link: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The entry can be changed until then (the competition's end).
    pub editable_until: DateTime<Utc>,
    /// The score the judges gave, once entered.
    pub score: Option<i64>,
}

/// One entry as the judges see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminEntry {
    /// The participant (what results are entered for).
    pub user_id: i64,
    /// «المشاركة ٣» when judging without names, else the display name.
    pub label: String,
    /// `null` when judging without names.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub text: String,
    pub link: Option<String>,
    pub score: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// GET /admin/competitions/{id}/entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminEntryList {
    pub items: Vec<AdminEntry>,
    /// Names were left out.
    pub anonymous: bool,
    /// Participants who have not sent an entry.
    pub without_entry: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str, link: Option<&str>) -> EntryRequest {
        EntryRequest {
            text: text.into(),
            link: link.map(Into::into),
        }
    }

    #[test]
    fn entries_need_text_and_a_web_link() {
        assert!(req("لوحة بخط النسخ", Some("https://example.com/a.png"))
            .validate()
            .is_ok());
        assert!(req("لوحة", None).validate().is_ok());
        assert!(req("لوحة", Some("  ")).validate().is_ok());
        let fields = req("  ", Some("javascript:alert(1)"))
            .validate()
            .unwrap_err();
        assert!(fields.contains_key("text") && fields.contains_key("link"));
        assert!(req("لوحة", Some("https://")).validate().is_err());
        assert!(req("لوحة", Some("https://a b")).validate().is_err());
        assert!(req(&"ن".repeat(5001), None).validate().is_err());
    }
}
