//! `shiming inspect-id` and `shiming inspect-mobile`: offline validation with every reason.
//!
//! Exit 0 when valid, 2 when invalid (the call would be doomed). With `--output json` one
//! object on stdout (see docs/offline.md for its fields); otherwise a few readable lines.

use crate::global::{GlobalArgs, OutputFormat};
use crate::{exit, stdout};
use shiming_numbers::id_number::{self, IdReport, Mode};
use shiming_numbers::mobile::{self, MobileReport};
use shiming_numbers::{Date, Service};
use std::process::ExitCode;

/// Arguments of `inspect-id`.
#[derive(Debug, clap::Args)]
pub(crate) struct InspectIdArgs {
    /// The ID number: 18 characters (a lowercase x is fine) or an old 15-digit number.
    #[arg(value_name = "ID")]
    id: String,
    /// Structure and checksum only: no region check (when our region table may be behind).
    #[arg(long, conflicts_with = "strict")]
    lenient: bool,
    /// The region and its province must have been in force in the birth year.
    #[arg(long)]
    strict: bool,
    /// Reference date for "not in the future" and the age (default: today in China).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    on: Option<Date>,
}

/// Arguments of `inspect-mobile`.
#[derive(Debug, clap::Args)]
pub(crate) struct InspectMobileArgs {
    /// The mobile number: 11 digits, with or without +86/0086, spaces or dashes.
    #[arg(value_name = "MOBILE")]
    mobile: String,
}

/// Parses a `--on` date for clap.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|e| e.to_string())
}

/// Runs `inspect-id`.
pub(crate) fn inspect_id(global: &GlobalArgs, args: InspectIdArgs) -> ExitCode {
    let mode = if args.lenient {
        Mode::Lenient
    } else if args.strict {
        Mode::Strict
    } else {
        Mode::Standard
    };
    let today = args.on.unwrap_or_else(crate::precheck::today);
    let report = id_number::parse(&args.id, mode, today);
    match global.output {
        OutputFormat::Json => stdout::json(&report),
        OutputFormat::Human => print_id(&args.id, &report, today),
    }
    verdict(report.is_valid())
}

/// Runs `inspect-mobile`.
pub(crate) fn inspect_mobile(global: &GlobalArgs, args: InspectMobileArgs) -> ExitCode {
    let report = mobile::parse(&args.mobile);
    match global.output {
        OutputFormat::Json => stdout::json(&report),
        OutputFormat::Human => print_mobile(&args.mobile, &report),
    }
    verdict(report.is_valid())
}

fn verdict(valid: bool) -> ExitCode {
    ExitCode::from(if valid { exit::OK } else { exit::USAGE })
}

/// `  label       value` lines, aligned.
fn field(label: &str, value: &str) {
    stdout::line(&format!("  {label:<11} {value}"));
}

/// `110105198503121234  valid`: the number as checked (normalized when it could be).
fn headline(input: &str, normalized: Option<&str>, valid: bool) {
    let shown = normalized.unwrap_or(input.trim());
    let state = if valid { "valid" } else { "invalid" };
    stdout::line(&format!("{shown}  {state}"));
}

fn print_id(input: &str, report: &IdReport, today: Date) {
    headline(input, report.normalized(), report.is_valid());
    if report.upgraded_from_15() {
        field("upgraded", &format!("from the 15-digit {}", input.trim()));
    }
    if let Some(kind) = report.kind() {
        field("kind", kind.as_str());
    }
    if let Some(code) = report.region_code() {
        let name = report
            .region()
            .map_or_else(|| "(unknown)".to_string(), |r| r.full_name());
        field("region", &format!("{code:06} {name}"));
    }
    if let Some(nationality) = report.nationality_code() {
        field(
            "nationality",
            &format!("{nationality:03} (ISO 3166-1 numeric)"),
        );
    }
    if let Some(birth) = report.birth_date() {
        let age = report
            .age()
            .map_or_else(String::new, |age| format!(" (age {age} on {today})"));
        field("birth date", &format!("{birth}{age}"));
    }
    if let Some(sex) = report.sex() {
        field("sex", sex.as_str());
    }
    for problem in report.problems() {
        field("problem", &problem.to_string());
    }
}

fn print_mobile(input: &str, report: &MobileReport) {
    headline(input, report.normalized(), report.is_valid());
    if let Some(segment) = report.segment() {
        let holder = match segment.carrier() {
            Some(carrier) => format!("{} ({carrier})", segment.holder()),
            None => segment.holder().to_string(),
        };
        let what = match segment.service() {
            Service::Virtual => format!("virtual operator on {holder}"),
            Service::Mobile => holder,
            other => format!("{holder}, {other}"),
        };
        field("segment", &format!("{} {what}", segment.prefix()));
    }
    for problem in report.problems() {
        field("problem", &problem.to_string());
    }
    if report.is_valid() {
        field(
            "note",
            "the segment names the allocated carrier; after porting (携号转网) the live one is `shiming mobile-status`",
        );
    }
}
