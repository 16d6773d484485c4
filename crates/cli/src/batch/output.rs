//! The output file: CSV (the default, and `.csv`), JSON lines (`.jsonl`, `.ndjson`) or an
//! Excel workbook (`.xlsx`). Any other extension is refused rather than written as CSV under
//! a misleading name.
//!
//! Each row is the input columns, then `row, verdict, vendor, vendor_code, billed, error_kind,
//! message`, then the check's detail columns. `billed` is `true`, `false` or `maybe`: `maybe`
//! when no answer arrived but the request may have reached the vendor (answer cut, too large
//! or timed out, connection reset; or in flight when an earlier run died), so the vendor may
//! have charged for it. In JSON lines `true`/`false` are booleans and `maybe` is the string
//! `"maybe"`: a reader testing `billed == true` counts certain bills, and the summary's
//! `possibly_billed` counts the rest. `message` carries the vendor's message (or our reason)
//! for errors and refusals only.
//!
//! The file is written from the journal when a run ends (see `render`), rows in input
//! order. CSV starts with a UTF-8 byte-order mark (Excel on Chinese Windows misreads UTF-8
//! without one) unless `--no-bom`; every CSV and workbook cell is neutralised against
//! formula injection (`cells`). Workbook cells are all text, so a mobile or ID number never
//! turns into scientific notation or loses a leading zero.

use super::cells::neutralise;
use super::record::{BatchCheck, RowResult};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Output columns after the input's own.
pub(crate) const RESULT_COLUMNS: [&str; 7] = [
    "row",
    "verdict",
    "vendor",
    "vendor_code",
    "billed",
    "error_kind",
    "message",
];

/// The formats the batch writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OutputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// An Excel workbook, every cell text.
    Xlsx,
}

impl OutputFormat {
    /// The format of `path` by its extension: `.csv` (or none), `.jsonl` / `.ndjson`,
    /// `.xlsx`; anything else is an error naming the ones that work.
    pub(crate) fn for_path(path: &Path) -> Result<Self, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            None | Some("csv") => Ok(OutputFormat::Csv),
            Some("jsonl" | "ndjson") => Ok(OutputFormat::Jsonl),
            Some("xlsx") => Ok(OutputFormat::Xlsx),
            Some(other) => Err(format!(
                "--out {}: shiming cannot write .{other} files; use .csv, .xlsx or .jsonl",
                path.display()
            )),
        }
    }
}

/// Creates `path` (truncating it) readable and writable by the owner only: it holds
/// personal data.
pub(crate) fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // `mode` only applies when the file is created; an existing file keeps its bits.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Turns a row into its cells, or the bytes of one CSV / JSON line.
#[derive(Debug, Clone)]
pub(crate) struct LineFormat {
    format: OutputFormat,
    columns: Vec<String>,
    input_width: usize,
}

impl LineFormat {
    /// The format of `check`'s output over `input_columns`.
    pub(crate) fn new(format: OutputFormat, input_columns: &[String], check: BatchCheck) -> Self {
        let mut columns: Vec<String> = input_columns.to_vec();
        columns.extend(RESULT_COLUMNS.iter().map(|c| c.to_string()));
        columns.extend(check.detail_columns().iter().map(|c| c.to_string()));
        LineFormat {
            format,
            columns,
            input_width: input_columns.len(),
        }
    }

    /// The column names, in order.
    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The CSV header line (empty for the other formats).
    fn header(&self) -> std::io::Result<Vec<u8>> {
        match self.format {
            OutputFormat::Csv => csv_line(self.columns.iter().map(String::as_str)),
            OutputFormat::Jsonl | OutputFormat::Xlsx => Ok(Vec::new()),
        }
    }

    /// One row's cells, in column order, as written (before neutralising).
    pub(crate) fn cells<'a>(
        &self,
        row_text: &'a str,
        vendor: &'a str,
        values: &'a [String],
        result: &'a RowResult,
    ) -> Vec<&'a str> {
        let fixed = [
            row_text,
            result.verdict.as_deref().unwrap_or(""),
            vendor,
            result.vendor_code.as_deref().unwrap_or(""),
            result.billed_cell(),
            result.error_kind.map(|e| e.as_str()).unwrap_or(""),
            result.message.as_str(),
        ];
        let inputs = (0..self.input_width).map(|i| values.get(i).map(String::as_str).unwrap_or(""));
        let details = (0..self.columns.len() - self.input_width - fixed.len())
            .map(|i| result.details.get(i).map(String::as_str).unwrap_or(""));
        inputs.chain(fixed).chain(details).collect()
    }

    /// One row's line, newline included (CSV and JSON lines).
    pub(crate) fn line(
        &self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<Vec<u8>> {
        let row_text = row.to_string();
        let vendor = result.vendor_cell();
        let cells = self.cells(&row_text, &vendor, values, result);
        match self.format {
            OutputFormat::Csv | OutputFormat::Xlsx => {
                csv_line(cells.into_iter().map(|cell| neutralise(cell)))
            }
            OutputFormat::Jsonl => {
                let mut object = serde_json::Map::with_capacity(cells.len());
                for (i, (name, value)) in self.columns.iter().zip(cells).enumerate() {
                    let value = match name.as_str() {
                        _ if i < self.input_width => serde_json::Value::from(value),
                        "row" => serde_json::Value::from(row),
                        "billed" if result.billed || !result.may_have_been_billed => {
                            serde_json::Value::from(result.billed)
                        }
                        _ if value.is_empty() => serde_json::Value::Null,
                        _ => serde_json::Value::from(value),
                    };
                    object.insert(name.clone(), value);
                }
                let mut line = serde_json::to_vec(&object).map_err(std::io::Error::other)?;
                line.push(b'\n');
                Ok(line)
            }
        }
    }
}

fn csv_line<'a, S: AsRef<str> + 'a>(cells: impl Iterator<Item = S>) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(512)
        .from_writer(Vec::with_capacity(256));
    writer
        .write_record(cells.map(|c| c.as_ref().as_bytes().to_vec()))
        .map_err(std::io::Error::other)?;
    writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Bytes of rows buffered before they are written out.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Writes result rows, in the order they are given.
pub(crate) struct OutputWriter {
    sink: Sink,
    format: LineFormat,
}

enum Sink {
    /// CSV or JSON lines.
    Lines(BufWriter<File>),
    /// A workbook being streamed row by row; saved to `path` at the end.
    Workbook {
        book: Box<rust_xlsxwriter::Workbook>,
        path: std::path::PathBuf,
        next_row: u32,
    },
}

/// Rows in one worksheet, header included (Excel's limit).
const XLSX_MAX_ROWS: u32 = 1_048_576;

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> std::io::Error {
    std::io::Error::other(format!("writing the workbook: {e}"))
}

impl OutputWriter {
    /// Creates (truncates) the file and writes the header. `bom` prefixes CSV with a UTF-8
    /// byte-order mark so Excel reads the Chinese text correctly.
    pub(crate) fn create(
        path: &Path,
        format: OutputFormat,
        input_columns: &[String],
        check: BatchCheck,
        bom: bool,
    ) -> std::io::Result<Self> {
        let format = LineFormat::new(format, input_columns, check);
        let sink = match format.format {
            OutputFormat::Xlsx => Sink::Workbook {
                book: Box::new(workbook(path, &format)?),
                path: path.to_path_buf(),
                next_row: 1,
            },
            OutputFormat::Csv | OutputFormat::Jsonl => {
                let mut file = create_private(path)?;
                let mut head = Vec::new();
                if bom && format.format == OutputFormat::Csv {
                    head.extend_from_slice(b"\xef\xbb\xbf");
                }
                head.extend(format.header()?);
                file.write_all(&head)?;
                Sink::Lines(BufWriter::with_capacity(OUTPUT_BUFFER, file))
            }
        };
        Ok(OutputWriter { sink, format })
    }

    /// Formats and appends one row.
    pub(crate) fn write(
        &mut self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Lines(file) => file.write_all(&self.format.line(row, values, result)?),
            Sink::Workbook { book, next_row, .. } => {
                if *next_row >= XLSX_MAX_ROWS {
                    return Err(std::io::Error::other(
                        "more rows than one Excel worksheet holds (1,048,575); write .csv instead",
                    ));
                }
                let row_text = row.to_string();
                let vendor = result.vendor_cell();
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                for (col, cell) in self
                    .format
                    .cells(&row_text, &vendor, values, result)
                    .iter()
                    .enumerate()
                {
                    let col = u16::try_from(col).map_err(std::io::Error::other)?;
                    sheet
                        .write_string(*next_row, col, neutralise(cell))
                        .map_err(xlsx_error)?;
                }
                *next_row += 1;
                Ok(())
            }
        }
    }

    /// Writes out everything and forces the data to disk.
    pub(crate) fn finish(self) -> std::io::Result<()> {
        match self.sink {
            Sink::Lines(mut file) => {
                file.flush()?;
                file.get_ref().sync_data()
            }
            Sink::Workbook { mut book, path, .. } => {
                book.save(&path).map_err(xlsx_error)?;
                let file = std::fs::OpenOptions::new().write(true).open(&path)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                }
                file.sync_data()
            }
        }
    }
}

/// A workbook with one constant-memory sheet: a bold, frozen header row, and widths that fit
/// what each column holds. Its temporary row file lives beside the output, not in a shared
/// temporary directory, since it holds the same personal data.
fn workbook(path: &Path, format: &LineFormat) -> std::io::Result<rust_xlsxwriter::Workbook> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    book.set_tempdir(&dir).map_err(xlsx_error)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    sheet.set_name("results").map_err(xlsx_error)?;
    for (col, name) in format.columns().iter().enumerate() {
        let col = u16::try_from(col).map_err(std::io::Error::other)?;
        sheet
            .set_column_width(col, column_width(name))
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(0, col, neutralise(name), &bold)
            .map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(book)
}

/// A width in characters that fits what a column usually holds.
fn column_width(name: &str) -> f64 {
    let fits = match name {
        "row" | "billed" | "sex" => 6.0,
        "verdict" | "vendor_code" | "carrier" | "real_carrier" | "tenure" | "ported" => 11.0,
        "vendor" | "error_kind" | "birth_date" => 14.0,
        "mobile" | "手机号" | "手机" | "电话" => 14.0,
        "id_number" | "身份证号" | "证件号码" => 21.0,
        "message" => 40.0,
        "region" | "area" => 20.0,
        _ => 12.0,
    };
    // Chinese header names are twice as wide as they are long.
    let header: f64 = name
        .chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum();
    f64::max(fits, header + 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::{Origin, RowError};
    use shiming::codec::Vendor;

    #[test]
    fn csv_rows_quote_what_needs_quoting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut w = OutputWriter::create(
            &path,
            OutputFormat::Csv,
            &["name".into(), "mobile".into()],
            BatchCheck::Mobile,
            false,
        )
        .unwrap();
        let result = RowResult {
            verdict: Some("match".into()),
            vendor: Some(Vendor::Wapi),
            vendor_code: Some("10000".into()),
            billed: true,
            message: "一致, \"ok\"".into(),
            details: vec!["联通".into()],
            origin: Origin::Checked,
            ..RowResult::default()
        };
        w.write(3, &["张三".into(), "13800138000".into()], &result)
            .unwrap();
        w.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "name,mobile,row,verdict,vendor,vendor_code,billed,error_kind,message,carrier,area\n\
             张三,13800138000,3,match,wapi,10000,true,,\"一致, \"\"ok\"\"\",联通,\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn jsonl_rows_are_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        assert_eq!(OutputFormat::for_path(&path), Ok(OutputFormat::Jsonl));
        for refused in ["out.json", "out.xls", "out.txt"] {
            let err = OutputFormat::for_path(Path::new(refused)).unwrap_err();
            assert!(err.contains(".csv, .xlsx or .jsonl"), "{err}");
        }
        let mut w = OutputWriter::create(
            &path,
            OutputFormat::Jsonl,
            &["mobile".into()],
            BatchCheck::MobileStatus,
            false,
        )
        .unwrap();
        w.write(
            1,
            &["13800138000".into()],
            &RowResult::refused("bad segment"),
        )
        .unwrap();
        w.finish().unwrap();
        let line: serde_json::Value =
            serde_json::from_str(std::fs::read_to_string(&path).unwrap().trim()).unwrap();
        assert_eq!(line["row"], 1);
        assert_eq!(line["billed"], false);
        assert_eq!(line["verdict"], serde_json::Value::Null);
        assert_eq!(line["error_kind"], "invalid_input");
        assert_eq!(line["mobile"], "13800138000");
    }

    #[test]
    fn a_lost_answer_is_billed_maybe_in_both_formats() {
        let lost = RowResult {
            vendor: Some(Vendor::Wapi),
            error_kind: Some(RowError::Transport),
            may_have_been_billed: true,
            ..RowResult::default()
        };
        let dir = tempfile::tempdir().unwrap();
        for (name, format) in [
            ("out.csv", OutputFormat::Csv),
            ("out.jsonl", OutputFormat::Jsonl),
        ] {
            let path = dir.path().join(name);
            let mut w =
                OutputWriter::create(&path, format, &["mobile".into()], BatchCheck::Id, false)
                    .unwrap();
            w.write(7, &["13800138000".into()], &lost).unwrap();
            w.finish().unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            match format {
                OutputFormat::Csv => assert!(
                    text.ends_with("13800138000,7,,wapi,,maybe,transport,,,,\n"),
                    "{text}"
                ),
                OutputFormat::Jsonl => {
                    let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
                    assert_eq!(line["billed"], "maybe", "{text}");
                }
                OutputFormat::Xlsx => unreachable!(),
            }
        }
    }
}
