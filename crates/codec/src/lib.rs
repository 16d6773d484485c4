//! Sans-IO wire codec for the real-name vendors: request building, response decoding
//! (json, xml, jsonp) and the vendor code taxonomy.
//!
//! Nothing here opens a socket or reads the clock; the edge types are
//! `http::Request<Vec<u8>>` and `http::Response<Vec<u8>>`.
//!
//! Every vendor call is an [`Operation`]: a value holding the caller's input (name, mobile, …)
//! that can [`prepare`](Operation::prepare) a request from credentials and the current time and
//! [`decode`](Operation::decode) the vendor's response into a [`Reply`].
//!
//! ```
//! use shiming_codec::{Operation, Outcome, Verdict, UnixTime, Secret};
//! use shiming_codec::wapi::{MobileTwoElements, WapiConfig};
//!
//! let config = WapiConfig::new("https://demo.api.storeapi.net", "1", Secret::new("s3cret"))?;
//! let check = MobileTwoElements::new("张三", "18688888888");
//! let request = check.prepare(&config, UnixTime(1_700_000_000))?;
//! assert_eq!(request.method(), http::Method::POST);
//!
//! // … send it with any HTTP client, then:
//! let body = br#"{"codeid":10000,"message":"ok","retdata":{"bank_status":"02"},"time":"1700000001"}"#;
//! let reply = check.decode(&http::Response::new(body.to_vec()))?;
//! assert!(reply.billed);
//! assert!(matches!(reply.outcome, Outcome::Answered(ref a) if a.verdict == Verdict::Mismatch));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

mod answer;
mod body;
mod endpoint;
mod error;
mod excerpt;
mod form;
mod json;
mod lenient;
pub mod mask;
mod masked;
mod operation;
pub mod redact;
pub mod transport;
mod unquoted;
mod vocabulary;

pub use answer::TwoElementAnswer;
pub use endpoint::BaseUrl;
pub use error::{BuildError, BuildErrorKind, DecodeError, DecodeErrorKind};
pub use form::Method;
pub use operation::{Operation, Outcome, Refusal, Reply};
pub use shiming_sign::{Secret, UnixTime};
pub use taxonomy::{CodeInfo, classify};
pub use vocabulary::{Check, Kind, Verdict};

// The vendors. This file is the one place in the codec that lists them (docs/architecture.md,
// "Adding a vendor"): each vendor's operations, configuration and details live in its own
// module (`wapi/`, `qxt/`, `ihuyi/`) and its code table in `taxonomy/<vendor>.rs`; the
// shared code reaches them through `Vendor` and the registrations below.

pub mod ihuyi;
pub mod qxt;
pub mod wapi;

/// Every documented vendor code, mapped to a normalized [`Kind`] with billing and retry rules.
///
/// One table per vendor (per operation for ihuyi, whose balance query shares codes with the
/// check but is never billed). `docs/taxonomy.md` explains the kinds; `docs/vendors/*.md` list
/// the tables. A test reads the vendor documents and fails if any documented code is missing.
pub mod taxonomy {
    mod table;

    pub mod ihuyi;
    pub mod qxt;
    pub mod wapi;

    pub use table::*;
}

/// A real-name verification vendor this toolkit speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Vendor {
    /// wapi.cn (挖数据): mobile and ID-card two-element checks, per-account API host.
    Wapi,
    /// 企讯通 (QXT, szqxt.com): mobile two-element check.
    Qxt,
    /// 互亿无线 (ihuyi): operator status of a mobile number, and the remaining balance.
    Ihuyi,
}

impl Vendor {
    /// Every vendor, in a stable order.
    pub const ALL: [Vendor; 3] = [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi];

    /// The lowercase name used in configuration, logs and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Wapi => "wapi",
            Vendor::Qxt => "qxt",
            Vendor::Ihuyi => "ihuyi",
        }
    }

    /// The vendor's place in [`Vendor::ALL`], for tables with one slot per vendor
    /// (`[T; Vendor::ALL.len()]`) that must not list the vendors again.
    pub const fn index(self) -> usize {
        match self {
            Vendor::Wapi => 0,
            Vendor::Qxt => 1,
            Vendor::Ihuyi => 2,
        }
    }

    /// What the taxonomy needs from the vendor (its check's code table, message rules).
    pub(crate) fn codes(self) -> taxonomy::VendorCodes {
        use taxonomy::{VendorCodes, by_code_only};
        match self {
            Vendor::Wapi => VendorCodes {
                check: taxonomy::wapi::TABLE,
                // 10019 is a rate limit only when the message says 频繁.
                classify_message: |code, message| Some(taxonomy::wapi::classify(code, message)),
            },
            Vendor::Qxt => VendorCodes {
                check: taxonomy::qxt::TABLE,
                classify_message: by_code_only,
            },
            Vendor::Ihuyi => VendorCodes {
                check: taxonomy::ihuyi::SUBMIT,
                classify_message: by_code_only,
            },
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The vendor-specific fields of a two-element answer. Every field is optional: vendors leave
/// them out of "not found" and debug answers, and send `[]` when they have nothing.
///
/// Non-exhaustive: a new vendor adds a variant. Code outside this crate that must reach every
/// text whatever the variant (a scrubber) has [`TwoElementDetails::texts_mut`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TwoElementDetails {
    /// wapi mobile + name (`/pyi/108/244`).
    WapiMobile(wapi::MobileDetails),
    /// wapi ID number + name (`/pyi/62/169`).
    WapiId(wapi::IdDetails),
    /// QXT mobile + name (`/Phone_TwoElements`).
    Qxt(qxt::QxtDetails),
}

impl TwoElementDetails {
    /// Every text of the details, whatever the vendor: what a scrubber that does not know
    /// the variant must clean, all of it.
    pub fn texts_mut(&mut self) -> Vec<&mut Option<String>> {
        match self {
            TwoElementDetails::WapiMobile(d) => d.texts_mut(),
            TwoElementDetails::WapiId(d) => d.texts_mut(),
            TwoElementDetails::Qxt(d) => d.texts_mut(),
        }
    }

    /// See [`TwoElementAnswer::carrier`].
    pub(crate) fn carrier(&self) -> Option<&str> {
        match self {
            TwoElementDetails::WapiMobile(d) => d.carrier.as_deref().or(d.provider.as_deref()),
            TwoElementDetails::WapiId(_) => None,
            TwoElementDetails::Qxt(d) => d.carrier.as_deref(),
        }
    }

    /// See [`TwoElementAnswer::area`].
    pub(crate) fn area(&self) -> Option<String> {
        match self {
            TwoElementDetails::WapiMobile(d) => match (&d.province, &d.city) {
                (Some(p), Some(c)) if p != c => Some(format!("{p} {c}")),
                (Some(p), _) => Some(p.clone()),
                (None, c) => c.clone(),
            },
            TwoElementDetails::WapiId(d) => d.area.clone(),
            TwoElementDetails::Qxt(d) => d.area.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{TwoElementDetails, qxt, wapi};

    /// `texts_mut` must hand out every field the details carry: a scrubber that does not know
    /// the variant relies on it.
    #[test]
    fn texts_mut_reaches_every_serialized_field() {
        let mut all = [
            TwoElementDetails::WapiMobile(wapi::MobileDetails::default()),
            TwoElementDetails::WapiId(wapi::IdDetails::default()),
            TwoElementDetails::Qxt(qxt::QxtDetails::default()),
        ];
        for details in &mut all {
            for text in details.texts_mut() {
                *text = Some("x".into());
            }
            let json = serde_json::to_value(&*details).expect("details serialize");
            let fields = json.as_object().expect("an object");
            let unset: Vec<&String> = fields
                .iter()
                .filter(|(key, value)| *key != "source" && value.as_str() != Some("x"))
                .map(|(key, _)| key)
                .collect();
            assert!(
                unset.is_empty(),
                "texts_mut misses {unset:?} of {details:?}"
            );
        }
    }
}
