//! [`Yuan`]: money as an integer count of 1/10000 yuan, so sums never drift.

use std::fmt;
use std::str::FromStr;

/// An amount of money in 1/10000 yuan (0.09 yuan is 900 units). Never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Yuan(u64);

/// Units per yuan.
const SCALE: u64 = 10_000;

impl Yuan {
    /// Nothing.
    pub const ZERO: Yuan = Yuan(0);

    /// `units` ten-thousandths of a yuan.
    pub const fn from_units(units: u64) -> Yuan {
        Yuan(units)
    }

    /// `fen` hundredths of a yuan.
    pub const fn from_fen(fen: u64) -> Yuan {
        Yuan(fen.saturating_mul(100))
    }

    /// The amount in ten-thousandths of a yuan.
    pub const fn units(self) -> u64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub const fn checked_add(self, other: Yuan) -> Option<Yuan> {
        match self.0.checked_add(other.0) {
            Some(sum) => Some(Yuan(sum)),
            None => None,
        }
    }

    pub(crate) fn to_sql(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }

    pub(crate) fn from_sql(units: i64) -> Yuan {
        Yuan(u64::try_from(units).unwrap_or(0))
    }
}

impl fmt::Display for Yuan {
    /// At least two decimals, more only when needed: `0.09`, `12.00`, `0.0001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / SCALE;
        let fraction = self.0 % SCALE;
        let mut digits = format!("{fraction:04}");
        while digits.len() > 2 && digits.ends_with('0') {
            digits.pop();
        }
        write!(f, "{whole}.{digits}")
    }
}

/// Why a text is not an amount of yuan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an amount of yuan: {0:?} (expected e.g. 12, 0.09 or 0.0001; at most 4 decimals)")]
pub struct YuanParseError(String);

impl FromStr for Yuan {
    type Err = YuanParseError;

    fn from_str(text: &str) -> Result<Yuan, YuanParseError> {
        let error = || YuanParseError(text.chars().take(40).collect());
        let trimmed = text.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty())
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 4
            || whole.len() > 12
        {
            return Err(error());
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| error())?
        };
        let fraction: u64 = format!("{fraction:0<4}").parse().map_err(|_| error())?;
        whole
            .checked_mul(SCALE)
            .and_then(|w| w.checked_add(fraction))
            .map(Yuan)
            .ok_or_else(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for (text, units, shown) in [
            ("0.09", 900, "0.09"),
            ("12", 120_000, "12.00"),
            ("0.0001", 1, "0.0001"),
            (".5", 5_000, "0.50"),
            (" 3.125 ", 31_250, "3.125"),
        ] {
            let y: Yuan = text.parse().expect("an amount");
            assert_eq!(y.units(), units, "{text}");
            assert_eq!(y.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            ".",
            "-1",
            "1.00001",
            "1e3",
            "abc",
            "1,5",
            "9999999999999",
        ] {
            assert!(bad.parse::<Yuan>().is_err(), "{bad}");
        }
    }
}
