//! Rows, one at a time, from a CSV or JSON-lines source.
//!
//! Rows are numbered from 1 in file order, the header excluded (blank JSON lines are not rows).

use crate::columns::Columns;
use crate::fields::Field;
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// The input's text encoding (`--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum InputEncoding {
    /// UTF-8, with or without a byte-order mark (UTF-16 with a BOM is also understood).
    Utf8,
    /// GBK / GB18030, as Excel on Chinese Windows saves "CSV".
    Gbk,
}

/// One input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRow {
    /// 1-based data row number.
    pub row: u64,
    /// The values, one per column (missing trailing values empty).
    pub values: Vec<String>,
    /// Why the row could not be read, when it could not.
    pub unreadable: Option<String>,
}

/// The input as a whole cannot be used (missing, no header, wrong columns, an I/O error).
///
/// The message says what is wrong and, where it helps, what to try; it never quotes a row's
/// values (they are personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    message: String,
}

impl InputError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

type Source = Box<dyn Read + Send>;

enum Format {
    Csv(csv::Reader<Source>, csv::ByteRecord),
    Jsonl(BufReader<Source>, Vec<u8>),
}

/// Reads rows one at a time.
pub struct RowReader {
    format: Format,
    columns: Columns,
    next_row: u64,
    /// The input started with a byte-order mark or is GBK: an Excel user's file.
    pub excel_flavoured: bool,
}

impl RowReader {
    /// Opens `path`; JSON lines when its first non-blank character is `{`, else CSV.
    pub fn open(path: &Path, encoding: InputEncoding) -> Result<Self, InputError> {
        let file = File::open(path)
            .map_err(|e| InputError::new(format!("cannot read {}: {e}", path.display())))?;
        Self::start(Box::new(file), encoding, &|e| {
            InputError::new(format!("cannot read {}: {e}", path.display()))
        })
    }

    /// Reads from any byte source, as [`RowReader::open`] reads a file.
    pub fn from_reader(
        source: impl Read + Send + 'static,
        encoding: InputEncoding,
    ) -> Result<Self, InputError> {
        Self::start(Box::new(source), encoding, &|e| {
            InputError::new(format!("cannot read the input: {e}"))
        })
    }

    fn start(
        mut raw: Source,
        encoding: InputEncoding,
        cannot: &dyn Fn(std::io::Error) -> InputError,
    ) -> Result<Self, InputError> {
        // Look at the first bytes for a byte-order mark (an Excel user's file), then put them
        // back in front of the rest.
        let mut head = [0u8; 4];
        let n = read_up_to(&mut raw, &mut head).map_err(cannot)?;
        let has_bom = head[..n].starts_with(b"\xef\xbb\xbf")
            || head[..n].starts_with(b"\xff\xfe")
            || head[..n].starts_with(b"\xfe\xff");
        let rejoined = Cursor::new(head).take(n as u64).chain(raw);
        let mut builder = DecodeReaderBytesBuilder::new();
        builder.strip_bom(true);
        match encoding {
            // Pass UTF-8 through unchanged (the BOM still selects UTF-16): invalid bytes must
            // surface as an error, not be silently replaced, or a GBK file read as UTF-8 would
            // send garbled names to a paid check.
            InputEncoding::Utf8 => builder.utf8_passthru(true),
            InputEncoding::Gbk => builder.encoding(Some(encoding_rs::GBK)),
        };
        let (first, rest) = skip_blank(Box::new(builder.build(rejoined))).map_err(cannot)?;
        let reader = BufReader::with_capacity(64 * 1024, rest);
        let excel_flavoured = has_bom || encoding == InputEncoding::Gbk;
        let source: Source = Box::new(reader);
        if first == Some(b'{') {
            Ok(Self::open_jsonl(source, excel_flavoured))
        } else {
            Self::open_csv(source, excel_flavoured)
        }
    }

    fn open_csv(source: Source, excel_flavoured: bool) -> Result<Self, InputError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(source);
        let header = csv
            .byte_headers()
            .map_err(|e| InputError::new(format!("cannot read the header row: {e}")))?
            .clone();
        let mut names = Vec::with_capacity(header.len());
        for cell in header.iter() {
            let text = std::str::from_utf8(cell).map_err(|_| {
                InputError::new(
                    "the header row is not valid UTF-8; if this is an Excel export, try \
                     --encoding gbk",
                )
            })?;
            names.push(text.trim().to_string());
        }
        if names.iter().all(|n| n.is_empty()) {
            return Err(InputError::new("the input is empty (no header row)"));
        }
        Ok(RowReader {
            format: Format::Csv(csv, csv::ByteRecord::new()),
            columns: Columns::new(names),
            next_row: 1,
            excel_flavoured,
        })
    }

    fn open_jsonl(source: Source, excel_flavoured: bool) -> Self {
        // JSON objects carry their own keys; the columns are the three the checks know,
        // in a fixed order, so every output row has the same shape. Other keys are dropped.
        let names = Field::ALL.iter().map(|f| f.as_str().to_string()).collect();
        RowReader {
            format: Format::Jsonl(BufReader::new(source), Vec::new()),
            columns: Columns::new(names),
            next_row: 1,
            excel_flavoured,
        }
    }

    /// The columns (CSV header, or the fixed JSON-lines keys).
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The next row, `Ok(None)` at the end; `Err` only when reading itself fails (I/O).
    pub fn next_row(&mut self) -> Result<Option<InputRow>, InputError> {
        let width = self.columns.names.len();
        let row = self.next_row;
        let outcome = match &mut self.format {
            Format::Csv(reader, record) => match reader.read_byte_record(record) {
                Ok(false) => return Ok(None),
                Ok(true) => Some(csv_values(record, width)),
                Err(e) if e.is_io_error() => {
                    return Err(InputError::new(format!("reading row {row}: {e}")));
                }
                Err(e) => Some(Err(format!("malformed CSV: {e}"))),
            },
            Format::Jsonl(reader, line) => loop {
                line.clear();
                match reader.read_until(b'\n', line) {
                    Ok(0) => return Ok(None),
                    Ok(_) if line.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(_) => break Some(jsonl_values(line)),
                    Err(e) => return Err(InputError::new(format!("reading row {row}: {e}"))),
                }
            },
        };
        self.next_row += 1;
        Ok(outcome.map(|values| match values {
            Ok(values) => InputRow {
                row,
                values,
                unreadable: None,
            },
            Err(reason) => InputRow {
                row,
                values: vec![String::new(); width],
                unreadable: Some(reason),
            },
        }))
    }
}

fn csv_values(record: &csv::ByteRecord, width: usize) -> Result<Vec<String>, String> {
    let mut values = Vec::with_capacity(width);
    for cell in record.iter().take(width) {
        match std::str::from_utf8(cell) {
            Ok(text) => values.push(text.to_string()),
            Err(_) => {
                return Err("not valid UTF-8 (an Excel export? try --encoding gbk)".to_string());
            }
        }
    }
    values.resize(width, String::new());
    Ok(values)
}

fn jsonl_values(line: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(line)
        .map_err(|_| "not valid UTF-8 (try --encoding gbk)".to_string())?;
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| not_an_object(&e))?;
    let get = |field: Field| -> Result<String, String> {
        let value = object
            .iter()
            .find(|(k, _)| field.matches_header(k))
            .map(|(_, v)| v);
        match value {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            // Spreadsheets and scripts often emit mobile numbers as JSON numbers.
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            Some(other) => Err(format!(
                "`{}` must be a string, not {}",
                field.as_str(),
                match other {
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                }
            )),
        }
    };
    Ok(vec![
        get(Field::Name)?,
        get(Field::Mobile)?,
        get(Field::IdNumber)?,
    ])
}

/// Why a line is not a JSON object, in our own words: serde_json's messages quote the
/// offending value (`invalid type: string "13800138000"`), and that may be a person's number.
fn not_an_object(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Syntax => "a syntax error",
        Category::Eof => "cut short",
        Category::Data => "a JSON value that is not an object",
        Category::Io => "an I/O error",
    };
    format!("not a JSON object: {what} at column {}", error.column())
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// A UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads past what comes before the first real character — ASCII whitespace and stray
/// byte-order marks, in any number and order — and returns that character's first byte with
/// a source that starts at it.
///
/// Blank lines (a line of tabs) before the header are neither a header nor a row, and a
/// header cell's own leading spaces would be trimmed anyway. Deciding this on whatever the
/// source's reads happened to return made the header depend on read sizes (fuzzing finding
/// B2); so did a byte-order mark after such whitespace, which the CSV parser strips only when
/// all three of its bytes arrive in its first buffer (finding B3). Here the decision waits
/// for enough bytes: nothing is dropped that is not whitespace or a whole mark.
fn skip_blank(mut source: Source) -> std::io::Result<(Option<u8>, Source)> {
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        // Drop everything droppable at the front (each byte once: what is left is short).
        loop {
            let blank = pending
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            pending.drain(..blank);
            if !pending.starts_with(BOM) {
                break;
            }
            pending.drain(..BOM.len());
        }
        // Decided unless what is left could still be the start of a mark.
        let undecided = !pending.is_empty() && BOM.starts_with(&pending);
        if !pending.is_empty() && !undecided {
            return Ok((
                pending.first().copied(),
                Box::new(Cursor::new(pending).chain(source)),
            ));
        }
        let n = match source.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            // The end: a partial mark stays as data (it is not a mark).
            return Ok((
                pending.first().copied(),
                Box::new(Cursor::new(pending).chain(source)),
            ));
        }
        pending.extend_from_slice(&chunk[..n]);
    }
}

/// Counts the rows of `path` (for the progress bar's ETA), reading it once more.
pub fn count_rows(path: &Path, encoding: InputEncoding) -> Option<u64> {
    let mut reader = RowReader::open(path, encoding).ok()?;
    let mut n = 0;
    while let Ok(Some(_)) = reader.next_row() {
        n += 1;
    }
    Some(n)
}
