//! Reading the input on a thread of its own.

use crate::batch::input::{InputRow, RowReader};
use crate::batch::journal::RowSet;

/// Rows per message from the reader thread. Handing rows over one by one woke one thread or
/// the other for every row (a futex wake and a context switch each, about a fifth of the
/// batch's CPU at zero latency); chunks make that once per this many rows.
pub(crate) const READ_CHUNK: usize = 64;

/// Reads the input on its own thread (file reading and parsing block), skipping rows an
/// earlier run finished, and hands them over in chunks of [`READ_CHUNK`]. The channel is
/// bounded, so the reader waits for the dispatcher and at most about a thousand rows are
/// read ahead.
pub(crate) fn spawn_reader(
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
