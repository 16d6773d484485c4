//! The batch pipeline: read rows, refuse bad ones offline, answer duplicates from earlier
//! rows, send the rest with bounded concurrency and a QPS cap, and record every row in the
//! journal as it finishes. When the run ends, the output is written from the journal in input
//! order (`render`).
//!
//! ```text
//! reader thread ──rows──▶ dispatcher ──▶ refused / duplicate / unknown ─┐
//!   (bounded channel)        │                                            ├─▶ sink (journal,
//!                            └─▶ send tasks (≤ concurrency) ─────────────┘     dedup table, summary)
//! ```
//!
//! Memory is bounded by the channel, the concurrency and the window of rows waiting for an
//! identical row in flight; the dedup table lives on disk and finished rows are a bitmap.

use super::dedup::DedupTable;
use super::input::RowReader;
use super::journal::{self, Header, Journal, RowSet};
use super::output::{OutputFormat, RESULT_COLUMNS};
use super::render;
use super::summary::Summary;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

mod dispatch;
mod job;
mod reader;
mod recovery;
mod sink;
mod start;

use job::io_error;
pub(crate) use job::{BatchError, Ending, Engine, Job, Report};
use reader::spawn_reader;
use sink::Sink;
use start::{Start, decide_start, input_digest};

impl Engine {
    /// Runs (or resumes) `job` to its end.
    pub(crate) async fn run(self, job: &Job) -> Result<Report, BatchError> {
        let started = Instant::now();
        let reader =
            RowReader::open_with(&job.input, &job.read).map_err(|e| BatchError(e.to_string()))?;
        let columns = reader.columns().clone();
        columns
            .require(&job.check.flag(), job.check.required())
            .map_err(|e| BatchError(e.to_string()))?;
        if let Some(clash) = columns.names.iter().find(|n| {
            RESULT_COLUMNS.contains(&n.as_str()) || job.check.detail_columns().contains(&n.as_str())
        }) {
            return Err(BatchError(format!(
                "the input has a column named `{clash}`, which the output adds itself; rename it"
            )));
        }
        let format = OutputFormat::for_path(&job.out).map_err(BatchError)?;
        let journal_path = journal::path_for(&job.out);
        let header = Header::new(
            job.check,
            columns.names.clone(),
            format,
            format == OutputFormat::Csv && !job.no_bom,
            input_digest(&job.input)?,
            job.sandbox,
        );
        let header = Header {
            sheet: job.read.sheet.clone(),
            column_choice: column_choice(&job.read.columns),
            ..header
        };
        let out_dir = parent_dir(&job.out);

        let mut summary = Summary::default();
        let (journal, dedup, done, in_flight) = match decide_start(&journal_path, &header, job)? {
            Start::Complete(previous) => {
                let mut summary: Summary = serde_json::from_value(previous).unwrap_or_default();
                summary.finish(started.elapsed(), 0, true);
                return Ok(Report {
                    summary,
                    ending: Ending::AlreadyComplete,
                });
            }
            Start::Resume(previous) => {
                let dedup = DedupTable::new(&out_dir)
                    .map_err(io_error("cannot create a cache file in", &out_dir))?;
                self.recover(&journal_path, previous, &header, job, dedup, &mut summary)?
            }
            Start::Fresh => {
                let dedup = DedupTable::new(&out_dir)
                    .map_err(io_error("cannot create a cache file in", &out_dir))?;
                let journal = Journal::create(&journal_path, &header)
                    .map_err(io_error("cannot create the journal", &journal_path))?;
                (journal, dedup, RowSet::default(), BTreeSet::new())
            }
        };
        summary.sandbox = job.sandbox;
        self.progress.set_position(summary.rows);

        let stop = Arc::new(AtomicBool::new(false));
        let sink = Arc::new(Mutex::new(Sink {
            journal,
            dedup,
            waiting: HashMap::new(),
            summary,
            prices: self.prices,
            progress: self.progress.clone(),
            rows_this_run: 0,
            consecutive_transport_failures: 0,
            reserved: 0.0,
            ending: None,
            failure: None,
        }));

        let rows = spawn_reader(reader, done);
        let exhausted = self
            .dispatch(job, rows, &columns, in_flight, &sink, &stop)
            .await?;

        let mut sink = match Arc::try_unwrap(sink) {
            Ok(sink) => sink.into_inner().unwrap_or_else(|p| p.into_inner()),
            Err(_) => {
                return Err(BatchError(
                    "internal error: a send task outlived the batch".into(),
                ));
            }
        };
        self.progress.finish();
        if let Some(failure) = sink.failure.take() {
            return Err(BatchError(failure));
        }
        sink.journal
            .sync()
            .map_err(io_error("cannot sync", &journal_path))?;
        // Whatever the ending, the output shows every finished row, in input order.
        render::render(
            &journal_path,
            &job.out,
            header.format,
            &header.columns,
            job.check,
            header.bom,
        )
        .map_err(io_error("cannot write", &job.out))?;

        let mut summary = sink.summary;
        let mut ending = match sink.ending.take() {
            Some(ending) => ending,
            None if self.interrupt.load(Ordering::SeqCst) || !exhausted => Ending::Interrupted,
            None => Ending::Complete,
        };
        if ending == Ending::Complete && (summary.errors > 0 || summary.unknown > 0) {
            ending = Ending::RowsFailed {
                unbilled: summary.errors_unbilled,
                maybe_billed: summary.errors + summary.unknown - summary.errors_unbilled,
            };
        }
        // The job is over unless some row can still be finished for free by --resume.
        let over = match ending {
            Ending::Complete => true,
            Ending::RowsFailed { unbilled, .. } => unbilled == 0,
            _ => false,
        };
        summary.finish(started.elapsed(), sink.rows_this_run, over);
        if over {
            // The journal duplicates the output's personal data; once the output is whole it
            // keeps only the header and the summary, so the same command run again says the
            // job is complete instead of billing every row again.
            journal::mark_complete(&journal_path, &header, &summary)
                .map_err(io_error("cannot finish the journal", &journal_path))?;
        }
        Ok(Report { summary, ending })
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `--columns` as the journal records it: `field=header` pairs in field order.
fn column_choice(map: &super::input::ColumnMap) -> String {
    super::input::Field::ALL
        .iter()
        .filter_map(|field| map.get(*field).map(|h| format!("{}={h}", field.as_str())))
        .collect::<Vec<_>>()
        .join(",")
}
