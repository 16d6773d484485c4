//! The end-of-batch summary: counts, spend and speed, for people (stderr) and scripts
//! (one JSON object on stdout with `--output json`).

use super::record::BatchCheck;
use super::record::{Origin, RowResult};
use crate::config::Prices;
use serde::{Deserialize, Serialize};
use shiming::codec::Vendor;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Counts over every row of the job, previous runs included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Summary {
    /// The answers came from the built-in sandbox: made up, nothing charged.
    pub(crate) sandbox: bool,
    /// Rows written.
    pub(crate) rows: u64,
    /// Verdict match.
    #[serde(rename = "match")]
    pub(crate) matched: u64,
    /// Verdict mismatch.
    pub(crate) mismatch: u64,
    /// Verdict not found.
    pub(crate) not_found: u64,
    /// Answered without a verdict (operator status found).
    pub(crate) answered: u64,
    /// Rows that failed (vendor refusal, transport, decode).
    pub(crate) errors: u64,
    /// Failures by kind.
    pub(crate) errors_by_kind: BTreeMap<String, u64>,
    /// Of the `errors`, those that certainly cost nothing (nothing sent, or an unbilled
    /// refusal): `--resume` sends them again.
    pub(crate) errors_unbilled: u64,
    /// Rows whose earlier failure cost nothing, sent again by this `--resume`.
    pub(crate) retried: u64,
    /// Rows refused by offline validation (nothing sent).
    pub(crate) refused: u64,
    /// Rows copied from an identical earlier row (nothing sent).
    pub(crate) duplicates: u64,
    /// Rows answered by the verdict store from an earlier billed answer (nothing sent).
    pub(crate) reused: u64,
    /// What the reused answers would have cost, at the configured prices.
    pub(crate) saved_yuan: f64,
    /// Rows in flight when an earlier run died, written as unknown (`--skip-unknown`).
    pub(crate) unknown: u64,
    /// Billed calls (an answer said so; the rows written `billed` = `true`).
    pub(crate) billed: u64,
    /// Calls the vendor may have billed although no answer says so: the rows written `billed`
    /// = `maybe` (answer lost after the request went out; in flight at a crash and skipped
    /// with `--skip-unknown`), plus the lost first send of every `resent` row. The vendor's
    /// count of billed calls lies between `billed` and `billed + possibly_billed`.
    pub(crate) possibly_billed: u64,
    /// Rows sent again because an earlier run died while they were in flight.
    pub(crate) resent: u64,
    /// Rows already finished by earlier runs of this job.
    pub(crate) resumed: u64,
    /// Estimated spend in yuan over billed calls with a known price.
    pub(crate) cost_yuan: f64,
    /// The most the job may have cost: `cost_yuan` plus every possibly billed call with a
    /// known price (a call whose vendor is unknown at the check's highest price).
    pub(crate) cost_yuan_max: f64,
    /// Billed calls whose vendor has no configured price (not in `cost_yuan`).
    pub(crate) unpriced: u64,
    /// `unpriced` plus the possibly billed calls without a known price (not in
    /// `cost_yuan_max`).
    pub(crate) unpriced_max: u64,
    /// Seconds this run took.
    pub(crate) elapsed_s: f64,
    /// Rows per second finished by this run.
    pub(crate) rate: f64,
    /// Whether the job finished (false when it stopped early; rerun with `--resume`).
    pub(crate) complete: bool,
}

/// Turns billed calls into yuan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PriceList {
    prices: Prices,
    check: BatchCheck,
}

impl PriceList {
    /// Prices of `check` per vendor.
    pub(crate) fn new(prices: Prices, check: BatchCheck) -> Self {
        PriceList { prices, check }
    }

    /// Yuan per billed call at `vendor`, when known (see `vendors::Prices::get`: a vendor not
    /// listed there is unpriced, and its calls count in `unpriced`, never as free).
    pub(crate) fn price(&self, vendor: Vendor) -> Option<f64> {
        self.prices.get(vendor, self.check.store_check())
    }

    /// The price of a call to `vendor`, or, when the vendor is unknown (a row in flight at a
    /// crash through the failover chain), the highest price of any vendor of the check: an
    /// upper bound is what the caller wants.
    pub(crate) fn price_at_most(&self, vendor: Option<Vendor>) -> Option<f64> {
        match vendor {
            Some(vendor) => self.price(vendor),
            None => Vendor::ALL
                .into_iter()
                .filter_map(|v| self.price(v))
                .reduce(f64::max),
        }
    }
}

impl Summary {
    /// Counts one written row. `this_run` is false for rows recovered from the journal.
    pub(crate) fn add(&mut self, result: &RowResult, prices: &PriceList, this_run: bool) {
        self.rows += 1;
        if !this_run {
            self.resumed += 1;
        }
        match result.origin {
            Origin::Refused => self.refused += 1,
            Origin::Unknown => self.unknown += 1,
            Origin::Duplicate => self.duplicates += 1,
            Origin::Remembered => {
                self.reused += 1;
                if let Some(price) = result.vendor.and_then(|v| prices.price(v)) {
                    self.saved_yuan += price;
                }
            }
            Origin::Checked => {}
        }
        if result.resent {
            self.resent += 1;
        }
        if result.is_error() {
            self.errors += 1;
            let kind = result.error_kind.map(|e| e.as_str()).unwrap_or_default();
            *self.errors_by_kind.entry(kind.to_string()).or_default() += 1;
            if result.failed_unbilled() {
                self.errors_unbilled += 1;
            }
        } else if result.error_kind.is_none() {
            match result.verdict.as_deref() {
                Some("match") => self.matched += 1,
                Some("mismatch") => self.mismatch += 1,
                Some("not_found") => self.not_found += 1,
                _ => self.answered += 1,
            }
        }
        if result.billed {
            self.billed += 1;
            match result.vendor.and_then(|v| prices.price(v)) {
                Some(price) => {
                    self.cost_yuan += price;
                    self.cost_yuan_max += price;
                }
                None => {
                    self.unpriced += 1;
                    self.unpriced_max += 1;
                }
            }
        }
        // A resent row's first send got no answer to the crashed run: it counts like a lost
        // answer, at the price of the vendor that answered the resend (the same vendor,
        // unless the failover chain moved on).
        let possibly = u64::from(result.may_have_been_billed) + u64::from(result.resent);
        if possibly > 0 {
            self.possibly_billed += possibly;
            match prices.price_at_most(result.vendor) {
                Some(price) => self.cost_yuan_max += price * possibly as f64,
                None => self.unpriced_max += possibly,
            }
        }
    }

    /// Rounds the floating-point fields for display and JSON (cents, milliseconds).
    pub(crate) fn finish(
        &mut self,
        elapsed: std::time::Duration,
        rows_this_run: u64,
        complete: bool,
    ) {
        self.elapsed_s = (elapsed.as_secs_f64() * 1000.0).round() / 1000.0;
        self.rate = if elapsed.as_secs_f64() > 0.0 {
            ((rows_this_run as f64 / elapsed.as_secs_f64()) * 10.0).round() / 10.0
        } else {
            0.0
        };
        self.cost_yuan = (self.cost_yuan * 100.0).round() / 100.0;
        self.cost_yuan_max = (self.cost_yuan_max * 100.0).round() / 100.0;
        self.saved_yuan = (self.saved_yuan * 100.0).round() / 100.0;
        self.complete = complete;
    }

    /// The human summary for stderr.
    pub(crate) fn human(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} rows: {} match, {} mismatch, {} not found{}, {} errors, {} refused offline, {} duplicates{}",
            self.rows,
            self.matched,
            self.mismatch,
            self.not_found,
            if self.answered > 0 {
                format!(", {} answered", self.answered)
            } else {
                String::new()
            },
            self.errors,
            self.refused,
            self.duplicates,
            if self.unknown > 0 {
                format!(", {} unknown", self.unknown)
            } else {
                String::new()
            },
        );
        if !self.errors_by_kind.is_empty() {
            let kinds: Vec<String> = self
                .errors_by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            let _ = writeln!(s, "errors by kind: {}", kinds.join(", "));
        }
        let _ = writeln!(
            s,
            "billed calls: {} (≈ ¥{:.2}{}){}{}",
            self.billed,
            self.cost_yuan,
            if self.unpriced > 0 {
                format!(" + {} calls without a configured price", self.unpriced)
            } else {
                String::new()
            },
            if self.resent > 0 {
                format!(", resent after a crash: {}", self.resent)
            } else {
                String::new()
            },
            if self.resumed > 0 {
                format!(", finished by earlier runs: {}", self.resumed)
            } else {
                String::new()
            },
        );
        if self.possibly_billed > 0 {
            let _ = writeln!(
                s,
                "possibly billed: {} more (no answer arrived, but the vendor may have charged \
                 for them); at most ¥{:.2} in all{}",
                self.possibly_billed,
                self.cost_yuan_max,
                if self.unpriced_max > 0 {
                    format!(" + {} calls without a configured price", self.unpriced_max)
                } else {
                    String::new()
                },
            );
        }
        if self.reused > 0 {
            let _ = writeln!(
                s,
                "reused: {} answers from the verdict store, no request sent (≈ ¥{:.2} saved)",
                self.reused, self.saved_yuan
            );
        }
        if self.retried > 0 {
            let _ = writeln!(
                s,
                "sent again: {} rows whose earlier failure cost nothing",
                self.retried
            );
        }
        if self.errors_unbilled > 0 {
            let _ = writeln!(
                s,
                "unfinished: {} rows failed without being billed; rerun with --resume to send \
                 them again",
                self.errors_unbilled
            );
        }
        if self.sandbox {
            let _ = writeln!(
                s,
                "SANDBOX: every answer above is made up by the built-in sandbox; no real \
                 account was asked or charged"
            );
        }
        let _ = write!(s, "elapsed {:.1}s, {:.1} rows/s", self.elapsed_s, self.rate);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_prices() {
        let prices = PriceList::new(Prices::default(), BatchCheck::Mobile);
        let mut s = Summary::default();
        let billed = RowResult {
            verdict: Some("match".into()),
            vendor: Some(Vendor::Wapi),
            billed: true,
            ..RowResult::default()
        };
        s.add(&billed, &prices, true);
        s.add(&RowResult::duplicate_of(1, &billed), &prices, true);
        s.add(&RowResult::refused("bad"), &prices, false);
        let qxt = RowResult {
            vendor: Some(Vendor::Qxt),
            ..billed.clone()
        };
        s.add(&qxt, &prices, true);
        let failed = RowResult {
            vendor: Some(Vendor::Wapi),
            error_kind: Some(super::super::record::RowError::Transport),
            ..RowResult::default()
        };
        s.add(&failed, &prices, true);
        s.finish(std::time::Duration::from_secs(2), 4, true);
        assert_eq!(
            (s.rows, s.matched, s.duplicates, s.refused, s.errors),
            (5, 3, 1, 1, 1)
        );
        assert_eq!((s.billed, s.unpriced, s.resumed), (2, 1, 1));
        assert_eq!(s.cost_yuan, 0.6);
        assert_eq!(s.rate, 2.0);
        let json = serde_json::to_value(&s).unwrap();
        for key in [
            "rows",
            "match",
            "mismatch",
            "not_found",
            "errors",
            "refused",
            "duplicates",
            "billed",
            "resent",
            "cost_yuan",
            "elapsed_s",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert!(s.human().contains("5 rows"));
        assert!(!s.human().contains("possibly billed"));
    }

    #[test]
    fn lost_answers_and_resent_rows_bound_the_bill_from_above() {
        let prices = PriceList::new(Prices::default(), BatchCheck::Mobile);
        let mut s = Summary::default();
        let lost = RowResult {
            vendor: Some(Vendor::Wapi),
            error_kind: Some(super::super::record::RowError::Transport),
            may_have_been_billed: true,
            ..RowResult::default()
        };
        s.add(&lost, &prices, true);
        // Its duplicate sent nothing.
        s.add(&RowResult::duplicate_of(1, &lost), &prices, true);
        // Answered and billed on the resend; the first send may have been billed too.
        let resent = RowResult {
            verdict: Some("match".into()),
            vendor: Some(Vendor::Wapi),
            billed: true,
            resent: true,
            ..RowResult::default()
        };
        s.add(&resent, &prices, true);
        // In flight at a crash, vendor unknown: the chain's highest known price.
        s.add(&RowResult::unknown(), &prices, false);
        let qxt_lost = RowResult {
            vendor: Some(Vendor::Qxt),
            ..lost.clone()
        };
        s.add(&qxt_lost, &prices, true);
        s.finish(std::time::Duration::from_secs(1), 4, true);
        assert_eq!((s.billed, s.possibly_billed), (1, 4));
        assert_eq!(s.cost_yuan, 0.6);
        assert_eq!(s.cost_yuan_max, 2.4);
        assert_eq!((s.unpriced, s.unpriced_max), (0, 1));
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["possibly_billed"], 4);
        assert_eq!(json["cost_yuan_max"], 2.4);
        let human = s.human();
        assert!(
            human.contains("possibly billed: 4 more") && human.contains("at most ¥2.40"),
            "{human}"
        );
    }
}
