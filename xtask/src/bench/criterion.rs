//! Runs a criterion benchmark executable once (one "round") and reads back what it measured
//! from criterion's own files: `<CRITERION_HOME>/<group>/<function>/new/benchmark.json` names
//! the benchmark, `estimates.json` beside it holds the estimates.
//!
//! Every round gets an empty `CRITERION_HOME` of its own under `target/xtask-bench/`, so a
//! round never reads a stale result and the developer's own `target/criterion` baselines are
//! left alone. Criterion's chatter goes to a log file, not the terminal.

use super::build::BenchBinary;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one round measured: median nanoseconds per iteration, by criterion's full id
/// (`group/function`, or the bare name outside a group).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Round {
    medians: BTreeMap<String, Estimate>,
}

/// One benchmark's result in one round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    /// Median time per iteration, nanoseconds (criterion's `median.point_estimate`: the
    /// median is steadier than the mean on a shared machine).
    pub(crate) median_ns: f64,
    /// Elements per iteration when the benchmark declares `Throughput::Elements`.
    pub(crate) elements: Option<u64>,
}

impl Estimate {
    /// Nanoseconds per element (per iteration when there is no element count).
    pub(crate) fn ns_per_element(self) -> f64 {
        self.median_ns / self.elements.unwrap_or(1).max(1) as f64
    }
}

impl Round {
    /// The estimate for `id`, or an error naming the missing benchmark.
    pub(crate) fn get(&self, id: &str) -> Result<Estimate, String> {
        self.medians.get(id).copied().ok_or_else(|| {
            format!(
                "no result for `{id}` (the benchmark has: {})",
                self.medians.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// How long criterion warms up and measures each benchmark (benchmarks that set their own
/// times in code keep them: criterion lets a group's settings beat the command line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Timing {
    /// Seconds of warm-up.
    pub(crate) warm_up_s: f64,
    /// Seconds of measurement.
    pub(crate) measure_s: f64,
}

/// Runs `binary` once with `home` as `CRITERION_HOME`, appending its output to `log`.
pub(crate) fn run_round(
    binary: &BenchBinary,
    home: &Path,
    timing: Timing,
    log: &Path,
) -> Result<Round, String> {
    if home.exists() {
        std::fs::remove_dir_all(home)
            .map_err(|e| format!("cannot empty {}: {e}", home.display()))?;
    }
    std::fs::create_dir_all(home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    let log_file = File::options()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let status = Command::new(&binary.exe)
        .args(["--bench", "--noplot", "--color", "never"])
        .arg("--warm-up-time")
        .arg(timing.warm_up_s.to_string())
        .arg("--measurement-time")
        .arg(timing.measure_s.to_string())
        .current_dir(&binary.package_dir)
        .env("CRITERION_HOME", home)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.exe.display()))?;
    if !status.success() {
        return Err(format!(
            "{} failed ({status}); see {}",
            binary.label,
            log.display()
        ));
    }
    read_home(home)
}

/// Every `new/benchmark.json` under `home`, with the estimates beside it.
fn read_home(home: &Path) -> Result<Round, String> {
    let mut round = Round::default();
    let mut pending = vec![home.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| n == "benchmark.json")
                && path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "new")
            {
                let (id, estimate) = read_pair(&path)?;
                round.medians.insert(id, estimate);
            }
        }
    }
    if round.medians.is_empty() {
        return Err(format!(
            "criterion wrote no results under {}",
            home.display()
        ));
    }
    Ok(round)
}

fn read_pair(benchmark_json: &Path) -> Result<(String, Estimate), String> {
    let read = |path: &Path| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
    };
    let benchmark = read(benchmark_json)?;
    let estimates = read(&benchmark_json.with_file_name("estimates.json"))?;
    parse_pair(&benchmark, &estimates)
        .ok_or_else(|| format!("unexpected criterion files at {}", benchmark_json.display()))
}

fn parse_pair(
    benchmark: &serde_json::Value,
    estimates: &serde_json::Value,
) -> Option<(String, Estimate)> {
    let id = benchmark["full_id"].as_str()?.to_string();
    let median_ns = estimates["median"]["point_estimate"].as_f64()?;
    let elements = benchmark["throughput"]["Elements"].as_u64();
    Some((
        id,
        Estimate {
            median_ns,
            elements,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_files() {
        let home = tempfile_dir();
        let dir = home.join("mobile").join("segment_of").join("new");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("benchmark.json"),
            r#"{"group_id":"mobile","function_id":"segment_of","value_str":null,
                "throughput":{"Elements":1024},"full_id":"mobile/segment_of",
                "directory_name":"mobile/segment_of","title":"mobile/segment_of"}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("estimates.json"),
            r#"{"mean":{"point_estimate":12000.0},"median":{"point_estimate":10240.0}}"#,
        )
        .unwrap();
        // A baseline folder criterion keeps from the previous run is not read.
        let base = home.join("mobile").join("segment_of").join("base");
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("benchmark.json"), "not json").unwrap();

        let round = read_home(&home).unwrap();
        let estimate = round.get("mobile/segment_of").unwrap();
        assert_eq!(estimate.elements, Some(1024));
        assert_eq!(estimate.ns_per_element(), 10.0);
        assert!(
            round
                .get("mobile/check")
                .unwrap_err()
                .contains("mobile/segment_of")
        );
        std::fs::remove_dir_all(&home).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-bench-criterion-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
