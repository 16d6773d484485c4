//! The per-vendor clock-skew memory.
//!
//! Vendors refuse a request whose timestamp is too far from their clock (wapi 10004: more
//! than 10 minutes; ihuyi 40501: the dynamic password has expired), so a machine with a wrong
//! clock would otherwise fail every call. The exchange learns the offset from the refusal and
//! keeps it here.

use crate::codec::Vendor;
use crate::sign::UnixTime;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::UNIX_EPOCH;

/// How far each vendor's clock is from ours, in seconds (vendor minus local).
///
/// One atomic per vendor: every call reads it (a relaxed load, no lock on the hot path) and
/// only a clock-skew refusal writes it. Shared by all clones of a verifier, so one corrected
/// call fixes the clock for every thread.
#[derive(Debug, Default)]
pub(crate) struct SkewTable {
    offsets: [AtomicI64; Vendor::ALL.len()],
}

impl SkewTable {
    fn slot(&self, vendor: Vendor) -> &AtomicI64 {
        let index = vendor.index();
        &self.offsets[index]
    }

    /// The learned offset for `vendor`, 0 until a skew refusal taught us otherwise.
    pub(crate) fn offset(&self, vendor: Vendor) -> i64 {
        self.slot(vendor).load(Ordering::Relaxed)
    }

    /// Remembers that `vendor`'s clock runs `offset` seconds ahead of ours (negative: behind).
    pub(crate) fn learn(&self, vendor: Vendor, offset: i64) {
        self.slot(vendor).store(offset, Ordering::Relaxed);
    }

    /// Our clock's `now`, moved onto `vendor`'s clock, with the offset that moved it (read
    /// once, so the exchange knows exactly which offset a refused request was stamped with,
    /// even while another thread learns a new one).
    pub(crate) fn stamp(&self, vendor: Vendor, local: UnixTime) -> Stamp {
        let offset = self.offset(vendor);
        Stamp {
            now: UnixTime(shift(local.0, offset)),
            offset,
        }
    }
}

/// The time a request is stamped with, and the learned offset that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Our clock plus `offset`: the vendor's time as far as we know it.
    pub(crate) now: UnixTime,
    /// The offset (vendor minus local, seconds) in use when the request was stamped.
    pub(crate) offset: i64,
}

/// The smallest change of offset worth a corrected retry. An HTTP `Date` has whole seconds
/// and is written a round trip away from our reading of the clock, so a vendor whose clock
/// agrees with ours can look a second off; vendors tolerate minutes (wapi 600 s), so a
/// correction smaller than this cannot turn a refusal into an answer — it only spends a call.
pub(crate) const MIN_CORRECTION_SECS: u64 = 2;

/// Whether a clock-skew refusal of a request stamped with offset `sent_with` is worth one
/// corrected retry, now that the vendor's clock says the offset is `learned`. When the two
/// agree, the vendor refused a time it itself considers current: there is nothing to correct,
/// and the same request stamped the same way would only be refused again.
pub(crate) fn worth_correcting(sent_with: i64, learned: i64) -> bool {
    sent_with.abs_diff(learned) >= MIN_CORRECTION_SECS
}

/// `seconds + offset`, clamped to the representable range instead of wrapping.
fn shift(seconds: u64, offset: i64) -> u64 {
    if offset >= 0 {
        seconds.saturating_add(offset.unsigned_abs())
    } else {
        seconds.saturating_sub(offset.unsigned_abs())
    }
}

/// The offset (vendor minus local, seconds) implied by the vendor saying it is `vendor_time`
/// when our clock said `local`.
pub(crate) fn offset_between(vendor_time: UnixTime, local: UnixTime) -> i64 {
    let difference = i128::from(vendor_time.0) - i128::from(local.0);
    i64::try_from(difference).unwrap_or(if difference < 0 { i64::MIN } else { i64::MAX })
}

/// Reads an HTTP `Date` header (IMF-fixdate and the two obsolete forms RFC 9110 still
/// requires recipients to accept) as Unix seconds.
pub(crate) fn parse_http_date(value: &str) -> Option<UnixTime> {
    let time = httpdate::parse_http_date(value.trim()).ok()?;
    let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(UnixTime(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_start_at_zero_and_are_per_vendor() {
        let table = SkewTable::default();
        assert_eq!(table.offset(Vendor::Wapi), 0);
        table.learn(Vendor::Wapi, -700);
        table.learn(Vendor::Ihuyi, 42);
        assert_eq!(table.offset(Vendor::Wapi), -700);
        assert_eq!(table.offset(Vendor::Qxt), 0);
        let stamp = |vendor| table.stamp(vendor, UnixTime(1_000));
        assert_eq!(
            stamp(Vendor::Wapi),
            Stamp {
                now: UnixTime(300),
                offset: -700
            }
        );
        assert_eq!(stamp(Vendor::Ihuyi).now.0, 1_042);
        assert_eq!(stamp(Vendor::Qxt).now.0, 1_000);
    }

    #[test]
    fn only_a_real_change_of_offset_is_worth_a_correction() {
        // Nothing learned yet, and the vendor agrees with us (to the Date's second): no retry.
        assert!(!worth_correcting(0, 0));
        assert!(!worth_correcting(0, 1));
        assert!(!worth_correcting(0, -1));
        // An offset already learned and confirmed again: no retry either.
        assert!(!worth_correcting(3_600, 3_601));
        assert!(!worth_correcting(-900, -900));
        // A real difference, either way, from zero or from an older offset.
        assert!(worth_correcting(0, 2));
        assert!(worth_correcting(0, -2));
        assert!(worth_correcting(0, 3_600));
        assert!(worth_correcting(3_600, 0));
        assert!(worth_correcting(-3_600, 3_600));
        // Extremes do not overflow.
        assert!(worth_correcting(i64::MIN, i64::MAX));
        assert!(!worth_correcting(i64::MAX, i64::MAX));
    }

    #[test]
    fn shifting_clamps_instead_of_wrapping() {
        assert_eq!(shift(5, -10), 0);
        assert_eq!(shift(u64::MAX - 1, 10), u64::MAX);
        assert_eq!(offset_between(UnixTime(0), UnixTime(u64::MAX)), i64::MIN);
        assert_eq!(offset_between(UnixTime(u64::MAX), UnixTime(0)), i64::MAX);
        assert_eq!(
            offset_between(UnixTime(1_604_973_925), UnixTime(1_604_973_000)),
            925
        );
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(UnixTime(784_111_777))
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(UnixTime(784_111_777))
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date(""), None);
    }
}
