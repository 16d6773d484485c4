//! One `shiming batch` process, timed from spawn to exit, with its peak resident memory.
//!
//! Peak memory comes from GNU time (`/usr/bin/time -f '%M %U %S'`: the kernel's maxrss and
//! CPU times of the child, exact) when it is installed, else from polling `/proc/PID/status`
//! `VmHWM` (the kernel's own high-water mark, so polling misses only growth in the last
//! milliseconds; CPU time is then unknown).

use super::serve::{Serve, clean_command};
use super::wire::Account;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// GNU time's report: peak resident KiB, user seconds, system seconds.
/// What GNU time is asked to report: peak KiB, user and system CPU seconds.
pub(crate) const TIME_FORMAT: &str = "%M %U %S";

/// How peak memory is measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RssProbe {
    /// `/usr/bin/time -f '%M %U %S' -o FILE`.
    GnuTime(PathBuf),
    /// Polling `/proc/PID/status`.
    ProcStatus,
}

impl RssProbe {
    /// GNU time when it works here, else `/proc` polling.
    pub(crate) fn detect() -> RssProbe {
        let time = PathBuf::from("/usr/bin/time");
        let works = Command::new(&time)
            .args(["-f", TIME_FORMAT, "-o", "/dev/null", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if works {
            RssProbe::GnuTime(time)
        } else {
            RssProbe::ProcStatus
        }
    }

    /// For the table's header.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            RssProbe::GnuTime(_) => "GNU time (maxrss of the batch process)",
            RssProbe::ProcStatus => "/proc/PID/status VmHWM, polled every 10 ms",
        }
    }
}

/// What one batch did.
#[derive(Debug, Clone)]
pub(crate) struct BatchRun {
    /// Spawn to exit.
    pub(crate) wall: Duration,
    /// Peak resident set, KiB.
    pub(crate) peak_kib: Option<u64>,
    /// The batch's own `elapsed_s` (its engine's clock: no process start-up or exit).
    pub(crate) own_elapsed_s: Option<f64>,
    /// CPU seconds (user + system) the batch process used, when GNU time measured it.
    pub(crate) cpu_s: Option<f64>,
}

/// Where and how batches run.
#[derive(Debug)]
pub(crate) struct BatchSetup<'a> {
    /// The release `shiming`.
    pub(crate) shiming: &'a Path,
    /// The emulator it talks to.
    pub(crate) serve: &'a Serve,
    /// The account it signs with.
    pub(crate) account: Account,
    /// `HOME` of the command and where outputs go.
    pub(crate) work: &'a Path,
    /// Peak-memory measurement.
    pub(crate) probe: &'a RssProbe,
}

/// Runs `shiming batch input --check mobile --vendor wapi --concurrency N` plus `extra` flags
/// (e.g. `--qps 50`) to completion and checks that every one of `rows` rows was sent and
/// answered without error.
pub(crate) fn run_with(
    setup: &BatchSetup<'_>,
    input: &Path,
    rows: usize,
    concurrency: usize,
    extra: &[&str],
) -> Result<BatchRun, String> {
    let out = setup.work.join("batch-out.csv");
    let journal = setup.work.join("batch-out.csv.journal");
    let rss_file = setup.work.join("batch-maxrss.txt");
    // Each batch starts from an empty verdict store of its own (or none with --no-cache in
    // `extra`): a store kept from the last round would answer without asking the emulator.
    let store = setup.work.join("batch-store.sqlite");
    let store_parts = ["", "-wal", "-shm", ".key"].map(|end| {
        let mut name = store.as_os_str().to_owned();
        name.push(end);
        std::path::PathBuf::from(name)
    });
    for stale in store_parts.iter() {
        let _ = std::fs::remove_file(stale);
    }
    for stale in [&out, &journal, &rss_file] {
        let _ = std::fs::remove_file(stale);
    }
    let mut command = match setup.probe {
        RssProbe::GnuTime(time) => {
            let mut command = clean_command(time, setup.work);
            command
                .args(["-f", TIME_FORMAT, "-o"])
                .arg(&rss_file)
                .arg(setup.shiming);
            command
        }
        RssProbe::ProcStatus => clean_command(setup.shiming, setup.work),
    };
    command
        .args(["--output", "json", "batch"])
        .arg(input)
        .args(["--check", "mobile", "--vendor", "wapi"])
        .args(["--concurrency", &concurrency.to_string(), "--out"])
        .arg(&out)
        .args(extra)
        .args(if extra.contains(&"--no-cache") {
            Vec::new()
        } else {
            vec!["--cache".to_string(), store.display().to_string()]
        })
        .env("SHIMING_WAPI_APPID", setup.account.appid)
        .env("SHIMING_WAPI_SECRET", setup.account.secret)
        .env("SHIMING_WAPI_AUTH", "md5")
        .env("SHIMING_WAPI_ENDPOINT", &setup.serve.base_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run shiming batch: {e}"))?;
    let mut polled_kib = None;
    if *setup.probe == RssProbe::ProcStatus {
        let status_path = format!("/proc/{}/status", child.id());
        while child.try_wait().map_err(|e| e.to_string())?.is_none() {
            if let Some(kib) = vm_hwm_kib(&status_path) {
                polled_kib = Some(polled_kib.unwrap_or(0).max(kib));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("shiming batch: {e}"))?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "shiming batch failed ({}): {}",
            output.status,
            stderr.trim()
        ));
    }
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "shiming batch printed no JSON summary ({e}): {}",
            stderr.trim()
        )
    })?;
    check_summary(&summary, rows)?;
    let (peak_kib, cpu_s) = match setup.probe {
        RssProbe::GnuTime(_) => std::fs::read_to_string(&rss_file)
            .ok()
            .and_then(|text| parse_time_report(&text))
            .map_or((None, None), |r| (Some(r.peak_kib), Some(r.cpu_s()))),
        RssProbe::ProcStatus => (polled_kib, None),
    };
    // The outputs of a million rows are large and of no further use.
    for done in [&out, &journal] {
        let _ = std::fs::remove_file(done);
    }
    Ok(BatchRun {
        wall,
        peak_kib,
        own_elapsed_s: summary["elapsed_s"].as_f64(),
        cpu_s,
    })
}

/// Every row sent and answered: no errors, no duplicates, nothing refused offline.
fn check_summary(summary: &serde_json::Value, rows: usize) -> Result<(), String> {
    let count = |key: &str| summary[key].as_u64();
    let ok = count("rows") == Some(rows as u64)
        && count("errors") == Some(0)
        && count("duplicates") == Some(0)
        && count("refused") == Some(0)
        && summary["complete"] == true;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "shiming batch did not check all {rows} rows cleanly: {summary}"
        ))
    }
}

/// What GNU time reported ([`TIME_FORMAT`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TimeReport {
    /// Peak resident memory, KiB.
    pub(crate) peak_kib: u64,
    /// User CPU seconds.
    pub(crate) user_s: f64,
    /// System CPU seconds.
    pub(crate) system_s: f64,
}

impl TimeReport {
    /// User and system CPU seconds together.
    pub(crate) fn cpu_s(self) -> f64 {
        self.user_s + self.system_s
    }
}

/// [`TIME_FORMAT`] from GNU time's output file (its last line: a failing child adds one
/// before it).
pub(crate) fn parse_time_report(text: &str) -> Option<TimeReport> {
    let mut fields = text.trim().lines().last()?.split_whitespace();
    Some(TimeReport {
        peak_kib: fields.next()?.parse().ok()?,
        user_s: fields.next()?.parse().ok()?,
        system_s: fields.next()?.parse().ok()?,
    })
}

fn vm_hwm_kib(status_path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_path).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{check_summary, parse_time_report, vm_hwm_kib};
    use serde_json::json;

    #[test]
    fn summaries_must_account_for_every_row() {
        let clean =
            json!({"rows": 3, "errors": 0, "duplicates": 0, "refused": 0, "complete": true});
        assert!(check_summary(&clean, 3).is_ok());
        assert!(check_summary(&clean, 4).is_err());
        let dup = json!({"rows": 3, "errors": 0, "duplicates": 1, "refused": 0, "complete": true});
        assert!(check_summary(&dup, 3).is_err());
        let stopped =
            json!({"rows": 3, "errors": 0, "duplicates": 0, "refused": 0, "complete": false});
        assert!(check_summary(&stopped, 3).is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reads_the_kernels_high_water_mark() {
        let kib = vm_hwm_kib("/proc/self/status").unwrap();
        assert!(kib > 100, "{kib} KiB");
        assert!(vm_hwm_kib("/proc/self/no-such-file").is_none());
    }

    #[test]
    fn reads_gnu_time_reports() {
        assert_eq!(
            parse_time_report("14236 50.25 20.50\n").map(|r| (r.peak_kib, r.cpu_s())),
            Some((14236, 70.75))
        );
        let failed = "Command exited with non-zero status 2\n9000 0.01 0.00\n";
        assert_eq!(
            parse_time_report(failed).map(|r| (r.peak_kib, r.cpu_s())),
            Some((9000, 0.01))
        );
        assert_eq!(parse_time_report("14236\n"), None);
    }
}
