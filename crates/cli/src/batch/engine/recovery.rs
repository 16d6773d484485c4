//! Replaying an unfinished job's journal on `--resume`.

use super::job::{BatchError, Engine, Job, io_error};
use super::start::check_same_job;
use crate::batch::dedup::DedupTable;
use crate::batch::journal::{self, Header, Journal, Recovery, RowSet};
use crate::batch::record::Origin;
use crate::batch::summary::Summary;
use std::collections::BTreeSet;
use std::path::Path;

impl Engine {
    /// Replays the journal whose header (`previous`, read when deciding how the run begins)
    /// is that of this job: refills the dedup table and the counts from its finished rows,
    /// and reopens it for appending.
    pub(crate) fn recover(
        &self,
        journal_path: &Path,
        previous: Header,
        header: &Header,
        job: &Job,
        mut dedup: DedupTable,
        summary: &mut Summary,
    ) -> Result<(Journal, DedupTable, RowSet, BTreeSet<u64>), BatchError> {
        check_same_job(&previous, header, job)?;
        let columns =
            crate::batch::input::Columns::with_map(previous.columns.clone(), &job.read.columns);
        let recovery: Recovery = journal::recover(journal_path, |offset, done| {
            let fail =
                |e: std::io::Error| journal::JournalError(format!("replaying the journal: {e}"));
            // A row whose failure certainly cost nothing (nothing sent, a refusal such as
            // balance or credentials, an unbilled upstream error) is what the user fixed or
            // waited out before resuming: it is checked again.
            if done.result.failed_unbilled() {
                summary.retried += 1;
                return Ok(false);
            }
            summary.add(&done.result, &self.prices, false);
            if done.result.origin == Origin::Checked && !done.result.is_error() {
                // The key of a sent row is made from its normalized input, as when it was sent.
                let raw = columns.extract(&done.values);
                let input = match &self.precheck {
                    Some(precheck) => precheck(&raw).unwrap_or(raw),
                    None => raw,
                };
                let key = job.check.dedup_key(&input);
                dedup
                    .insert(&dedup.fingerprint(&key), offset)
                    .map_err(fail)?;
            }
            Ok(true)
        })
        .map_err(|e| BatchError(e.0))?;
        if recovery.header != previous {
            return Err(BatchError(format!(
                "journal {} changed while it was being read",
                journal_path.display()
            )));
        }
        let journal = Journal::reopen(journal_path, recovery.valid_len)
            .map_err(io_error("cannot reopen", journal_path))?;
        tracing::info!(
            finished = recovery.done.len(),
            in_flight = recovery.in_flight.len(),
            "resuming from the journal"
        );
        Ok((journal, dedup, recovery.done, recovery.in_flight))
    }
}
