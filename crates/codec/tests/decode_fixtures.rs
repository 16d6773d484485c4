//! Decodes every fixture in `tests/fixtures/<vendor>/<operation>/` and snapshots the result.
//!
//! Fixtures are hand-written from the documented shapes (never copied from the documents).
//! A file named `<case>@<status>.<ext>` is served with that HTTP status; others with 200.
//! Every fixture must produce a snapshot, so adding one without reviewing its decode fails CI.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use shiming_codec::{DecodeError, Operation, Reply, ihuyi, qxt, wapi};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", root.display());
    files
}

/// The HTTP status encoded in the file name (`gateway-error@502.html`), else 200.
fn status_of(path: &Path) -> u16 {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    stem.rsplit_once('@')
        .and_then(|(_, status)| status.parse().ok())
        .unwrap_or(200)
}

fn response(path: &Path) -> http::Response<Vec<u8>> {
    let body = fs::read(path).expect("fixture readable");
    http::Response::builder()
        .status(status_of(path))
        .body(body)
        .expect("valid response")
}

/// What a snapshot shows: the reply, or the error with everything a log line would carry.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Decoded<T> {
    Reply(Reply<T>),
    Error {
        kind: String,
        status: u16,
        detail: String,
        excerpt: String,
        display: String,
    },
}

impl<T> From<Result<Reply<T>, DecodeError>> for Decoded<T> {
    fn from(result: Result<Reply<T>, DecodeError>) -> Self {
        match result {
            Ok(reply) => Decoded::Reply(reply),
            Err(e) => Decoded::Error {
                kind: format!("{:?}", e.kind()),
                status: e.status().as_u16(),
                detail: e.detail().to_string(),
                excerpt: e.excerpt().to_string(),
                display: e.to_string(),
            },
        }
    }
}

fn snapshot_all<O>(dir: &str, operation: &O)
where
    O: Operation,
    O::Output: Serialize,
{
    for path in fixtures(dir) {
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let name = format!(
            "{}__{}",
            dir.replace('/', "__"),
            file.replace(['.', '@'], "_")
        );
        let decoded: Decoded<O::Output> = operation.decode(&response(&path)).into();
        insta::with_settings!({
            description => format!("tests/fixtures/{dir}/{file} (HTTP {})", status_of(&path)),
            omit_expression => true,
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_yaml_snapshot!(name, decoded);
        });
    }
}

#[test]
fn wapi_mobile_two_elements() {
    snapshot_all(
        "wapi/mobile_two_elements",
        &wapi::MobileTwoElements::new("李雷", "13800138000"),
    );
}

#[test]
fn wapi_id_two_elements() {
    snapshot_all(
        "wapi/id_two_elements",
        &wapi::IdTwoElements::new("王小明", "11010519491231002X"),
    );
}

#[test]
fn qxt_mobile_two_elements() {
    snapshot_all(
        "qxt/mobile_two_elements",
        &qxt::MobileTwoElements::new("李雷", "13800138000"),
    );
}

#[test]
fn ihuyi_mobile_status() {
    snapshot_all(
        "ihuyi/mobile_status",
        &ihuyi::MobileStatus::new("13800138000"),
    );
}

#[test]
fn ihuyi_balance() {
    snapshot_all("ihuyi/balance", &ihuyi::Balance);
}
