//! Chinese ID numbers: 18-digit citizen numbers (GB 11643), old 15-digit numbers, residence
//! permits of Hong Kong, Macau and Taiwan residents, and the 2023 foreigner's permanent
//! residence ID card.
//!
//! ```
//! use shiming_numbers::{Date, id_number::{self, Mode}};
//! let today = Date::new(2024, 1, 1).expect("a date");
//! let report = id_number::parse("11010519491231002X", Mode::Standard, today);
//! assert!(report.is_valid());
//! assert_eq!(report.region().map(|r| r.full_name()).as_deref(), Some("北京市朝阳区"));
//!
//! // The cheap form for prechecks: no allocation, the first reason only.
//! let first = id_number::check("110105194902310028", Mode::Standard, today).unwrap_err();
//! assert_eq!(first.part(), id_number::IdPart::BirthDate);
//! ```

mod analyse;
mod canonical;
mod problem;
mod report;
mod scan;

pub use canonical::canonical_key;
pub use problem::{IdPart, IdProblem};
pub use report::{IdNumber, IdReport, Invalid};

use crate::date::Date;

/// How much the region check demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// The region code (and its province) must have been in force in the birth year, as
    /// id-validator's strict mode. Refuses some real people: a number is assigned where one
    /// is first registered, which can be years after birth (重庆 50…… for someone born in
    /// 1990 is real; 重庆 became a province-level city in 1997).
    Strict,
    /// The default: the region code must be a GB/T 2260 code that was not abolished before
    /// the birth year (a number cannot carry a code that no longer existed when it was
    /// assigned, and it is assigned after birth). Codes created after birth are accepted.
    #[default]
    Standard,
    /// Structure and checksum only: length, characters, a real birth date, the check
    /// character, and an old 15-digit number not starting like another card (81–83, 9).
    /// No region check, for when our region table may be behind.
    Lenient,
}

/// What kind of card the number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// A citizen ID number (18 digits, or an old 15-digit number).
    Resident,
    /// A residence permit of a Hong Kong (810000), Macau (820000) or Taiwan (830000) resident.
    ResidencePermit,
    /// The 2023 foreigner's permanent residence ID card: `9`, issuing province (2 digits),
    /// nationality (3 digits), birth date, sequence, check character.
    ForeignPermanent,
}

impl IdKind {
    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            IdKind::Resident => "resident",
            IdKind::ResidencePermit => "residence_permit",
            IdKind::ForeignPermanent => "foreign_permanent",
        }
    }
}

/// Sex, from the parity of the last sequence digit (odd: male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Odd sequence digit.
    Male,
    /// Even sequence digit.
    Female,
}

impl Sex {
    /// `male` or `female`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// Checks `input` and explains every problem. `today` bounds the birth date and gives the
/// age; whitespace, full-width digits and a lowercase `x` are accepted.
pub fn parse(input: &str, mode: Mode, today: Date) -> IdReport {
    let mut problems = Vec::new();
    let facts = analyse::analyse(input, mode, today, &mut problems);
    IdReport::new(facts, problems, today)
}

/// The cheap check for prechecks: the kind of a valid number, or the first problem.
/// Does not allocate.
pub fn check(input: &str, mode: Mode, today: Date) -> Result<IdKind, IdProblem> {
    let mut first = None;
    let facts = analyse::analyse(input, mode, today, &mut first);
    match (first, facts.kind) {
        (Some(problem), _) => Err(problem),
        (None, Some(kind)) => Ok(kind),
        // Unreachable: without a kind the length was wrong, which is a problem.
        (None, None) => Err(IdProblem::Length { found: 0 }),
    }
}

/// What a precheck sends on: a valid number trimmed, its check character `X` upper-cased
/// (`11010519491231002x` → `11010519491231002X`), or the first problem ([`check`]'s).
///
/// ```
/// use shiming_numbers::{Date, Mode, id_number};
/// let today = Date::new(2024, 1, 1).expect("a date");
/// let canonical = id_number::canonical(" 11010519491231002x", Mode::Standard, today);
/// assert_eq!(canonical.ok().as_deref(), Some("11010519491231002X"));
/// assert!(id_number::canonical("110105194912310021", Mode::Standard, today).is_err());
/// ```
pub fn canonical(input: &str, mode: Mode, today: Date) -> Result<String, IdProblem> {
    check(input, mode, today)?;
    Ok(input.trim().to_ascii_uppercase())
}

/// The check character (`'0'..='9'` or `'X'`) for 17 digits; `None` if `body` is not 17
/// ASCII digits.
pub fn check_character(body: &str) -> Option<char> {
    crate::checksum::check_char(body.as_bytes()).map(char::from)
}
