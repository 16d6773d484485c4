//! What each character of a name is, after folding the look-alikes people type.

/// The kinds of character the name rule tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// A Han character (CJK unified or compatibility ideograph, any extension, or `〇`).
    Han,
    /// A Latin letter (ASCII, Latin-1 and Latin Extended-A/B letters).
    Latin,
    /// Space-free punctuation a Latin name may hold: `,` `-` `'` `.`.
    LatinPunctuation,
    /// The name separator `·` U+00B7.
    Separator,
    /// An ASCII digit (after folding full-width digits).
    Digit,
    /// A control, format (bidi overrides and isolates, zero-width characters, byte-order
    /// mark), line or paragraph separator, or private-use character: invisible or able to
    /// reorder what a reader sees.
    Invisible,
    /// Anything else: no identity document prints it in a name.
    Other,
}

/// The character a person meant: middle-dot look-alikes become `·` U+00B7, full-width ASCII
/// forms their ASCII letter, the ideographic space a space.
pub(super) fn fold(c: char) -> char {
    match c {
        '\u{2022}' | '\u{30fb}' | '\u{ff0e}' | '\u{2027}' | '\u{22c5}' | '\u{2219}'
        | '\u{ff65}' => '\u{b7}',
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xff01 + 0x21).unwrap_or(c),
        _ => c,
    }
}

/// The class of a folded character.
pub(super) fn classify(c: char) -> Class {
    let code = u32::from(c);
    match c {
        '\u{b7}' => Class::Separator,
        '0'..='9' => Class::Digit,
        'A'..='Z' | 'a'..='z' => Class::Latin,
        ',' | '-' | '\'' | '.' => Class::LatinPunctuation,
        '\u{d7}' | '\u{f7}' => Class::Other,
        '\u{c0}'..='\u{24f}' => Class::Latin,
        '\u{3007}' => Class::Han,
        _ if is_han(code) => Class::Han,
        _ if is_invisible(code) || c.is_control() => Class::Invisible,
        _ => Class::Other,
    }
}

/// CJK Unified Ideographs with every extension, and the compatibility ideographs. Planes 2
/// and 3 hold ideographs only (GB 18030-2022 maps names' rare characters there).
fn is_han(code: u32) -> bool {
    matches!(code,
        0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x2_0000..=0x3_fffd)
}

/// Format characters (general category Cf) that matter in text people paste, separators,
/// and private use.
fn is_invisible(code: u32) -> bool {
    matches!(code,
        0x00ad                  // soft hyphen
        | 0x061c                // Arabic letter mark
        | 0x180e                // Mongolian vowel separator
        | 0x200b..=0x200f       // zero-width space/joiners, LRM, RLM
        | 0x2028..=0x202e       // line/paragraph separators, bidi embeddings and overrides
        | 0x2060..=0x206f       // word joiner, invisible operators, bidi isolates
        | 0xfeff                // byte-order mark / zero-width no-break space
        | 0xfff9..=0xfffb       // interlinear annotation
        | 0xe000..=0xf8ff       // private use
        | 0xf_0000..=0x10_ffff  // supplementary private use
        | 0xe_0000..=0xe_007f // tags
    )
}
