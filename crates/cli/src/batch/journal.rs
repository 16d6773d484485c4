//! The crash-safe record of a batch: `<OUT>.journal`, one JSON object per line.
//!
//! ```text
//! {"t":"h", …job header…}                  first line: what job this is
//! {"t":"s","row":17}                        row 17 is about to be sent
//! {"t":"d","row":17,"in":[…],"res":{…}}     row 17 finished: its input and result
//! {"t":"c","summary":{…}}                   the job is complete (nothing else remains)
//! ```
//!
//! A new journal is written under a temporary name and renamed into place once its header
//! is on disk, so a start that fails (disk full) leaves no journal, and a journal with a
//! header and no row record is no job at all (nothing was sent). When the job completes,
//! the journal is replaced by its header and a completion record: the personal data goes,
//! and running the same command again says the job is complete instead of billing it again.
//!
//! Every record is one `write` on an append-only file, issued before the request ("s") and
//! after the answer ("d"). A process killed at any instant therefore leaves at most a torn
//! last line, which recovery drops. On `--resume` the output file is rebuilt from the "d"
//! records alone, so it can be neither missing a finished row nor hold one twice; rows with
//! an "s" and no "d" were in flight and may have been billed: they are sent again (counted as
//! resent) or written as unknown. The file is mode 0600: it holds personal data.

use super::output::OutputFormat;
use super::record::{BatchCheck, RowResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Journal format version; bumped on incompatible changes.
const VERSION: u32 = 2;

/// What job a journal belongs to, checked before resuming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Format version.
    pub(crate) version: u32,
    /// The check every row gets.
    pub(crate) check: BatchCheck,
    /// Input column names.
    pub(crate) columns: Vec<String>,
    /// Output format.
    pub(crate) format: OutputFormat,
    /// Whether the output starts with a UTF-8 BOM.
    #[serde(default)]
    pub(crate) bom: bool,
    /// MD5 of the whole input, to notice a changed or different input file (a row deleted
    /// anywhere would otherwise go unchecked). `None` for an input that is not a regular
    /// file (a pipe): such a job cannot be resumed.
    pub(crate) input_digest: Option<String>,
    /// The answers come from the built-in sandbox: never mixed with a real account's.
    #[serde(default)]
    pub(crate) sandbox: bool,
    /// The workbook sheet read (`--sheet`), and the columns chosen (`--columns`): the same
    /// file read another way is another job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sheet: Option<String>,
    /// `--columns`, as `field=header` pairs in field order.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) column_choice: String,
}

impl Header {
    /// A header for a new job.
    pub(crate) fn new(
        check: BatchCheck,
        columns: Vec<String>,
        format: OutputFormat,
        bom: bool,
        input_digest: Option<String>,
        sandbox: bool,
    ) -> Self {
        Header {
            version: VERSION,
            check,
            columns,
            format,
            bom,
            input_digest,
            sandbox,
            sheet: None,
            column_choice: String::new(),
        }
    }
}

/// A finished row as the journal holds it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Done {
    /// Input row number.
    pub(crate) row: u64,
    /// The row's input values.
    #[serde(rename = "in")]
    pub(crate) values: Vec<String>,
    /// Its result.
    #[serde(rename = "res")]
    pub(crate) result: RowResult,
}

#[derive(Deserialize)]
#[serde(tag = "t")]
enum Record {
    #[serde(rename = "h")]
    Header(Header),
    #[serde(rename = "s")]
    Started { row: u64 },
    #[serde(rename = "d")]
    Done(Done),
    #[serde(rename = "c")]
    Complete { summary: serde_json::Value },
}

#[derive(Serialize)]
struct CompleteOut<'a, S: Serialize> {
    t: &'static str,
    summary: &'a S,
}

#[derive(Serialize)]
struct HeaderOut<'a> {
    t: &'static str,
    #[serde(flatten)]
    header: &'a Header,
}

#[derive(Serialize)]
struct DoneOut<'a> {
    t: &'static str,
    row: u64,
    #[serde(rename = "in")]
    values: &'a [String],
    res: &'a RowResult,
}

/// The journal line of a finished row, newline included. Pure, so it can be made before
/// taking the lock that serializes writes.
pub(crate) fn done_line(
    row: u64,
    values: &[String],
    result: &RowResult,
) -> std::io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(&DoneOut {
        t: "d",
        row,
        values,
        res: result,
    })
    .map_err(std::io::Error::other)?;
    line.push(b'\n');
    Ok(line)
}

/// The journal beside `out`.
pub(crate) fn path_for(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".journal");
    out.with_file_name(name)
}

/// Why a journal cannot be used.
#[derive(Debug)]
pub(crate) struct JournalError(pub(crate) String);

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A set of row numbers as a bitmap: 1,000,000 rows take 125 KB.
#[derive(Debug, Default, Clone)]
pub(crate) struct RowSet {
    words: Vec<u64>,
    len: u64,
}

impl RowSet {
    /// Adds `row`; false when it was already there.
    pub(crate) fn insert(&mut self, row: u64) -> bool {
        let (word, bit) = ((row / 64) as usize, row % 64);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let fresh = self.words[word] & (1 << bit) == 0;
        self.words[word] |= 1 << bit;
        self.len += u64::from(fresh);
        fresh
    }

    /// Whether `row` is in the set.
    pub(crate) fn contains(&self, row: u64) -> bool {
        self.words
            .get((row / 64) as usize)
            .is_some_and(|w| w & (1 << (row % 64)) != 0)
    }

    /// How many rows.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }
}

/// What an interrupted run left behind.
#[derive(Debug)]
pub(crate) struct Recovery {
    /// The job header.
    pub(crate) header: Header,
    /// Rows already finished.
    pub(crate) done: RowSet,
    /// Rows started and never finished: in flight when the run died.
    pub(crate) in_flight: BTreeSet<u64>,
    /// Length of the journal up to its last whole line (a torn tail is cut off).
    pub(crate) valid_len: u64,
}

/// What a journal says about its job, read without replaying it.
#[derive(Debug)]
pub(crate) enum JobState {
    /// A header and no row record: nothing was ever sent.
    Empty,
    /// Rows were sent or finished, and the job is not complete; its header.
    Unfinished(Header),
    /// The job completed; its summary.
    Complete(Header, serde_json::Value),
}

/// Reads the journal's header and whether it is empty or complete (its first two lines).
pub(crate) fn state(path: &Path) -> Result<JobState, JournalError> {
    let damaged = |what: String| JournalError(format!("journal {}: {what}", path.display()));
    let file = File::open(path)
        .map_err(|e| JournalError(format!("cannot read journal {}: {e}", path.display())))?;
    let mut lines = BufReader::new(file).lines();
    let header = match lines.next() {
        Some(Ok(line)) => match serde_json::from_str::<Record>(&line) {
            Ok(Record::Header(header)) => header,
            Ok(_) => return Err(damaged("does not start with a header".into())),
            Err(e) => return Err(damaged(format!("has no valid header: {e}"))),
        },
        Some(Err(e)) => return Err(damaged(format!("cannot be read: {e}"))),
        // Torn before its header was whole: a journal is renamed into place only after its
        // header is on disk, so this one is not ours to interpret.
        None => return Err(damaged("is empty".into())),
    };
    if header.version != VERSION {
        return Err(damaged(format!(
            "has format version {}, this shiming writes {VERSION}; finish it with the              shiming that started it, or delete it to start over",
            header.version
        )));
    }
    match lines.next() {
        None => Ok(JobState::Empty),
        Some(Ok(line)) => match serde_json::from_str::<Record>(&line) {
            Ok(Record::Complete { summary }) => Ok(JobState::Complete(header, summary)),
            _ => Ok(JobState::Unfinished(header)),
        },
        Some(Err(_)) => Ok(JobState::Unfinished(header)),
    }
}

/// Replaces the journal by its header and a completion record, atomically: the rows (and
/// their personal data) go, and the job is known to be complete.
pub(crate) fn mark_complete(
    path: &Path,
    header: &Header,
    summary: &impl Serialize,
) -> std::io::Result<()> {
    let mut text =
        serde_json::to_vec(&HeaderOut { t: "h", header }).map_err(std::io::Error::other)?;
    text.push(b'\n');
    serde_json::to_writer(&mut text, &CompleteOut { t: "c", summary })
        .map_err(std::io::Error::other)?;
    text.push(b'\n');
    write_then_place(path, &text, Place::Replace)
}

/// How [`write_then_place`] puts the finished file at its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Only if nothing has the name (a hard link: atomic and never clobbers).
    IfAbsent,
    /// Over whatever has the name (a rename).
    Replace,
}

/// Writes `bytes` to a temporary file beside `path` (mode 0600), forces it to disk and
/// puts it at `path`; the temporary name is always removed.
fn write_then_place(path: &Path, bytes: &[u8], place: Place) -> std::io::Result<()> {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    let temporary = path.with_file_name(name);
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_data()?;
        match place {
            Place::IfAbsent => std::fs::hard_link(&temporary, path),
            Place::Replace => std::fs::rename(&temporary, path),
        }
    })();
    let _ = std::fs::remove_file(&temporary);
    written
}

/// Reads a journal, calling `on_done(offset, record)` for each finished row in file order,
/// where `offset` is where its line starts. The callback returns whether the row stays
/// finished: `false` puts it back to be checked again (a refusal nothing was billed for),
/// and a later record of the same row is then taken instead. Once a row is finished, later
/// records of it are ignored.
pub(crate) fn recover(
    path: &Path,
    mut on_done: impl FnMut(u64, Done) -> Result<bool, JournalError>,
) -> Result<Recovery, JournalError> {
    let file = File::open(path)
        .map_err(|e| JournalError(format!("cannot read journal {}: {e}", path.display())))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut header = None;
    let mut done = RowSet::default();
    let mut in_flight = BTreeSet::new();
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| JournalError(format!("reading journal {}: {e}", path.display())))?;
        if n == 0 || line.last() != Some(&b'\n') {
            // End, or a last line torn by a crash mid-write: it never counted.
            break;
        }
        let record: Record = serde_json::from_slice(&line).map_err(|e| {
            JournalError(format!(
                "journal {} is damaged at byte {offset}: {e}",
                path.display()
            ))
        })?;
        match record {
            Record::Header(h) if header.is_none() => {
                if h.version != VERSION {
                    return Err(JournalError(format!(
                        "journal {} has format version {}, this shiming writes {VERSION}",
                        path.display(),
                        h.version
                    )));
                }
                header = Some(h);
            }
            Record::Header(_) => {
                return Err(JournalError(format!(
                    "journal {} has a second header at byte {offset}",
                    path.display()
                )));
            }
            _ if header.is_none() => {
                return Err(JournalError(format!(
                    "journal {} does not start with a header",
                    path.display()
                )));
            }
            Record::Started { row } => {
                if !done.contains(row) {
                    in_flight.insert(row);
                }
            }
            Record::Complete { .. } => {
                return Err(JournalError(format!(
                    "journal {} records a complete job; there is nothing to resume",
                    path.display()
                )));
            }
            Record::Done(record) => {
                in_flight.remove(&record.row);
                let row = record.row;
                if !done.contains(row) && on_done(offset, record)? {
                    done.insert(row);
                }
            }
        }
        offset += n as u64;
    }
    let header = header.ok_or_else(|| {
        JournalError(format!(
            "journal {} is empty: the run died before it began; delete it and start again",
            path.display()
        ))
    })?;
    Ok(Recovery {
        header,
        done,
        in_flight,
        valid_len: offset,
    })
}

/// An open journal, appending.
#[derive(Debug)]
pub(crate) struct Journal {
    file: File,
    len: u64,
    buf: Vec<u8>,
}

impl Journal {
    /// Starts a new journal at `path`; fails if one exists (an unfinished job: the caller
    /// removes an old one only when told to). The header is written under a temporary name
    /// and linked into place once on disk, so no one ever sees a journal without a header.
    pub(crate) fn create(path: &Path, header: &Header) -> std::io::Result<Self> {
        let mut line =
            serde_json::to_vec(&HeaderOut { t: "h", header }).map_err(std::io::Error::other)?;
        line.push(b'\n');
        write_then_place(path, &line, Place::IfAbsent)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)?;
        Ok(Journal {
            file,
            len: line.len() as u64,
            buf: Vec::with_capacity(1024),
        })
    }

    /// Reopens a recovered journal for appending, cutting off any torn tail.
    pub(crate) fn reopen(path: &Path, valid_len: u64) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)?;
        file.set_len(valid_len)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(Journal {
            file,
            len: valid_len,
            buf: Vec::with_capacity(1024),
        })
    }

    /// Records that `row` is about to be sent. Must reach the file before the request does.
    pub(crate) fn started(&mut self, row: u64) -> std::io::Result<()> {
        self.buf.clear();
        writeln!(self.buf, "{{\"t\":\"s\",\"row\":{row}}}")?;
        self.write_buf().map(drop)
    }

    /// Records a finished row; returns the offset of its line (for copying duplicates).
    pub(crate) fn done(
        &mut self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<u64> {
        let line = done_line(row, values, result)?;
        self.append_line(&line)
    }

    /// Appends a line made by [`done_line`]; returns its offset.
    pub(crate) fn append_line(&mut self, line: &[u8]) -> std::io::Result<u64> {
        let offset = self.len;
        self.file.write_all(line)?;
        self.len += line.len() as u64;
        Ok(offset)
    }

    /// Reads back the finished row whose line starts at `offset`.
    pub(crate) fn read_done(&self, offset: u64) -> std::io::Result<Done> {
        read_done_at(&self.file, offset)
    }

    /// Forces the journal to disk.
    pub(crate) fn sync(&mut self) -> std::io::Result<()> {
        self.file.sync_data()
    }

    /// One `write_all` per record: the kernel has the whole line before we go on.
    fn write_buf(&mut self) -> std::io::Result<u64> {
        let buf = std::mem::take(&mut self.buf);
        let written = self.append_line(&buf);
        self.buf = buf;
        written
    }
}

/// Reads the finished row whose line starts at `offset` of a journal file.
pub(crate) fn read_done_at(file: &File, offset: u64) -> std::io::Result<Done> {
    let mut line = Vec::with_capacity(512);
    let mut chunk = [0u8; 512];
    let mut at = offset;
    loop {
        let n = read_at(file, &mut chunk, at)?;
        if n == 0 {
            return Err(std::io::Error::other("journal ends inside a record"));
        }
        if let Some(end) = chunk[..n].iter().position(|b| *b == b'\n') {
            line.extend_from_slice(&chunk[..end]);
            break;
        }
        line.extend_from_slice(&chunk[..n]);
        at += n as u64;
    }
    match serde_json::from_slice::<Record>(&line) {
        Ok(Record::Done(done)) => Ok(done),
        _ => Err(std::io::Error::other(format!(
            "journal has no finished-row record at byte {offset}"
        ))),
    }
}

/// Calls `each(row, offset)` for every finished-row record of the journal, in file order;
/// reads only the row number of each record.
pub(crate) fn scan_done(
    path: &Path,
    mut each: impl FnMut(u64, u64) -> std::io::Result<()>,
) -> std::io::Result<()> {
    #[derive(Deserialize)]
    struct Peek {
        t: String,
        #[serde(default)]
        row: u64,
    }
    let mut reader = BufReader::with_capacity(64 * 1024, File::open(path)?);
    let mut line = Vec::new();
    let mut offset = 0u64;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            return Ok(());
        }
        if let Ok(peek) = serde_json::from_slice::<Peek>(&line)
            && peek.t == "d"
        {
            each(peek.row, offset)?;
        }
        offset += n as u64;
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::Origin;

    fn header() -> Header {
        Header::new(
            BatchCheck::Mobile,
            vec!["name".into(), "mobile".into()],
            OutputFormat::Csv,
            false,
            Some("x".into()),
            false,
        )
    }

    #[test]
    fn recovers_done_and_in_flight_rows_and_drops_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.journal");
        let mut j = Journal::create(&path, &header()).unwrap();
        let result = RowResult {
            verdict: Some("match".into()),
            billed: true,
            origin: Origin::Checked,
            ..RowResult::default()
        };
        j.started(1).unwrap();
        j.started(2).unwrap();
        let off = j
            .done(1, &["张三".into(), "13800138000".into()], &result)
            .unwrap();
        j.started(3).unwrap();
        assert_eq!(j.read_done(off).unwrap().values[0], "张三");
        drop(j);
        // A crash in the middle of writing row 3's result.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"t\":\"d\",\"row\":3,\"in\":[\"a").unwrap();

        let mut seen = Vec::new();
        let rec = recover(&path, |offset, done| {
            seen.push((offset, done.row));
            Ok(true)
        })
        .unwrap();
        assert_eq!(rec.header, header());
        assert_eq!(seen, vec![(off, 1)]);
        assert!(rec.done.contains(1) && !rec.done.contains(2));
        assert_eq!(
            rec.in_flight.iter().copied().collect::<Vec<_>>(),
            vec![2, 3]
        );

        let mut j = Journal::reopen(&path, rec.valid_len).unwrap();
        j.done(2, &[], &result).unwrap();
        let rec = recover(&path, |_, _| Ok(true)).unwrap();
        assert_eq!(rec.done.len(), 2);
        assert_eq!(rec.in_flight.iter().copied().collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn a_row_put_back_takes_its_later_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let mut j = Journal::create(&path, &header()).unwrap();
        let refused = RowResult {
            error_kind: Some(crate::batch::record::RowError::Auth),
            ..RowResult::default()
        };
        let answered = RowResult {
            verdict: Some("match".into()),
            ..RowResult::default()
        };
        j.done(1, &[], &refused).unwrap();
        j.done(1, &[], &answered).unwrap();
        j.done(1, &[], &refused).unwrap();
        let mut taken = Vec::new();
        let rec = recover(&path, |_, done| {
            let keep = done.result.error_kind.is_none();
            taken.push(done.result.verdict.clone());
            Ok(keep)
        })
        .unwrap();
        assert_eq!(taken, vec![None, Some("match".to_string())]);
        assert!(rec.done.contains(1));
    }

    #[test]
    fn refuses_to_overwrite_an_unfinished_job() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        Journal::create(&path, &header()).unwrap();
        assert!(Journal::create(&path, &header()).is_err());
    }

    #[test]
    fn a_damaged_middle_is_an_error_not_silence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        drop(Journal::create(&path, &header()).unwrap());
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"garbage\n{\"t\":\"s\",\"row\":1}\n").unwrap();
        assert!(
            recover(&path, |_, _| Ok(true))
                .unwrap_err()
                .0
                .contains("damaged")
        );
    }

    #[test]
    fn row_set() {
        let mut s = RowSet::default();
        assert!(s.insert(1_000_000));
        assert!(!s.insert(1_000_000));
        assert!(s.contains(1_000_000) && !s.contains(999_999));
        assert_eq!(s.len(), 1);
    }
}
