//! The `sign-vectors` task: regenerate the signer's known-answer vectors.
//!
//! Runs `crates/sign/tests/vectors/generate.py`, which executes the Python samples of the wapi
//! documents (and ihuyi's documented formula) from `../shared/vendor-docs` on fixed inputs and
//! rewrites `wapi.json` and `ihuyi.json` beside it. The documents are read, never copied.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{run_loud, workspace_root};

const USAGE: &str = "usage: cargo xtask sign-vectors [--docs <vendor-docs folder>]";

/// Runs the task with the arguments after its name.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let docs = match args {
        [] => root.join("../shared/vendor-docs"),
        [flag, folder] if flag == "--docs" => PathBuf::from(folder),
        _ => return Err(USAGE.to_string()),
    };
    if !docs.is_dir() {
        return Err(format!(
            "vendor documents not found at {} (pass --docs <folder>)",
            docs.display()
        ));
    }
    let vectors = root.join("crates/sign/tests/vectors");
    run_loud(
        Command::new("python3")
            .arg(vectors.join("generate.py"))
            .arg("--docs")
            .arg(&docs)
            .arg("--out")
            .arg(&vectors),
    )?;
    eprintln!(
        "review the changes with `git diff {}`, then run `cargo test -p shiming-sign`",
        vectors.strip_prefix(&root).unwrap_or(&vectors).display()
    );
    Ok(())
}
