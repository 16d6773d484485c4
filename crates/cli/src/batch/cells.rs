//! Output cells that a spreadsheet cannot turn against its reader.
//!
//! A CSV cell that starts with `=`, `+`, `-` or `@` is a formula to Excel and WPS
//! (`=HYPERLINK("http://evil.example","点我")` as a name becomes a link); a leading tab or
//! carriage return hides such a start. OWASP's advice is to prefix the cell with a single
//! quote, which spreadsheets show as text and do not evaluate. Every CSV and workbook cell
//! the batch writes goes through [`neutralise`], vendor-supplied fields included: a vendor
//! message or an echo is as much an input as the user's file.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula (or hide one that does).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, prefixed with `'` when it would start a formula.
pub(crate) fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_the_rest_untouched() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://evil.example\",\"点我\")"),
            "'=HYPERLINK(\"http://evil.example\",\"点我\")"
        );
        for bad in ["+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for fine in ["张三", "13800138000", "", "a=b", "'quoted"] {
            assert_eq!(neutralise(fine), fine);
        }
    }
}
