//! Why an ID number is invalid: one typed value per failed part, readable as a sentence.

use super::IdKind;
use crate::date::{Date, days_in_month};
use crate::region;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

/// The part of an ID number a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdPart {
    /// Not 18 characters (nor 15 for an old number).
    Length,
    /// A character that is not a digit (or an `X` anywhere but the 18th place).
    Characters,
    /// The region code (first six digits; digits 2–3 of a foreigner's permanent residence ID).
    Region,
    /// The birth date (digits 7–14, or 7–12 of an old 15-digit number).
    BirthDate,
    /// The 18th character, the ISO 7064 MOD 11-2 check character.
    Checksum,
}

impl IdPart {
    /// The snake_case name used in JSON (`birth_date` …).
    pub const fn as_str(self) -> &'static str {
        match self {
            IdPart::Length => "length",
            IdPart::Characters => "characters",
            IdPart::Region => "region",
            IdPart::BirthDate => "birth_date",
            IdPart::Checksum => "checksum",
        }
    }
}

impl fmt::Display for IdPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason an ID number is invalid. `Display` gives the message; serialized as
/// `{"part": …, "message": …}` plus `"expected"` (the right check character) for checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdProblem {
    /// The number has `found` characters (spaces not counted) instead of 18 or 15.
    Length {
        /// How many characters the input has.
        found: usize,
    },
    /// Characters that cannot be in an ID number.
    Characters {
        /// 1-based position of the first bad character.
        position: usize,
        /// The first bad character.
        found: char,
        /// How many bad characters there are.
        count: usize,
    },
    /// The six digits are not a GB/T 2260 code in any year.
    UnknownRegion {
        /// The six-digit code.
        code: u32,
    },
    /// A residence permit (first digits 81/82/83) whose code is not exactly 810000, 820000
    /// or 830000.
    PermitRegion {
        /// The six-digit code.
        code: u32,
    },
    /// A 15-digit number that starts like another kind of card (81, 82, 83: a residence
    /// permit; 9: a foreigner's permanent residence ID). Only resident numbers ever had a
    /// 15-digit form, and the 18-digit upgrade of this one would read as that other card.
    OldNumberOfOtherKind {
        /// The kind the leading digits belong to.
        kind: IdKind,
    },
    /// Digits 2–3 of a foreigner's permanent residence ID are not a province in force.
    ForeignProvince {
        /// The province code (two digits followed by 0000).
        code: u32,
    },
    /// Strict mode: the region (or its province) came into force after the birth year.
    RegionNotYetInForce {
        /// The code that was not yet in force (the region or its province).
        code: u32,
        /// The first year it was in force.
        first_year: u16,
        /// The birth year.
        birth_year: u16,
    },
    /// The region was abolished before the person was born, so no one born then can have it.
    RegionAbolished {
        /// The code that was no longer in force (the region or, in strict mode, its province).
        code: u32,
        /// The last year it was in force.
        last_year: u16,
        /// The birth year.
        birth_year: u16,
    },
    /// The birth digits are not a calendar date (31 February, month 13 …).
    ImpossibleDate {
        /// The year digits.
        year: u16,
        /// The month digits.
        month: u8,
        /// The day digits.
        day: u8,
    },
    /// The birth date is after the reference date ("today").
    FutureBirthDate {
        /// The birth date.
        birth: Date,
        /// The reference date.
        today: Date,
    },
    /// The birth date would make the holder older than [`crate::MAX_AGE_YEARS`].
    TooOld {
        /// The birth date.
        birth: Date,
        /// The age it gives on the reference date.
        age: u16,
    },
    /// The check character does not match the first 17 digits.
    Checksum {
        /// The check character the first 17 digits give.
        expected: char,
        /// The check character the number has.
        found: char,
    },
}

impl IdProblem {
    /// The part this problem is about.
    pub const fn part(&self) -> IdPart {
        match self {
            IdProblem::Length { .. } => IdPart::Length,
            IdProblem::Characters { .. } => IdPart::Characters,
            IdProblem::UnknownRegion { .. }
            | IdProblem::PermitRegion { .. }
            | IdProblem::OldNumberOfOtherKind { .. }
            | IdProblem::ForeignProvince { .. }
            | IdProblem::RegionNotYetInForce { .. }
            | IdProblem::RegionAbolished { .. } => IdPart::Region,
            IdProblem::ImpossibleDate { .. }
            | IdProblem::FutureBirthDate { .. }
            | IdProblem::TooOld { .. } => IdPart::BirthDate,
            IdProblem::Checksum { .. } => IdPart::Checksum,
        }
    }

    /// The check character the number should have, for a checksum problem.
    pub const fn expected(&self) -> Option<char> {
        match self {
            IdProblem::Checksum { expected, .. } => Some(*expected),
            _ => None,
        }
    }
}

/// `110103 (北京市崇文区)`, or just the code when it has no name.
fn code_with_name(code: u32, year: u16) -> String {
    match region::describe(code, Some(year)) {
        Some(region) => format!("{code:06} ({})", region.full_name()),
        None => format!("{code:06}"),
    }
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IdProblem::Length { found: 0 } => f.write_str("the ID number is empty"),
            IdProblem::Length { found } => write!(
                f,
                "an ID number has 18 characters (15 for an old number), this one has {found}"
            ),
            IdProblem::Characters {
                position,
                found,
                count,
            } => {
                if found == 'X' {
                    write!(
                        f,
                        "character {position} is X, which is only allowed as the 18th (check) character"
                    )?;
                } else {
                    write!(f, "character {position} is {found:?}, not a digit")?;
                }
                if count > 1 {
                    write!(f, " ({count} characters are wrong)")?;
                }
                Ok(())
            }
            IdProblem::UnknownRegion { code } => {
                write!(f, "{code:06} is not a GB/T 2260 region code in any year")
            }
            IdProblem::PermitRegion { code } => write!(
                f,
                "residence permits of Hong Kong, Macau and Taiwan residents start with exactly \
                 810000, 820000 or 830000, not {code:06}"
            ),
            IdProblem::OldNumberOfOtherKind { kind } => {
                let (prefix, card) = match kind {
                    IdKind::ResidencePermit => (
                        "81, 82 or 83",
                        "a residence permit of Hong Kong, Macau and Taiwan residents",
                    ),
                    IdKind::ForeignPermanent => ("9", "a foreigner's permanent residence ID"),
                    // Not produced: a resident prefix is no problem.
                    IdKind::Resident => ("these digits", "a resident ID"),
                };
                write!(
                    f,
                    "a 15-digit number is an old resident ID, but one starting with {prefix} \
                     would be {card}, which never had a 15-digit form"
                )
            }
            IdProblem::ForeignProvince { code } => write!(
                f,
                "digits 2-3 of a foreigner's permanent residence ID name the issuing province; \
                 {:02} is not a province code",
                code / 10_000
            ),
            IdProblem::RegionNotYetInForce {
                code,
                first_year,
                birth_year,
            } => write!(
                f,
                "region {} came into force in {first_year}, after the birth year {birth_year} \
                 (strict mode)",
                code_with_name(code, first_year)
            ),
            IdProblem::RegionAbolished {
                code,
                last_year,
                birth_year,
            } => write!(
                f,
                "region {} was last in force in {last_year}, before the birth year {birth_year}",
                code_with_name(code, last_year)
            ),
            IdProblem::ImpossibleDate { year, month, day } => {
                write!(f, "{year:04}{month:02}{day:02} is not a calendar date: ")?;
                if year == 0 {
                    f.write_str("there is no year 0000")
                } else if !(1..=12).contains(&month) {
                    write!(f, "there is no month {month:02}")
                } else if day == 0 {
                    f.write_str("there is no day 00")
                } else {
                    write!(
                        f,
                        "{year:04}-{month:02} has {} days",
                        days_in_month(year, month)
                    )
                }
            }
            IdProblem::FutureBirthDate { birth, today } => {
                write!(f, "birth date {birth} is after today ({today})")
            }
            IdProblem::TooOld { birth, age } => write!(
                f,
                "birth date {birth} would make the holder {age} years old (more than {})",
                crate::MAX_AGE_YEARS
            ),
            IdProblem::Checksum { expected, found } => write!(
                f,
                "the check character is {found} but the first 17 digits give {expected}"
            ),
        }
    }
}

impl std::error::Error for IdProblem {}

impl Serialize for IdProblem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let expected = self.expected();
        let fields = if expected.is_some() { 3 } else { 2 };
        let mut state = serializer.serialize_struct("IdProblem", fields)?;
        state.serialize_field("part", &self.part())?;
        state.serialize_field("message", &self.to_string())?;
        if let Some(expected) = expected {
            state.serialize_field("expected", &expected.to_string())?;
        }
        state.end()
    }
}
