//! How a run begins: what an earlier run left at OUT and in its journal, and whether this is
//! the same job (same check, format, columns, input bytes and mode).

use super::job::{BatchError, Job, io_error};
use crate::batch::journal::{self, Header};
use std::path::Path;

/// How a run begins, decided from what is on disk and the flags.
pub(crate) enum Start {
    /// A new job (anything old was removed by `--force` or was no job at all).
    Fresh,
    /// Finish the unfinished job in the journal, whose header this is.
    Resume(Header),
    /// The job completed before; its summary.
    Complete(serde_json::Value),
}

/// MD5 of the whole input, so `--resume` notices any change, a row deleted far down
/// included. `None` for an input that is not a regular file (it cannot be read twice).
pub(crate) fn input_digest(path: &Path) -> Result<Option<String>, BatchError> {
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
pub(crate) fn decide_start(
    journal_path: &Path,
    header: &Header,
    job: &Job,
) -> Result<Start, BatchError> {
    let out = &job.out;
    let state = if journal_path.exists() {
        Some(journal::state(journal_path).map_err(|e| BatchError(e.0))?)
    } else {
        None
    };
    let start_over = |what: &str| -> Result<Start, BatchError> {
        let rows = crate::batch::input::count_rows_with(&job.input, &job.read)
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
            } else if check_same_job(&previous, header, job).is_ok() && out.exists() {
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
        Some(journal::JobState::Unfinished(previous)) if job.resume => Ok(Start::Resume(previous)),
        Some(journal::JobState::Unfinished(_)) if job.force => {
            start_over(&format!("the unfinished job in {}", out.display()))
        }
        Some(journal::JobState::Unfinished(_)) => Err(BatchError(format!(
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

/// The same job: same check, output format, input bytes and columns, sheet and column
/// choice, same mode (sandbox or real). The one list of what makes a job, for a finished job
/// run again and for `--resume`; the error says what differs.
pub(crate) fn check_same_job(previous: &Header, now: &Header, job: &Job) -> Result<(), BatchError> {
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
    if previous.sheet != now.sheet || previous.column_choice != now.column_choice {
        return mismatch("--sheet or --columns");
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
