//! The vendor-neutral answer of a two-element check, with each vendor's details kept typed.

use serde::Serialize;

use crate::{Verdict, qxt, wapi};

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
        match &self.details {
            TwoElementDetails::WapiMobile(d) => d.carrier.as_deref().or(d.provider.as_deref()),
            TwoElementDetails::WapiId(_) => None,
            TwoElementDetails::Qxt(d) => d.carrier.as_deref(),
        }
    }

    /// Where the number or ID is registered, as the vendor worded it (`广西 钦州`,
    /// `湖北-宜昌`, `浙江省苍南县`).
    pub fn area(&self) -> Option<String> {
        match &self.details {
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

/// The vendor-specific fields of a two-element answer. Every field is optional: vendors leave
/// them out of "not found" and debug answers, and send `[]` when they have nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum TwoElementDetails {
    /// wapi mobile + name (`/pyi/108/244`).
    WapiMobile(wapi::MobileDetails),
    /// wapi ID number + name (`/pyi/62/169`).
    WapiId(wapi::IdDetails),
    /// QXT mobile + name (`/Phone_TwoElements`).
    Qxt(qxt::QxtDetails),
}
