//! `shiming spend [--since DATE] [--by day|vendor]`: what billed (and possibly billed) calls
//! cost, from the verdict store's spend ledger. Prices are the ones configured when the calls
//! were made (`[prices]`, `--price`); an unpriced call counts at 0 yuan but is still counted.

use crate::commands::cache::open_store;
use crate::global::{GlobalArgs, OutputFormat};
use crate::report::{self, Failure};
use crate::{exit, stdout};
use shiming_store::{Date, SpendBy};
use std::process::ExitCode;

/// How `spend` groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum By {
    /// One row per UTC day.
    Day,
    /// One row per vendor.
    Vendor,
}

/// Arguments of `spend`.
#[derive(Debug, clap::Args)]
pub(crate) struct SpendArgs {
    /// From this UTC date on (YYYY-MM-DD), inclusive; everything when left out.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<Date>,
    /// Group by day or by vendor.
    #[arg(long, value_enum, default_value_t = By::Day)]
    by: By,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text.trim()).map_err(|e| format!("{e} (expected YYYY-MM-DD)"))
}

/// Runs `spend`.
pub(crate) fn run(global: &GlobalArgs, args: SpendArgs) -> ExitCode {
    let store = match open_store(global) {
        Ok(store) => store,
        Err(failure) => return report::failure(global, &failure),
    };
    let by = match args.by {
        By::Day => SpendBy::Day,
        By::Vendor => SpendBy::Vendor,
    };
    let rows = match store.spend(args.since, by) {
        Ok(rows) => rows,
        Err(e) => return report::failure(global, &Failure::usage("store", e.to_string())),
    };
    match global.output {
        OutputFormat::Json => stdout::json(&serde_json::json!({ "rows": rows })),
        OutputFormat::Human => {
            stdout::line(&format!(
                "{:<12} {:>8} {:>12} {:>10} {:>12}",
                if args.by == By::Day { "day" } else { "vendor" },
                "billed",
                "yuan",
                "possibly",
                "yuan (max)"
            ));
            for row in &rows {
                let key = match (row.day, row.vendor) {
                    (Some(day), _) => day.to_string(),
                    (_, Some(vendor)) => vendor.to_string(),
                    _ => String::new(),
                };
                stdout::line(&format!(
                    "{key:<12} {:>8} {:>12} {:>10} {:>12}",
                    row.billed_calls,
                    row.billed.to_string(),
                    row.possibly_billed_calls,
                    row.possibly_billed.to_string()
                ));
            }
        }
    }
    ExitCode::from(exit::OK)
}
