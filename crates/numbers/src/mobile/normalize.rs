//! Strips what people type around a mobile number: whitespace, dashes, a `+86` or `0086`
//! country code, full-width digits. Never allocates.

/// Room for the digits we keep; longer input is only counted.
const CAPACITY: usize = 24;

/// The digits of a mobile number as typed, with the country code located.
#[derive(Debug, Clone, Copy)]
pub(super) struct Normalized {
    /// Kept characters: ASCII digits, or 0 for a bad character (keeps positions aligned).
    buf: [u8; CAPACITY],
    /// How many characters were kept (may exceed the buffer).
    len: usize,
    /// Where the national number starts in `buf` (after `86` or `0086`).
    start: usize,
    /// The first bad character (1-based position in the input), and how many there are.
    pub(super) bad: Option<(usize, char, usize)>,
    /// A `+` followed by something other than 86.
    pub(super) foreign_country_code: bool,
}

/// Separators people put between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '－')
}

/// An ASCII or full-width digit as ASCII.
fn fold_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => u8::try_from(c).ok(),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０') + u32::from('0')).ok(),
        _ => None,
    }
}

impl Normalized {
    pub(super) fn new(input: &str) -> Normalized {
        let mut out = Normalized {
            buf: [0; CAPACITY],
            len: 0,
            start: 0,
            bad: None,
            foreign_country_code: false,
        };
        // Fast path for the common case of an already clean number (batch files).
        if input.len() == 11 && input.bytes().all(|b| b.is_ascii_digit()) {
            out.buf[..11].copy_from_slice(input.as_bytes());
            out.len = 11;
            return out;
        }
        let mut plus = false;
        for (raw, c) in input.chars().enumerate() {
            if is_separator(c) {
                continue;
            }
            if matches!(c, '+' | '＋') && out.len == 0 && !plus {
                plus = true;
                continue;
            }
            let digit = fold_digit(c);
            if digit.is_none() {
                out.bad = Some(match out.bad {
                    None => (raw + 1, c, 1),
                    Some((position, first, count)) => (position, first, count + 1),
                });
            }
            if let Some(slot) = out.buf.get_mut(out.len) {
                *slot = digit.unwrap_or(0);
            }
            out.len += 1;
        }
        let kept = out.kept();
        if plus {
            if kept.starts_with(b"86") {
                out.start = 2;
            } else {
                out.foreign_country_code = true;
            }
        } else if kept.starts_with(b"0086") {
            out.start = 4;
        } else if kept.starts_with(b"86") && out.len == 13 {
            out.start = 2;
        }
        out
    }

    fn kept(&self) -> &[u8] {
        &self.buf[..self.len.min(CAPACITY)]
    }

    /// The national number (possibly truncated to the buffer; bad characters as 0).
    pub(super) fn national(&self) -> &[u8] {
        self.kept().get(self.start..).unwrap_or_default()
    }

    /// How many characters the national number has.
    pub(super) fn national_len(&self) -> usize {
        self.len.saturating_sub(self.start)
    }

    /// The 11 digits, when the national number is exactly that.
    pub(super) fn eleven(&self) -> Option<[u8; 11]> {
        if self.foreign_country_code || self.national_len() != 11 {
            return None;
        }
        let digits: [u8; 11] = self.national().try_into().ok()?;
        digits.iter().all(u8::is_ascii_digit).then_some(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eleven(input: &str) -> Option<String> {
        Normalized::new(input)
            .eleven()
            .map(|d| String::from_utf8_lossy(&d).into_owned())
    }

    #[test]
    fn country_codes_and_separators() {
        for input in [
            "18688888888",
            "+8618688888888",
            "+86 186 8888 8888",
            "0086-186-8888-8888",
            "8618688888888",
            " 186 8888 8888 ",
            "＋８６１８６８８８８８８８８",
            "186－8888－8888",
        ] {
            assert_eq!(eleven(input).as_deref(), Some("18688888888"), "{input}");
        }
        assert!(Normalized::new("+85291234567").foreign_country_code);
        assert_eq!(
            eleven("861868888888"),
            None,
            "12 digits: 86 is not a country code"
        );
        assert_eq!(eleven("1868888888a"), None);
    }

    #[test]
    fn bad_characters_keep_alignment() {
        let n = Normalized::new("186a8888888");
        assert_eq!(n.bad, Some((4, 'a', 1)));
        assert_eq!(n.national_len(), 11);
        assert_eq!(n.national()[3], 0);
        let plus_inside = Normalized::new("186+88888888");
        assert_eq!(plus_inside.bad, Some((4, '+', 1)));
    }
}
