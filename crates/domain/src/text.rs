//! Arabic-aware text helpers.

/// Folds Arabic text for search: alef forms → ا, ة → ه, ى → ي, diacritics and tatweel removed,
/// Latin letters lower-cased. "مُسابَقة" and "مسابقه" fold to the same string.
pub fn normalize_arabic(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ة' => out.push('ه'),
            'ى' => out.push('ي'),
            // tatweel, harakat, tanween, shadda, sukun, superscript alef
            '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_arabic;

    #[test]
    fn folds_alef_taa_marbuta_yaa_diacritics_and_tatweel() {
        assert_eq!(normalize_arabic("مُسابَقـــة"), "مسابقه");
        assert_eq!(normalize_arabic("أحمد إبراهيم آمال"), "احمد ابراهيم امال");
        assert_eq!(normalize_arabic("مصطفى"), "مصطفي");
        assert_eq!(normalize_arabic("Quiz"), "quiz");
    }
}
