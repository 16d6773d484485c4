//! The committed vectors are what the vendor documents produce today.
//!
//! Re-runs `vectors/generate.py` against `../shared/vendor-docs` and compares its output with
//! the committed `vectors/*.json`, byte for byte. Without the documents or python3 it skips
//! (and says so), except under CI (env `CI` set), where both must be present.

use std::path::{Path, PathBuf};
use std::process::Command;

use shiming_test_support::skip_or_fail;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

#[test]
fn committed_vectors_equal_a_fresh_run_of_the_vendor_samples() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vendor-docs");
    if !docs.is_dir() {
        return skip_or_fail(&format!("vendor documents not found at {}", docs.display()));
    }
    if Command::new("python3").arg("--version").output().is_err() {
        return skip_or_fail("python3 is not installed");
    }

    let fresh = tempfile::tempdir().expect("temporary folder");
    let run = Command::new("python3")
        .arg(vectors_dir().join("generate.py"))
        .arg("--docs")
        .arg(&docs)
        .arg("--out")
        .arg(fresh.path())
        .output()
        .expect("start python3");
    assert!(
        run.status.success(),
        "generate.py failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );

    for file in ["wapi.json", "ihuyi.json"] {
        let committed = std::fs::read_to_string(vectors_dir().join(file)).expect("committed file");
        let regenerated = std::fs::read_to_string(fresh.path().join(file)).expect("fresh file");
        assert!(
            committed == regenerated,
            "tests/vectors/{file} differs from what the vendor documents produce now; \
             run `cargo xtask sign-vectors` and review the diff"
        );
    }
}
