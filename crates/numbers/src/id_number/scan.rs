//! Reads the characters of an ID number without allocating: drops whitespace, folds full-width
//! digits and `x` to ASCII, remembers the first bad character.

/// What the input looks like, character by character.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    /// The first 18 characters: an ASCII digit, `b'X'`, or 0 for a bad character.
    pub(super) chars: [u8; 18],
    /// How many characters the input has, whitespace not counted.
    pub(super) len: usize,
    /// The first bad character and its 1-based position in the input as given.
    pub(super) bad: Option<(usize, char)>,
    /// How many bad characters there are.
    pub(super) bad_count: usize,
}

/// Maps one character to its ASCII form: `Some(b'0'..=b'9' | b'X')` or `None` if it cannot
/// be part of an ID number. Full-width forms come from Chinese input methods.
fn fold(c: char) -> Option<u8> {
    match c {
        '0'..='9' => u8::try_from(c).ok(),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０') + u32::from('0')).ok(),
        'X' | 'x' | 'Ｘ' | 'ｘ' => Some(b'X'),
        _ => None,
    }
}

impl Scan {
    /// Scans `input`. An `X` counts as bad unless it is the last character of an input that
    /// is not 15 characters long (old numbers have no check character).
    pub(super) fn new(input: &str) -> Scan {
        let mut scan = Scan {
            chars: [0; 18],
            len: 0,
            bad: None,
            bad_count: 0,
        };
        // An X is only known to be misplaced once another character follows it:
        // (raw position, index among the kept characters).
        let mut pending_x: Option<(usize, usize)> = None;
        let kept = input
            .chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace());
        for (index, (raw, c)) in kept.enumerate() {
            if let Some((raw_x, index_x)) = pending_x.take() {
                scan.mark_bad(raw_x + 1, index_x, 'X');
            }
            scan.len += 1;
            let folded = fold(c);
            if let Some(slot) = scan.chars.get_mut(index) {
                *slot = folded.unwrap_or(0);
            }
            if folded == Some(b'X') {
                pending_x = Some((raw, index));
            } else if folded.is_none() {
                scan.mark_bad(raw + 1, index, c);
            }
        }
        if let Some((raw_x, index_x)) = pending_x
            && scan.len == 15
        {
            scan.mark_bad(raw_x + 1, index_x, 'X');
        }
        scan
    }

    /// Records a bad character at 1-based `position` in the input, kept at `index`.
    fn mark_bad(&mut self, position: usize, index: usize, c: char) {
        self.bad_count += 1;
        if self.bad.is_none() {
            self.bad = Some((position, c));
        }
        if let Some(slot) = self.chars.get_mut(index) {
            *slot = 0;
        }
    }

    /// The digits `range` as a number, if they are all digits.
    pub(super) fn number(&self, range: std::ops::Range<usize>) -> Option<u32> {
        self.chars.get(range)?.iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_counts() {
        let scan = Scan::new(" 11010519491231002x ");
        assert_eq!(scan.len, 18);
        assert_eq!(&scan.chars, b"11010519491231002X");
        assert!(scan.bad.is_none());
        let wide = Scan::new("１１０１０５１９４９１２３１００２Ｘ");
        assert_eq!(&wide.chars, b"11010519491231002X");
        let spaced = Scan::new("110105 19491231 002X");
        assert_eq!(spaced.len, 18);
        assert!(spaced.bad.is_none());
    }

    #[test]
    fn misplaced_x_and_bad_characters() {
        let scan = Scan::new("1101051949X231002X");
        assert_eq!(scan.bad, Some((11, 'X')));
        assert_eq!(scan.bad_count, 1);
        let old = Scan::new("11010549123100X");
        assert_eq!(old.bad, Some((15, 'X')));
        let spaced = Scan::new(" 1a");
        assert_eq!(spaced.bad, Some((3, 'a')));
        let mixed = Scan::new("1a010519491231002é");
        assert_eq!(mixed.bad, Some((2, 'a')));
        assert_eq!(mixed.bad_count, 2);
        assert_eq!(mixed.number(0..1), Some(1));
        assert_eq!(mixed.number(0..2), None);
        assert_eq!(mixed.number(10..20), None);
    }
}
