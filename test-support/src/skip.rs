//! Skipping a test whose precondition (the vendor documents, python3, …) is missing.

use std::io::Write;

/// Reports that the running test cannot run because of `reason`; return from it right after.
///
/// Under CI (env `CI` set to anything but `""`, `0` or `false`) every precondition is
/// required, so this panics. Elsewhere it writes `SKIPPED <test>: <reason>` straight to the
/// process's stderr: libtest captures only `print!`/`eprint!` output, so the line shows in
/// the runner's output although the test passes. (`<test>` is the thread's name, which
/// libtest sets to the test's path.)
pub fn skip_or_fail(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    assert!(!ci, "CI is set, so {test} may not skip: {reason}");
    // Ignoring a failed write: there is nowhere else to say it.
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {reason}");
}
