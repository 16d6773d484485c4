//! Text from outside (a vendor's message, an error page, a cell of the input file) made safe
//! to print on a terminal in human mode.
//!
//! A terminal obeys what it is sent: ESC sequences move the cursor, recolour or retitle the
//! window (OSC), a raw carriage return overwrites the start of the line (`match` printed over
//! `mismatch`), and bidirectional overrides (U+202E …) show text in another order than it is
//! stored. Human output therefore drops every control character and bidi control from text
//! it did not write itself; JSON output escapes them already.

use std::borrow::Cow;

/// Whether `c` may change what a terminal shows beyond printing itself.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` without control characters (C0, DEL, C1) and bidi controls.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(text.chars().filter(|c| !is_unsafe(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_carriage_returns_and_overrides_are_dropped() {
        assert_eq!(clean("\u{1b}]0;pwned\u{7}ok"), "]0;pwnedok");
        assert_eq!(clean("\u{1b}[2Jmismatch\rmatch"), "[2Jmismatchmatch");
        assert_eq!(clean("张三\u{202e}txt.exe"), "张三txt.exe");
        assert_eq!(clean("\u{9b}31m"), "31m");
        assert!(matches!(clean("一致 ok"), Cow::Borrowed(_)));
    }
}
