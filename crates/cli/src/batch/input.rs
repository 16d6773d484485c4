//! Streaming input: CSV with a header row, or JSON lines, UTF-8 (BOM or not) or GBK.
//!
//! One record is held at a time, so memory stays flat whatever the file size. Rows are
//! numbered from 1 in file order, the header excluded (blank lines are not rows).
//! A record that cannot be read (bad UTF-8 in one row, a JSON line that is not an object)
//! is still a row: it comes back with the reason, so the output accounts for every row.

use super::record::{BatchCheck, CheckInput, Field};
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The input's text encoding (`--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputEncoding {
    /// UTF-8, with or without a byte-order mark (UTF-16 with a BOM is also understood).
    Utf8,
    /// GBK / GB18030, as Excel on Chinese Windows saves "CSV".
    Gbk,
}

/// The input's column names and where the fields the checks use live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    /// Column names in output order.
    pub(crate) names: Vec<String>,
    name: Option<usize>,
    mobile: Option<usize>,
    id_number: Option<usize>,
}

impl Columns {
    /// Finds the fields among `names` (English or Chinese headers).
    pub(crate) fn new(names: Vec<String>) -> Self {
        let find = |field: Field| names.iter().position(|h| field.matches_header(h));
        Columns {
            name: find(Field::Name),
            mobile: find(Field::Mobile),
            id_number: find(Field::IdNumber),
            names,
        }
    }

    fn index(&self, field: Field) -> Option<usize> {
        match field {
            Field::Name => self.name,
            Field::Mobile => self.mobile,
            Field::IdNumber => self.id_number,
        }
    }

    /// Fails naming the missing fields when the check cannot run on these columns.
    pub(crate) fn require(&self, check: BatchCheck) -> Result<(), InputError> {
        let missing: Vec<&str> = check
            .required()
            .iter()
            .filter(|f| self.index(**f).is_none())
            .map(|f| f.as_str())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(InputError(format!(
            "--check {} needs the column(s) {} (or 姓名 / 手机号 / 身份证号); the header has: {}{}",
            check.as_str(),
            missing.join(", "),
            self.names.join(", "),
            if self
                .names
                .iter()
                .any(|n| n.contains('\u{fffd}') || !n.is_ascii())
            {
                " — if this is an Excel export, try --encoding gbk"
            } else {
                ""
            }
        )))
    }

    /// The check's fields from one row's values, trimmed; `x` in ID numbers upper-cased.
    pub(crate) fn extract(&self, values: &[String]) -> CheckInput {
        let get = |field: Field| {
            self.index(field)
                .and_then(|i| values.get(i))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        CheckInput {
            name: get(Field::Name),
            mobile: get(Field::Mobile),
            id_number: get(Field::IdNumber).to_ascii_uppercase(),
        }
    }
}

/// One input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputRow {
    /// 1-based data row number.
    pub(crate) row: u64,
    /// The values, one per column (missing trailing values empty).
    pub(crate) values: Vec<String>,
    /// Why the row could not be read, when it could not.
    pub(crate) unreadable: Option<String>,
}

/// The file as a whole cannot be used (missing, no header, wrong columns…).
#[derive(Debug)]
pub(crate) struct InputError(pub(crate) String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Source = Box<dyn Read + Send>;

enum Format {
    Csv(csv::Reader<Source>, csv::ByteRecord),
    Jsonl(BufReader<Source>, Vec<u8>),
}

/// Reads rows one at a time.
pub(crate) struct RowReader {
    format: Format,
    columns: Columns,
    next_row: u64,
    /// The input started with a byte-order mark or is GBK: an Excel user's file.
    pub(crate) excel_flavoured: bool,
}

impl RowReader {
    /// Opens `path`; JSON lines when its first non-blank character is `{`, else CSV.
    pub(crate) fn open(path: &Path, encoding: InputEncoding) -> Result<Self, InputError> {
        let cannot = |e: std::io::Error| InputError(format!("cannot read {}: {e}", path.display()));
        let mut probe = File::open(path).map_err(cannot)?;
        let mut head = [0u8; 4];
        let n = read_up_to(&mut probe, &mut head).map_err(cannot)?;
        let has_bom = head[..n].starts_with(b"\xef\xbb\xbf")
            || head[..n].starts_with(b"\xff\xfe")
            || head[..n].starts_with(b"\xfe\xff");
        let file = File::open(path).map_err(cannot)?;
        let mut builder = DecodeReaderBytesBuilder::new();
        builder.strip_bom(true);
        match encoding {
            // Pass UTF-8 through unchanged (the BOM still selects UTF-16): invalid bytes must
            // surface as an error, not be silently replaced, or a GBK file read as UTF-8 would
            // send garbled names to a paid check.
            InputEncoding::Utf8 => builder.utf8_passthru(true),
            InputEncoding::Gbk => builder.encoding(Some(encoding_rs::GBK)),
        };
        let mut reader =
            BufReader::with_capacity(64 * 1024, Box::new(builder.build(file)) as Source);
        let first = first_non_blank(&mut reader).map_err(cannot)?;
        let excel_flavoured = has_bom || encoding == InputEncoding::Gbk;
        let source: Source = Box::new(reader);
        if first == Some(b'{') {
            Self::open_jsonl(source, excel_flavoured)
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
            .map_err(|e| InputError(format!("cannot read the header row: {e}")))?
            .clone();
        let mut names = Vec::with_capacity(header.len());
        for cell in header.iter() {
            let text = std::str::from_utf8(cell).map_err(|_| {
                InputError(
                    "the header row is not valid UTF-8; if this is an Excel export, try \
                     --encoding gbk"
                        .to_string(),
                )
            })?;
            names.push(text.trim().to_string());
        }
        if names.iter().all(|n| n.is_empty()) {
            return Err(InputError("the input is empty (no header row)".to_string()));
        }
        Ok(RowReader {
            format: Format::Csv(csv, csv::ByteRecord::new()),
            columns: Columns::new(names),
            next_row: 1,
            excel_flavoured,
        })
    }

    fn open_jsonl(source: Source, excel_flavoured: bool) -> Result<Self, InputError> {
        // JSON objects carry their own keys; the columns are the three the checks know,
        // in a fixed order, so every output row has the same shape. Other keys are dropped.
        let names = [Field::Name, Field::Mobile, Field::IdNumber]
            .iter()
            .map(|f| f.as_str().to_string())
            .collect();
        Ok(RowReader {
            format: Format::Jsonl(BufReader::new(source), Vec::new()),
            columns: Columns::new(names),
            next_row: 1,
            excel_flavoured,
        })
    }

    /// The columns (CSV header, or the fixed JSON-lines keys).
    pub(crate) fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The next row, `Ok(None)` at the end; `Err` only when reading itself fails (I/O).
    pub(crate) fn next_row(&mut self) -> Result<Option<InputRow>, InputError> {
        let width = self.columns.names.len();
        let row = self.next_row;
        let outcome = match &mut self.format {
            Format::Csv(reader, record) => match reader.read_byte_record(record) {
                Ok(false) => return Ok(None),
                Ok(true) => Some(csv_values(record, width)),
                Err(e) if e.is_io_error() => {
                    return Err(InputError(format!("reading row {row}: {e}")));
                }
                Err(e) => Some(Err(format!("malformed CSV: {e}"))),
            },
            Format::Jsonl(reader, line) => loop {
                line.clear();
                match reader.read_until(b'\n', line) {
                    Ok(0) => return Ok(None),
                    Ok(_) if line.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(_) => break Some(jsonl_values(line)),
                    Err(e) => return Err(InputError(format!("reading row {row}: {e}"))),
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
        serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
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

/// Peeks (without consuming) at the first non-whitespace byte after decoding.
fn first_non_blank(reader: &mut BufReader<Source>) -> std::io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Ok(Some(buf[i])),
            // Whitespace only so far: it can be dropped, it is neither a header nor a row.
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// Counts the rows of `path` (for the progress bar's ETA), reading it once more.
pub(crate) fn count_rows(path: &Path, encoding: InputEncoding) -> Option<u64> {
    let mut reader = RowReader::open(path, encoding).ok()?;
    let mut n = 0;
    while let Ok(Some(_)) = reader.next_row() {
        n += 1;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    fn all(reader: &mut RowReader) -> Vec<InputRow> {
        std::iter::from_fn(|| reader.next_row().unwrap()).collect()
    }

    #[test]
    fn csv_with_bom_and_chinese_headers() {
        let f =
            write("\u{feff}姓名,手机号,备注\n张三,13800138000,a\n李四, 13900139000 \n".as_bytes());
        let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
        assert!(r.excel_flavoured);
        r.columns().require(BatchCheck::Mobile).unwrap();
        assert!(r.columns().require(BatchCheck::Id).is_err());
        let rows = all(&mut r);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].row, 2);
        assert_eq!(rows[1].values, vec!["李四", " 13900139000 ", ""]);
        let input = r.columns().extract(&rows[1].values);
        assert_eq!(input.mobile, "13900139000");
    }

    #[test]
    fn gbk_needs_the_flag() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,身份证号\n王五,11010519491231002x\n");
        let f = write(&bytes);
        let err = RowReader::open(f.path(), InputEncoding::Utf8)
            .err()
            .unwrap();
        assert!(err.0.contains("--encoding gbk"), "{err}");
        let mut r = RowReader::open(f.path(), InputEncoding::Gbk).unwrap();
        r.columns().require(BatchCheck::Id).unwrap();
        let rows = all(&mut r);
        assert_eq!(
            r.columns().extract(&rows[0].values).id_number,
            "11010519491231002X"
        );
        assert_eq!(r.columns().extract(&rows[0].values).name, "王五");
    }

    #[test]
    fn a_bad_row_is_still_a_row() {
        let mut bytes = b"name,mobile\n".to_vec();
        bytes.extend_from_slice(b"\xd5\xc5,13800138000\nok,13900139000\n");
        let f = write(&bytes);
        let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
        let rows = all(&mut r);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].unreadable.as_deref().unwrap().contains("UTF-8"));
        assert_eq!(rows[1].values[0], "ok");
    }

    #[test]
    fn json_lines() {
        let f = write(
            b"\n{\"name\":\"a\",\"mobile\":13800138000}\n\n{\"\xe5\xa7\x93\xe5\x90\x8d\":\"b\",\"id_number\":\"1\"}\nnot json\n",
        );
        let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
        let rows = all(&mut r);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].values, vec!["a", "13800138000", ""]);
        assert_eq!(rows[1].values, vec!["b", "", "1"]);
        assert_eq!(rows[2].row, 3);
        assert!(rows[2].unreadable.is_some());
    }

    #[test]
    fn empty_input_is_an_error() {
        let f = write(b"");
        assert!(RowReader::open(f.path(), InputEncoding::Utf8).is_err());
    }
}
