//! Helpers shared by the tasks: where the workspace is, running a command loudly, reading
//! `--flag value` / `--flag=value` arguments.

use std::ops::RangeBounds;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// The workspace root (the parent of this crate's folder).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs `command`, echoing it to stderr first; an exit other than success is an error.
pub(crate) fn run_loud(command: &mut Command) -> Result<(), String> {
    eprintln!("$ {command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}

/// The machine's load averages over 1, 5 and 15 minutes (`"0.74 1.00 1.86"`), or `?`: a
/// benchmark's figures mean little without them.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string())
}

/// A task's arguments, read as flags: `--flag value` or `--flag=value`.
pub(crate) struct Flags<'a> {
    args: std::slice::Iter<'a, String>,
    usage: &'static str,
}

impl<'a> Flags<'a> {
    /// Reads `args`; `usage` ends the "needs a value" message.
    pub(crate) fn new(args: &'a [String], usage: &'static str) -> Self {
        Flags {
            args: args.iter(),
            usage,
        }
    }

    /// The next argument, split at its first `=` when it is a `--flag=value`.
    pub(crate) fn next_flag(&mut self) -> Option<(&'a str, Option<&'a str>)> {
        let arg = self.args.next()?;
        Some(match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (arg.as_str(), None),
        })
    }

    /// `flag`'s value: the one written after `=`, else the next argument.
    pub(crate) fn value(&mut self, flag: &str, inline: Option<&'a str>) -> Result<&'a str, String> {
        inline
            .or_else(|| self.args.next().map(String::as_str))
            .ok_or_else(|| format!("{flag} needs a value\n{}", self.usage))
    }
}

/// `text` as a number within `range`, or `None` (the caller says what was expected).
pub(crate) fn number_within<T: FromStr + PartialOrd>(
    text: &str,
    range: impl RangeBounds<T>,
) -> Option<T> {
    text.parse().ok().filter(|n| range.contains(n))
}
