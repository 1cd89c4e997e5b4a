//! Text as it arrives, before any handler sees it, and the confusable-name check.
//!
//! Every JSON body passes [`clean_body`] (from the `Json`/`OptionalJson` extractors, so a new
//! endpoint cannot forget it): a control character other than line feed, carriage return and tab
//! in any string — NUL included, which PostgreSQL cannot store and SQLite can — is refused with
//! 422 naming the field, and every string is put in Unicode NFC, so that the same name typed on
//! two keyboards is stored, compared and searched as one. The per-field rules (bidi controls,
//! invisible-only values, names) are `domain::text`'s, run by each request's `validate()`.
//!
//! Display names are also compared with the other accounts' names by their UTS #39 skeleton
//! ([`name_skeleton`], stored in `users.display_name_skeleton` / `username_skeleton`): see
//! [`confusable_with`].

use domain::text::{field_label, is_invisible, TextProblem};
use domain::FieldErrors;
use serde_json::Value;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_security::mixed_script::AugmentedScriptSet;

use crate::error::ApiError;

/// Fields kept byte for byte: a password is compared with the hash of what was set, and
/// normalising it now would lock out anyone who set one in another normalisation form.
const VERBATIM: [&str; 3] = ["password", "current_password", "new_password"];

/// Whether a body may hold a string that needs the second pass: any byte outside printable
/// ASCII (NFC, C1 controls, bidi characters), DEL, or an escape (`\u0000`, `\b`…). The usual
/// small bodies (ids, amounts, usernames) skip it.
pub fn may_need_cleaning(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b >= 0x7F || b == b'\\')
}

fn forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Refuses control characters in any string or key of a parsed body (422 naming the field,
/// as `serde_path_to_error` would: `answers[0].text`) and puts every string in NFC.
pub fn clean_body(value: &mut Value) -> Result<(), ApiError> {
    clean(value, &mut String::new(), false)
}

fn clean(value: &mut Value, path: &mut String, verbatim: bool) -> Result<(), ApiError> {
    match value {
        Value::String(s) => {
            if s.chars().any(forbidden_control) {
                return Err(refused(path));
            }
            if !verbatim && is_nfc_quick(s.chars()) != IsNormalized::Yes {
                *s = s.nfc().collect();
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                clean(item, path, verbatim)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if key.chars().any(forbidden_control) {
                    path.push_str(&key.escape_default().to_string());
                    return Err(refused(path));
                }
                path.push_str(key);
                clean(item, path, verbatim || VERBATIM.contains(&key.as_str()))?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn refused(path: &str) -> ApiError {
    let field = if path.is_empty() { "body" } else { path };
    // The last name in the path says what the field is (`prizes[0].note` → note).
    let last = field
        .rsplit('.')
        .next()
        .and_then(|s| s.split('[').next())
        .unwrap_or(field);
    let mut fields = FieldErrors::new();
    fields.insert(
        field.to_owned(),
        TextProblem::Control.message(field_label(last)),
    );
    ApiError::Validation(fields)
}

/// A percent-encoded path or query that decodes to a control character (`%00`, `%0A`, `%C2%85`…).
/// Text in a URL has no business carrying any, and PostgreSQL cannot compare a NUL.
pub fn url_has_control(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
    let decoded = |i: usize| -> Option<u8> {
        if bytes.get(i) != Some(&b'%') {
            return None;
        }
        let (hi, lo) = (hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?);
        u8::try_from(hi * 16 + lo).ok()
    };
    (0..bytes.len()).any(|i| match decoded(i) {
        Some(b) if b < 0x20 || b == 0x7F => true,
        // U+0080–U+009F in UTF-8: C2 80 … C2 9F.
        Some(0xC2) => decoded(i + 3).is_some_and(|b| (0x80..=0x9F).contains(&b)),
        _ => bytes[i] < 0x20 || bytes[i] == 0x7F,
    })
}

/// The form names are compared in: NFC, without invisible characters, lower case, single
/// spaces, then the UTS #39 skeleton (every character replaced by its confusable prototype:
/// Cyrillic «а» and Latin «a», «rn» and «m», «0» and «O» meet).
pub fn name_skeleton(name: &str) -> String {
    let folded: String = name
        .nfc()
        .filter(|&c| !is_invisible(c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    unicode_security::confusable_detection::skeleton(&folded).collect()
}

/// Another account's name that matched a candidate's skeleton.
pub struct Lookalike<'a> {
    /// The other account's display name or username.
    pub name: &'a str,
    pub is_admin: bool,
}

/// Whether `candidate` (a display name) would pass for `other`, whose skeleton is the same:
/// - any name that reads as an admin's display name or username, identical ones included —
///   nobody else may appear as a member of staff;
/// - otherwise a name that differs from the other one but shares no script with it: a
///   mixed-script name (Latin with one Cyrillic letter) or a whole-script look-alike (all
///   Cyrillic «раураӏ» against Latin «paypal»).
///
/// Identical names of ordinary users stay allowed (there are many people called «أحمد»), and
/// so do spelling variants within one script («احمد» / «أحمد»), which are different names.
pub fn confusable_with(candidate: &str, other: &Lookalike<'_>) -> bool {
    if other.is_admin {
        return true;
    }
    let fold = |s: &str| -> String { s.nfc().flat_map(char::to_lowercase).collect() };
    if fold(candidate).trim() == fold(other.name).trim() {
        return false;
    }
    let mut shared = AugmentedScriptSet::for_str(candidate);
    shared.intersect_with(AugmentedScriptSet::for_str(other.name));
    shared.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// «раураӏ»: Cyrillic er, a, u, er, a, palochka.
    const CYRILLIC_PAYPAL: &str = "\u{0440}\u{0430}\u{0443}\u{0440}\u{0430}\u{04CF}";

    #[test]
    fn combining_mark_table_matches_unicode_normalization() {
        for cp in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(
                domain::text::is_combining_mark(c),
                unicode_normalization::char::is_combining_mark(c),
                "U+{cp:04X}: domain's mark table differs from unicode-normalization; regenerate it"
            );
        }
    }

    fn field_of(err: ApiError) -> String {
        match err {
            ApiError::Validation(fields) => fields.keys().next().cloned().unwrap_or_default(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_anywhere_in_a_body_are_refused_naming_the_field() {
        for (mut body, field) in [
            (json!({"note": "a\u{0}b"}), "note"),
            (json!({"reason": "\u{7}"}), "reason"),
            (json!({"a": {"b": [1, "x\u{85}"]}}), "a.b[1]"),
            (json!({"choices": ["ok", "\u{1b}[31m"]}), "choices[1]"),
            (json!({"password": "pass\u{0}word"}), "password"),
            (json!({"k\u{0}": 1}), "k\\u{0}"),
            (json!("\u{0}"), "body"),
        ] {
            assert_eq!(field_of(clean_body(&mut body).unwrap_err()), field);
        }
        let mut fine = json!({"note": "سطر\nسطر\r\n\tثالث", "n": 1, "b": true, "z": null});
        assert!(clean_body(&mut fine).is_ok());
    }

    #[test]
    fn strings_are_put_in_nfc_except_passwords() {
        let mut body =
            json!({"display_name": "Cafe\u{301}", "tags": ["e\u{301}"], "password": "e\u{301}"});
        clean_body(&mut body).unwrap();
        assert_eq!(body["display_name"], "Caf\u{e9}");
        assert_eq!(body["tags"][0], "\u{e9}");
        assert_eq!(body["password"], "e\u{301}");
    }

    #[test]
    fn the_fast_path_is_only_for_printable_ascii_without_escapes() {
        assert!(!may_need_cleaning(br#"{"to_username":"ali","amount":5}"#));
        assert!(may_need_cleaning(br#"{"note":"a\u0000"}"#));
        assert!(may_need_cleaning(br#"{"note":"a\b"}"#));
        assert!(may_need_cleaning("{\"note\":\"\u{7f}\"}".as_bytes()));
        assert!(may_need_cleaning("{\"note\":\"هدية\"}".as_bytes()));
    }

    #[test]
    fn percent_encoded_controls_in_a_url_are_found() {
        for bad in [
            "q=%00",
            "q=a%0Ab",
            "q=%7f",
            "q=%C2%85",
            "/api/v1/x%00y",
            "q=%c2%9F",
        ] {
            assert!(url_has_control(bad), "{bad}");
        }
        for ok in [
            "q=%D9%85%D8%B3",
            "q=a%20b",
            "q=100%25",
            "q=%",
            "q=%2",
            "q=%C2%A0",
            "",
        ] {
            assert!(!url_has_control(ok), "{ok}");
        }
    }

    #[test]
    fn skeletons_meet_for_look_alikes_and_not_for_different_names() {
        let latin = name_skeleton("paypal");
        assert_eq!(name_skeleton(CYRILLIC_PAYPAL), latin, "all Cyrillic");
        assert_eq!(name_skeleton("p\u{0430}ypal"), latin, "one Cyrillic а");
        assert_eq!(name_skeleton("PayPal"), latin, "case");
        assert_eq!(name_skeleton("pay\u{200D}pal"), latin, "a joiner");
        assert_eq!(name_skeleton(" pay  pal ").trim(), name_skeleton("pay pal"));
        assert_ne!(name_skeleton("أحمد"), name_skeleton("محمد"));
    }

    #[test]
    fn who_counts_as_a_look_alike() {
        let user = |name| Lookalike {
            name,
            is_admin: false,
        };
        let admin = |name| Lookalike {
            name,
            is_admin: true,
        };
        assert!(
            confusable_with(CYRILLIC_PAYPAL, &user("paypal")),
            "whole-script"
        );
        assert!(
            confusable_with("p\u{0430}ypal", &user("paypal")),
            "mixed-script"
        );
        assert!(!confusable_with("paypal", &user("paypal")), "the same name");
        assert!(
            !confusable_with("PayPal", &user("paypal")),
            "only the case differs"
        );
        assert!(!confusable_with("أحمد", &user("أحمد")), "a common name");
        assert!(confusable_with("أحمد", &admin("أحمد")), "an admin's name");
        assert!(
            confusable_with("Support", &admin("support")),
            "an admin's name, any case"
        );
    }
}
