//! How large an `.ods` sheet is once its repeats are expanded, read from `content.xml`
//! before calamine builds it.
//!
//! calamine 0.38 builds a sheet as a dense grid, expanding `table:number-rows-repeated` and
//! `table:number-columns-repeated`: a 1.5 KB file whose one cell repeats 90 million times
//! took 11.5 GB. This scan streams the XML (nothing kept but counters) and measures each
//! sheet's used area — the rows from the first to the last with a value, times the widest
//! such row — so a sheet beyond [`MAX_SHEET_CELLS`] is refused first. Trailing blank rows
//! and columns, which LibreOffice writes as huge repeats, do not count.

use crate::input::InputError;
use crate::limits::{MAX_SHEET_CELLS, grouped};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// The most bytes of `content.xml` scanned: a larger one is refused.
const MAX_CONTENT_BYTES: u64 = 512 * 1024 * 1024;

/// Refuses a workbook with a sheet whose used area exceeds [`MAX_SHEET_CELLS`]. A workbook
/// the scan cannot read is left to calamine (which then reports it).
pub(crate) fn check(bytes: &[u8]) -> Result<(), InputError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut limited = content.take(MAX_CONTENT_BYTES + 1);
    let outcome = scan(BufReader::new(&mut limited));
    if limited.limit() == 0 {
        return Err(InputError::new(format!(
            "the workbook's sheets unpack to more than {} MiB; save the sheet as CSV (UTF-8) \
             and use that",
            MAX_CONTENT_BYTES / (1024 * 1024)
        )));
    }
    match outcome {
        Some(area) if area > MAX_SHEET_CELLS as u64 => Err(InputError::new(format!(
            "a sheet spans about {} cells once its repeated rows and columns are \
             expanded; at most {} are read from a workbook; save the sheet as CSV (UTF-8) \
             and use that",
            grouped(area),
            grouped(MAX_SHEET_CELLS as u64)
        ))),
        _ => Ok(()),
    }
}

/// The largest used area of any sheet, or `None` if the XML cannot be read.
fn scan(source: impl std::io::BufRead) -> Option<u64> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut sheet = Area::default();
    let mut largest = 0u64;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                sheet = Area::default();
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                sheet.start_row(repeats(&e, "table:number-rows-repeated"));
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                sheet.start_row(repeats(&e, "table:number-rows-repeated"));
                sheet.end_row();
            }
            // A cell with content (a start tag) or a typed value holds something.
            Event::Start(e) if is_cell(&e) => {
                sheet.cell(repeats(&e, "table:number-columns-repeated"), true);
            }
            Event::Empty(e) if is_cell(&e) => {
                let typed = e.try_get_attribute("office:value-type").ok().flatten();
                sheet.cell(
                    repeats(&e, "table:number-columns-repeated"),
                    typed.is_some(),
                );
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => sheet.end_row(),
            Event::End(e) if e.name().as_ref() == "table:table" => {
                largest = largest.max(sheet.area());
            }
            Event::Eof => return Some(largest),
            _ => {}
        }
        buf.clear();
    }
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(
        e.name().as_ref(),
        "table:table-cell" | "table:covered-table-cell"
    )
}

/// An element's repeat count (1 when absent or unreadable).
fn repeats(e: &BytesStart<'_>, attribute: &str) -> u64 {
    e.try_get_attribute(attribute)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// One sheet's used area so far.
#[derive(Debug, Default)]
struct Area {
    /// Index of the current row (its first copy).
    row: u64,
    /// How many times the current row repeats.
    repeat: u64,
    /// Columns seen so far in the current row.
    column: u64,
    /// One past the last column with a value in the current row.
    row_width: Option<u64>,
    /// First and last rows with a value.
    first: Option<u64>,
    last: u64,
    /// The widest row with a value.
    width: u64,
}

impl Area {
    fn start_row(&mut self, repeat: u64) {
        self.repeat = repeat;
        self.column = 0;
        self.row_width = None;
    }

    fn cell(&mut self, repeat: u64, holds: bool) {
        self.column = self.column.saturating_add(repeat);
        if holds {
            self.row_width = Some(self.column);
        }
    }

    fn end_row(&mut self) {
        if let Some(width) = self.row_width.take() {
            self.first.get_or_insert(self.row);
            self.last = self.row.saturating_add(self.repeat - 1);
            self.width = self.width.max(width);
        }
        self.row = self.row.saturating_add(self.repeat);
    }

    fn area(&self) -> u64 {
        match self.first {
            None => 0,
            Some(first) => (self.last - first + 1).saturating_mul(self.width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    fn area(xml: &str) -> Option<u64> {
        scan(xml.as_bytes())
    }

    #[test]
    fn repeats_count_where_they_hold_values() {
        let cell =
            r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        let blank = r#"<table:table-cell table:number-columns-repeated="1000"/>"#;
        let xml = format!(
            r#"<t><table:table table:name="a">
            <table:table-row>{cell}{cell}{blank}</table:table-row>
            <table:table-row table:number-rows-repeated="5"><table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="1"/>{blank}</table:table-row>
            <table:table-row table:number-rows-repeated="1048570">{blank}</table:table-row>
            </table:table></t>"#
        );
        // Rows 0..=5 hold values, at most 3 columns wide; the blank tail does not count.
        assert_eq!(area(&xml), Some(18));
        let huge = format!(
            r#"<table:table><table:table-row>{cell}</table:table-row>
            <table:table-row table:number-rows-repeated="9000"><table:table-cell table:number-columns-repeated="10000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
        );
        assert_eq!(area(&huge), Some(9001 * 10000));
        assert_eq!(area("<a>"), Some(0));
        assert_eq!(area("<a></b>"), None);
    }
}
