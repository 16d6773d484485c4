//! Writes the output file from the journal, rows in input order, when a run ends.
//!
//! The journal holds rows in the order they finished, across every run of a job; the output
//! a person opens wants them in the order of the input. So at the end of each run (complete
//! or not) the output is written afresh: one pass over the journal notes where each row's
//! last finished record starts, in an index kept in a temporary file (8 bytes a row, on
//! disk, so memory stays flat however long the input), and a second pass reads the records
//! in row order. The last record of a row wins: a row whose failure cost nothing and that a
//! `--resume` sent again has its later answer there. The file is written under a temporary
//! name and renamed into place, so OUT is always a whole file.

use super::journal;
use super::output::{OutputFormat, OutputWriter};
use super::record::BatchCheck;
use std::fs::File;
use std::path::Path;

/// Writes `out` from `journal_path`; returns the number of rows written.
pub(crate) fn render(
    journal_path: &Path,
    out: &Path,
    format: OutputFormat,
    columns: &[String],
    check: BatchCheck,
    bom: bool,
) -> std::io::Result<u64> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    // The index holds offsets only (no personal data), beside the output.
    let index = tempfile::tempfile_in(&dir)?;
    let mut last_row = 0u64;
    journal::scan_done(journal_path, |row, offset| {
        last_row = last_row.max(row);
        // offset + 1, so that 0 (a hole in the sparse file) means "no record".
        write_at(&index, &(offset + 1).to_le_bytes(), row * 8)
    })?;

    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".writing-{}", std::process::id()));
    let temporary = out.with_file_name(name);
    let written = (|| {
        let journal_file = File::open(journal_path)?;
        let mut writer = OutputWriter::create(&temporary, format, columns, check, bom)?;
        let mut rows = 0;
        let mut slot = [0u8; 8];
        for row in 1..=last_row {
            if read_exact_at(&index, &mut slot, row * 8)? && slot != [0; 8] {
                let offset = u64::from_le_bytes(slot) - 1;
                let done = journal::read_done_at(&journal_file, offset)?;
                writer.write(done.row, &done.values, &done.result)?;
                rows += 1;
            }
        }
        writer.finish()?;
        std::fs::rename(&temporary, out)?;
        Ok(rows)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, offset)?;
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Fills `buf` from `offset`; false when the file ends first (a row past the last write).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<bool> {
    match std::os::unix::fs::FileExt::read_exact_at(file, buf, offset) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(windows)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<bool> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Ok(false);
        }
        done += n;
    }
    Ok(true)
}
