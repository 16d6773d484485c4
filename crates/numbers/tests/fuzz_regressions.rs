//! Inputs found by `cargo xtask fuzz` (targets `mobile` and `id_number`, see
//! `docs/fuzzing.md`), kept as tests.
//!
//! A known issue not fixed yet gets an `#[ignore]`d test here that fails until it is (and a
//! matching allowance in `fuzz/src/numbers.rs`); whoever fixes it removes both. N1 and N2
//! are fixed.

use shiming_numbers::id_number::{self, Mode};
use shiming_numbers::{Date, mobile};

fn today() -> Date {
    Date::new(2024, 6, 1).expect("a date")
}

/// N1 (fixed): `segment_of` documents `None` for anything that is not 11 ASCII digits
/// starting with 1, but read only the first five characters.
#[test]
fn segment_of_refuses_what_is_not_eleven_digits() {
    for input in ["1701234,678", "18688888abc", "186888888８8"] {
        assert_eq!(mobile::segment_of(input), None, "{input:?}");
    }
}

/// What `segment_of` and the parsers do guarantee today, and must keep.
#[test]
fn a_bad_character_after_the_prefix_is_reported_by_check_and_parse() {
    for input in ["1701234,678", "18688888abc"] {
        assert!(mobile::check(input).is_err(), "{input:?}");
        let report = mobile::parse(input);
        assert!(!report.is_valid(), "{input:?}");
        assert_eq!(report.normalized(), None, "{input:?}");
    }
}

/// N2 (fixed): a 15-digit number with a residence-permit region (81, 82, 83) was accepted
/// as an old resident number, but its own 18-digit upgrade is a residence permit, and an
/// invalid one unless the region is exactly 810000/820000/830000. No 15-digit number was
/// ever issued for those regions (the permits date from 2018), nor for the foreigner's card
/// (9), so the 15-digit form is now refused in every mode.
#[test]
fn a_valid_old_number_upgrades_to_a_valid_number_of_the_same_kind() {
    let cases = [
        ("810001890710004", Mode::Standard),
        ("810000890710004", Mode::Standard),
        ("830000890710004", Mode::Strict),
        // Lenient skips the region check, so the foreigner's-card prefix 9 gets through too.
        ("911156111110011", Mode::Lenient),
    ];
    for (old, mode) in cases {
        let report = id_number::parse(old, mode, today());
        if !report.is_valid() {
            continue; // refusing the 15-digit form is the fix
        }
        let upgraded = report
            .normalized()
            .expect("a valid number has a normalized form");
        let again = id_number::parse(upgraded, mode, today());
        assert!(
            again.is_valid(),
            "{old} → {upgraded}: {:?}",
            again.problems()
        );
        assert_eq!(again.kind(), report.kind(), "{old} → {upgraded}");
    }
}
