//! The normalisation applied before hashing, so that two spellings of one person give one key.
//!
//! - mobiles: the 11 national digits (`+86`, `0086`, `86`, spaces, dashes and full-width
//!   digits removed), by `shiming_numbers::mobile`;
//! - ID numbers: the 18-character form with an upper-case `X`, an old 15-digit number
//!   upgraded to its 18-digit form, by `shiming_numbers::id_number`;
//! - names: see [`name`].
//!
//! Input the parsers cannot read (too short, letters in a mobile) is kept trimmed rather than
//! refused: the vendor was asked about exactly that text, and its answer still belongs to it.

use shiming_numbers::Date;
use shiming_numbers::id_number::{self, Mode};

/// The canonical mobile number: 11 digits when the input holds them.
pub(crate) fn mobile(input: &str) -> String {
    shiming_numbers::mobile::parse(input)
        .normalized()
        .map_or_else(|| input.trim().to_string(), str::to_string)
}

/// The canonical ID number: 18 characters, upper-case `X`, 15-digit numbers upgraded.
pub(crate) fn id_number(input: &str) -> String {
    // The reference date only bounds birth dates for validity, which does not change the
    // normalised form; a fixed one keeps the key independent of the clock.
    let reference = Date::new(2100, 1, 1).unwrap_or_else(|| unreachable!("a valid date"));
    id_number::parse(input, Mode::Lenient, reference)
        .normalized()
        .map_or_else(|| input.trim().to_uppercase(), str::to_string)
}

/// The canonical name: trimmed, middle-dot look-alikes as U+00B7, full-width ASCII letters
/// and digits as ASCII.
///
/// This mirrors the rule documented for `shiming_numbers::name` (a full Unicode NFC needs a
/// crate the workspace does not carry); when that module lands, this function should call it.
pub(crate) fn name(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '\u{2022}' | '\u{30FB}' | '\u{FF0E}' | '\u{2027}' | '\u{22C5}' | '\u{2219}' => {
                '\u{00B7}'
            }
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_fold_country_codes_and_separators() {
        for input in [
            "13800138000",
            "+86 138-0013-8000",
            "8613800138000",
            " 0086 13800138000 ",
        ] {
            assert_eq!(mobile(input), "13800138000", "{input}");
        }
        assert_eq!(mobile(" 12345 "), "12345");
    }

    #[test]
    fn id_numbers_upgrade_and_upper_case() {
        assert_eq!(id_number("11010519491231002x"), "11010519491231002X");
        // The 15-digit form of the same person.
        assert_eq!(id_number("110105491231002"), "11010519491231002X");
        assert_eq!(id_number(" abc "), "ABC");
    }

    #[test]
    fn names_fold_dots_and_full_width() {
        assert_eq!(name(" 阿卜杜•热合曼 "), "阿卜杜·热合曼");
        for dot in ['・', '．', '‧', '⋅', '∙'] {
            assert_eq!(name(&format!("A{dot}B")), "A·B");
        }
        assert_eq!(name("Ｊｏｈｎ　Ｓｍｉｔｈ９"), "John　Smith9");
    }
}
