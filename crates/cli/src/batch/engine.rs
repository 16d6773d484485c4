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

use super::bucket::TokenBucket;
use super::checker::{Precheck, RowChecker};
use super::dedup::{DedupTable, Fingerprint};
use super::input::CheckInput;
use super::input::{InputEncoding, InputRow, RowReader};
use super::journal::{self, Header, Journal, Recovery, RowSet};
use super::output::{OutputFormat, RESULT_COLUMNS};
use super::progress::Progress;
use super::record::{BatchCheck, Origin, RowError, RowResult};
use super::render;
use super::summary::{PriceList, Summary};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// After this many transport or decode failures in a row, the vendor is taken to be down
/// and the batch stops rather than burn through the file writing errors.
const MAX_CONSECUTIVE_TRANSPORT_FAILURES: u32 = 50;

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// Input file.
    pub(crate) input: PathBuf,
    /// Input encoding.
    pub(crate) encoding: InputEncoding,
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

/// How a run begins, decided from what is on disk and the flags.
enum Start {
    /// A new job (anything old was removed by `--force` or was no job at all).
    Fresh,
    /// Finish the unfinished job in the journal.
    Resume,
    /// The job completed before; its summary.
    Complete(serde_json::Value),
}

/// The batch could not run (or stopped) for a reason outside any one row.
#[derive(Debug)]
pub(crate) struct BatchError(pub(crate) String);

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn io_error(what: &str, path: &Path) -> impl Fn(std::io::Error) -> BatchError {
    let message = format!("{what} {}", path.display());
    move |e| BatchError(format!("{message}: {e}"))
}

/// Everything a finished row touches, behind one lock: rows finish a few thousand times a
/// second at most, and each holds the lock for two `write` calls.
struct Sink {
    journal: Journal,
    dedup: DedupTable,
    /// Rows waiting for an identical row that is in flight, by fingerprint.
    waiting: HashMap<Fingerprint, Vec<Waiter>>,
    summary: Summary,
    prices: PriceList,
    progress: Progress,
    rows_this_run: u64,
    consecutive_transport_failures: u32,
    ending: Option<Ending>,
    /// First local I/O failure (disk full…): the batch stops on it.
    failure: Option<String>,
}

/// A sent row's result with its journal line, formatted outside the lock.
struct Finished {
    row: u64,
    result: RowResult,
    fp: Fingerprint,
    journal_line: Vec<u8>,
}

struct Waiter {
    row: u64,
    values: Vec<String>,
    _window: OwnedSemaphorePermit,
}

impl Sink {
    /// Writes one row's result to the journal and counts it.
    fn write(&mut self, row: u64, values: &[String], result: &RowResult) -> std::io::Result<u64> {
        let offset = self.journal.done(row, values, result)?;
        self.count(result);
        Ok(offset)
    }

    fn count(&mut self, result: &RowResult) {
        self.summary.add(result, &self.prices, true);
        self.rows_this_run += 1;
        self.progress
            .row_done(self.summary.billed, self.summary.cost_yuan);
    }

    /// Answers `row` from an identical earlier row, parks it behind an identical row in
    /// flight, or hands it back (with its fingerprint) to be sent.
    fn route(
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
    fn fail(&mut self, error: std::io::Error, stop: &AtomicBool) {
        if self.failure.is_none() {
            self.failure = Some(format!("writing the output or journal failed: {error}"));
        }
        stop.store(true, Ordering::SeqCst);
    }

    /// A sent row finished: write its pre-formatted lines, remember its answer, release
    /// identical rows waiting for it.
    fn finish_sent(&mut self, done: Finished, stop: &AtomicBool) {
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

    fn watch_for_stop(&mut self, row: u64, result: &RowResult, stop: &AtomicBool) {
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

impl Engine {
    /// Runs (or resumes) `job` to its end.
    pub(crate) async fn run(self, job: &Job) -> Result<Report, BatchError> {
        let started = Instant::now();
        let reader =
            RowReader::open(&job.input, job.encoding).map_err(|e| BatchError(e.to_string()))?;
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
            Start::Resume => {
                let dedup = DedupTable::new(&out_dir)
                    .map_err(io_error("cannot create a cache file in", &out_dir))?;
                self.recover(&journal_path, &header, job, dedup, &mut summary)?
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

    /// Replays the journal: refills the dedup table and the counts from its finished rows,
    /// and reopens it for appending.
    fn recover(
        &self,
        journal_path: &Path,
        header: &Header,
        job: &Job,
        mut dedup: DedupTable,
        summary: &mut Summary,
    ) -> Result<(Journal, DedupTable, RowSet, BTreeSet<u64>), BatchError> {
        let previous = first_line_header(journal_path)?;
        check_same_job(&previous, header, job)?;
        let columns = super::input::Columns::new(previous.columns.clone());
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

    /// Hands rows out until the input ends or something asks to stop. Returns whether the
    /// input was read to its end.
    async fn dispatch(
        &self,
        job: &Job,
        mut rows: tokio::sync::mpsc::Receiver<Result<Vec<InputRow>, String>>,
        columns: &super::input::Columns,
        in_flight: BTreeSet<u64>,
        sink: &Arc<Mutex<Sink>>,
        stop: &Arc<AtomicBool>,
    ) -> Result<bool, BatchError> {
        let concurrency = job.concurrency.max(1);
        let sending = Arc::new(Semaphore::new(concurrency));
        // Rows parked behind an identical row in flight hold a window permit, so a file that
        // repeats one person a million times cannot pile them all up in memory.
        let window = Arc::new(Semaphore::new(concurrency * 4 + 64));
        let bucket = job.qps.map(|qps| Arc::new(TokenBucket::new(qps, 1)));
        fn lock(sink: &Mutex<Sink>) -> std::sync::MutexGuard<'_, Sink> {
            sink.lock().unwrap_or_else(|p| p.into_inner())
        }
        let stopped = || stop.load(Ordering::SeqCst) || self.interrupt.load(Ordering::SeqCst);
        let mut tasks = tokio::task::JoinSet::new();

        let mut exhausted = false;
        let mut read_error = None;
        let mut chunk = Vec::new().into_iter();
        loop {
            if stopped() {
                break;
            }
            let row = match chunk.next() {
                Some(row) => row,
                None => match rows.recv().await {
                    None => {
                        exhausted = true;
                        break;
                    }
                    Some(Ok(rows)) => {
                        chunk = rows.into_iter();
                        continue;
                    }
                    Some(Err(message)) => {
                        // Let the rows in flight finish and be written before giving up.
                        read_error = Some(BatchError(message));
                        break;
                    }
                },
            };
            let permit = window
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| BatchError("internal error: window closed".into()))?;
            let mut input = columns.extract(&row.values);

            // Rows that need no request are written here and now.
            let immediate = if let Some(reason) = &row.unreadable {
                Some(RowResult::refused(reason.clone()))
            } else if job.skip_unknown && in_flight.contains(&row.row) {
                Some(RowResult::unknown())
            } else {
                match self.precheck.as_ref().map(|precheck| precheck(&input)) {
                    Some(Ok(normalized)) => {
                        input = normalized;
                        None
                    }
                    Some(Err(reason)) => Some(RowResult::refused(reason)),
                    None => None,
                }
            };
            if let Some(result) = immediate {
                let mut sink = lock(sink);
                if let Err(e) = sink.write(row.row, &row.values, &result) {
                    sink.fail(e, stop);
                }
                continue;
            }

            let routed = {
                let mut sink = lock(sink);
                match sink.route(row.row, row.values, &job.check.dedup_key(&input), permit) {
                    Ok(routed) => routed,
                    Err(e) => {
                        sink.fail(e, stop);
                        None
                    }
                }
            };
            let Some((fp, values, permit)) = routed else {
                continue;
            };

            // The task waits for its turn itself: rows are prepared ahead, so when answers
            // come back in a burst the next requests leave at once instead of each waiting
            // for the dispatcher to prepare it.
            let task = SendTask {
                row: row.row,
                values,
                input,
                fp,
                resent: in_flight.contains(&row.row),
                checker: self.checker.clone(),
                bucket: bucket.clone(),
                sink: sink.clone(),
                stop: stop.clone(),
                interrupt: self.interrupt.clone(),
            };
            tasks.spawn(task.run(sending.clone(), permit));
            // Reap finished tasks as we go, so the set stays as small as the window.
            while tasks.try_join_next().is_some() {}
        }
        while tasks.join_next().await.is_some() {}
        match read_error {
            Some(error) => Err(error),
            None => Ok(exhausted),
        }
    }
}

/// One row on its way to the vendor.
struct SendTask {
    row: u64,
    values: Vec<String>,
    input: CheckInput,
    fp: Fingerprint,
    resent: bool,
    checker: Arc<dyn RowChecker>,
    bucket: Option<Arc<TokenBucket>>,
    sink: Arc<Mutex<Sink>>,
    stop: Arc<AtomicBool>,
    interrupt: Arc<AtomicBool>,
}

impl SendTask {
    async fn run(self, sending: Arc<Semaphore>, window: OwnedSemaphorePermit) {
        let permit = sending.acquire_owned().await;
        if permit.is_err()
            || self.stop.load(Ordering::SeqCst)
            || self.interrupt.load(Ordering::SeqCst)
        {
            // Never sent: the row stays unfinished for --resume; rows parked behind it are
            // let go with it.
            self.lock().waiting.remove(&self.fp);
            return;
        }
        self.send_and_record().await;
        drop(window);
        drop(permit);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sink> {
        self.sink.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn send_and_record(&self) {
        if let Some(bucket) = &self.bucket {
            bucket.acquire().await;
        }
        {
            // "Started" must be in the journal before the request leaves: if we die while
            // it is out, the resumed run knows it may have been billed.
            let mut sink = self.lock();
            if let Err(e) = sink.journal.started(self.row) {
                sink.fail(e, &self.stop);
                sink.waiting.remove(&self.fp);
                return;
            }
        }
        let mut result = self.checker.check(&self.input).await;
        result.origin = Origin::Checked;
        result.resent = self.resent;
        let line = journal::done_line(self.row, &self.values, &result);
        let mut sink = self.lock();
        match line {
            Ok(journal_line) => sink.finish_sent(
                Finished {
                    row: self.row,
                    result,
                    fp: self.fp,
                    journal_line,
                },
                &self.stop,
            ),
            Err(e) => {
                sink.fail(e, &self.stop);
                sink.waiting.remove(&self.fp);
            }
        }
    }
}

/// Rows per message from the reader thread. Handing rows over one by one woke one thread or
/// the other for every row (a futex wake and a context switch each, about a fifth of the
/// batch's CPU at zero latency); chunks make that once per this many rows.
const READ_CHUNK: usize = 64;

/// Reads the input on its own thread (file reading and parsing block), skipping rows an
/// earlier run finished, and hands them over in chunks of [`READ_CHUNK`]. The channel is
/// bounded, so the reader waits for the dispatcher and at most about a thousand rows are
/// read ahead.
fn spawn_reader(
    mut reader: RowReader,
    done: RowSet,
) -> tokio::sync::mpsc::Receiver<Result<Vec<InputRow>, String>> {
    let (tx, rx) = tokio::sync::mpsc::channel(1024 / READ_CHUNK);
    std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(READ_CHUNK);
        loop {
            match reader.next_row() {
                Ok(Some(row)) if done.contains(row.row) => continue,
                Ok(Some(row)) => {
                    chunk.push(row);
                    if chunk.len() == READ_CHUNK {
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(READ_CHUNK));
                        if tx.blocking_send(Ok(full)).is_err() {
                            return;
                        }
                    }
                }
                Ok(None) => {
                    if !chunk.is_empty() {
                        let _ = tx.blocking_send(Ok(chunk));
                    }
                    return;
                }
                Err(e) => {
                    // The rows read before the bad one are still checked.
                    if !chunk.is_empty() && tx.blocking_send(Ok(chunk)).is_err() {
                        return;
                    }
                    let _ = tx.blocking_send(Err(e.to_string()));
                    return;
                }
            }
        }
    });
    rx
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// MD5 of the whole input, so `--resume` notices any change, a row deleted far down
/// included. `None` for an input that is not a regular file (it cannot be read twice).
fn input_digest(path: &Path) -> Result<Option<String>, BatchError> {
    use md5::{Digest, Md5};
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(io_error("cannot read", path))?;
    if !file
        .metadata()
        .map_err(io_error("cannot read", path))?
        .is_file()
    {
        return Ok(None);
    }
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(io_error("cannot read", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(Some(hex::encode(hasher.finalize())))
}

/// What to do with what an earlier run left at OUT and its journal.
fn decide_start(journal_path: &Path, header: &Header, job: &Job) -> Result<Start, BatchError> {
    let out = &job.out;
    let state = if journal_path.exists() {
        Some(journal::state(journal_path).map_err(|e| BatchError(e.0))?)
    } else {
        None
    };
    let start_over = |what: &str| -> Result<Start, BatchError> {
        let rows = super::input::count_rows(&job.input, job.encoding)
            .map(|n| format!("up to {n} rows"))
            .unwrap_or_else(|| "every row".to_string());
        eprintln!(
            "--force: starting over; {what} is replaced and {rows} will be sent (and billed) \
             again"
        );
        for path in [journal_path, out.as_path()] {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error("cannot remove", path)(e)),
            }
        }
        Ok(Start::Fresh)
    };
    match state {
        Some(journal::JobState::Complete(previous, summary)) => {
            if job.force {
                start_over(&format!("the finished job in {}", out.display()))
            } else if same_job(&previous, header) && out.exists() {
                Ok(Start::Complete(summary))
            } else {
                Err(BatchError(format!(
                    "{} holds the results of a finished job with another input or check; \
                     nothing was sent. Choose another --out, or add --force to start over \
                     (every row is sent and billed again)",
                    out.display()
                )))
            }
        }
        Some(journal::JobState::Empty) => {
            // A start that died before sending anything: no job. OUT, if there, was made by
            // that start (it is created only after the journal).
            for path in [journal_path, out.as_path()] {
                let _ = std::fs::remove_file(path);
            }
            Ok(Start::Fresh)
        }
        Some(journal::JobState::Unfinished) if job.resume => Ok(Start::Resume),
        Some(journal::JobState::Unfinished) if job.force => {
            start_over(&format!("the unfinished job in {}", out.display()))
        }
        Some(journal::JobState::Unfinished) => Err(BatchError(format!(
            "{} holds an unfinished job: add --resume to finish it (rows already answered are \
             not paid for twice), or --force to start over (every row is sent and billed \
             again)",
            journal_path.display()
        ))),
        None if out.exists() && job.force => start_over(&out.display().to_string()),
        None if out.exists() && job.resume => Err(BatchError(format!(
            "nothing to resume: {} exists without a journal, so it is not a job of this \
             command; choose another --out, or --force to replace it",
            out.display()
        ))),
        None if out.exists() => Err(BatchError(format!(
            "{} exists; shiming never overwrites a file: choose another --out, or add --force \
             to replace it (every row is sent and billed again)",
            out.display()
        ))),
        None => Ok(Start::Fresh),
    }
}

/// The same job: same check, output format, input columns and input bytes, same mode.
fn same_job(previous: &Header, now: &Header) -> bool {
    previous.check == now.check
        && previous.format == now.format
        && previous.columns == now.columns
        && previous.input_digest.is_some()
        && previous.input_digest == now.input_digest
        && previous.sandbox == now.sandbox
}

/// The job header (the journal's first line), read before replaying the rest.
fn first_line_header(path: &Path) -> Result<Header, BatchError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(io_error("cannot read", path))?;
    let mut line = String::new();
    std::io::BufReader::new(file)
        .read_line(&mut line)
        .map_err(io_error("cannot read", path))?;
    #[derive(serde::Deserialize)]
    struct Tagged {
        #[serde(flatten)]
        header: Header,
    }
    serde_json::from_str::<Tagged>(&line)
        .map(|t| t.header)
        .map_err(|e| {
            BatchError(format!(
                "journal {} has no valid header: {e}",
                path.display()
            ))
        })
}

fn check_same_job(previous: &Header, now: &Header, job: &Job) -> Result<(), BatchError> {
    let mismatch = |what: &str| {
        Err(BatchError(format!(
            "cannot resume: the journal {} was written for a different {what}; run the \
             original command with --resume, or delete the journal to start over",
            journal::path_for(&job.out).display()
        )))
    };
    if previous.check != now.check {
        return mismatch("--check");
    }
    if previous.format != now.format {
        return mismatch("output format");
    }
    if previous.input_digest.is_none() {
        return Err(BatchError(format!(
            "cannot resume: the input was not a regular file, so shiming cannot tell whether \
             it changed; add --force to start over (every row is sent and billed again), or \
             delete {}",
            journal::path_for(&job.out).display()
        )));
    }
    if previous.columns != now.columns || previous.input_digest != now.input_digest {
        return Err(BatchError(
            "cannot resume: the input file changed since the job started (or is another \
             file); rows added, removed or edited would be skipped or checked twice. Restore \
             it, or add --force to start over (every row is sent and billed again)"
                .to_string(),
        ));
    }
    if previous.sandbox != now.sandbox {
        return mismatch("account (sandbox and real answers never mix)");
    }
    Ok(())
}
