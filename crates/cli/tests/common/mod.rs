//! Helpers for the end-to-end tests: run the real `shiming` binary against a real emulator on
//! 127.0.0.1, with a clean environment.
#![allow(dead_code, unreachable_pub, missing_docs)]

use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, sandbox};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A `shiming` command with no inherited `SHIMING_*` variables and a private, empty config
/// directory (so a developer's own config never leaks into a test), and `--no-cache`: these
/// tests count what reaches the vendor, so a remembered answer would hide it. The verdict
/// store's own tests use [`command_with_store`].
pub fn command(home: &Path) -> Command {
    let mut cmd = command_with_store(home);
    cmd.arg("--no-cache");
    cmd
}

/// [`command`] with the verdict store on, as a user gets it (in `home`'s data directory).
pub fn command_with_store(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiming"));
    for (key, _) in std::env::vars() {
        if key.starts_with("SHIMING_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("APPDATA", home)
        .stdin(Stdio::null());
    cmd
}

/// Runs `shiming args…` with `env` and waits.
pub fn run(home: &Path, args: &[&str], env: &[(String, String)]) -> Run {
    let mut cmd = command(home);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run shiming").into()
}

/// An emulator with the default (sandbox) accounts.
pub fn emulator() -> BlockingEmulator {
    Emulator::start_blocking(EmulatorConfig::default()).expect("start emulator")
}

/// An emulator with `config`.
pub fn emulator_with(config: EmulatorConfig) -> BlockingEmulator {
    Emulator::start_blocking(config).expect("start emulator")
}

/// Credentials of every vendor pointing at `base_url`: the emulator's sandbox accounts, given
/// the way a real account is (variables), so the CLI takes its normal, non-sandbox path.
pub fn credentials(base_url: &str) -> Vec<(String, String)> {
    [
        ("SHIMING_WAPI_APPID", sandbox::WAPI_APPID),
        ("SHIMING_WAPI_SECRET", sandbox::WAPI_SECRET),
        ("SHIMING_WAPI_ENDPOINT", base_url),
        ("SHIMING_QXT_APIKEY", sandbox::QXT_APIKEY),
        ("SHIMING_QXT_ENDPOINT", base_url),
        ("SHIMING_IHUYI_ACCOUNT", sandbox::IHUYI_ACCOUNT),
        ("SHIMING_IHUYI_APIKEY", sandbox::IHUYI_APIKEY),
        ("SHIMING_IHUYI_ENDPOINT", base_url),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Replaces (or adds) one variable in an env list.
pub fn with(mut env: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != key);
    env.push((key.to_string(), value.to_string()));
    env
}

/// Requests the emulator received, over all vendors.
pub fn requests(emulator: &BlockingEmulator) -> u64 {
    let ledger = emulator.ledger();
    ledger.wapi.requests + ledger.qxt.requests + ledger.ihuyi.requests
}

/// The GB 11643 check character of 17 digits.
pub fn id_with_check(body17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body17}{check}")
}

/// `n` distinct made-up people with valid mobiles (China Mobile 139 segment) and ID numbers.
pub fn people(n: usize) -> Vec<(String, String, String)> {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇"];
    (0..n)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                SURNAMES[i % 8],
                GIVEN[(i / 8) % 8],
                GIVEN[(i / 64) % 8]
            );
            let mobile = format!("139{:08}", 10_000_000 + i * 7);
            let day = 1 + (i % 28);
            let id = id_with_check(&format!(
                "1101051990{:02}{:02}{:03}",
                1 + (i / 28) % 12,
                day,
                i % 1000
            ));
            (name, mobile, id)
        })
        .collect()
}

/// Writes a CSV with a `name,mobile,id_number` header.
pub fn write_csv(path: &Path, rows: &[(String, String, String)]) {
    let mut text = String::from("name,mobile,id_number\n");
    for (name, mobile, id) in rows {
        text.push_str(&format!("{name},{mobile},{id}\n"));
    }
    std::fs::write(path, text).expect("write csv");
}

/// Reads an output CSV as header + records.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("open output");
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The values of column `name` in `rows`.
pub fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[i].clone()).collect()
}

/// Asserts that the `row` column holds exactly 1..=n, each once.
pub fn assert_every_row_once(header: &[String], rows: &[Vec<String>], n: usize) {
    let mut numbers: Vec<usize> = column(header, rows, "row")
        .iter()
        .map(|r| r.parse().expect("row number"))
        .collect();
    numbers.sort_unstable();
    let expected: Vec<usize> = (1..=n).collect();
    assert_eq!(numbers, expected, "every input row exactly once");
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// `dir/name`.
pub fn path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Asserts that a finished job's journal holds only its header and completion record: no
/// row, so no personal data, and enough for a rerun to say the job is complete.
pub fn assert_journal_closed(journal: &Path) {
    let text = std::fs::read_to_string(journal).expect("read journal");
    let kinds: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("journal line");
            v["t"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(kinds, ["h", "c"], "{text}");
}

/// Rows a running batch has finished so far: its journal's finished-row records.
pub fn finished_rows(out: &Path) -> usize {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".journal");
    std::fs::read_to_string(out.with_file_name(name))
        .map(|t| t.lines().filter(|l| l.contains("\"t\":\"d\"")).count())
        .unwrap_or(0)
}

/// The Python interpreter of the tests' virtual environment (`.venv` at the repository root,
/// made by `.ci/setup` with the packages the interop tests need, e.g. openpyxl). `None`,
/// with a line saying the test is skipped, when it is missing outside CI; in CI (`CI=true`)
/// a missing interpreter fails the test instead of passing it silently.
pub fn venv_python(needs: &str) -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python3");
    let ok = python.exists()
        && Command::new(&python)
            .args(["-c", &format!("import {needs}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var("CI").is_err(),
        "{} has no {needs}: run .ci/setup",
        python.display()
    );
    eprintln!(
        "SKIPPED: {} has no {needs} (run .ci/setup)",
        python.display()
    );
    None
}

/// `--output json batch INPUT --check CHECK --out OUT EXTRA…`.
pub fn batch_args<'a>(
    input: &'a Path,
    out: &'a Path,
    check: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "--output",
        "json",
        "batch",
        input.to_str().expect("utf-8 path"),
        "--check",
        check,
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    args
}

/// An emulator that answers after `latency_ms` and lets `max_checks` checks of one number
/// through a minute (the tests repeat numbers on purpose).
pub fn slow_emulator(latency_ms: u64, max_checks: u32) -> BlockingEmulator {
    emulator_with(
        EmulatorConfig::default()
            .latency(std::time::Duration::from_millis(latency_ms))
            .rate_limit(Some(shiming_emulator::RateLimit {
                max_checks,
                window: std::time::Duration::from_secs(60),
            })),
    )
}

/// Starts `shiming args…` in the background and returns once its journal shows `rows`
/// finished rows (or after a minute). The caller waits for, or kills, the child.
#[allow(clippy::zombie_processes)] // the caller waits for it
pub fn start_batch(
    home: &Path,
    args: &[&str],
    env: &[(String, String)],
    out: &Path,
    rows: usize,
) -> std::process::Child {
    let mut cmd = command(home);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while finished_rows(out) < rows && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// `text`'s bytes percent-encoded, in upper or lower case hex.
pub fn percent(text: &str, upper: bool) -> String {
    text.bytes()
        .map(|b| {
            if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// A person's data as it may never appear unmasked in logs or results: whole, the name past
/// its surname, the birth date inside the ID number, and the name `\u`-escaped, as HTML
/// character references or percent-encoded.
pub fn person_forms(name: &str, mobile: &str, id_number: &str) -> Vec<String> {
    let tail: String = name.chars().skip(1).collect();
    let mut forms = vec![
        name.to_string(),
        tail.clone(),
        mobile.to_string(),
        id_number.to_string(),
        id_number[6..14].to_string(),
        name.encode_utf16().map(|u| format!("\\u{u:04x}")).collect(),
        name.chars()
            .map(|c| format!("&#x{:x};", u32::from(c)))
            .collect(),
    ];
    for upper in [true, false] {
        forms.push(percent(name, upper));
        forms.push(percent(&tail, upper));
    }
    forms
}

/// Asserts that none of `forms` appears in `text`, in any ASCII case.
#[track_caller]
pub fn assert_none_of(forms: &[String], kind: &str, what: &str, text: &str) {
    let lower = text.to_ascii_lowercase();
    for form in forms {
        assert!(
            !lower.contains(&form.to_ascii_lowercase()),
            "{kind} ({form:?}) leaked into {what}:\n{text}"
        );
    }
}
