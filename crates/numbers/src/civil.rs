//! Days since 1970-01-01 to a calendar date: Howard Hinnant's `civil_from_days`.
//!
//! Standalone on purpose (no `use`, no other item of this crate): `cargo xtask regen-numbers`
//! compiles this file by path, because it regenerates this crate's tables and must build and
//! run even when a bad table keeps the crate itself from compiling.

/// The proleptic Gregorian `(year, month, day)` that is `days` after 1970-01-01.
pub(crate) const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}
