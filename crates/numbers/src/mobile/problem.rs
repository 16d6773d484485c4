//! Why a mobile number is invalid: one typed value per failed part, readable as a sentence.

use super::segment::Segment;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

/// The part of a mobile number a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MobilePart {
    /// Not 11 digits.
    Length,
    /// A character that is not a digit, separator or leading `+`.
    Characters,
    /// A country code other than +86.
    CountryCode,
    /// The prefix: not a mobile prefix, unallocated, IoT-only, or not held by a carrier.
    Segment,
}

impl MobilePart {
    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            MobilePart::Length => "length",
            MobilePart::Characters => "characters",
            MobilePart::CountryCode => "country_code",
            MobilePart::Segment => "segment",
        }
    }
}

impl fmt::Display for MobilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason a mobile number is invalid. `Display` gives the message; serialized as
/// `{"part": …, "message": …}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MobileProblem {
    /// Characters that cannot be in a phone number.
    Characters {
        /// 1-based position of the first bad character in the input.
        position: usize,
        /// The first bad character.
        found: char,
        /// How many bad characters there are.
        count: usize,
    },
    /// A `+` country code other than +86.
    CountryCode,
    /// The national number does not have 11 digits.
    Length {
        /// How many characters it has.
        found: usize,
    },
    /// The national number does not start with 1 (a landline, a service number …).
    NotMobile {
        /// The first digit.
        first: char,
    },
    /// No segment covers the prefix.
    Unallocated {
        /// The shortest unallocated prefix, ASCII digits in the first `len` bytes.
        prefix: [u8; 5],
        /// How many bytes of `prefix` are used (3 to 5).
        len: u8,
    },
    /// An IoT segment: its numbers have 13 digits.
    IotSegment {
        /// The segment.
        segment: &'static Segment,
    },
    /// Allocated to a body that is not a public carrier.
    NotCarrier {
        /// The segment.
        segment: &'static Segment,
    },
}

impl MobileProblem {
    /// The part this problem is about.
    pub const fn part(&self) -> MobilePart {
        match self {
            MobileProblem::Characters { .. } => MobilePart::Characters,
            MobileProblem::CountryCode => MobilePart::CountryCode,
            MobileProblem::Length { .. } => MobilePart::Length,
            MobileProblem::NotMobile { .. }
            | MobileProblem::Unallocated { .. }
            | MobileProblem::IotSegment { .. }
            | MobileProblem::NotCarrier { .. } => MobilePart::Segment,
        }
    }
}

impl fmt::Display for MobileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MobileProblem::Characters {
                position,
                found,
                count,
            } => {
                write!(f, "character {position} is {found:?}, not a digit")?;
                if *count > 1 {
                    write!(f, " ({count} characters are wrong)")?;
                }
                Ok(())
            }
            MobileProblem::CountryCode => {
                f.write_str("the country code is not +86: not a mainland China mobile number")
            }
            MobileProblem::Length { found: 0 } => f.write_str("the mobile number is empty"),
            MobileProblem::Length { found } => {
                write!(f, "a mobile number has 11 digits, this one has {found}")
            }
            MobileProblem::NotMobile { first } => write!(
                f,
                "mainland mobile numbers start with 1, this one starts with {first}"
            ),
            MobileProblem::Unallocated { prefix, len } => {
                let shown = prefix.get(..usize::from(*len)).unwrap_or_default();
                write!(
                    f,
                    "segment {} is not allocated to any carrier (MIIT allocation as of 2023)",
                    String::from_utf8_lossy(shown)
                )
            }
            MobileProblem::IotSegment { segment } => write!(
                f,
                "segment {} is an IoT range of {}: its numbers have 13 digits",
                segment.prefix(),
                segment.holder()
            ),
            MobileProblem::NotCarrier { segment } => write!(
                f,
                "segment {} is allocated to {} ({}), not a public mobile carrier",
                segment.prefix(),
                segment.holder(),
                segment.note()
            ),
        }
    }
}

impl std::error::Error for MobileProblem {}

impl Serialize for MobileProblem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("MobileProblem", 2)?;
        state.serialize_field("part", &self.part())?;
        state.serialize_field("message", &self.to_string())?;
        state.end()
    }
}
