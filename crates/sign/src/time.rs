//! [`UnixTime`]: the clock, always passed in, never read here.

use std::fmt;

/// Seconds since the Unix epoch (1970-01-01T00:00:00Z), as the vendors' `time` parameters
/// carry it (10 digits today).
///
/// Signers take the time as an argument instead of reading the clock, so signatures are
/// reproducible and tests need no clock tricks. `Display` prints the bare number, exactly as
/// it goes on the wire.
///
/// ```
/// use shiming_sign::UnixTime;
///
/// assert_eq!(UnixTime(1604973925).to_string(), "1604973925");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub u64);

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Appends the decimal digits of `value` to `out` without going through `fmt`.
pub(crate) fn push_decimal(out: &mut String, value: u64) {
    // u64::MAX has 20 digits.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        // `rest % 10` is below 10, so the cast cannot truncate.
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_decimal_matches_display() {
        for value in [0, 7, 10, 999_999_999, 1_604_973_925, u64::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, value);
            assert_eq!(out, format!("x{value}"));
        }
    }
}
