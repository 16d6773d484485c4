//! Release builds of what the run measures, and where cargo put the executables (read from
//! cargo's JSON messages, so `CARGO_TARGET_DIR` and hashed file names need no guessing).

use crate::util::workspace_root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A criterion benchmark executable.
#[derive(Debug, Clone)]
pub(crate) struct BenchBinary {
    /// `cargo bench -p <package> --bench <name>`, for messages.
    pub(crate) label: String,
    /// The executable.
    pub(crate) exe: PathBuf,
    /// Its package's folder: `cargo bench` runs benchmarks from there, and so do we.
    pub(crate) package_dir: PathBuf,
}

/// Builds one benchmark target with the `bench` profile (release settings).
pub(crate) fn bench_binary(package: &str, bench: &str) -> Result<BenchBinary, String> {
    let artifact = build(
        &["bench", "--no-run", "-p", package, "--bench", bench],
        |kind, name| kind == "bench" && name == bench,
    )?;
    Ok(BenchBinary {
        label: format!("cargo bench -p {package} --bench {bench}"),
        exe: artifact.executable,
        package_dir: artifact.package_dir,
    })
}

/// Builds the `shiming` command in release mode.
pub(crate) fn cli_binary() -> Result<PathBuf, String> {
    build(
        &[
            "build",
            "--release",
            "-p",
            "shiming-cli",
            "--bin",
            "shiming",
        ],
        |kind, name| kind == "bin" && name == "shiming",
    )
    .map(|artifact| artifact.executable)
}

/// Builds an example in release mode (`cargo build --release -p <package> --example <name>`).
pub(crate) fn example_binary(package: &str, example: &str) -> Result<PathBuf, String> {
    build(
        &["build", "--release", "-p", package, "--example", example],
        |kind, name| kind == "example" && name == example,
    )
    .map(|artifact| artifact.executable)
}

struct Artifact {
    executable: PathBuf,
    package_dir: PathBuf,
}

/// Runs cargo with `args`, compiler diagnostics on the terminal, and returns the executable
/// whose target matches `wanted(kind, name)`.
fn build(args: &[&str], wanted: impl Fn(&str, &str) -> bool) -> Result<Artifact, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    eprintln!("$ cargo {}", args.join(" "));
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo {} failed ({})",
            args.join(" "),
            output.status
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    find_artifact(&text, &wanted).ok_or_else(|| {
        format!(
            "cargo {} built no matching executable (was the target renamed?)",
            args.join(" ")
        )
    })
}

/// The last `compiler-artifact` message in cargo's output whose target matches.
fn find_artifact(messages: &str, wanted: &impl Fn(&str, &str) -> bool) -> Option<Artifact> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| {
            let name = m["target"]["name"].as_str().unwrap_or_default();
            m["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| wanted(k.as_str().unwrap_or(""), name)))
        })
        .filter_map(|m| {
            let executable = PathBuf::from(m["executable"].as_str()?);
            let manifest = Path::new(m["manifest_path"].as_str()?);
            Some(Artifact {
                executable,
                package_dir: manifest.parent()?.to_path_buf(),
            })
        })
        .last()
}

#[cfg(test)]
mod tests {
    use super::find_artifact;

    #[test]
    fn picks_the_matching_executable() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"shiming"},"#,
            r#""executable":null,"manifest_path":"/w/crates/shiming/Cargo.toml"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bench"],"name":"overhead"},"#,
            r#""executable":"/w/target/release/deps/overhead-1a2b","#,
            r#""manifest_path":"/w/crates/shiming/Cargo.toml"}"#,
            "\nnot json\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        let found = find_artifact(messages, &|kind, name| {
            kind == "bench" && name == "overhead"
        })
        .unwrap();
        assert_eq!(
            found.executable.to_str(),
            Some("/w/target/release/deps/overhead-1a2b")
        );
        assert_eq!(found.package_dir.to_str(), Some("/w/crates/shiming"));
        assert!(find_artifact(messages, &|kind, _| kind == "bin").is_none());
    }
}
