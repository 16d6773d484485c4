//! Handing rows out: offline refusals and duplicates answered at once, the rest sent with
//! bounded concurrency and a QPS cap.

use super::job::{BatchError, Engine, Job};
use super::sink::{Finished, Sink};
use crate::batch::bucket::TokenBucket;
use crate::batch::checker::RowChecker;
use crate::batch::dedup::Fingerprint;
use crate::batch::input::{CheckInput, InputRow};
use crate::batch::journal::{self};
use crate::batch::record::{Origin, RowResult};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

impl Engine {
    /// Hands rows out until the input ends or something asks to stop. Returns whether the
    /// input was read to its end.
    pub(crate) async fn dispatch(
        &self,
        job: &Job,
        mut rows: tokio::sync::mpsc::Receiver<Result<Vec<InputRow>, String>>,
        columns: &crate::batch::input::Columns,
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
pub(crate) struct SendTask {
    pub(crate) row: u64,
    pub(crate) values: Vec<String>,
    pub(crate) input: CheckInput,
    pub(crate) fp: Fingerprint,
    pub(crate) resent: bool,
    pub(crate) checker: Arc<dyn RowChecker>,
    pub(crate) bucket: Option<Arc<TokenBucket>>,
    pub(crate) sink: Arc<Mutex<Sink>>,
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) interrupt: Arc<AtomicBool>,
}

impl SendTask {
    pub(crate) async fn run(self, sending: Arc<Semaphore>, window: OwnedSemaphorePermit) {
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

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Sink> {
        self.sink.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) async fn send_and_record(&self) {
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
