//! [`Subject`] (who a check is about) and [`Check`] (which check), and the keyed hashes they
//! become. Only the hashes ever reach the store.

use std::fmt;

use crate::key::{Hash, Key};
use crate::normalise;

/// Which check an answer belongs to (the codec's, re-exported). Stored as a small integer;
/// the names are stable.
pub use shiming_codec::Check;

/// The small integer `check` is stored as.
pub(crate) fn code(check: Check) -> i64 {
    match check {
        Check::MobileTwoElements => 1,
        Check::IdTwoElements => 2,
        Check::MobileStatus => 3,
    }
}

/// Who a check is about, as the caller typed it. Normalised before hashing (see
/// `docs/store.md`), so `+86 138-0013-8000` and `13800138000` are one subject.
///
/// Debug masks every field.
#[derive(Clone, PartialEq, Eq)]
pub enum Subject {
    /// A mobile number and the name checked against it.
    MobileTwoElements {
        /// The person's name.
        name: String,
        /// The mobile number.
        mobile: String,
    },
    /// An ID number and the name checked against it.
    IdTwoElements {
        /// The person's name.
        name: String,
        /// The ID number (15 or 18 characters).
        id_number: String,
    },
    /// A mobile number whose operator status was asked.
    MobileStatus {
        /// The mobile number.
        mobile: String,
    },
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use shiming_codec::mask;
        match self {
            Subject::MobileTwoElements { name, mobile } => f
                .debug_struct("MobileTwoElements")
                .field("name", &mask::name(name))
                .field("mobile", &mask::mobile(mobile))
                .finish(),
            Subject::IdTwoElements { name, id_number } => f
                .debug_struct("IdTwoElements")
                .field("name", &mask::name(name))
                .field("id_number", &mask::id_number(id_number))
                .finish(),
            Subject::MobileStatus { mobile } => f
                .debug_struct("MobileStatus")
                .field("mobile", &mask::mobile(mobile))
                .finish(),
        }
    }
}

/// A subject's hashes: the row key and the per-field keys that forgetting searches by.
pub(crate) struct Hashes {
    pub(crate) key: Hash,
    pub(crate) mobile: Option<Hash>,
    pub(crate) id: Option<Hash>,
    pub(crate) name: Option<Hash>,
}

/// Domain-separation tags: a subject key can never equal a field key.
const SUBJECT: &[u8] = b"shiming-store/v1/subject";
const FIELD: &[u8] = b"shiming-store/v1/field";

impl Subject {
    /// A mobile two-element subject.
    pub fn mobile_two_elements(name: impl Into<String>, mobile: impl Into<String>) -> Self {
        Subject::MobileTwoElements {
            name: name.into(),
            mobile: mobile.into(),
        }
    }

    /// An ID two-element subject.
    pub fn id_two_elements(name: impl Into<String>, id_number: impl Into<String>) -> Self {
        Subject::IdTwoElements {
            name: name.into(),
            id_number: id_number.into(),
        }
    }

    /// A mobile-status subject.
    pub fn mobile_status(mobile: impl Into<String>) -> Self {
        Subject::MobileStatus {
            mobile: mobile.into(),
        }
    }

    /// The check this subject is for.
    pub fn check(&self) -> Check {
        match self {
            Subject::MobileTwoElements { .. } => Check::MobileTwoElements,
            Subject::IdTwoElements { .. } => Check::IdTwoElements,
            Subject::MobileStatus { .. } => Check::MobileStatus,
        }
    }

    /// The row key alone (cheaper than [`Subject::hashes`]; used by lookups and the dedup).
    pub(crate) fn key(&self, key: &Key) -> Hash {
        let check = self.check().as_str().as_bytes();
        match self {
            Subject::MobileTwoElements { name, mobile } => key.hash(&[
                SUBJECT,
                check,
                normalise::name(name).as_bytes(),
                normalise::mobile(mobile).as_bytes(),
            ]),
            Subject::IdTwoElements { name, id_number } => key.hash(&[
                SUBJECT,
                check,
                normalise::name(name).as_bytes(),
                normalise::id_number(id_number).as_bytes(),
            ]),
            Subject::MobileStatus { mobile } => {
                key.hash(&[SUBJECT, check, normalise::mobile(mobile).as_bytes()])
            }
        }
    }

    pub(crate) fn hashes(&self, key: &Key) -> Hashes {
        let row = self.key(key);
        match self {
            Subject::MobileTwoElements { name, mobile } => Hashes {
                key: row,
                mobile: Some(mobile_hash(key, mobile)),
                id: None,
                name: Some(name_hash(key, name)),
            },
            Subject::IdTwoElements { name, id_number } => Hashes {
                key: row,
                mobile: None,
                id: Some(id_hash(key, id_number)),
                name: Some(name_hash(key, name)),
            },
            Subject::MobileStatus { mobile } => Hashes {
                key: row,
                mobile: Some(mobile_hash(key, mobile)),
                id: None,
                name: None,
            },
        }
    }
}

/// The keyed hash of `mobile:<11 digits>`.
pub(crate) fn mobile_hash(key: &Key, mobile: &str) -> Hash {
    key.hash(&[
        FIELD,
        format!("mobile:{}", normalise::mobile(mobile)).as_bytes(),
    ])
}

/// The keyed hash of `id:<18 characters>`.
pub(crate) fn id_hash(key: &Key, id_number: &str) -> Hash {
    key.hash(&[
        FIELD,
        format!("id:{}", normalise::id_number(id_number)).as_bytes(),
    ])
}

/// The keyed hash of `name:<name>`.
pub(crate) fn name_hash(key: &Key, name: &str) -> Hash {
    key.hash(&[FIELD, format!("name:{}", normalise::name(name)).as_bytes()])
}
