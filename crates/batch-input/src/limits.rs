//! The caps that keep memory bounded whatever the input. A record or workbook beyond them is
//! refused with an error that names the cap; `docs/batch-input.md` explains each choice.

/// The longest record (a CSV or TSV record with its line end, a JSON line, a spreadsheet
/// row's text), in bytes of UTF-8 as parsed. A person's row is well under 1 KiB.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// The most columns a header may have.
pub const MAX_COLUMNS: usize = 256;

/// The most blank bytes (whitespace, stray byte-order marks) read before the header.
pub const MAX_LEADING_BLANK_BYTES: usize = 64 * 1024;

/// The largest workbook file (`.xlsx`, `.xls`, `.ods`) read: the spreadsheet library loads
/// it whole, and a compressed sheet unpacks to many times its size.
pub const MAX_WORKBOOK_BYTES: u64 = 32 * 1024 * 1024;

/// The most non-empty cells read from one sheet (Excel's own limit is about 17 billion; a
/// batch of a million people in three columns fits).
pub const MAX_SHEET_CELLS: usize = 4_000_000;

/// The most bytes of cell text kept from one sheet.
pub const MAX_SHEET_TEXT_BYTES: usize = 128 * 1024 * 1024;

/// `n` with thousands separators (`4,000,000`): messages never show a run of 7+ digits,
/// which is how a mobile or ID number would look.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(4_000_000), "4,000,000");
        assert_eq!(super::grouped(90_010_000), "90,010,000");
    }
}
