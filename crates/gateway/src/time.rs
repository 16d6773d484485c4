//! Wall-clock formatting without a date crate: RFC 3339 UTC stamps and UTC days.

use shiming_numbers::Date;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch, now.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// `2026-12-05T14:03:07Z`.
pub(crate) fn rfc3339(unix: u64) -> String {
    let seconds = i64::try_from(unix).unwrap_or(i64::MAX);
    let date = Date::from_unix_seconds(seconds, 0)
        .map(|d| d.to_string())
        .unwrap_or_else(|| "9999-12-31".into());
    let of_day = unix % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The UTC day of `unix`, `YYYY-MM-DD`: what daily budgets count against.
pub(crate) fn utc_day(unix: u64) -> String {
    let seconds = i64::try_from(unix).unwrap_or(i64::MAX);
    Date::from_unix_seconds(seconds, 0)
        .map(|d| d.to_string())
        .unwrap_or_else(|| "9999-12-31".into())
}

/// Today in China (UTC+8), where birth dates and "not in the future" are judged.
pub(crate) fn today_in_china() -> Date {
    let seconds = i64::try_from(unix_now()).unwrap_or(i64::MAX);
    Date::from_unix_seconds(seconds, 8 * 3600)
        .or_else(|| Date::new(2024, 1, 1))
        .unwrap_or_else(|| unreachable!("2024-01-01 is a valid date"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamps() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_764_943_387), "2025-12-05T14:03:07Z");
        assert_eq!(super::utc_day(1_764_943_387), "2025-12-05");
    }
}
