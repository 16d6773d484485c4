//! `shiming cache stats | forget | purge`: what the verdict store holds, a person's right to
//! deletion (PIPL), and housekeeping. The store holds no name, mobile or ID number, only keyed
//! hashes of them: `forget` hashes what it is given the same way and removes every match.

use crate::global::{GlobalArgs, OutputFormat};
use crate::report::{self, Failure};
use crate::{answers, exit, stdout};
use shiming_store::{Store, StoreOptions};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

/// `shiming cache …`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CacheCommand {
    /// Entries per check, the oldest, the file's size.
    Stats,
    /// Remove every remembered answer about a person (a mobile, optionally with the name, or
    /// an ID number).
    Forget(ForgetArgs),
    /// Remove remembered answers: all, or those older than a duration (e.g. 30d, 12h).
    Purge(PurgeArgs),
}

/// Arguments of `cache forget`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["mobile", "id"])))]
pub(crate) struct ForgetArgs {
    /// The mobile number: its status and every two-element answer about it.
    #[arg(long)]
    mobile: Option<String>,
    /// With --mobile: only this person's answers about the number.
    #[arg(long, requires = "mobile")]
    name: Option<String>,
    /// The ID number (15 or 18 digits: both forms are one person).
    #[arg(long, conflicts_with = "mobile")]
    id: Option<String>,
}

/// Arguments of `cache purge`.
#[derive(Debug, clap::Args)]
pub(crate) struct PurgeArgs {
    /// Only answers older than this (`90d`, `12h`, `30m`); all when left out.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    older_than: Option<Duration>,
}

/// `30d`, `12h`, `45m`, `10s`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 30d, 12h, 45m or 10s"))?;
    let seconds = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => return Err(format!("`{text}`: the unit must be d, h, m or s")),
    };
    Ok(Duration::from_secs(n.saturating_mul(seconds)))
}

/// Opens the store of the real accounts (`--sandbox`: the sandbox's), or fails naming it.
pub(crate) fn open_store(global: &GlobalArgs) -> Result<Store, Failure> {
    let path = crate::cache::store_path(global, global.sandbox)
        .map_err(|e| Failure::usage("store", e))?
        .ok_or_else(|| Failure::usage("usage", "--no-cache: there is no store to look at"))?;
    Store::open(&path, StoreOptions::new()).map_err(|e| Failure::usage("store", e.to_string()))
}

/// Runs `cache …`.
pub(crate) fn run(global: &GlobalArgs, command: CacheCommand) -> ExitCode {
    let store = match open_store(global) {
        Ok(store) => store,
        Err(failure) => return report::failure(global, &failure),
    };
    let outcome = match command {
        CacheCommand::Stats => stats(global, &store),
        CacheCommand::Forget(args) => {
            let removed = match (&args.mobile, &args.id) {
                (Some(mobile), _) => store.forget_mobile(mobile, args.name.as_deref()),
                (None, Some(id)) => store.forget_id(id),
                (None, None) => Ok(0),
            };
            removed.map(|n| {
                say(
                    global,
                    "removed",
                    n,
                    &format!("removed {n} remembered answers"),
                );
            })
        }
        CacheCommand::Purge(args) => store.purge(args.older_than, SystemTime::now()).map(|n| {
            say(
                global,
                "removed",
                n,
                &format!("removed {n} remembered answers"),
            )
        }),
    };
    match outcome {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => report::failure(global, &Failure::usage("store", e.to_string())),
    }
}

fn say(global: &GlobalArgs, key: &str, n: u64, human: &str) {
    match global.output {
        OutputFormat::Json => stdout::json(&serde_json::json!({ key: n })),
        OutputFormat::Human => stdout::line(human),
    }
}

fn stats(global: &GlobalArgs, store: &Store) -> Result<(), shiming_store::StoreError> {
    let stats = store.stats()?;
    match global.output {
        OutputFormat::Json => {
            let checks: Vec<serde_json::Value> = stats
                .per_check
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "check": c.check.as_str(),
                        "entries": c.entries,
                        "oldest": c.oldest.map(answers::rfc3339),
                    })
                })
                .collect();
            stdout::json(&serde_json::json!({
                "file": store.path().display().to_string(),
                "bytes": stats.file_bytes,
                "spend_rows": stats.spend_rows,
                "checks": checks,
            }));
        }
        OutputFormat::Human => {
            stdout::line(&format!(
                "{} ({} bytes, {} spend records)",
                store.path().display(),
                stats.file_bytes,
                stats.spend_rows
            ));
            for c in &stats.per_check {
                stdout::line(&format!(
                    "{:<20} {:>8} entries{}",
                    c.check.as_str(),
                    c.entries,
                    c.oldest
                        .map(|t| format!(", oldest {}", answers::rfc3339(t)))
                        .unwrap_or_default()
                ));
            }
        }
    }
    Ok(())
}
