//! What a finished row touches, behind one lock: the journal, the dedup table, the rows
//! parked behind an identical row in flight, the summary, and the decision to stop.

use super::job::Ending;
use crate::batch::dedup::{DedupTable, Fingerprint};
use crate::batch::journal::Journal;
use crate::batch::progress::Progress;
use crate::batch::record::RowResult;
use crate::batch::summary::{PriceList, Summary};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::OwnedSemaphorePermit;

/// After this many transport or decode failures in a row, the vendor is taken to be down
/// and the batch stops rather than burn through the file writing errors.
const MAX_CONSECUTIVE_TRANSPORT_FAILURES: u32 = 50;

/// Everything a finished row touches, behind one lock: rows finish a few thousand times a
/// second at most, and each holds the lock for two `write` calls.
pub(crate) struct Sink {
    pub(crate) journal: Journal,
    pub(crate) dedup: DedupTable,
    /// Rows waiting for an identical row that is in flight, by fingerprint.
    pub(crate) waiting: HashMap<Fingerprint, Vec<Waiter>>,
    pub(crate) summary: Summary,
    pub(crate) prices: PriceList,
    pub(crate) progress: Progress,
    pub(crate) rows_this_run: u64,
    pub(crate) consecutive_transport_failures: u32,
    pub(crate) ending: Option<Ending>,
    /// First local I/O failure (disk full…): the batch stops on it.
    pub(crate) failure: Option<String>,
}

/// A sent row's result with its journal line, formatted outside the lock.
pub(crate) struct Finished {
    pub(crate) row: u64,
    pub(crate) result: RowResult,
    pub(crate) fp: Fingerprint,
    pub(crate) journal_line: Vec<u8>,
}

pub(crate) struct Waiter {
    pub(crate) row: u64,
    pub(crate) values: Vec<String>,
    pub(crate) _window: OwnedSemaphorePermit,
}

impl Sink {
    /// Writes one row's result to the journal and counts it.
    pub(crate) fn write(
        &mut self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<u64> {
        let offset = self.journal.done(row, values, result)?;
        self.count(result);
        Ok(offset)
    }

    pub(crate) fn count(&mut self, result: &RowResult) {
        self.summary.add(result, &self.prices, true);
        self.rows_this_run += 1;
        self.progress
            .row_done(self.summary.billed, self.summary.cost_yuan);
    }

    /// Answers `row` from an identical earlier row, parks it behind an identical row in
    /// flight, or hands it back (with its fingerprint) to be sent.
    pub(crate) fn route(
        &mut self,
        row: u64,
        values: Vec<String>,
        key: &str,
        window: OwnedSemaphorePermit,
    ) -> std::io::Result<Option<(Fingerprint, Vec<String>, OwnedSemaphorePermit)>> {
        let fp = self.dedup.fingerprint(key);
        if let Some(offset) = self.dedup.get(&fp)? {
            let leader = self.journal.read_done(offset)?;
            let copy = RowResult::duplicate_of(leader.row, &leader.result);
            self.write(row, &values, &copy)?;
            return Ok(None);
        }
        if let Some(waiters) = self.waiting.get_mut(&fp) {
            waiters.push(Waiter {
                row,
                values,
                _window: window,
            });
            return Ok(None);
        }
        self.waiting.insert(fp, Vec::new());
        Ok(Some((fp, values, window)))
    }

    /// Records an I/O failure and asks everyone to stop.
    pub(crate) fn fail(&mut self, error: std::io::Error, stop: &AtomicBool) {
        if self.failure.is_none() {
            self.failure = Some(format!("writing the output or journal failed: {error}"));
        }
        stop.store(true, Ordering::SeqCst);
    }

    /// A sent row finished: write its pre-formatted lines, remember its answer, release
    /// identical rows waiting for it.
    pub(crate) fn finish_sent(&mut self, done: Finished, stop: &AtomicBool) {
        let Finished {
            row,
            result,
            fp,
            journal_line,
        } = done;
        let mut written = self.journal.append_line(&journal_line).and_then(|offset| {
            self.count(&result);
            // Only answers are reused for later identical rows: an error at one moment says
            // nothing about the next, so a later duplicate is sent again.
            if !result.is_error() {
                self.dedup.insert(&fp, offset)?;
            }
            Ok(())
        });
        // Waiters are released even after a failure, so nobody waits for them forever.
        for waiter in self.waiting.remove(&fp).unwrap_or_default() {
            if written.is_ok() {
                let copy = RowResult::duplicate_of(row, &result);
                written = self.write(waiter.row, &waiter.values, &copy).map(drop);
            }
        }
        if let Err(e) = written {
            self.fail(e, stop);
            return;
        }
        self.watch_for_stop(row, &result, stop);
    }

    pub(crate) fn watch_for_stop(&mut self, row: u64, result: &RowResult, stop: &AtomicBool) {
        match result.error_kind {
            Some(error) if error.stops_the_batch() => {
                self.ending
                    .get_or_insert(Ending::VendorRefused { kind: error, row });
                stop.store(true, Ordering::SeqCst);
            }
            Some(error) if error.is_wire_failure() => {
                self.consecutive_transport_failures += 1;
                if self.consecutive_transport_failures >= MAX_CONSECUTIVE_TRANSPORT_FAILURES {
                    self.ending
                        .get_or_insert(Ending::TransportFailing { kind: error });
                    stop.store(true, Ordering::SeqCst);
                }
            }
            _ => self.consecutive_transport_failures = 0,
        }
    }
}
