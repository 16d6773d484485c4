//! The `fuzz` task: seeds the corpora and runs the cargo-fuzz targets in `fuzz/`, one after
//! the other, then prints executions per target and what was found.
//!
//! ```text
//! cargo xtask fuzz [--seconds N] [--target NAME]... [--jobs J]
//! ```
//!
//! - `--seconds N`: how long each target runs (default 60).
//! - `--target NAME`: run only these targets (repeatable, or comma-separated); default all.
//! - `--jobs J`: libFuzzer processes per target (cargo-fuzz `--jobs`, default 1). Targets
//!   always run one at a time.
//!
//! Seeds are generated here at run time, never committed: the codec's fixtures
//! (`crates/codec/tests/fixtures`) are copied into `fuzz/corpus/<target>/` (gitignored) behind
//! the framing prefix the harness expects (`fuzz/src/frame.rs`, `fuzz/src/numbers.rs`).
//! Whatever libFuzzer adds to a corpus stays there for the next run. Crashes land in
//! `fuzz/artifacts/<target>/`. See `docs/fuzzing.md`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{Flags, number_within, run_loud, workspace_root};

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--target NAME]... [--jobs J]";
const DEFAULT_SECONDS: u64 = 60;
const INSTALL_CARGO_FUZZ: &str = "cargo install cargo-fuzz --locked";
const INSTALL_NIGHTLY: &str = "rustup toolchain install nightly";

/// The framing prefix of the decoder targets: status 200, no headers (`fuzz/src/frame.rs`).
const DECODER_PREFIX: &[u8] = &[0, 0, 0];
/// The framing prefix of `id_number`: Standard mode, today = 2024-06-01
/// (`fuzz/src/numbers.rs`).
const ID_PREFIX: &[u8] = &[0, 0, 0];
/// The framing prefix of `batch_input`: UTF-8, one byte per read (`fuzz/src/batch_input.rs`).
const BATCH_PREFIX: &[u8] = &[0];

/// libFuzzer flags every run gets. Inputs stay small (answers are a few hundred bytes); a
/// single input taking 10 s is a hang worth reporting.
const LIBFUZZER_FLAGS: &[&str] = &[
    "-print_final_stats=1",
    "-max_len=8192",
    "-timeout=10",
    "-rss_limit_mb=2048",
];

struct Options {
    seconds: u64,
    targets: Vec<String>,
    jobs: u32,
}

/// What one target's run produced.
struct Outcome {
    target: String,
    executions: Option<u64>,
    /// Executions per second as libFuzzer measured them (a crashed run stops early).
    rate: Option<u64>,
    corpus: usize,
    crashed: bool,
    artifact: Option<String>,
}

/// Runs the task with the arguments after its name.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    check_tools()?;
    let fuzz_dir = workspace_root().join("fuzz");
    let available = list_targets(&fuzz_dir)?;
    let targets = if options.targets.is_empty() {
        available.clone()
    } else {
        for target in &options.targets {
            if !available.contains(target) {
                return Err(format!(
                    "no fuzz target `{target}`; the targets are: {}",
                    available.join(", ")
                ));
            }
        }
        options.targets.clone()
    };

    // One build for every target, so the timed runs start at once.
    run_loud(nightly(&fuzz_dir).args(["fuzz", "build"]))?;

    let mut outcomes = Vec::new();
    for target in &targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeded = seed(target, &corpus)?;
        eprintln!("== {target}: {seeded} seed(s), {} s", options.seconds);
        outcomes.push(run_target(&fuzz_dir, target, &corpus, &options)?);
    }
    report(&outcomes, options.seconds);

    let crashed: Vec<String> = outcomes
        .iter()
        .filter(|o| o.crashed)
        .map(|o| match &o.artifact {
            Some(artifact) => format!("{} ({artifact})", o.target),
            None => o.target.clone(),
        })
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} target(s) failed: {}\nreproduce with `cargo +nightly fuzz run <target> <artifact>` in fuzz/",
            crashed.len(),
            crashed.join(", ")
        ))
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seconds: DEFAULT_SECONDS,
        targets: Vec::new(),
        jobs: 1,
    };
    let mut flags = Flags::new(args, USAGE);
    while let Some((flag, inline)) = flags.next_flag() {
        let mut value = |name: &str| flags.value(name, inline);
        match flag {
            "--seconds" => {
                options.seconds = number_within(value("--seconds")?, 1..)
                    .ok_or_else(|| format!("--seconds takes a positive integer\n{USAGE}"))?;
            }
            "--target" => {
                let names = value("--target")?;
                options.targets.extend(
                    names
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned),
                );
            }
            "--jobs" => {
                options.jobs = number_within(value("--jobs")?, 1..)
                    .ok_or_else(|| format!("--jobs takes a positive integer\n{USAGE}"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

/// `cargo +nightly …` in `dir`, cleaned of what an enclosing `cargo run` exports: cargo-fuzz
/// calls `$CARGO` when set, which would be the stable cargo that runs this task.
fn nightly(dir: &Path) -> Command {
    let mut command = Command::new("cargo");
    command
        .arg("+nightly")
        .current_dir(dir)
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTUP_TOOLCHAIN");
    command
}

/// cargo-fuzz and a nightly toolchain must be installed; says how to install them if not.
fn check_tools() -> Result<(), String> {
    let works = |command: &mut Command| {
        command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut missing = Vec::new();
    if !works(nightly(&workspace_root()).arg("--version")) {
        missing.push(format!(
            "the nightly toolchain (cargo-fuzz needs it for sanitizers): {INSTALL_NIGHTLY}"
        ));
    } else if !works(nightly(&workspace_root()).args(["fuzz", "--version"])) {
        missing.push(format!("cargo-fuzz: {INSTALL_CARGO_FUZZ}"));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing tools:\n  {}", missing.join("\n  ")))
    }
}

/// The targets `fuzz/Cargo.toml` declares, as `cargo fuzz list` prints them.
fn list_targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let output = nightly(fuzz_dir)
        .args(["fuzz", "list"])
        .output()
        .map_err(|e| format!("cannot run `cargo fuzz list`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo fuzz list` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let targets: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if targets.is_empty() {
        return Err("`cargo fuzz list` found no targets in fuzz/".to_owned());
    }
    Ok(targets)
}

/// Where a target's seeds come from: fixture folders (relative to the codec's fixtures),
/// which files, and how each is framed.
enum Seeds {
    /// Fixture files with one of these extensions, behind [`DECODER_PREFIX`].
    Fixtures {
        dirs: &'static [&'static str],
        extensions: &'static [&'static str],
        /// Also wrap each `.json` fixture as JSONP.
        wrap_json_as_jsonp: bool,
    },
    /// Literal texts behind a prefix.
    Texts {
        prefix: &'static [u8],
        texts: &'static [&'static str],
    },
    /// Structured (arbitrary-derived) input: fixture bytes would mean nothing.
    None,
}

const WAPI_DIRS: &[&str] = &["wapi/mobile_two_elements", "wapi/id_two_elements"];
/// Every extension the fixtures use (bodies that are not answers included).
const ALL_EXTENSIONS: &[&str] = &["json", "jsonp", "xml", "txt", "html"];

/// Seed texts for the ID parser: every length and kind the parser tells apart. The example
/// numbers are made up (the vendor documents' examples are too).
const ID_TEXTS: &[&str] = &[
    "11010519491231002X",
    "11010519491231002x",
    "110105491231002",
    "1101 0519 4912 3100 2X",
    "８１００００１９９７０１０１０００X",
    "810000199701010004",
    "911156199001010012",
    "50010519900101001",
    // Finding N2 (docs/fuzzing.md): old numbers shaped like other kinds of card.
    "810001890710004",
    "911156111110011",
];

/// Seed files for the batch reader: the example file, every header spelling, JSON lines,
/// quoting, CRLF, a BOM, short and long rows. Made-up people.
const BATCH_TEXTS: &[&str] = &[
    include_str!("../../examples/people.csv"),
    "\u{feff}姓名,手机号,身份证号\r\n张三,13800138000,11010519491231002x\r\n",
    "name,mobile\n\"李,四\",\" 139 0013 9000 \"\n\"王\n五\",1\nonly\na,b,c,d\n",
    "ID_NUMBER,Name\n11010519491231002X,赵六\n",
    "{\"name\":\"a\",\"mobile\":13800138000}\n\n{\"姓名\":\"b\",\"id_number\":\"1\"}\n[]\n\"x\"\n{\"name\":true}\n",
];

/// Seed texts for the mobile parser: separators, country codes, full-width digits.
const MOBILE_TEXTS: &[&str] = &[
    "18688888888",
    "+86 186-8888-8888",
    "0086 138 0013 8000",
    "+8613800138000",
    "１３８００１３８０００",
    "15412345678",
    "+1 415 555 0100",
    "17012345678",
    // Finding N1 (docs/fuzzing.md): a separator inside the last six digits.
    "1701234,678",
];

fn seeds_for(target: &str) -> Seeds {
    let fixtures = |dirs, extensions, wrap_json_as_jsonp| Seeds::Fixtures {
        dirs,
        extensions,
        wrap_json_as_jsonp,
    };
    match target {
        t if t.starts_with("decode_wapi_") && t.ends_with("_jsonp") => {
            fixtures(WAPI_DIRS, &["jsonp"], true)
        }
        t if t.starts_with("decode_wapi_") && t.ends_with("_json") => {
            fixtures(WAPI_DIRS, &["json", "txt", "html"], false)
        }
        t if t.starts_with("decode_wapi_") && t.ends_with("_xml") => {
            fixtures(WAPI_DIRS, &["xml"], false)
        }
        "decode_qxt" => fixtures(&["qxt/mobile_two_elements"], ALL_EXTENSIONS, false),
        "decode_ihuyi_submit" => fixtures(&["ihuyi/mobile_status"], ALL_EXTENSIONS, false),
        "decode_ihuyi_getnum" => fixtures(&["ihuyi/balance"], ALL_EXTENSIONS, false),
        "id_number" => Seeds::Texts {
            prefix: ID_PREFIX,
            texts: ID_TEXTS,
        },
        "mobile" => Seeds::Texts {
            prefix: &[],
            texts: MOBILE_TEXTS,
        },
        "batch_input" => Seeds::Texts {
            prefix: BATCH_PREFIX,
            texts: BATCH_TEXTS,
        },
        _ => Seeds::None,
    }
}

/// Writes `target`'s seeds into `corpus` (overwriting earlier seeds of the same name, keeping
/// whatever libFuzzer added); returns how many were written.
fn seed(target: &str, corpus: &Path) -> Result<usize, String> {
    fs::create_dir_all(corpus).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    match seeds_for(target) {
        Seeds::Fixtures {
            dirs,
            extensions,
            wrap_json_as_jsonp,
        } => {
            let root = workspace_root().join("crates/codec/tests/fixtures");
            for dir in dirs {
                for path in files(&root.join(dir))? {
                    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                    let name = format!(
                        "seed-{}-{}",
                        dir.replace('/', "-"),
                        path.file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or("fixture")
                    );
                    let body = fs::read(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    if wrap_json_as_jsonp && extension == "json" {
                        let wrapped = [b"shiming_cb(".as_slice(), &body, b");"].concat();
                        seeds.push((format!("{name}p"), framed(DECODER_PREFIX, &wrapped)));
                    }
                    if extensions.contains(&extension) {
                        seeds.push((name, framed(DECODER_PREFIX, &body)));
                    }
                }
            }
        }
        Seeds::Texts { prefix, texts } => {
            for (i, text) in texts.iter().enumerate() {
                seeds.push((format!("seed-{i}"), framed(prefix, text.as_bytes())));
            }
        }
        Seeds::None => {}
    }
    for (name, bytes) in &seeds {
        let path = corpus.join(name);
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(seeds.len())
}

fn framed(prefix: &[u8], body: &[u8]) -> Vec<u8> {
    [prefix, body].concat()
}

/// The files directly in `dir`, sorted.
fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The dictionary of tokens (field names, codes, XML syntax) that helps a target, if any.
fn dictionary(fuzz_dir: &Path, target: &str) -> Option<PathBuf> {
    let name = match target {
        "decode_wapi_formats_agree" => return None,
        t if t.starts_with("decode_wapi_") => "wapi.dict",
        "decode_qxt" => "qxt.dict",
        t if t.starts_with("decode_ihuyi_") => "ihuyi.dict",
        "batch_input" => "batch.dict",
        _ => return None,
    };
    Some(fuzz_dir.join("dicts").join(name)).filter(|path| path.is_file())
}

/// Runs one target for `options.seconds`, echoing libFuzzer's output and reading its final
/// statistics from it.
fn run_target(
    fuzz_dir: &Path,
    target: &str,
    corpus: &Path,
    options: &Options,
) -> Result<Outcome, String> {
    let mut command = nightly(fuzz_dir);
    command
        .args(["fuzz", "run", "--jobs", &options.jobs.to_string(), target])
        .arg(corpus)
        .arg("--")
        .arg(format!("-max_total_time={}", options.seconds))
        .args(LIBFUZZER_FLAGS);
    if let Some(dict) = dictionary(fuzz_dir, target) {
        command.arg(format!("-dict={}", dict.display()));
    }
    eprintln!("$ {command:?}");
    let mut child = command
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo fuzz run: {e}"))?;

    let mut stats = Stats::default();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            eprintln!("{line}");
            stats.read(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo fuzz run {target}: {e}"))?;
    Ok(Outcome {
        target: target.to_owned(),
        executions: stats.executions(),
        rate: stats.rate,
        corpus: files(corpus).map_or(0, |f| f.len()),
        crashed: !status.success(),
        artifact: stats.artifact,
    })
}

/// What libFuzzer's output says about a run.
#[derive(Default)]
struct Stats {
    /// `stat::number_of_executed_units`, from `-print_final_stats=1` (summed over jobs).
    final_units: Option<u64>,
    /// `stat::average_exec_per_sec` (summed over jobs).
    rate: Option<u64>,
    /// The highest `#N` progress line: the fallback when no final stats were printed.
    progress: Option<u64>,
    /// `Test unit written to <path>`: the crashing input.
    artifact: Option<String>,
}

impl Stats {
    fn read(&mut self, line: &str) {
        if let Some(value) = line.strip_prefix("stat::number_of_executed_units:") {
            if let Ok(units) = value.trim().parse::<u64>() {
                self.final_units = Some(self.final_units.unwrap_or(0) + units);
            }
        } else if let Some(value) = line.strip_prefix("stat::average_exec_per_sec:") {
            if let Ok(rate) = value.trim().parse::<u64>() {
                self.rate = Some(self.rate.unwrap_or(0) + rate);
            }
        } else if let Some(rest) = line.strip_prefix('#') {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u64>() {
                self.progress = Some(self.progress.map_or(n, |p| p.max(n)));
            }
        } else if let Some((_, path)) = line.split_once("Test unit written to ") {
            self.artifact = Some(path.trim().to_owned());
        }
    }

    fn executions(&self) -> Option<u64> {
        self.final_units.or(self.progress)
    }
}

/// The table of executions per target.
fn report(outcomes: &[Outcome], seconds: u64) {
    eprintln!();
    eprintln!(
        "{:<28} {:>12} {:>10} {:>8}  result",
        "target", "executions", "execs/s", "corpus"
    );
    for o in outcomes {
        let executions = o.executions.map_or("?".to_owned(), |n| n.to_string());
        let rate = o
            .rate
            .or(o.executions.map(|n| n / seconds))
            .map_or("?".to_owned(), |r| r.to_string());
        let result = match (&o.crashed, &o.artifact) {
            (false, _) => "ok".to_owned(),
            (true, Some(artifact)) => format!("FAILED: {artifact}"),
            (true, None) => "FAILED (see output above)".to_owned(),
        };
        eprintln!(
            "{:<28} {:>12} {:>10} {:>8}  {result}",
            o.target, executions, rate, o.corpus
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_flags_with_and_without_equals() {
        let options = parse(&args(&[
            "--seconds=5",
            "--target",
            "decode_qxt,mobile",
            "--target=sign_wapi",
            "--jobs",
            "2",
        ]))
        .expect("valid");
        assert_eq!(options.seconds, 5);
        assert_eq!(options.targets, ["decode_qxt", "mobile", "sign_wapi"]);
        assert_eq!(options.jobs, 2);
        assert!(parse(&args(&["--seconds", "0"])).is_err());
        assert!(parse(&args(&["--jobs"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
    }

    #[test]
    fn reads_libfuzzer_statistics() {
        let mut stats = Stats::default();
        for line in [
            "#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb",
            "#524288\tpulse  cov: 900 ft: 2000 corp: 80/4Kb exec/s: 8738 rss: 60Mb",
            "stat::number_of_executed_units: 530001",
            "stat::average_exec_per_sec:     8833",
            "artifact_prefix='x/'; Test unit written to fuzz/artifacts/mobile/crash-abc",
        ] {
            stats.read(line);
        }
        assert_eq!(stats.executions(), Some(530_001));
        assert_eq!(stats.rate, Some(8833));
        assert_eq!(
            stats.artifact.as_deref(),
            Some("fuzz/artifacts/mobile/crash-abc")
        );
        let mut progress_only = Stats::default();
        progress_only.read("#77\tDONE   cov: 1");
        assert_eq!(progress_only.executions(), Some(77));
    }

    #[test]
    fn every_target_family_has_seeds_or_is_structured() {
        assert!(matches!(
            seeds_for("decode_wapi_id_jsonp"),
            Seeds::Fixtures {
                wrap_json_as_jsonp: true,
                ..
            }
        ));
        assert!(matches!(
            seeds_for("decode_wapi_mobile_json"),
            Seeds::Fixtures {
                wrap_json_as_jsonp: false,
                ..
            }
        ));
        assert!(matches!(seeds_for("mobile"), Seeds::Texts { .. }));
        assert!(matches!(seeds_for("sign_wapi"), Seeds::None));
    }
}
