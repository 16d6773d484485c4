//! The vendor-neutral answer of a two-element check, with each vendor's details kept typed
//! ([`TwoElementDetails`], listed with the vendors in `lib.rs`).

use serde::Serialize;

use crate::{TwoElementDetails, Verdict};

/// What a two-element check (mobile + name, or ID number + name) answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TwoElementAnswer {
    /// Match, mismatch or not found.
    pub verdict: Verdict,
    /// True when the vendor answered with test data (wapi `debug=1`, code 10024): the verdict
    /// says nothing about the person.
    pub debug: bool,
    /// Whatever else the vendor said about the number or ID (area, carrier, birthday, …).
    pub details: TwoElementDetails,
}

impl TwoElementAnswer {
    /// The carrier the vendor named, as sent (`联通`, `中国电信`), when it named one.
    pub fn carrier(&self) -> Option<&str> {
        self.details.carrier()
    }

    /// Where the number or ID is registered, as the vendor worded it (`广西 钦州`,
    /// `湖北-宜昌`, `浙江省苍南县`).
    pub fn area(&self) -> Option<String> {
        self.details.area()
    }
}
