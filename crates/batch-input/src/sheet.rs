//! Workbooks (`.xlsx`, `.xls`, `.ods`) through `calamine`: one sheet, every cell as text.
//!
//! A workbook is loaded whole (the library needs to seek in it), so its size and the cells
//! kept are capped (`crate::limits`). Number cells read as the digits a person typed
//! (13800138000, never `1.38E+10` or `13800138000.0`); an ID number stored as a number has
//! lost digits before we see it, and its row is refused with how to fix the column.

use crate::columns::{Columns, mask_digit_runs};
use crate::fields::Field;
use crate::input::{InputError, InputKind};
use crate::limits::{MAX_RECORD_BYTES, MAX_SHEET_CELLS, MAX_SHEET_TEXT_BYTES, MAX_WORKBOOK_BYTES};
use crate::source::Sniffed;
use calamine::{Data, DataRef, ExcelDateTime, Reader};
use std::io::{Cursor, Read};

/// One cell as kept: numbers stay numbers until their column is known.
#[derive(Debug, Clone, PartialEq)]
enum SheetCell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
}

/// A workbook's bytes and format.
pub(crate) struct Workbook {
    bytes: Vec<u8>,
    kind: InputKind,
}

/// Why an ID number cell cannot be used.
const ID_LOST_DIGITS: &str = "id_number: the cell holds a number, not text: a spreadsheet keeps \
    15 significant digits of a number, so an 18-digit ID number stored as one has already lost \
    its last digits; format the column as text (设置单元格格式 → 文本), type or paste the \
    numbers again, and save";

impl Workbook {
    /// Reads the whole workbook (at most [`MAX_WORKBOOK_BYTES`]).
    pub(crate) fn load(
        source: impl Read,
        sniffed: Sniffed,
        cannot: &dyn Fn(std::io::Error) -> InputError,
    ) -> Result<Self, InputError> {
        let kind = match sniffed {
            Sniffed::Xls => InputKind::Xls,
            Sniffed::Ods => InputKind::Ods,
            _ => InputKind::Xlsx,
        };
        let mut bytes = Vec::new();
        source
            .take(MAX_WORKBOOK_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
            return Err(InputError::new(format!(
                "the workbook is larger than {} MiB, the most read (a workbook is loaded \
                 whole); save the sheet as CSV (UTF-8) and use that",
                MAX_WORKBOOK_BYTES / (1024 * 1024)
            )));
        }
        Ok(Workbook { bytes, kind })
    }

    pub(crate) fn kind(&self) -> InputKind {
        self.kind
    }

    /// The header (the first row with a value) and the rows after it, from `sheet` or the
    /// first sheet.
    pub(crate) fn into_rows(
        self,
        sheet: Option<&str>,
    ) -> Result<(Vec<String>, SheetRows), InputError> {
        // calamine 0.38 can panic on a damaged file (an out-of-range slice in its .xls
        // parser, found by `corrupted_workbooks_are_errors_or_rows_never_panics`): a damaged
        // workbook is bad input, so its panic becomes an error here.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_cells(sheet)))
            .unwrap_or_else(|_| {
                Err(InputError::new(
                    "cannot read the workbook: it is damaged (the spreadsheet reader failed \
                     on it); open and save it again in the spreadsheet",
                ))
            })?
            .into_rows()
    }

    fn read_cells(self, sheet: Option<&str>) -> Result<Kept, InputError> {
        let kind = self.kind;
        let cursor = Cursor::new(self.bytes);
        Ok(match kind {
            InputKind::Xlsx => {
                let mut book = calamine::Xlsx::new(cursor).map_err(unreadable)?;
                let name = pick(book.sheet_names(), sheet)?;
                let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
                let mut kept = Kept::default();
                while let Some(cell) = reader.next_cell().map_err(unreadable)? {
                    let (row, column) = cell.get_position();
                    kept.push(row, column, from_ref(cell.get_value()))?;
                }
                kept
            }
            InputKind::Xls => {
                let mut book = calamine::Xls::new(cursor).map_err(unreadable)?;
                let name = pick(book.sheet_names(), sheet)?;
                Kept::from_range(&book.worksheet_range(&name).map_err(unreadable)?)?
            }
            _ => {
                crate::ods_area::check(cursor.get_ref())?;
                let mut book = calamine::Ods::new(cursor).map_err(unreadable)?;
                let name = pick(book.sheet_names(), sheet)?;
                Kept::from_range(&book.worksheet_range(&name).map_err(unreadable)?)?
            }
        })
    }
}

/// The sheet to read: `wanted`, or the first.
fn pick(names: Vec<String>, wanted: Option<&str>) -> Result<String, InputError> {
    match wanted {
        None => names
            .into_iter()
            .next()
            .ok_or_else(|| InputError::new("the workbook has no sheet")),
        Some(wanted) => {
            if let Some(name) = names.iter().find(|n| n.as_str() == wanted) {
                return Ok(name.clone());
            }
            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            Err(InputError::new(format!(
                "the workbook has no sheet named `{wanted}`; its sheets: {}",
                listed.join(", ")
            )))
        }
    }
}

fn unreadable(error: impl std::fmt::Display) -> InputError {
    InputError::new(format!(
        "cannot read the workbook: {}",
        mask_digit_runs(&error.to_string())
    ))
}

/// Cells kept so far, row by row, within the caps.
#[derive(Default)]
struct Kept {
    /// (row, [(column, cell)]) in the order read.
    rows: Vec<(u32, Vec<(u32, SheetCell)>)>,
    cells: usize,
    text_bytes: usize,
}

impl Kept {
    fn push(&mut self, row: u32, column: u32, cell: SheetCell) -> Result<(), InputError> {
        if cell == SheetCell::Empty {
            return Ok(());
        }
        self.cells += 1;
        if let SheetCell::Text(text) = &cell {
            self.text_bytes += text.len();
        }
        if self.cells > MAX_SHEET_CELLS || self.text_bytes > MAX_SHEET_TEXT_BYTES {
            return Err(InputError::new(format!(
                "the sheet holds more than {} cells or {} MiB of text, the most read from a \
                 workbook; save it as CSV (UTF-8) and use that",
                crate::limits::grouped(MAX_SHEET_CELLS as u64),
                MAX_SHEET_TEXT_BYTES / (1024 * 1024)
            )));
        }
        match self.rows.last_mut() {
            Some((last, cells)) if *last == row => cells.push((column, cell)),
            _ => self.rows.push((row, vec![(column, cell)])),
        }
        Ok(())
    }

    fn from_range(range: &calamine::Range<Data>) -> Result<Self, InputError> {
        let mut kept = Kept::default();
        for (row, cells) in range.rows().enumerate() {
            for (column, cell) in cells.iter().enumerate() {
                kept.push(
                    u32::try_from(row).unwrap_or(u32::MAX),
                    u32::try_from(column).unwrap_or(u32::MAX),
                    from_data(cell),
                )?;
            }
        }
        Ok(kept)
    }

    /// Header names and data rows, columns counted from the leftmost one used.
    fn into_rows(mut self) -> Result<(Vec<String>, SheetRows), InputError> {
        self.rows.sort_by_key(|(row, _)| *row);
        let left = self
            .rows
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|(c, _)| *c))
            .min()
            .unwrap_or(0);
        let mut rows = self.rows.into_iter().map(|(_, cells)| {
            let width = cells
                .iter()
                .map(|(c, _)| (c - left) as usize + 1)
                .max()
                .unwrap_or(0);
            let mut dense = vec![SheetCell::Empty; width];
            for (column, cell) in cells {
                dense[(column - left) as usize] = cell;
            }
            dense
        });
        let header = rows
            .next()
            .ok_or_else(|| InputError::new("the input is empty (no header row)"))?;
        let names: Vec<String> = header
            .iter()
            .map(|cell| render(cell, false).unwrap_or_default().trim().to_string())
            .collect();
        let rest: Vec<Vec<SheetCell>> = rows.collect();
        Ok((
            names,
            SheetRows {
                rows: rest.into_iter(),
            },
        ))
    }
}

/// The data rows of a sheet, rendered as text when handed out.
pub(crate) struct SheetRows {
    rows: std::vec::IntoIter<Vec<SheetCell>>,
}

impl SheetRows {
    /// The next row's values (the header's width), or why it is refused.
    pub(crate) fn next_row(&mut self, columns: &Columns) -> Option<Result<Vec<String>, String>> {
        let cells = self.rows.next()?;
        let width = columns.names.len();
        let id_column = columns.index(Field::IdNumber);
        let mut values = Vec::with_capacity(width);
        let mut bytes = 0;
        for (i, cell) in cells.iter().take(width).enumerate() {
            match render(cell, id_column == Some(i)) {
                Some(text) => {
                    bytes += text.len();
                    values.push(text);
                }
                None => return Some(Err(ID_LOST_DIGITS.to_string())),
            }
        }
        if bytes > MAX_RECORD_BYTES {
            return Some(Err(format!(
                "the row holds more than {} KiB of text, the most a row may be",
                MAX_RECORD_BYTES / 1024
            )));
        }
        values.resize(width, String::new());
        Some(Ok(values))
    }
}

/// A cell as text; `None` for a number in the ID column too long to have survived.
fn render(cell: &SheetCell, id_column: bool) -> Option<String> {
    // A spreadsheet keeps 15 significant digits: from 10^15 on, digits are gone.
    const EXACT: f64 = 1e15;
    Some(match cell {
        SheetCell::Empty => String::new(),
        SheetCell::Text(text) => text.clone(),
        SheetCell::Int(i) if id_column && i.unsigned_abs() >= 1_000_000_000_000_000 => return None,
        SheetCell::Int(i) => i.to_string(),
        SheetCell::Number(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT => {
            // Whole and below 10^15: exact in an i64.
            format!("{}", *f as i64)
        }
        SheetCell::Number(f) if id_column && f.is_finite() && f.abs() >= EXACT => return None,
        // Rust prints no exponent: 1e20 is "100000000000000000000".
        SheetCell::Number(f) => f.to_string(),
    })
}

fn from_data(data: &Data) -> SheetCell {
    match data {
        Data::Empty => SheetCell::Empty,
        Data::Int(i) => SheetCell::Int(*i),
        Data::Float(f) => SheetCell::Number(*f),
        Data::String(s) => SheetCell::Text(s.clone()),
        Data::Bool(b) => SheetCell::Text(bool_text(*b)),
        Data::DateTime(dt) => SheetCell::Text(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => SheetCell::Text(s.clone()),
        Data::Error(e) => SheetCell::Text(e.to_string()),
    }
}

fn from_ref(data: &DataRef<'_>) -> SheetCell {
    match data {
        DataRef::Empty => SheetCell::Empty,
        DataRef::Int(i) => SheetCell::Int(*i),
        DataRef::Float(f) => SheetCell::Number(*f),
        DataRef::String(s) => SheetCell::Text(s.clone()),
        DataRef::SharedString(s) => SheetCell::Text((*s).to_string()),
        DataRef::Bool(b) => SheetCell::Text(bool_text(*b)),
        DataRef::DateTime(dt) => SheetCell::Text(date_text(dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => SheetCell::Text(s.clone()),
        DataRef::Error(e) => SheetCell::Text(e.to_string()),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A date as `YYYY-MM-DD` (with ` HH:MM:SS` when it has a time); a duration as its number
/// of days.
fn date_text(dt: &ExcelDateTime) -> String {
    if !dt.is_datetime() {
        return dt.as_f64().to_string();
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}
