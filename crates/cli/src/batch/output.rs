//! The output file: CSV, or JSON lines when OUT ends in `.jsonl`.
//!
//! Each row is the input columns, then `row, verdict, vendor, vendor_code, billed, error_kind,
//! message`, then the check's detail columns. `billed` is `true`, `false` or `maybe`: `maybe`
//! when no answer arrived but the request may have reached the vendor (answer cut, too large
//! or timed out, connection reset; or in flight when an earlier run died), so the vendor may
//! have charged for it. In JSON lines `true`/`false` are booleans and `maybe` is the string
//! `"maybe"`: a reader testing `billed == true` counts certain bills, and the summary's
//! `possibly_billed` counts the rest. Rows are written in completion order, not
//! input order; `row` says where each came from. Rows are buffered and reach the file in
//! writes of whole rows (when 64 KiB have gathered or the oldest waited 200 ms, and at the
//! end of the run), so a reader tailing it sees whole rows, a little late. Buffering is
//! safe because the journal, not this file, is the crash-safe record: `--resume` rebuilds
//! this file from the journal.

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

/// CSV or JSON lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OutputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl OutputFormat {
    /// JSON lines for `*.jsonl` / `*.ndjson`, CSV otherwise.
    pub(crate) fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext)
                if ext.eq_ignore_ascii_case("jsonl") || ext.eq_ignore_ascii_case("ndjson") =>
            {
                OutputFormat::Jsonl
            }
            _ => OutputFormat::Csv,
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

/// Turns a row into the bytes of one output line. Pure, so a finished row can be formatted
/// before taking the lock that serializes writes.
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

    /// The CSV header line (empty for JSON lines).
    fn header(&self) -> std::io::Result<Vec<u8>> {
        match self.format {
            OutputFormat::Csv => csv_line(self.columns.iter().map(String::as_str)),
            OutputFormat::Jsonl => Ok(Vec::new()),
        }
    }

    /// One row's line, newline included.
    pub(crate) fn line(
        &self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<Vec<u8>> {
        let row_text = row.to_string();
        let billed = result.billed_cell();
        let fixed = [
            row_text.as_str(),
            result.verdict.as_deref().unwrap_or(""),
            result.vendor.as_deref().unwrap_or(""),
            result.vendor_code.as_deref().unwrap_or(""),
            billed,
            result.error_kind.as_deref().unwrap_or(""),
            result.message.as_str(),
        ];
        let inputs = (0..self.input_width).map(|i| values.get(i).map(String::as_str).unwrap_or(""));
        let details = (0..self.columns.len() - self.input_width - fixed.len())
            .map(|i| result.details.get(i).map(String::as_str).unwrap_or(""));
        let cells: Vec<&str> = inputs.chain(fixed).chain(details).collect();
        match self.format {
            OutputFormat::Csv => csv_line(cells.into_iter()),
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

fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(512)
        .from_writer(Vec::with_capacity(256));
    writer
        .write_record(cells.map(str::as_bytes))
        .map_err(std::io::Error::other)?;
    writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Bytes of rows buffered before they are written out.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// How long a finished row may wait in the buffer (checked when the next row arrives).
const OUTPUT_MAX_DELAY: std::time::Duration = std::time::Duration::from_millis(200);

/// Writes result rows.
pub(crate) struct OutputWriter {
    /// One `write` per 64 KiB of rows instead of one per row: a syscall per row was a
    /// measurable share of the batch's CPU at zero latency.
    file: BufWriter<File>,
    /// When the buffer was last written out.
    flushed: std::time::Instant,
    format: LineFormat,
}

impl OutputWriter {
    /// Creates (truncates) the file and writes the CSV header. `bom` prefixes a UTF-8
    /// byte-order mark so Excel reads the Chinese text correctly.
    pub(crate) fn create(
        path: &Path,
        format: OutputFormat,
        input_columns: &[String],
        check: BatchCheck,
        bom: bool,
    ) -> std::io::Result<Self> {
        let format = LineFormat::new(format, input_columns, check);
        let mut file = create_private(path)?;
        let mut head = Vec::new();
        if bom && format.format == OutputFormat::Csv {
            head.extend_from_slice(b"\xef\xbb\xbf");
        }
        head.extend(format.header()?);
        file.write_all(&head)?;
        Ok(OutputWriter {
            file: BufWriter::with_capacity(OUTPUT_BUFFER, file),
            flushed: std::time::Instant::now(),
            format,
        })
    }

    /// How lines of this file are formatted.
    pub(crate) fn format(&self) -> &LineFormat {
        &self.format
    }

    /// Formats and appends one row.
    pub(crate) fn write(
        &mut self,
        row: u64,
        values: &[String],
        result: &RowResult,
    ) -> std::io::Result<()> {
        let line = self.format.line(row, values, result)?;
        self.append(&line)
    }

    /// Appends a line made by [`LineFormat::line`]. `BufWriter` writes out whole buffered
    /// lines before taking one that does not fit, so every `write` holds whole rows; rows
    /// older than [`OUTPUT_MAX_DELAY`] are written out with the next one, so someone
    /// watching a slow batch still sees it move.
    pub(crate) fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.file.write_all(line)?;
        let now = std::time::Instant::now();
        if now.duration_since(self.flushed) >= OUTPUT_MAX_DELAY {
            self.file.flush()?;
            self.flushed = now;
        }
        Ok(())
    }

    /// Writes out the buffered rows and forces the data to disk (at the end of a run).
    pub(crate) fn sync(&mut self) -> std::io::Result<()> {
        self.file.flush()?;
        self.file.get_ref().sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::record::Origin;

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
            vendor: Some("wapi".into()),
            vendor_code: Some("10000".into()),
            billed: true,
            message: "一致, \"ok\"".into(),
            details: vec!["联通".into()],
            origin: Origin::Checked,
            ..RowResult::default()
        };
        w.write(3, &["张三".into(), "13800138000".into()], &result)
            .unwrap();
        w.sync().unwrap();
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
        assert_eq!(OutputFormat::for_path(&path), OutputFormat::Jsonl);
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
        w.sync().unwrap();
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
            vendor: Some("wapi".into()),
            error_kind: Some("transport".into()),
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
            w.sync().unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            match format {
                OutputFormat::Csv => assert!(
                    text.ends_with("13800138000,7,,wapi,,maybe,transport,\n"),
                    "{text}"
                ),
                OutputFormat::Jsonl => {
                    let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
                    assert_eq!(line["billed"], "maybe", "{text}");
                }
            }
        }
    }
}
