//! Offline refusals before any vendor call (shiming-numbers), the same rules as the CLI's
//! (`crates/cli/src/precheck.rs`): a number that cannot be right is refused for free. Every
//! field is checked, so a 422 lists every reason at once; reasons show input only masked.

use shiming::codec::mask;
use shiming_numbers::id_number::{self, Mode};
use shiming_numbers::mobile;

/// A name a person can carry, normalised as identity records print it: the one rule of
/// `shiming_numbers::name` (Han characters with `·`, or Latin letters; no formula start,
/// control, bidi or zero-width characters, no digits, at most 64 characters), which the
/// command's batch and checks apply too. The reason never quotes the name.
pub(crate) fn name(input: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Err("name: empty".to_string());
    }
    shiming_numbers::name::clean(input).map_err(|problem| format!("name: {problem}"))
}

/// A mainland mobile number in an allocated segment; returns its 11 digits.
pub(crate) fn mobile(input: &str) -> Result<String, String> {
    mobile::canonical(input).map_err(|problem| format!("mobile {}: {problem}", mask::mobile(input)))
}

/// An ID number (checksum, birth date, region); returns it with `X` upper-cased.
pub(crate) fn id_number(input: &str) -> Result<String, String> {
    id_number::canonical(input, Mode::Standard, crate::time::today_in_china())
        .map_err(|problem| format!("id_number {}: {problem}", mask::id_number(input)))
}

/// Runs every check, collecting every refusal.
pub(crate) struct Reasons(pub(crate) Vec<String>);

impl Reasons {
    pub(crate) fn new() -> Reasons {
        Reasons(Vec::new())
    }

    /// The value when valid; records the reason otherwise.
    pub(crate) fn take(&mut self, result: Result<String, String>) -> String {
        result.unwrap_or_else(|reason| {
            self.0.push(reason);
            String::new()
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn refuses_with_masked_reasons_and_normalizes() {
        assert_eq!(super::mobile("+86 186-8888-8888").unwrap(), "18688888888");
        let reason = super::mobile("15412345678").unwrap_err();
        assert!(
            reason.contains("154****5678") && !reason.contains("15412345678"),
            "{reason}"
        );
        assert_eq!(
            super::id_number("11010519491231002x").unwrap(),
            "11010519491231002X"
        );
        assert!(super::id_number("110105194912310021").is_err());
        assert!(super::name(" ").is_err());
        assert_eq!(super::name(" 张三 ").unwrap(), "张三");
        // The same rule as the command's: no formula start, no bidi override, dots unified.
        assert!(super::name("=1+1").is_err());
        assert!(super::name("张\u{202e}三").is_err());
        assert_eq!(super::name("阿依古丽•买买提").unwrap(), "阿依古丽·买买提");
    }
}
