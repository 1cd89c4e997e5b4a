//! Validation rules, written once and used by the server and the SPA alike.
//! Every rule returns the Arabic message shown beside the field.

use crate::error::FieldErrors;
use crate::text::{check_text, field_label, TextKind};

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 30;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const DISPLAY_NAME_MAX: usize = 50;
pub const EMAIL_MAX: usize = 254;

/// Usernames are Latin handles (shareable in links): letters, digits, `_` and `.`, starting with a letter.
pub fn validate_username(value: &str) -> Result<(), &'static str> {
    let len = value.chars().count();
    if len == 0 {
        return Err("اسم المستخدم مطلوب.");
    }
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&len) {
        return Err("يجب أن يكون اسم المستخدم بين 3 و30 حرفًا.");
    }
    if !value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
    {
        return Err("يجب أن يبدأ اسم المستخدم بحرف لاتيني.");
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return Err("يُسمح في اسم المستخدم بالحروف اللاتينية والأرقام و _ و . فقط.");
    }
    Ok(())
}

pub fn validate_email(value: &str) -> Result<(), &'static str> {
    if value.is_empty() {
        return Err("البريد الإلكتروني مطلوب.");
    }
    if value.len() > EMAIL_MAX {
        return Err("البريد الإلكتروني أطول من المسموح.");
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err("البريد الإلكتروني غير صحيح.");
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    if local.is_empty() || !domain_ok || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("البريد الإلكتروني غير صحيح.");
    }
    Ok(())
}

pub fn validate_password(value: &str) -> Result<(), &'static str> {
    let len = value.chars().count();
    if len == 0 {
        return Err("كلمة المرور مطلوبة.");
    }
    if len < PASSWORD_MIN {
        return Err("يجب ألا تقل كلمة المرور عن 8 أحرف.");
    }
    if len > PASSWORD_MAX {
        return Err("يجب ألا تزيد كلمة المرور على 128 حرفًا.");
    }
    let first = value.chars().next();
    if value.chars().all(|c| Some(c) == first) {
        return Err("كلمة المرور ضعيفة جدًا.");
    }
    Ok(())
}

/// 1–50 characters after trimming, passing the name rules of [`crate::text`]: no control or
/// bidi characters, no invisible ones, something visible. (Names that look like another
/// person's are refused by the server, which holds the other names.)
pub fn validate_display_name(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("الاسم الظاهر مطلوب.".to_owned());
    }
    if trimmed.chars().count() > DISPLAY_NAME_MAX {
        return Err("يجب ألا يزيد الاسم الظاهر على 50 حرفًا.".to_owned());
    }
    check_text(trimmed, TextKind::Name, field_label("display_name"))
}

/// Collects field errors: `v.check("username", validate_username(&x))`.
#[derive(Debug, Default)]
pub struct Validator {
    fields: FieldErrors,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn check<M: Into<String>>(&mut self, field: &str, result: Result<(), M>) -> &mut Self {
        if let Err(message) = result {
            self.fields
                .entry(field.to_owned())
                .or_insert_with(|| message.into());
        }
        self
    }

    /// The text rules of [`crate::text`] for `field` (named in Arabic by [`field_label`]).
    pub fn text(&mut self, field: &str, value: &str, kind: TextKind) -> &mut Self {
        self.check(field, check_text(value, kind, field_label(field)))
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) -> &mut Self {
        self.fields
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
        self
    }

    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(self.fields)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["ali", "Ali_99", "a.b.c", "abcdefghijabcdefghijabcdefghij"] {
            assert!(validate_username(ok).is_ok(), "{ok} should be valid");
        }
        for bad in [
            "",
            "ab",
            "9ali",
            "_ali",
            "علي",
            "ali b",
            "ali-b",
            "abcdefghijabcdefghijabcdefghijk",
        ] {
            assert!(validate_username(bad).is_err(), "{bad} should be invalid");
        }
    }

    #[test]
    fn emails() {
        assert!(validate_email("a@b.co").is_ok());
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.co", "a@b..co",
        ] {
            assert!(validate_email(bad).is_err(), "{bad} should be invalid");
        }
    }

    #[test]
    fn passwords() {
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_password("short").is_err());
        assert!(validate_password("aaaaaaaaaa").is_err());
        assert!(validate_password(&"x1".repeat(65)).is_err());
    }

    #[test]
    fn display_names() {
        assert!(validate_display_name("أحمد").is_ok());
        assert!(validate_display_name("   ").is_err());
        assert!(validate_display_name(&"ا".repeat(51)).is_err());
        assert!(validate_display_name("\u{202E}nimda").is_err());
        assert!(validate_display_name("\u{200B}\u{200B}").is_err());
        assert!(validate_display_name("\u{0301}\u{0301}")
            .unwrap_err()
            .contains("الاسم الظاهر"));
    }
}
