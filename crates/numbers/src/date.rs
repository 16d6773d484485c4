//! A civil (proleptic Gregorian) date without time zone, enough for birth dates and ages.
//!
//! We do not pull in a date crate: the ID number needs calendar validation, ordering, day
//! arithmetic and age, all a few lines of civil-date math (Howard Hinnant's algorithms).
//! The library never reads the clock: "today" is always an argument.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date between year 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order gives the derived ordering: year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError {
    input: String,
}

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a calendar date (expected YYYY-MM-DD or YYYYMMDD)",
            self.input
        )
    }
}

impl std::error::Error for DateParseError {}

/// Whether `year` has a 29 February.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// How many days `month` (1–12) has in `year`; 0 for a month out of range.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, or `None` when it does not exist (31 April, 29 February 2023, year 0 …).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year == 0 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year (1–9999).
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month (1–12).
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1–31).
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub const fn to_unix_days(self) -> i64 {
        let (mut y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        if m <= 2 {
            y -= 1;
        }
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, or `None` outside years 1–9999.
    pub const fn from_unix_days(days: i64) -> Option<Date> {
        // Years 1..=9999 span roughly ±3 million days; refuse anything that could overflow.
        if days < -719_162 || days > 2_932_896 {
            return None;
        }
        let (year, month, day) = crate::civil::civil_from_days(days);
        if year < 1 || year > 9999 {
            return None;
        }
        Date::new(year as u16, month as u8, day as u8)
    }

    /// The local date at `unix_seconds` in a zone `utc_offset_seconds` east of UTC
    /// (China: `8 * 3600`). The CLI passes the system clock; the library never reads it.
    pub const fn from_unix_seconds(unix_seconds: i64, utc_offset_seconds: i32) -> Option<Date> {
        let local = unix_seconds.saturating_add(utc_offset_seconds as i64);
        Date::from_unix_days(local.div_euclid(86_400))
    }

    /// Completed years of a person born on `self`, on the date `on`; `None` if `on` is before
    /// `self`. Someone born on 29 February comes of age on 1 March in common years.
    pub const fn age_on(self, on: Date) -> Option<u16> {
        if on.year < self.year
            || (on.year == self.year
                && (on.month < self.month || (on.month == self.month && on.day < self.day)))
        {
            return None;
        }
        let mut age = on.year - self.year;
        if on.month < self.month || (on.month == self.month && on.day < self.day) {
            age -= 1;
        }
        Some(age)
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`.
    pub fn parse(text: &str) -> Result<Date, DateParseError> {
        let error = || DateParseError {
            input: text.to_string(),
        };
        let bytes = text.as_bytes();
        let (y, m, d) = match bytes.len() {
            8 => (&bytes[0..4], &bytes[4..6], &bytes[6..8]),
            10 if bytes[4] == b'-' && bytes[7] == b'-' => {
                (&bytes[0..4], &bytes[5..7], &bytes[8..10])
            }
            _ => return Err(error()),
        };
        let number = |digits: &[u8]| -> Option<u16> {
            digits.iter().try_fold(0u16, |acc, &b| {
                b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0'))
            })
        };
        let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) else {
            return Err(error());
        };
        let (Ok(m), Ok(d)) = (u8::try_from(m), u8::try_from(d)) else {
            return Err(error());
        };
        Date::new(y, m, d).ok_or_else(error)
    }

    /// The date `years` years earlier, on the same day (28 February for 29 February).
    pub fn years_before(self, years: u16) -> Option<Date> {
        let year = self.year.checked_sub(years)?;
        let day = self.day.min(days_in_month(year, self.month));
        Date::new(year, self.month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Date, DateParseError> {
        Date::parse(text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Date {
        Date::new(y, m, d).expect("valid test date")
    }

    #[test]
    fn calendar_rules() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2023, 4, 31).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert!(Date::new(2023, 0, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
    }

    #[test]
    fn unix_days_round_trip() {
        assert_eq!(date(1970, 1, 1).to_unix_days(), 0);
        assert_eq!(date(2000, 3, 1).to_unix_days(), 11_017);
        assert_eq!(Date::from_unix_days(-1), Some(date(1969, 12, 31)));
        for days in (-719_162..2_932_896).step_by(997) {
            let d = Date::from_unix_days(days).expect("in range");
            assert_eq!(d.to_unix_days(), days);
        }
        assert_eq!(Date::from_unix_days(i64::MAX), None);
        assert_eq!(Date::from_unix_days(i64::MIN), None);
        // 2020-11-10 04:25:25 UTC is 12:25 in Beijing, still the same day.
        assert_eq!(
            Date::from_unix_seconds(1_604_973_925, 8 * 3600),
            Some(date(2020, 11, 10))
        );
        // 23:00 UTC is already the next day in Beijing.
        assert_eq!(
            Date::from_unix_seconds(1_605_049_200, 8 * 3600),
            Some(date(2020, 11, 11))
        );
    }

    #[test]
    fn ages() {
        let born = date(1990, 5, 3);
        assert_eq!(born.age_on(date(2020, 5, 2)), Some(29));
        assert_eq!(born.age_on(date(2020, 5, 3)), Some(30));
        assert_eq!(born.age_on(date(1990, 5, 3)), Some(0));
        assert_eq!(born.age_on(date(1990, 5, 2)), None);
        let leap = date(2000, 2, 29);
        assert_eq!(leap.age_on(date(2001, 2, 28)), Some(0));
        assert_eq!(leap.age_on(date(2001, 3, 1)), Some(1));
        assert_eq!(leap.years_before(1), Some(date(1999, 2, 28)));
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(Date::parse("1991-05-03"), Ok(date(1991, 5, 3)));
        assert_eq!(Date::parse("19910503"), Ok(date(1991, 5, 3)));
        assert_eq!(date(7, 1, 2).to_string(), "0007-01-02");
        for bad in [
            "",
            "1991-02-30",
            "1991/05/03",
            "199105033",
            "1991-5-3",
            "１９９１0503",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
