//! What a run is given and what it reports: the job, the engine's dependencies, how it ended.
//! A leaf of the engine's modules, so they all depend on it and it on none of them.

use crate::batch::checker::{Precheck, RowChecker};
use crate::batch::input::ReadOptions;
use crate::batch::progress::Progress;
use crate::batch::record::{BatchCheck, RowError};
use crate::batch::summary::{PriceList, Summary};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// Input file.
    pub(crate) input: PathBuf,
    /// How to read the input: encoding, workbook sheet, column choices.
    pub(crate) read: ReadOptions,
    /// Output file (the journal goes beside it).
    pub(crate) out: PathBuf,
    /// The check.
    pub(crate) check: BatchCheck,
    /// Requests in flight at most.
    pub(crate) concurrency: usize,
    /// Requests per second at most.
    pub(crate) qps: Option<f64>,
    /// Finish an interrupted job instead of starting a new one.
    pub(crate) resume: bool,
    /// Write rows that were in flight at the crash as unknown instead of sending them again.
    pub(crate) skip_unknown: bool,
    /// Start over: replace the output and any journal, sending every row again.
    pub(crate) force: bool,
    /// The answers come from the built-in sandbox (recorded in the journal).
    pub(crate) sandbox: bool,
    /// CSV output without the UTF-8 byte-order mark.
    pub(crate) no_bom: bool,
}

/// Why the batch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Every row is in the output; the journal keeps only its header and summary.
    Complete,
    /// The vendor refused in a way every further row would share (auth, balance…).
    VendorRefused {
        /// Taxonomy kind.
        kind: RowError,
        /// The row that got the refusal.
        row: u64,
    },
    /// Too many transport or decode failures in a row.
    TransportFailing {
        /// The kind of the last failure.
        kind: RowError,
    },
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP).
    Interrupted,
    /// Every row was tried, but some have no answer: `unbilled` failed in a way that
    /// certainly cost nothing (`--resume` sends them again), `maybe_billed` may have been
    /// billed without an answer (never sent again by themselves).
    RowsFailed {
        /// Failures that cost nothing.
        unbilled: u64,
        /// Failures that may have been billed, and rows left unknown.
        maybe_billed: u64,
    },
    /// An earlier run completed this very job: nothing was sent.
    AlreadyComplete,
}

/// The batch could not run (or stopped) for a reason outside any one row.
#[derive(Debug)]
pub(crate) struct BatchError(pub(crate) String);

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn io_error(what: &str, path: &Path) -> impl Fn(std::io::Error) -> BatchError {
    let message = format!("{what} {}", path.display());
    move |e| BatchError(format!("{message}: {e}"))
}

/// The dependencies of a run.
pub(crate) struct Engine {
    /// Answers rows.
    pub(crate) checker: Arc<dyn RowChecker>,
    /// Offline validation (`None` with `--no-precheck`).
    pub(crate) precheck: Option<Precheck>,
    /// Prices for the summary.
    pub(crate) prices: PriceList,
    /// Progress display.
    pub(crate) progress: Progress,
    /// Set to stop dispatching (Ctrl-C); in-flight rows still finish and are written.
    pub(crate) interrupt: Arc<AtomicBool>,
}

/// The outcome of a run that got going.
#[derive(Debug)]
pub(crate) struct Report {
    /// Counts over the whole job.
    pub(crate) summary: Summary,
    /// Why it ended.
    pub(crate) ending: Ending,
}
