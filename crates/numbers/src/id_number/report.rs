//! The outcome of [`super::parse`]: everything learnt about the number plus all problems,
//! convertible into a valid [`IdNumber`] or an [`Invalid`] error.

use super::analyse::Facts;
use super::{IdKind, IdProblem, Sex};
use crate::date::Date;
use crate::region::{self, Region};
use serde::Serialize;
use std::fmt;

/// Everything [`super::parse`] found, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdReport {
    kind: Option<IdKind>,
    normalized: Option<[u8; 18]>,
    upgraded_from_15: bool,
    region_code: Option<u32>,
    region: Option<Region>,
    nationality_code: Option<u16>,
    birth_date: Option<Date>,
    sex: Option<Sex>,
    age: Option<u16>,
    problems: Vec<IdProblem>,
}

impl IdReport {
    pub(super) fn new(facts: Facts, problems: Vec<IdProblem>, today: Date) -> IdReport {
        let region = facts
            .region_code
            .and_then(|code| region::describe(code, facts.birth_date.map(Date::year)));
        IdReport {
            kind: facts.kind,
            normalized: facts.normalized,
            upgraded_from_15: facts.upgraded_from_15,
            region_code: facts.region_code,
            region,
            nationality_code: facts.nationality_code,
            birth_date: facts.birth_date,
            sex: facts.sex,
            age: facts.birth_date.and_then(|birth| birth.age_on(today)),
            problems,
        }
    }

    /// No problem found.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Every problem, in part order: length, characters, region, birth date, checksum.
    pub fn problems(&self) -> &[IdProblem] {
        &self.problems
    }

    /// The kind of card, when the length allowed telling.
    pub fn kind(&self) -> Option<IdKind> {
        self.kind
    }

    /// The 18-character form (uppercase `X`; an old number upgraded), when every character
    /// is usable. For a number with a wrong check character this is the number as given.
    pub fn normalized(&self) -> Option<&str> {
        self.normalized
            .as_ref()
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    /// Whether the input was an old 15-digit number (then [`Self::normalized`] is its upgrade).
    pub fn upgraded_from_15(&self) -> bool {
        self.upgraded_from_15
    }

    /// The six-digit region code when its digits are readable (for a foreigner's card, the
    /// issuing province followed by 0000), known or not.
    pub fn region_code(&self) -> Option<u32> {
        self.region_code
    }

    /// The region with its names as of the birth year, when the code is known.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// Digits 4–6 of a foreigner's permanent residence ID (ISO 3166-1 numeric nationality).
    pub fn nationality_code(&self) -> Option<u16> {
        self.nationality_code
    }

    /// The birth date, when it is a calendar date (even one in the future).
    pub fn birth_date(&self) -> Option<Date> {
        self.birth_date
    }

    /// Sex, from the last sequence digit.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    /// Age in completed years on the reference date given to [`super::parse`].
    pub fn age(&self) -> Option<u16> {
        self.age
    }

    /// The valid number, or all its problems.
    pub fn into_result(self) -> Result<IdNumber, Invalid> {
        match (
            self.problems.is_empty(),
            self.kind,
            self.normalized,
            self.region_code,
            self.birth_date,
            self.sex,
        ) {
            (true, Some(kind), Some(digits), Some(region_code), Some(birth_date), Some(sex)) => {
                Ok(IdNumber {
                    kind,
                    digits,
                    upgraded_from_15: self.upgraded_from_15,
                    region_code,
                    region: self.region,
                    nationality_code: self.nationality_code,
                    birth_date,
                    sex,
                })
            }
            _ => Err(Invalid {
                problems: self.problems,
            }),
        }
    }
}

/// The JSON shape of the CLI contract.
#[derive(Serialize)]
struct ReportJson<'a> {
    valid: bool,
    kind: Option<IdKind>,
    normalized: Option<&'a str>,
    region_code: Option<String>,
    region_name: Option<String>,
    birth_date: Option<Date>,
    sex: Option<Sex>,
    age: Option<u16>,
    upgraded_from_15: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality_code: Option<String>,
    problems: &'a [IdProblem],
}

impl Serialize for IdReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ReportJson {
            valid: self.is_valid(),
            kind: self.kind,
            normalized: self.normalized(),
            region_code: self.region_code.map(|code| format!("{code:06}")),
            region_name: self.region.map(|region| region.full_name()),
            birth_date: self.birth_date,
            sex: self.sex,
            age: self.age,
            upgraded_from_15: self.upgraded_from_15,
            nationality_code: self.nationality_code.map(|code| format!("{code:03}")),
            problems: &self.problems,
        }
        .serialize(serializer)
    }
}

/// A valid ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    kind: IdKind,
    digits: [u8; 18],
    upgraded_from_15: bool,
    region_code: u32,
    region: Option<Region>,
    nationality_code: Option<u16>,
    birth_date: Date,
    sex: Sex,
}

impl IdNumber {
    /// The 18-character form (uppercase `X`).
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and X are ever stored.
        std::str::from_utf8(&self.digits).unwrap_or_default()
    }

    /// The kind of card.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// Whether it was given as an old 15-digit number.
    pub fn upgraded_from_15(&self) -> bool {
        self.upgraded_from_15
    }

    /// The six-digit region code (for a foreigner's card, the issuing province + 0000).
    pub fn region_code(&self) -> u32 {
        self.region_code
    }

    /// The region names, `None` only in lenient mode for a code we do not know.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The nationality code of a foreigner's permanent residence ID.
    pub fn nationality_code(&self) -> Option<u16> {
        self.nationality_code
    }

    /// The birth date.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Age in completed years on `on`; `None` if `on` is before the birth date.
    pub fn age_on(&self, on: Date) -> Option<u16> {
        self.birth_date.age_on(on)
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An invalid ID number: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The problems, in part order; never empty.
    pub problems: Vec<IdProblem>,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid ID number: ")?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {problem}", problem.part())?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}
