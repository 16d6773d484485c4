//! Helpers for the end-to-end tests: run the real `shiming` binary against a real emulator on
//! 127.0.0.1, with a clean environment.
#![allow(dead_code, unreachable_pub, missing_docs)]

use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, sandbox};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

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

impl Run {
    /// Asserts the exit code (the whole run shown when it differs).
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "{self:?}");
        self
    }

    /// Asserts that stdout contains `text`.
    #[track_caller]
    pub fn assert_stdout_has(&self, text: &str) -> &Run {
        self.assert_has(("stdout", &self.stdout), text)
    }

    /// Asserts that stderr contains `text`.
    #[track_caller]
    pub fn assert_stderr_has(&self, text: &str) -> &Run {
        self.assert_has(("stderr", &self.stderr), text)
    }

    #[track_caller]
    fn assert_has(&self, (name, stream): (&str, &str), text: &str) -> &Run {
        assert!(stream.contains(text), "{text:?} not on {name}: {self:?}");
        self
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
    run_command(command(home), args, env)
}

/// Runs `shiming args…` with the verdict store on (in `home`'s data directory).
pub fn run_stored(home: &Path, args: &[&str], env: &[(String, String)]) -> Run {
    run_command(command_with_store(home), args, env)
}

/// Runs `cmd args…` with `env` and waits.
pub fn run_command(mut cmd: Command, args: &[&str], env: &[(String, String)]) -> Run {
    cmd.args(args).envs(env.iter().cloned());
    cmd.output().expect("run shiming").into()
}

/// An emulator with the default (sandbox) accounts.
pub fn emulator() -> BlockingEmulator {
    Emulator::start_blocking(EmulatorConfig::default()).expect("start emulator")
}

/// An emulator with the default accounts, and those accounts' credentials.
pub fn emulator_and_credentials() -> (BlockingEmulator, Vec<(String, String)>) {
    let emu = emulator();
    let env = credentials(emu.base_url());
    (emu, env)
}

/// A fresh home, an emulator with the default accounts, and those accounts' credentials.
pub fn world() -> (tempfile::TempDir, BlockingEmulator, Vec<(String, String)>) {
    let (emu, env) = emulator_and_credentials();
    (tempdir(), emu, env)
}

/// A fresh home holding `in.csv` with `rows`, and the path `out_name` beside it.
pub fn job_files(
    rows: &[(String, String, String)],
    out_name: &str,
) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let home = tempdir();
    let input = path(&home, "in.csv");
    write_csv(&input, rows);
    let out = path(&home, out_name);
    (home, input, out)
}

/// `shiming --output json batch INPUT --check CHECK --out OUT EXTRA…` against `emu` with its
/// default accounts' credentials.
pub fn run_batch(
    home: impl AsRef<Path>,
    emu: &BlockingEmulator,
    input: &Path,
    out: &Path,
    check: &str,
    extra: &[&str],
) -> Run {
    let args = batch_args(input, out, check, extra);
    run(home.as_ref(), &args, &credentials(emu.base_url()))
}

/// An emulator with `config`.
pub fn emulator_with(config: EmulatorConfig) -> BlockingEmulator {
    Emulator::start_blocking(config).expect("start emulator")
}

/// One vendor account of each kind, as the variables that configure it.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub wapi_appid: &'a str,
    pub wapi_secret: &'a str,
    pub qxt_apikey: &'a str,
    pub ihuyi_account: &'a str,
    pub ihuyi_apikey: &'a str,
}

impl Accounts<'static> {
    /// The emulator's sandbox accounts.
    pub const SANDBOX: Accounts<'static> = Accounts {
        wapi_appid: sandbox::WAPI_APPID,
        wapi_secret: sandbox::WAPI_SECRET,
        qxt_apikey: sandbox::QXT_APIKEY,
        ihuyi_account: sandbox::IHUYI_ACCOUNT,
        ihuyi_apikey: sandbox::IHUYI_APIKEY,
    };
}

impl Accounts<'_> {
    /// Every vendor configured with these accounts at `base_url`, by variables.
    pub fn env(&self, base_url: &str) -> Vec<(String, String)> {
        vars(&[
            ("SHIMING_WAPI_APPID", self.wapi_appid),
            ("SHIMING_WAPI_SECRET", self.wapi_secret),
            ("SHIMING_WAPI_ENDPOINT", base_url),
            ("SHIMING_QXT_APIKEY", self.qxt_apikey),
            ("SHIMING_QXT_ENDPOINT", base_url),
            ("SHIMING_IHUYI_ACCOUNT", self.ihuyi_account),
            ("SHIMING_IHUYI_APIKEY", self.ihuyi_apikey),
            ("SHIMING_IHUYI_ENDPOINT", base_url),
        ])
    }
}

/// Credentials of every vendor pointing at `base_url`: the emulator's sandbox accounts, given
/// the way a real account is (variables), so the CLI takes its normal, non-sandbox path.
pub fn credentials(base_url: &str) -> Vec<(String, String)> {
    Accounts::SANDBOX.env(base_url)
}

/// An env list from `(name, value)` pairs.
pub fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A command line's words, split at white space (for lines whose words hold none).
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// `--output json`.
pub const JSON: [&str; 2] = ["--output", "json"];

/// `mobile-check --name NAME --mobile MOBILE EXTRA…`.
pub fn mobile_check<'a>(name: &'a str, mobile: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["mobile-check", "--name", name, "--mobile", mobile];
    args.extend_from_slice(extra);
    args
}

/// `id-check --name NAME --id ID EXTRA…`.
pub fn id_check<'a>(name: &'a str, id: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["id-check", "--name", name, "--id", id];
    args.extend_from_slice(extra);
    args
}

/// `args` run once with each `--output` (human, then JSON), the flag appended.
pub fn with_each_output<'a>(args: &[&'a str]) -> [Vec<&'a str>; 2] {
    ["human", "json"].map(|output| {
        let mut args = args.to_vec();
        args.extend(["--output", output]);
        args
    })
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

/// A JSON lines file, one value a line.
pub fn read_json_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("read the output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The `row` fields of JSON lines, sorted.
pub fn row_numbers(lines: &[serde_json::Value]) -> Vec<usize> {
    let mut numbers: Vec<usize> = lines
        .iter()
        .map(|l| l["row"].as_u64().expect("a row number") as usize)
        .collect();
    numbers.sort_unstable();
    numbers
}

/// Asserts that the `row` fields of JSON lines hold exactly 1..=n, each once.
pub fn assert_json_rows_once(lines: &[serde_json::Value], n: usize) {
    let expected: Vec<usize> = (1..=n).collect();
    assert_eq!(row_numbers(lines), expected, "every input row exactly once");
}

/// The permission bits of `path`.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
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

/// The emulator's defaults, letting `max_checks` checks of one number through a minute.
pub fn checks_per_minute(max_checks: u32) -> EmulatorConfig {
    EmulatorConfig::default().rate_limit(Some(shiming_emulator::RateLimit {
        max_checks,
        window: std::time::Duration::from_secs(60),
    }))
}

/// An emulator that answers after `latency_ms` and lets `max_checks` checks of one number
/// through a minute (the tests repeat numbers on purpose), and its credentials.
pub fn slow_world(latency_ms: u64, max_checks: u32) -> (BlockingEmulator, Vec<(String, String)>) {
    let latency = std::time::Duration::from_millis(latency_ms);
    let emu = emulator_with(checks_per_minute(max_checks).latency(latency));
    let env = credentials(emu.base_url());
    (emu, env)
}

/// `--output json batch INPUT --check mobile --out OUT --vendor wapi EXTRA…`.
pub fn wapi_batch<'a>(input: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    batch_args(
        input,
        out,
        "mobile",
        &[&["--vendor", "wapi"], extra].concat(),
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
    let child = command(home)
        .args(args)
        .envs(env.iter().cloned())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while finished_rows(out) < rows && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// Kills a batch started by [`start_batch`] with SIGKILL (no cleanup runs) and returns the
/// number of rows finished at that moment.
pub fn kill_9(mut child: std::process::Child, out: &Path) -> usize {
    let written = finished_rows(out);
    child.kill().expect("kill -9");
    let _ = child.wait();
    written
}

/// `args --resume`.
pub fn resumed<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [args, &["--resume"]].concat()
}

/// Runs `args --resume`, which must finish the job: exit 0, and each of the `n` input rows
/// once in the output CSV `out`. Returns the run and the output's header and rows.
pub fn finish_resumed(
    home: &Path,
    args: &[&str],
    env: &[(String, String)],
    out: &Path,
    n: usize,
) -> (Run, Vec<String>, Vec<Vec<String>>) {
    let finished = run(home, &resumed(args), env);
    assert_eq!(finished.code, 0, "{finished:?}");
    let (header, rows) = read_csv(out);
    assert_every_row_once(&header, &rows, n);
    (finished, header, rows)
}

/// Sends signal `name` (`TERM`, `HUP`…) to `child`.
pub fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name}");
}

/// What a `shiming serve` process printed first, and the rest of its stdout.
pub struct Listening {
    /// The line itself, `listening on URL`.
    pub first: String,
    /// The URL it listens on.
    pub url: String,
    pub stdout: BufReader<ChildStdout>,
}

/// Waits for the first line of a `serve` child whose stdout is piped.
pub fn listening(child: &mut Child) -> Listening {
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("read stdout");
    let url = first.trim().trim_start_matches("listening on ").to_string();
    Listening { first, url, stdout }
}

#[allow(unused_imports)] // not every suite checks for leaks
pub use shiming_test_support::sentinel::{assert_none_of, person_forms};

/// The sentinel person of the leak tests (`leaks.rs`, `secrets.rs`): their name, mobile and
/// ID number may appear nowhere unmasked.
pub mod sentinel {
    use std::path::{Path, PathBuf};

    #[allow(unused_imports)] // each leak suite uses its own part
    pub use shiming_test_support::sentinel::{
        ACCOUNT, APPID, ID_NUMBER, MOBILE, NAME, OTHER_SECRET, QXT_KEY, SECRET, assert_no_secret,
    };

    /// The one-shot checks about the sentinel person, each vendor named, and `balance`.
    pub fn checks() -> Vec<Vec<&'static str>> {
        vec![
            super::mobile_check(NAME, MOBILE, &["--vendor", "wapi"]),
            super::mobile_check(NAME, MOBILE, &["--vendor", "qxt"]),
            super::id_check(NAME, ID_NUMBER, &[]),
            vec!["mobile-status", "--mobile", MOBILE],
            vec!["balance"],
        ]
    }

    /// The sentinel person as an input row.
    pub fn row() -> (String, String, String) {
        (NAME.into(), MOBILE.into(), ID_NUMBER.into())
    }

    /// One batch run of a leak test: a check, an `--output`, and the file it writes.
    pub struct BatchRun {
        pub check: &'static str,
        pub output: &'static str,
        pub out: PathBuf,
    }

    impl BatchRun {
        /// Every check, with human output into a CSV and JSON output into JSON lines, each
        /// into `dir/{prefix}{check}-out.{csv,jsonl}`.
        pub fn all(dir: &Path, prefix: &str) -> Vec<BatchRun> {
            let mut all = Vec::new();
            for check in ["mobile", "id", "mobile-status"] {
                for (output, out_name) in [("human", "out.csv"), ("json", "out.jsonl")] {
                    let out = dir.join(format!("{prefix}{check}-{out_name}"));
                    all.push(BatchRun { check, output, out });
                }
            }
            all
        }

        /// `--output OUTPUT batch INPUT --check CHECK --out OUT`.
        pub fn args<'a>(&'a self, input: &'a Path) -> Vec<&'a str> {
            let mut args = super::batch_args(input, &self.out, self.check, &[]);
            args[1] = self.output;
            args
        }

        /// `batch --check CHECK --output OUTPUT`, for messages.
        pub fn what(&self) -> String {
            format!("batch --check {} --output {}", self.check, self.output)
        }
    }

    /// The sentinel person in none of its forms, the vendor's birth-date echo included
    /// (the command's answers leave it out: it would undo the ID number's mask).
    #[allow(
        unused_imports,
        reason = "each suite compiles common; the leak suites use it"
    )]
    pub use shiming_test_support::sentinel::assert_no_person;
}
