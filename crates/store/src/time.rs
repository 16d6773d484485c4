//! Times as stored: milliseconds since the Unix epoch in an SQLite INTEGER.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use shiming_numbers::Date;

/// Milliseconds since the epoch; times before it count as the epoch, times too far in the
/// future as `i64::MAX` (neither happens with a sane clock, and neither may panic).
pub(crate) fn to_millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The inverse of [`to_millis`].
pub(crate) fn from_millis(millis: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

/// `time + duration`, saturating instead of overflowing.
pub(crate) fn add_millis(millis: i64, duration: Duration) -> i64 {
    millis.saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX))
}

/// The UTC calendar date of `time`.
pub fn utc_date(time: SystemTime) -> Date {
    let seconds = to_millis(time) / 1000;
    Date::from_unix_seconds(seconds, 0)
        .or_else(|| Date::new(1970, 1, 1))
        .unwrap_or_else(|| unreachable!("1970-01-01 is a date"))
}
