//! What the input is, and why it cannot be used: the leaf every reader module shares.

/// What kind of input was found (by content, not by file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Comma-separated text.
    Csv,
    /// Tab-separated text (Excel's "Unicode text" export, or a TSV file).
    Tsv,
    /// One JSON object per line.
    JsonLines,
    /// An Office Open XML workbook (`.xlsx`).
    Xlsx,
    /// A legacy Excel workbook (`.xls`).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
}

/// The input as a whole cannot be used (missing, no header, wrong columns, a record beyond
/// the caps, an I/O error).
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
