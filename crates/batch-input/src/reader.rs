//! Rows, one at a time, from a CSV, TSV or JSON-lines source or a spreadsheet's sheet.
//!
//! Rows are numbered from 1 in file order, the header excluded (blank lines and empty
//! spreadsheet rows are not rows).

use crate::column_map::ColumnMap;
use crate::columns::{Columns, shown};
use crate::explain::explain_number_cell;
use crate::fields::{Field, same_header};
use crate::input::{InputError, InputKind};
use crate::limits::{MAX_COLUMNS, MAX_LEADING_BLANK_BYTES, MAX_RECORD_BYTES};
use crate::sheet::{SheetRows, Workbook};
use crate::source::{
    Bounded, Budget, SNIFF_BYTES, Sniffed, Source, Start, Utf16ToUtf8, peek_line, read_up_to,
    skip_blank, sniff,
};
use crate::text::TextEncoding;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// The input's text encoding (`--encoding`). A byte-order mark overrides it: UTF-8 or UTF-16
/// with a mark is read as such whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum InputEncoding {
    /// UTF-8, with or without a byte-order mark (UTF-16 with a BOM is also understood).
    #[default]
    Utf8,
    /// GBK / GB18030, as Excel on Chinese Windows saves "CSV".
    Gbk,
}

/// How to read an input: `--encoding`, `--sheet`, `--columns`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Text encoding when the file has no byte-order mark.
    pub encoding: InputEncoding,
    /// The sheet of a workbook to read (its name); the first sheet when `None`. Text
    /// inputs ignore it.
    pub sheet: Option<String>,
    /// Columns chosen by the user for headers the built-in names do not cover.
    pub columns: ColumnMap,
}

impl ReadOptions {
    /// Options with `encoding` and nothing else chosen.
    pub fn with_encoding(encoding: InputEncoding) -> Self {
        ReadOptions {
            encoding,
            ..ReadOptions::default()
        }
    }
}

/// One input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRow {
    /// 1-based data row number.
    pub row: u64,
    /// The values, one per column (missing trailing values empty).
    pub values: Vec<String>,
    /// Why the row could not be read, when it could not (then every value is empty).
    pub unreadable: Option<String>,
}

/// The CSV parser's buffer. [`Bounded`] lets it pull at most [`MAX_RECORD_BYTES`] plus two
/// of these per record, so a record without end stops there.
const CSV_BUFFER: usize = 8 * 1024;

enum Format {
    Delimited {
        reader: csv::Reader<Bounded>,
        record: csv::ByteRecord,
        budget: Budget,
    },
    Jsonl {
        reader: BufReader<Source>,
        line: Vec<u8>,
        map: ColumnMap,
    },
    Sheet(SheetRows),
}

/// Reads rows one at a time.
pub struct RowReader {
    format: Format,
    kind: InputKind,
    text: TextEncoding,
    columns: Columns,
    next_row: u64,
    /// The input is a workbook, started with a byte-order mark, or is GBK: an Excel user's
    /// file.
    pub excel_flavoured: bool,
}

/// A record that could not be read whole.
enum RecordError {
    TooLong,
    Io(String),
}

impl RowReader {
    /// Opens `path`, guessing nothing from its name: a workbook when its first bytes say so,
    /// else JSON lines when its first non-blank character is `{`, else CSV (TSV when the
    /// header line has more tabs than commas).
    pub fn open(path: &Path, encoding: InputEncoding) -> Result<Self, InputError> {
        Self::open_with(path, &ReadOptions::with_encoding(encoding))
    }

    /// [`RowReader::open`] with every option.
    pub fn open_with(path: &Path, options: &ReadOptions) -> Result<Self, InputError> {
        let cannot =
            |e: std::io::Error| InputError::new(format!("cannot read {}: {e}", path.display()));
        let file = File::open(path).map_err(cannot)?;
        let reader = Self::start(Box::new(file), options, &cannot)?;
        let named_workbook = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .filter(|e| matches!(e.as_str(), "xlsx" | "xlsm" | "xls" | "ods"));
        if let Some(extension) = named_workbook
            && !matches!(
                reader.kind,
                InputKind::Xlsx | InputKind::Xls | InputKind::Ods
            )
        {
            return Err(InputError::new(format!(
                "{} is named .{extension} but is not a workbook (its first bytes are not a \
                 zip or OLE signature); save it again from the spreadsheet, or rename it if \
                 it is text",
                path.display()
            )));
        }
        Ok(reader)
    }

    /// Reads from any byte source, as [`RowReader::open`] reads a file.
    pub fn from_reader(
        source: impl Read + Send + 'static,
        encoding: InputEncoding,
    ) -> Result<Self, InputError> {
        Self::from_reader_with(source, &ReadOptions::with_encoding(encoding))
    }

    /// [`RowReader::from_reader`] with every option.
    pub fn from_reader_with(
        source: impl Read + Send + 'static,
        options: &ReadOptions,
    ) -> Result<Self, InputError> {
        Self::start(Box::new(source), options, &|e| {
            InputError::new(format!("cannot read the input: {e}"))
        })
    }

    fn start(
        mut raw: Source,
        options: &ReadOptions,
        cannot: &dyn Fn(std::io::Error) -> InputError,
    ) -> Result<Self, InputError> {
        let mut head = vec![0u8; SNIFF_BYTES];
        let n = read_up_to(&mut raw, &mut head).map_err(cannot)?;
        head.truncate(n);
        let sniffed = sniff(&head);
        let (text, source, excel_flavoured): (TextEncoding, Source, bool) = match sniffed {
            Sniffed::Xlsx | Sniffed::Xls | Sniffed::Ods => {
                let rejoined = Cursor::new(head).chain(raw);
                let workbook = Workbook::load(rejoined, sniffed, cannot)?;
                return Self::open_sheet(workbook, options);
            }
            Sniffed::Utf16 { big_endian } => {
                let rest: Source = Box::new(Cursor::new(head.split_off(2)).chain(raw));
                (
                    TextEncoding::Utf16,
                    Box::new(Utf16ToUtf8::new(rest, big_endian)),
                    true,
                )
            }
            Sniffed::Text { utf8_bom } => {
                let text = match (utf8_bom, options.encoding) {
                    (true, _) | (false, InputEncoding::Utf8) => TextEncoding::Utf8,
                    (false, InputEncoding::Gbk) => TextEncoding::Gbk,
                };
                let excel = utf8_bom || text == TextEncoding::Gbk;
                (text, Box::new(Cursor::new(head).chain(raw)), excel)
            }
        };
        let (first, source) = match skip_blank(source).map_err(cannot)? {
            Start::At(first, source) => (first, source),
            Start::Empty => return Err(InputError::new("the input is empty (no header row)")),
            Start::TooManyBlanks => {
                return Err(InputError::new(format!(
                    "the input starts with more than {} KiB of blank lines and no header",
                    MAX_LEADING_BLANK_BYTES / 1024
                )));
            }
        };
        if first == b'{' {
            return Ok(Self::open_jsonl(source, text, excel_flavoured, options));
        }
        let (line, source) = peek_line(source).map_err(cannot)?;
        let tabs = line.iter().filter(|b| **b == b'\t').count();
        let commas = line.iter().filter(|b| **b == b',').count();
        let kind = if tabs > commas {
            InputKind::Tsv
        } else {
            InputKind::Csv
        };
        Self::open_delimited(source, kind, text, excel_flavoured, options)
    }

    fn open_delimited(
        source: Source,
        kind: InputKind,
        text: TextEncoding,
        excel_flavoured: bool,
        options: &ReadOptions,
    ) -> Result<Self, InputError> {
        let budget = Budget::default();
        let bounded = Bounded::new(source, budget.clone(), MAX_RECORD_BYTES + 2 * CSV_BUFFER);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(if kind == InputKind::Tsv { b'\t' } else { b',' })
            .buffer_capacity(CSV_BUFFER)
            .from_reader(bounded);
        let mut header = csv::ByteRecord::new();
        match read_record(&mut reader, &mut header, &budget) {
            Ok(true) => {}
            Ok(false) => return Err(InputError::new("the input is empty (no header row)")),
            Err(RecordError::TooLong) => return Err(too_long("the header row")),
            Err(RecordError::Io(e)) => {
                return Err(InputError::new(format!("cannot read the header row: {e}")));
            }
        }
        if header.len() > MAX_COLUMNS {
            return Err(InputError::new(format!(
                "the header row has {} columns; at most {MAX_COLUMNS} are read",
                header.len()
            )));
        }
        let mut names = Vec::with_capacity(header.len());
        for cell in header.iter() {
            let cell = text
                .decode(cell)
                .ok_or_else(|| InputError::new(text.header_reason()))?;
            names.push(cell.trim().to_string());
        }
        if names.iter().all(|n| n.is_empty()) {
            return Err(InputError::new("the input is empty (no header row)"));
        }
        Ok(RowReader {
            format: Format::Delimited {
                reader,
                record: csv::ByteRecord::new(),
                budget,
            },
            kind,
            text,
            columns: Columns::with_map(names, &options.columns),
            next_row: 1,
            excel_flavoured,
        })
    }

    fn open_jsonl(
        source: Source,
        text: TextEncoding,
        excel_flavoured: bool,
        options: &ReadOptions,
    ) -> Self {
        // JSON objects carry their own keys; the columns are the three the checks know,
        // in a fixed order, so every output row has the same shape. Other keys are dropped.
        let names = Field::ALL.iter().map(|f| f.as_str().to_string()).collect();
        RowReader {
            format: Format::Jsonl {
                reader: BufReader::new(source),
                line: Vec::new(),
                map: options.columns.clone(),
            },
            kind: InputKind::JsonLines,
            text,
            columns: Columns::new(names),
            next_row: 1,
            excel_flavoured,
        }
    }

    fn open_sheet(workbook: Workbook, options: &ReadOptions) -> Result<Self, InputError> {
        let kind = workbook.kind();
        let (names, rows) = workbook.into_rows(options.sheet.as_deref())?;
        if names.len() > MAX_COLUMNS {
            return Err(InputError::new(format!(
                "the header row has {} columns; at most {MAX_COLUMNS} are read",
                names.len()
            )));
        }
        Ok(RowReader {
            format: Format::Sheet(rows),
            kind,
            text: TextEncoding::Utf8,
            columns: Columns::with_map(names, &options.columns),
            next_row: 1,
            excel_flavoured: true,
        })
    }

    /// The columns (header, or the fixed JSON-lines keys).
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// What kind of input this is.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// The next row, `Ok(None)` at the end; `Err` when reading itself fails (I/O) or a
    /// record is longer than [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES).
    pub fn next_row(&mut self) -> Result<Option<InputRow>, InputError> {
        let width = self.columns.names.len();
        let row = self.next_row;
        let text = self.text;
        let outcome = match &mut self.format {
            Format::Delimited {
                reader,
                record,
                budget,
            } => match read_record(reader, record, budget) {
                Ok(false) => return Ok(None),
                Ok(true) => delimited_values(record, width, text),
                Err(RecordError::TooLong) => return Err(too_long(&format!("row {row}"))),
                Err(RecordError::Io(e)) => {
                    return Err(InputError::new(format!("reading row {row}: {e}")));
                }
            },
            Format::Jsonl { reader, line, map } => loop {
                line.clear();
                let read = reader
                    .by_ref()
                    .take(MAX_RECORD_BYTES as u64 + 1)
                    .read_until(b'\n', line);
                match read {
                    Ok(0) => return Ok(None),
                    Ok(n) if n > MAX_RECORD_BYTES => {
                        return Err(too_long(&format!("row {row}")));
                    }
                    Ok(_) if line.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(_) => break jsonl_values(line, text, map),
                    Err(e) => return Err(InputError::new(format!("reading row {row}: {e}"))),
                }
            },
            Format::Sheet(rows) => match rows.next_row(&self.columns) {
                None => return Ok(None),
                Some(values) => values,
            },
        };
        self.next_row += 1;
        let outcome = outcome.and_then(|values| match damaged_field(&self.columns, &values) {
            Some(reason) => Err(reason),
            None => Ok(values),
        });
        Ok(Some(match outcome {
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

/// Reads one record, refusing one longer than [`MAX_RECORD_BYTES`] (its line end included)
/// after reading at most a little more than that.
fn read_record(
    reader: &mut csv::Reader<Bounded>,
    record: &mut csv::ByteRecord,
    budget: &Budget,
) -> Result<bool, RecordError> {
    budget.mark();
    let start = reader.position().byte();
    match reader.read_byte_record(record) {
        Ok(false) => Ok(false),
        Ok(true) => {
            let length = reader.position().byte().saturating_sub(start);
            if length > MAX_RECORD_BYTES as u64 {
                Err(RecordError::TooLong)
            } else {
                Ok(true)
            }
        }
        Err(_) if budget.exceeded() => Err(RecordError::TooLong),
        Err(e) => Err(RecordError::Io(e.to_string())),
    }
}

fn too_long(what: &str) -> InputError {
    InputError::new(format!(
        "{what} is longer than {} KiB, the most a row may be; is this really a batch file?",
        MAX_RECORD_BYTES / 1024
    ))
}

fn delimited_values(
    record: &csv::ByteRecord,
    width: usize,
    text: TextEncoding,
) -> Result<Vec<String>, String> {
    let mut values = Vec::with_capacity(width);
    for cell in record.iter().take(width) {
        match text.decode(cell) {
            Some(cell) => values.push(cell.into_owned()),
            None => return Err(text.row_reason().to_string()),
        }
    }
    values.resize(width, String::new());
    Ok(values)
}

/// A mobile or ID number cell that a spreadsheet has already damaged, explained.
fn damaged_field(columns: &Columns, values: &[String]) -> Option<String> {
    [Field::Mobile, Field::IdNumber]
        .into_iter()
        .find_map(|field| {
            let value = values.get(columns.index(field)?)?;
            explain_number_cell(value).map(|why| format!("{}: {why}", field.as_str()))
        })
}

/// A JSON object's entries in order, repeated keys kept (serde_json's map keeps the last).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

fn jsonl_values(line: &[u8], text: TextEncoding, map: &ColumnMap) -> Result<Vec<String>, String> {
    let line = text
        .decode(line)
        .ok_or_else(|| text.row_reason().to_string())?;
    let Entries(entries) = serde_json::from_str(&line).map_err(|e| not_an_object(&e))?;
    let get = |field: Field| -> Result<String, String> {
        let matching: Vec<&(String, serde_json::Value)> = entries
            .iter()
            .filter(|(k, _)| match map.get(field) {
                Some(chosen) => same_header(chosen, k),
                None => field.matches_header(k),
            })
            .collect();
        let value = match matching.as_slice() {
            [] => None,
            [(_, value)] => Some(value),
            several => {
                let keys: Vec<String> = several
                    .iter()
                    .map(|(k, _)| format!("`{}`", shown(k)))
                    .collect();
                return Err(format!(
                    "the keys {} all give the {}; keep one",
                    keys.join(", "),
                    field.as_str()
                ));
            }
        };
        match value {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            // Spreadsheets and scripts often emit mobile numbers as JSON numbers; a whole
            // number is exact, a fraction or exponent is not a mobile or ID number.
            Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
            Some(other) => Err(format!(
                "`{}` must be a string, not {}",
                field.as_str(),
                match other {
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Array(_) => "an array",
                    serde_json::Value::Number(_) => "a number with a fraction or exponent",
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

/// Counts the rows of `path` (for the progress bar's ETA), reading it once more.
pub fn count_rows(path: &Path, encoding: InputEncoding) -> Option<u64> {
    count_rows_with(path, &ReadOptions::with_encoding(encoding))
}

/// [`count_rows`] with every option (a workbook's sheet matters).
pub fn count_rows_with(path: &Path, options: &ReadOptions) -> Option<u64> {
    let mut reader = RowReader::open_with(path, options).ok()?;
    let mut n = 0;
    while let Ok(Some(_)) = reader.next_row() {
        n += 1;
    }
    Some(n)
}
