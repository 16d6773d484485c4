//! Properties of the offline number parsers: the cheap `check` agrees with the full `parse`,
//! and a valid number's normalized form re-validates to the same facts.
//!
//! Framing for `id_number`: byte 0 picks the mode (`% 3`: Standard, Strict, Lenient), bytes
//! 1–2 (i16 little-endian) move "today" from 2024-06-01 by 4 days per unit, the rest is the
//! input text (lossily decoded, so invalid UTF-8 exercises non-ASCII handling). Zeroes mean
//! "Standard, 2024-06-01", so a seed is [`ID_SEED_PREFIX`] followed by text. `mobile` reads
//! the whole input as text.

use std::fmt;

use shiming_numbers::Date;
use shiming_numbers::id_number::{self, IdKind, IdProblem, IdReport, Mode};
use shiming_numbers::mobile::{self, MobileProblem, MobileReport, Segment};

/// What `cargo xtask fuzz` puts before each `id_number` seed.
pub const ID_SEED_PREFIX: [u8; 3] = [0, 0, 0];
/// 2024-06-01 in days since 1970-01-01.
const REFERENCE_DAY: i64 = 19_875;
const MODES: [Mode; 3] = [Mode::Standard, Mode::Strict, Mode::Lenient];

/// The `id_number` target.
pub fn id_target(data: &[u8]) {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let mode = MODES[usize::from(byte(0)) % MODES.len()];
    let shift = i64::from(i16::from_le_bytes([byte(1), byte(2)])) * 4;
    let Some(today) = Date::from_unix_days(REFERENCE_DAY + shift) else {
        return;
    };
    let text = String::from_utf8_lossy(data.get(3..).unwrap_or_default());
    check_id(&text, mode, today);

    // Strict demands more than Standard, which demands more than Lenient.
    let valid = |mode| id_number::check(&text, mode, today).is_ok();
    if valid(Mode::Strict) {
        assert!(valid(Mode::Standard), "valid in Strict mode only: {text:?}");
    }
    if valid(Mode::Standard) {
        assert!(
            valid(Mode::Lenient),
            "valid in Standard but not Lenient: {text:?}"
        );
    }
}

fn check_id(text: &str, mode: Mode, today: Date) {
    let report = id_number::parse(text, mode, today);
    check_agrees(text, id_number::check(text, mode, today), &report);
    if let Some(normalized) = report.normalized() {
        assert_eq!(normalized.len(), 18, "normalized {normalized:?}");
        assert!(
            normalized[..17].bytes().all(|b| b.is_ascii_digit())
                && normalized[17..]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'X'),
            "normalized {normalized:?} of {text:?}"
        );
    }

    let Ok(number) = report.clone().into_result() else {
        assert!(
            !report.is_valid(),
            "a valid report did not convert: {text:?}"
        );
        return;
    };
    let normalized = number.as_str();
    assert_eq!(report.normalized(), Some(normalized));
    assert_eq!(
        id_number::check_character(&normalized[..17]),
        normalized.chars().last(),
        "check character of {normalized}"
    );
    let again = id_number::parse(normalized, mode, today);
    assert!(
        again.is_valid(),
        "normalized {normalized:?} of {text:?} is invalid: {:?}",
        again.problems()
    );
    assert_eq!(again.normalized(), Some(normalized));
    assert!(!again.upgraded_from_15());
    assert_eq!(again.kind(), report.kind());
    assert_eq!(again.birth_date(), report.birth_date());
    assert_eq!(again.sex(), report.sex());
    assert_eq!(again.region_code(), report.region_code());
    assert_eq!(again.nationality_code(), report.nationality_code());
    assert_eq!(id_number::check(normalized, mode, today), Ok(number.kind()));
}

/// The `mobile` target.
pub fn mobile_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let report = mobile::parse(&text);
    check_agrees(&text, mobile::check(&text), &report);
    if let Some(normalized) = report.normalized() {
        assert!(
            normalized.len() == 11 && normalized.bytes().all(|b| b.is_ascii_digit()),
            "normalized {normalized:?} of {text:?}"
        );
    }
    // `segment_of` takes exactly 11 ASCII digits starting with 1 (then it finds what `parse`
    // finds, usable or not) and answers `None` for anything else.
    let eleven_digits =
        text.len() == 11 && text.starts_with('1') && text.bytes().all(|b| b.is_ascii_digit());
    let expected = if eleven_digits {
        report.segment()
    } else {
        None
    };
    assert_eq!(
        mobile::segment_of(&text),
        expected,
        "segment_of of {text:?}"
    );
    if !report.is_valid() {
        return;
    }
    let Some(normalized) = report.normalized() else {
        panic!("valid without a normalized form: {text:?}");
    };
    let again = mobile::parse(normalized);
    assert!(
        again.is_valid(),
        "normalized {normalized:?} of {text:?} is invalid"
    );
    assert_eq!(again.normalized(), Some(normalized));
    assert_eq!(again.segment(), report.segment());
    assert_eq!(mobile::segment_of(normalized), report.segment());
    assert_eq!(mobile::check(normalized).ok(), report.segment());
}

/// What the two parsers' reports share, so that one function holds both to the same promises.
trait Report: serde::Serialize {
    /// What a valid number is found to be: an ID number's kind, a mobile number's segment.
    type Found: PartialEq + fmt::Debug;
    /// One reason the number is invalid.
    type Problem: PartialEq + fmt::Debug + fmt::Display;

    fn is_valid(&self) -> bool;
    fn found(&self) -> Option<Self::Found>;
    fn problems(&self) -> &[Self::Problem];
    /// The name of the part `problem` is about.
    fn part(problem: &Self::Problem) -> &'static str;
}

impl Report for IdReport {
    type Found = IdKind;
    type Problem = IdProblem;

    fn is_valid(&self) -> bool {
        IdReport::is_valid(self)
    }
    fn found(&self) -> Option<IdKind> {
        self.kind()
    }
    fn problems(&self) -> &[IdProblem] {
        IdReport::problems(self)
    }
    fn part(problem: &IdProblem) -> &'static str {
        problem.part().as_str()
    }
}

impl Report for MobileReport {
    type Found = &'static Segment;
    type Problem = MobileProblem;

    fn is_valid(&self) -> bool {
        MobileReport::is_valid(self)
    }
    fn found(&self) -> Option<&'static Segment> {
        self.segment()
    }
    fn problems(&self) -> &[MobileProblem] {
        MobileReport::problems(self)
    }
    fn part(problem: &MobileProblem) -> &'static str {
        problem.part().as_str()
    }
}

/// The cheap `check` agrees with the full `parse` on `text` (valid alike, the same finding,
/// check's problem is parse's first); every problem prints and the report serializes.
fn check_agrees<R: Report>(text: &str, checked: Result<R::Found, R::Problem>, report: &R) {
    assert_eq!(
        checked.is_ok(),
        report.is_valid(),
        "check and parse disagree on {text:?}"
    );
    match checked {
        Ok(found) => assert_eq!(report.found(), Some(found), "findings differ for {text:?}"),
        Err(first) => assert_eq!(
            report.problems().first(),
            Some(&first),
            "check's problem is not parse's first for {text:?}"
        ),
    }
    for problem in report.problems() {
        let _ = (problem.to_string(), R::part(problem));
    }
    if let Err(e) = serde_json::to_string(report) {
        panic!("report does not serialize: {e}");
    }
}
