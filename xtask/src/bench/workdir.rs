//! `target/xtask-bench/`: generated inputs, batch outputs, criterion homes, logs, results.

use crate::util::workspace_root;
use std::path::{Path, PathBuf};

/// The bench task's folder under the target directory.
#[derive(Debug, Clone)]
pub(crate) struct Workdir {
    root: PathBuf,
}

impl Workdir {
    /// Creates the folders; the logs of a previous run are removed first.
    pub(crate) fn create() -> Result<Workdir, String> {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target"));
        let workdir = Workdir {
            root: target.join("xtask-bench"),
        };
        let _ = std::fs::remove_dir_all(workdir.root.join("logs"));
        for sub in ["logs", "data", "work", "criterion"] {
            let dir = workdir.root.join(sub);
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        Ok(workdir)
    }

    /// The folder itself.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// `logs/<name>.log`.
    pub(crate) fn log(&self, name: &str) -> PathBuf {
        self.root.join("logs").join(format!("{name}.log"))
    }

    /// `criterion/<section>`: the `CRITERION_HOME` of a section's rounds.
    pub(crate) fn criterion_home(&self, section: &str) -> PathBuf {
        self.root.join("criterion").join(section)
    }

    /// `data/`: generated inputs.
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// `work/`: batch outputs and journals, and the `HOME` the commands run with (so a
    /// developer's own shiming config never leaks into a measurement).
    pub(crate) fn work(&self) -> PathBuf {
        self.root.join("work")
    }
}
