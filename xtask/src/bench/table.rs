//! The result table: one row per measurement, its target and PASS/MISS, rendered as Markdown
//! so the same text goes to the terminal and into `docs/performance.md`.

use super::stats::Spread;
use std::fmt::Write as _;

/// What a row's number is, which decides how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A dimensionless ratio, printed `1.03×`.
    Ratio,
    /// Operations per second, printed `85.2 M/s`.
    PerSecond,
    /// A plain count, printed `50`.
    Count,
    /// A duration in nanoseconds, printed `61.2 µs`.
    Time,
    /// Milliseconds, printed `0.42 ms`.
    Millis,
    /// Seconds, printed `84 s`.
    Seconds,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Ratio => format!("{value:.3}×"),
            Unit::PerSecond => per_second(value),
            Unit::Count => format!("{value:.0}"),
            Unit::Time => nanos(value),
            Unit::Millis => format!("{value:.2} ms"),
            Unit::Seconds => format!("{value:.0} s"),
        }
    }
}

/// A target from the issue (or from a benchmark's own documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Target {
    /// The median must not exceed this.
    AtMost(f64),
    /// The median must reach this.
    AtLeast(f64),
    /// Shown for information: no target.
    None,
}

impl Target {
    fn show(self, unit: Unit) -> String {
        match self {
            Target::AtMost(v) => format!("≤ {}", unit.show(v)),
            Target::AtLeast(v) => format!("≥ {}", unit.show(v)),
            Target::None => "—".to_string(),
        }
    }

    fn verdict(self, median: f64) -> Verdict {
        match self {
            Target::AtMost(v) if median <= v => Verdict::Pass,
            Target::AtLeast(v) if median >= v => Verdict::Pass,
            Target::AtMost(_) | Target::AtLeast(_) => Verdict::Miss,
            Target::None => Verdict::Info,
        }
    }
}

/// How a row fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Met its target.
    Pass,
    /// Missed its target.
    Miss,
    /// No target.
    Info,
    /// Could not be measured (the detail says why).
    Error,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Miss => "MISS",
            Verdict::Info => "info",
            Verdict::Error => "ERROR",
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The `--only` name of the section that measured it.
    pub(crate) section: &'static str,
    /// What was compared, e.g. `async: shiming ÷ bare reqwest (time per call)`.
    pub(crate) what: String,
    /// The measured value, with its spread over the rounds.
    pub(crate) result: String,
    /// The target, as printed.
    pub(crate) target: String,
    /// PASS, MISS, info or ERROR.
    pub(crate) verdict: Verdict,
    /// The raw figures behind the value (absolute times, rates, sizes).
    pub(crate) detail: String,
}

impl Row {
    /// A measured row: `spread` over the rounds, judged by its median against `target`.
    pub(crate) fn measured(
        section: &'static str,
        what: impl Into<String>,
        unit: Unit,
        spread: Spread,
        target: Target,
        detail: impl Into<String>,
    ) -> Row {
        let result = if spread.rounds > 1 {
            format!(
                "{} ({}–{}, {} rounds)",
                unit.show(spread.median),
                unit.show(spread.min),
                unit.show(spread.max),
                spread.rounds
            )
        } else {
            unit.show(spread.median)
        };
        Row {
            section,
            what: what.into(),
            result,
            target: target.show(unit),
            verdict: target.verdict(spread.median),
            detail: detail.into(),
        }
    }

    /// A row that could not be measured.
    pub(crate) fn error(section: &'static str, what: impl Into<String>, why: &str) -> Row {
        Row {
            section,
            what: what.into(),
            result: "—".to_string(),
            target: "—".to_string(),
            verdict: Verdict::Error,
            detail: why.to_string(),
        }
    }
}

/// The rows as a Markdown table, followed by a one-line tally.
pub(crate) fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| section | measurement | result: median (min–max) | target | verdict | detail |\n\
         |---|---|---|---|---|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.section,
            cell(&row.what),
            cell(&row.result),
            cell(&row.target),
            row.verdict.as_str(),
            cell(&row.detail)
        );
    }
    let count = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count();
    let _ = writeln!(
        out,
        "\n{} PASS, {} MISS, {} info, {} ERROR",
        count(Verdict::Pass),
        count(Verdict::Miss),
        count(Verdict::Info),
        count(Verdict::Error)
    );
    out
}

/// A table cell: pipes and line breaks would break the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `85.2 M/s`, `640 /s`: three significant figures are all the noise allows.
pub(crate) fn per_second(value: f64) -> String {
    let (scaled, suffix) = if value >= 1e9 {
        (value / 1e9, "G/s")
    } else if value >= 1e6 {
        (value / 1e6, "M/s")
    } else if value >= 1e3 {
        (value / 1e3, "k/s")
    } else {
        (value, "/s")
    };
    if scaled >= 100.0 {
        format!("{scaled:.0} {suffix}")
    } else if scaled >= 10.0 {
        format!("{scaled:.1} {suffix}")
    } else {
        format!("{scaled:.2} {suffix}")
    }
}

/// A duration in nanoseconds as `812 ns`, `61.2 µs`, `1.30 ms`.
pub(crate) fn nanos(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns >= 10.0 {
        format!("{ns:.0} ns")
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_median() {
        let spread = Spread::of(&[1.02, 1.04, 1.10]).unwrap();
        let row = Row::measured("x", "a ÷ b", Unit::Ratio, spread, Target::AtMost(1.05), "");
        assert_eq!(row.verdict, Verdict::Pass);
        assert_eq!(row.result, "1.040× (1.020×–1.100×, 3 rounds)");
        assert_eq!(row.target, "≤ 1.050×");
        let row = Row::measured("x", "r", Unit::Ratio, spread, Target::AtLeast(1.05), "");
        assert_eq!(row.verdict, Verdict::Miss);
        let row = Row::measured("x", "r", Unit::Ratio, spread, Target::None, "");
        assert_eq!(row.verdict, Verdict::Info);
    }

    #[test]
    fn units_print_readably() {
        assert_eq!(per_second(85_234_000.0), "85.2 M/s");
        assert_eq!(per_second(640.0), "640 /s");
        assert_eq!(per_second(1_500.0), "1.50 k/s");
        assert_eq!(nanos(61_234.0), "61.2 µs");
        assert_eq!(nanos(11.73), "12 ns");
        assert_eq!(nanos(7.25), "7.2 ns");
    }

    #[test]
    fn pipes_do_not_break_rows() {
        let rows = [Row::error("x", "a|b", "no\nway")];
        let text = render(&rows);
        assert!(
            text.contains("| x | a\\|b | — | — | ERROR | no way |"),
            "{text}"
        );
        assert!(
            text.ends_with("0 PASS, 0 MISS, 0 info, 1 ERROR\n"),
            "{text}"
        );
    }
}
