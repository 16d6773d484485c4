//! The progress bar on stderr: rows, rate, ETA, billed calls and spend so far.
//!
//! Drawn only when stderr is a terminal; in scripts and CI it stays silent.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A progress display, possibly hidden.
#[derive(Debug, Clone)]
pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar when stderr is a terminal (with `total` rows when known), hidden otherwise.
    pub(crate) fn for_stderr(total: Option<u64>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} rows {rate} ETA {eta} {msg}"
        } else {
            "{spinner} [{elapsed_precise}] {pos} rows {rate} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            // indicatif's own {per_sec} prints four decimals; one is plenty for rows.
            let style = style.with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1}/s", state.per_sec());
                },
            );
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar }
    }

    /// A bar that draws nothing.
    pub(crate) fn hidden() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// Sets the starting position (rows finished by earlier runs).
    pub(crate) fn set_position(&self, rows: u64) {
        self.bar.set_position(rows);
    }

    /// One more row written; `billed` calls and `spend` yuan so far.
    pub(crate) fn row_done(&self, billed: u64, spend: f64) {
        self.bar.inc(1);
        self.bar
            .set_message(format!("billed {billed} ≈ ¥{spend:.2}"));
    }

    /// Removes the bar before the summary is printed.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
