//! What the store keeps about one check: [`Answer`] going in, [`Remembered`] coming out, and
//! how long each check's answers are kept ([`Ttls`]).

use std::time::{Duration, SystemTime};

use shiming_codec::Vendor;

use crate::subject::Check;

/// A billed, final answer worth remembering. "Not found", errors, refusals and test-data
/// answers have no variant: they are never kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Two-element check: the name belongs to the number.
    Match,
    /// Two-element check: the number exists, the name does not belong to it.
    Mismatch,
    /// Mobile status: the vendor knew the number (carrier, tenure, porting in `details`).
    StatusFound,
}

impl Outcome {
    pub(crate) fn code(self) -> i64 {
        match self {
            Outcome::Match => 1,
            Outcome::Mismatch => 2,
            Outcome::StatusFound => 3,
        }
    }

    pub(crate) fn from_code(code: i64) -> Option<Outcome> {
        [Outcome::Match, Outcome::Mismatch, Outcome::StatusFound]
            .into_iter()
            .find(|o| o.code() == code)
    }

    /// Whether this outcome can answer `check`.
    pub fn fits(self, check: Check) -> bool {
        match check {
            Check::MobileTwoElements | Check::IdTwoElements => {
                matches!(self, Outcome::Match | Outcome::Mismatch)
            }
            Check::MobileStatus => self == Outcome::StatusFound,
        }
    }
}

/// A fresh answer to remember.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// What the vendor concluded.
    pub outcome: Outcome,
    /// The vendor that answered.
    pub vendor: Vendor,
    /// The vendor's raw code (`"10000"`, `"2"`, …).
    pub code: String,
    /// When the vendor answered.
    pub checked_at: SystemTime,
    /// Facts about the number that are not personal data (carrier, tenure bucket, ported
    /// flag, area). **Never** a name, mobile, ID number, birthday or sex: the store keeps
    /// whatever is put here as plain JSON.
    pub details: serde_json::Value,
}

/// An answer read back from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    /// What the vendor concluded.
    pub outcome: Outcome,
    /// The vendor that originally answered.
    pub vendor: Vendor,
    /// The vendor's raw code.
    pub code: String,
    /// When the vendor originally answered.
    pub checked_at: SystemTime,
    /// When this answer stops being used.
    pub expires_at: SystemTime,
    /// The non-personal facts remembered with it (see [`Answer::details`]).
    pub details: serde_json::Value,
}

/// How long answers are kept, per check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttls {
    /// Mobile + name answers. Default 30 days: numbers change hands.
    pub mobile_two_elements: Duration,
    /// ID number + name answers. Default 365 days: an ID number and its name rarely change.
    pub id_two_elements: Duration,
    /// Mobile status answers. Default 7 days: porting and tenure move.
    pub mobile_status: Duration,
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

impl Default for Ttls {
    fn default() -> Self {
        Ttls {
            mobile_two_elements: DAY * 30,
            id_two_elements: DAY * 365,
            mobile_status: DAY * 7,
        }
    }
}

impl Ttls {
    /// The time to live of `check`'s answers.
    pub fn of(&self, check: Check) -> Duration {
        match check {
            Check::MobileTwoElements => self.mobile_two_elements,
            Check::IdTwoElements => self.id_two_elements,
            Check::MobileStatus => self.mobile_status,
        }
    }
}
