//! Offline knowledge of Chinese ID numbers and mobile segments, so that doomed real-name
//! checks are refused before they cost money, with the exact reason.
//!
//! - [`id_number`]: 18-digit citizen numbers (GB 11643, ISO 7064 MOD 11-2), old 15-digit
//!   numbers (upgraded to 18), residence permits of Hong Kong, Macau and Taiwan residents and
//!   the 2023 foreigner's permanent residence ID card; regions from GB/T 2260 with history;
//!   every problem reported, not only the first.
//! - [`mobile`]: normalization and the MIIT segment → carrier allocation, virtual operators
//!   with their host network, satellite ranges; one flat-table load per lookup.
//! - [`name`]: the offline refusal of names no person carries, and the one spelling sent
//!   and matched for duplicates.
//! - [`fake`]: valid fake numbers for tests, deterministic from a seed.
//! - [`region`]: the GB/T 2260 table itself.
//!
//! No network, no clock: the date that bounds birth dates ("today") is an argument. The
//! tables are generated source (`src/generated/`), each naming where it came from and when;
//! see `docs/offline.md`.

pub mod date;
pub mod fake;
pub mod id_number;
pub mod mobile;
pub mod name;
pub mod region;

mod checksum;
mod civil;
mod generated;

pub use date::Date;
pub use id_number::{IdKind, IdNumber, IdPart, IdProblem, IdReport, Mode, Sex};
pub use mobile::{Carrier, MobileProblem, MobileReport, Segment, Service};

/// The oldest age a birth date may give on the reference date. The oldest verified person
/// lived to 122; anything past 130 is a typo or a forgery.
pub const MAX_AGE_YEARS: u16 = 130;
