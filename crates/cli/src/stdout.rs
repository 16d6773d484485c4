//! The only place that writes to stdout: results, never diagnostics.
//!
//! A closed pipe (`shiming … | head -1`) is not an error worth a panic; write errors are
//! ignored here because there is nowhere left to report them.

use std::io::Write;

/// Prints one line of human output, without the control characters a vendor or an input
/// file could have slipped into it (`terminal::clean`).
pub(crate) fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", crate::terminal::clean(text));
}

/// Prints one JSON value on one line.
pub(crate) fn json(value: &impl serde::Serialize) {
    let mut out = std::io::stdout().lock();
    if serde_json::to_writer(&mut out, value).is_ok() {
        let _ = writeln!(out);
    }
}
