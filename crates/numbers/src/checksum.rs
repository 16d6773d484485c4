//! The ISO 7064 MOD 11-2 check character of GB 11643 (citizen ID numbers), shared by the
//! residence permits and the 2023 foreigner's permanent residence ID card.

/// Weight of each of the 17 body digits: 2^(17 - i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character for a remainder of the weighted sum mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// The check character (`b'0'..=b'9'` or `b'X'`) of 17 ASCII digits; `None` if any byte is
/// not a digit.
pub(crate) fn check_char(body: &[u8]) -> Option<u8> {
    if body.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&byte, weight) in body.iter().zip(WEIGHTS) {
        if !byte.is_ascii_digit() {
            return None;
        }
        sum += u32::from(byte - b'0') * weight;
    }
    // `sum % 11` is below 11, so the index is in range.
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // The GB 11643-1999 appendix example and widely published samples.
        assert_eq!(check_char(b"11010519491231002"), Some(b'X'));
        assert_eq!(check_char(b"44052418800101001"), Some(b'4'));
        assert_eq!(check_char(b"1101051949123100"), None);
        assert_eq!(check_char(b"1101051949123100A"), None);
    }

    #[test]
    fn weights_are_powers_of_two() {
        for (i, &w) in WEIGHTS.iter().enumerate() {
            assert_eq!(w, (1u32 << (17 - i)) % 11);
        }
    }
}
