//! Offline validation before any billable call (shiming-numbers): a number that cannot be
//! right is refused here, for free, instead of being paid for at the vendor.
//!
//! Valid input comes back normalized (`+86 186-8888-8888` → `18688888888`, a lowercase `x`
//! upper-cased), so what is sent and what duplicates are matched on is the canonical form.

use shiming::codec::mask;
use shiming_numbers::Date;
use shiming_numbers::id_number::{self, Mode};
use shiming_numbers::mobile;

/// A name a person can carry (`shiming_numbers::name`: Han characters with the middle dot,
/// or Latin letters; no formula start, control or bidi characters, digits; at most 64
/// characters), normalized the way identity records print it (look-alike dots become `·`,
/// full-width letters ASCII). The reason never quotes the name.
pub(crate) fn name(input: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Err("the name is empty".to_string());
    }
    shiming_numbers::name::clean(input).map_err(|problem| problem.to_string())
}

/// A mainland mobile number in an allocated segment; returns its 11 digits.
pub(crate) fn mobile(input: &str) -> Result<String, String> {
    mobile::canonical(input).map_err(|problem| format!("mobile {}: {problem}", mask::mobile(input)))
}

/// An ID number (checksum, birth date, region); returns it with `X` upper-cased.
pub(crate) fn id_number(input: &str) -> Result<String, String> {
    id_number::canonical(input, Mode::Standard, today())
        .map_err(|problem| format!("ID number {}: {problem}", mask::id_number(input)))
}

/// Today in China (UTC+8), where birth dates, ages and "not in the future" are judged: the
/// one reading of the clock for every offline check of the command.
pub(crate) fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default();
    Date::from_unix_seconds(now, 8 * 3600)
        .or_else(|| Date::new(2024, 1, 1))
        .expect("2024-01-01 is a valid date")
}

#[cfg(test)]
mod tests {
    #[test]
    fn refuses_with_reasons_and_normalizes() {
        assert_eq!(super::mobile("+86 186-8888-8888").unwrap(), "18688888888");
        assert!(
            super::mobile("15412345678")
                .unwrap_err()
                .contains("154****5678")
        );
        assert_eq!(
            super::id_number("11010519491231002x").unwrap(),
            "11010519491231002X"
        );
        assert!(super::id_number("110105194912310021").is_err());
        assert!(super::name(" ").is_err());
        assert!(super::name("13800138000").is_err());
        assert_eq!(super::name(" 张三 ").unwrap(), "张三");
    }
}
