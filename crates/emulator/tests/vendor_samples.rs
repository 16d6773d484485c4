//! Interop with code we did not write: the vendors' own Python sample clients, read from
//! `../shared/vendor-docs/` at run time, edited in memory only for URL, appid and secret, and
//! run with python3 against the emulator. Without the documents (or python3) the tests skip
//! with a message — except under CI, where that is a failure.

mod common;

use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, sandbox};
use shiming_test_support::skip_or_fail;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Where the vendors' own sample starts inside a document.
const PYTHON_START: &str = "#!/usr/bin/python3";
/// The placeholders the samples carry (the host is shown only after login).
const HOST_PLACEHOLDER: &str = "https://登录后显示";
const APPID_PLACEHOLDER: &str = "'应用id'";
const SECRET_PLACEHOLDER: &str = "'应用密钥'";

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vendor-docs")
}

/// The sample's source, or `None` (after saying why) when this machine cannot run it.
fn python_sample(document: &str) -> Option<String> {
    let path = docs_dir().join(document);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            skip_or_fail(&format!(
                "vendor document {} not found ({error})",
                path.display()
            ));
            return None;
        }
    };
    if Command::new("python3").arg("--version").output().is_err() {
        skip_or_fail("python3 is not installed");
        return None;
    }
    let start = text
        .find(PYTHON_START)
        .unwrap_or_else(|| panic!("{document} has no Python sample any more"));
    Some(text[start..].to_owned())
}

/// Replaces exactly one occurrence, failing loudly if the document changed shape.
fn replace_once(source: &str, from: &str, to: &str) -> String {
    assert_eq!(
        source.matches(from).count(),
        1,
        "expected one {from:?} in the sample"
    );
    source.replacen(from, to, 1)
}

fn run_sample(source: &str, base_url: &str, appid: &str, secret: &str) -> serde_json::Value {
    let source = replace_once(source, HOST_PLACEHOLDER, base_url);
    let source = replace_once(&source, APPID_PLACEHOLDER, &format!("'{appid}'"));
    let source = replace_once(&source, SECRET_PLACEHOLDER, &format!("'{secret}'"));
    let mut child = Command::new("python3")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(source.as_bytes())
        .expect("python3 reads the sample");
    let output = child.wait_with_output().expect("python3 finishes");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "sample failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

/// A vendor's sample and the emulator it runs against.
struct Interop {
    sample: String,
    emulator: BlockingEmulator,
}

impl Interop {
    /// Starts an emulator for `document`'s sample, or `None` (after saying why) when this
    /// machine cannot run it.
    fn start(document: &str, config: EmulatorConfig) -> Option<Self> {
        let sample = python_sample(document)?;
        let emulator = Emulator::start_blocking(config).expect("emulator starts");
        Some(Self { sample, emulator })
    }

    /// [`Interop::start`] with the sandbox credentials.
    fn sandbox(document: &str) -> Option<Self> {
        Self::start(document, EmulatorConfig::default())
    }

    /// The sample signing with the sandbox credentials gets `codeid` and a match (status 01);
    /// the whole answer, for more checks.
    fn assert_sandbox_match(&self, codeid: i64) -> serde_json::Value {
        let answer = self.run(sandbox::WAPI_APPID, sandbox::WAPI_SECRET);
        assert_eq!(answer["codeid"], codeid, "{answer}");
        assert_eq!(answer["retdata"]["bank_status"], "01");
        answer
    }

    /// The sample signing with the sandbox appid and a wrong secret gets 10003.
    fn assert_wrong_secret_refused(&self) {
        let answer = self.run(sandbox::WAPI_APPID, "wrong-secret");
        assert_eq!(answer["codeid"], 10003, "{answer}");
    }

    /// The sample's answer when it signs with `appid` and `secret`.
    fn run(&self, appid: &str, secret: &str) -> serde_json::Value {
        run_sample(&self.sample, self.emulator.base_url(), appid, secret)
    }
}

#[test]
fn wapi_mobile_sample_gets_its_debug_answer_and_a_wrong_secret_gets_10003() {
    let Some(interop) = Interop::sandbox("wapi-mobile-two-elements.txt") else {
        return;
    };
    // The sample sends debug=1 by GET, so success is the debug answer.
    let answer = interop.assert_sandbox_match(10024);
    assert!(answer["time"].is_string());
    interop.assert_wrong_secret_refused();
    let op = interop
        .emulator
        .ledger()
        .wapi
        .operation("mobile_two_elements");
    assert_eq!((op.requests, op.billed), (2, 0));
}

#[test]
fn wapi_id_sample_gets_a_billed_match_and_a_wrong_secret_gets_10003() {
    let Some(interop) = Interop::sandbox("wapi-idcard-two-elements.txt") else {
        return;
    };
    interop.assert_sandbox_match(10000);
    interop.assert_wrong_secret_refused();
    let answer = interop.run("not-my-app", sandbox::WAPI_SECRET);
    assert_eq!(answer["codeid"], 10005, "{answer}");
    assert_eq!(
        interop
            .emulator
            .ledger()
            .wapi
            .operation("id_two_elements")
            .billed,
        1
    );
}

#[test]
fn samples_work_with_other_credentials_too() {
    let config = EmulatorConfig::default()
        .wapi_appid("10086")
        .wapi_secret("0123456789abcdef0123456789abcdef");
    let Some(interop) = Interop::start("wapi-idcard-two-elements.txt", config) else {
        return;
    };
    let answer = interop.run("10086", "0123456789abcdef0123456789abcdef");
    assert_eq!(answer["codeid"], 10000, "{answer}");
    let answer = interop.run(sandbox::WAPI_APPID, sandbox::WAPI_SECRET);
    assert_eq!(answer["codeid"], 10005, "{answer}");
}
