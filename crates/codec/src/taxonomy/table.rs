//! The shared half of the taxonomy: [`CodeInfo`], table lookup and classification; each
//! vendor's table is its own module beside this one (`wapi.rs`, `qxt.rs`, `ihuyi.rs`), and the
//! vendor behind a [`Vendor`] value is found through the vendor list in `lib.rs`.

use serde::Serialize;

use crate::{Kind, Vendor};

/// What a vendor code means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CodeInfo {
    /// The normalized refusal class; `None` for codes that carry an answer (success, a verdict
    /// such as "not found", debug data).
    pub kind: Option<Kind>,
    /// Whether the vendor charges for an answer with this code (our reading of the documents).
    pub billed: bool,
    /// Whether an automatic retry is safe (not billed) and useful (transient, or clock skew
    /// once the clock is corrected).
    pub retryable: bool,
    /// A short English description of the code (the vendor's own wording is in its document).
    pub meaning: &'static str,
}

/// One row of a vendor's code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CodeEntry {
    /// The code exactly as the vendor sends it, as text.
    pub code: &'static str,
    /// What it means.
    #[serde(flatten)]
    pub info: CodeInfo,
}

/// The classification of a code no document describes: kept raw by the caller, never retried.
pub const UNKNOWN: CodeInfo = CodeInfo {
    kind: Some(Kind::Unknown),
    billed: false,
    retryable: false,
    meaning: "not in the vendor's documented code table",
};

/// Classifies `code` of `vendor`'s check operation (wapi two-element, QXT two-element, ihuyi
/// `Submit`). For ihuyi's balance query use [`ihuyi::classify_get_num`](super::ihuyi::classify_get_num); for wapi's 10019,
/// whose meaning depends on the message, use [`classify_message`].
///
/// ```
/// use shiming_codec::{Kind, Vendor, taxonomy};
///
/// let info = taxonomy::classify(Vendor::Qxt, "-8");
/// assert_eq!(info.kind, Some(Kind::Upstream));
/// assert!(info.retryable && !info.billed);
///
/// let info = taxonomy::classify_message(Vendor::Wapi, "10019", "核验过于频繁,请稍后再试");
/// assert_eq!(info.kind, Some(Kind::RateLimited));
///
/// assert_eq!(taxonomy::classify(Vendor::Wapi, "99999"), taxonomy::UNKNOWN);
/// assert!(!taxonomy::ihuyi::classify_get_num("2").billed);
/// ```
pub fn classify(vendor: Vendor, code: &str) -> CodeInfo {
    lookup(table(vendor), code)
}

/// Like [`classify`], but also reads the message where a vendor overloads one code with
/// several meanings (wapi 10019 is rate limiting when the message mentions `频繁`).
pub fn classify_message(vendor: Vendor, code: &str, message: &str) -> CodeInfo {
    (vendor.codes().classify_message)(code, message).unwrap_or_else(|| classify(vendor, code))
}

/// The code table of `vendor`'s check operation, in document order.
pub fn table(vendor: Vendor) -> &'static [CodeEntry] {
    vendor.codes().check
}

/// What the taxonomy needs from one vendor, registered beside the [`Vendor`] variant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VendorCodes {
    /// The code table of the vendor's check operation, in document order.
    pub(crate) check: &'static [CodeEntry],
    /// Classification that reads the message too, for a vendor that overloads a code;
    /// `None` falls back to the table.
    pub(crate) classify_message: fn(&str, &str) -> Option<CodeInfo>,
}

/// For vendors whose codes mean one thing whatever the message says.
pub(crate) fn by_code_only(_code: &str, _message: &str) -> Option<CodeInfo> {
    None
}

/// Finds `code` in `table` (surrounding whitespace ignored), or [`UNKNOWN`].
pub fn lookup(table: &[CodeEntry], code: &str) -> CodeInfo {
    let code = code.trim();
    table
        .iter()
        .find(|entry| entry.code == code)
        .map_or(UNKNOWN, |entry| entry.info)
}

/// Shorthand for table rows.
pub(crate) const fn row(
    code: &'static str,
    kind: Option<Kind>,
    billed: bool,
    retryable: bool,
    meaning: &'static str,
) -> CodeEntry {
    CodeEntry {
        code,
        info: CodeInfo {
            kind,
            billed,
            retryable,
            meaning,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ihuyi, qxt, wapi};
    use super::*;

    #[test]
    fn billing_follows_our_reading_of_the_documents() {
        for vendor in Vendor::ALL {
            let billed: Vec<&str> = table(vendor)
                .iter()
                .filter(|e| e.info.billed)
                .map(|e| e.code)
                .collect();
            let expected = match vendor {
                Vendor::Wapi => vec!["10000"],
                Vendor::Qxt => vec!["0"],
                Vendor::Ihuyi => vec!["2"],
            };
            assert_eq!(billed, expected, "{vendor}");
        }
        assert!(ihuyi::GET_NUM.iter().all(|e| !e.info.billed));
    }

    #[test]
    fn nothing_billed_is_retryable_and_tables_have_no_duplicates() {
        let all = [wapi::TABLE, qxt::TABLE, ihuyi::SUBMIT, ihuyi::GET_NUM];
        for table in all {
            for (i, entry) in table.iter().enumerate() {
                assert!(
                    !(entry.info.billed && entry.info.retryable),
                    "{}",
                    entry.code
                );
                assert!(
                    table[i + 1..].iter().all(|other| other.code != entry.code),
                    "duplicate {}",
                    entry.code
                );
                if entry.info.kind.is_none() {
                    assert!(!entry.info.retryable, "{}", entry.code);
                }
                if entry.info.kind == Some(Kind::ClockSkew) {
                    assert!(entry.info.retryable, "{}", entry.code);
                }
            }
        }
    }

    #[test]
    fn unknown_codes_stay_unknown() {
        assert_eq!(classify(Vendor::Wapi, "99999"), UNKNOWN);
        assert_eq!(classify(Vendor::Qxt, ""), UNKNOWN);
        assert!(classify(Vendor::Ihuyi, " 2 ").billed);
    }
}
