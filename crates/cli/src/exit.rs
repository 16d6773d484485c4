//! The exit codes every command shares, so scripts can branch on them.
//! Use them as `ExitCode::from(exit::USAGE)`.

/// Match, or success for commands without a verdict.
pub(crate) const OK: u8 = 0;
/// The check ran and answered mismatch or not found.
pub(crate) const NEGATIVE: u8 = 1;
/// Usage error, or input refused offline before any request.
pub(crate) const USAGE: u8 = 2;
/// The vendor refused the call (auth, balance, account, …).
pub(crate) const VENDOR_REFUSED: u8 = 3;
/// Transport or decode failure: we do not know what the vendor decided.
pub(crate) const TRANSPORT: u8 = 4;
/// A batch tried every row, but some have no answer (errors, or rows left unknown): rows
/// whose failure cost nothing are sent again by `--resume`.
pub(crate) const ROWS_FAILED: u8 = 5;
/// 128 + the signal number: a batch stopped by SIGINT (130), SIGTERM (143) or SIGHUP (129),
/// as shells report it.
pub(crate) const SIGNALLED_BASE: u8 = 128;
