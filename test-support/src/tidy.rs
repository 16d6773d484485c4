//! "One vendor, one place" (issue 13) as a test, like rust-analyzer's tidy checks: outside a
//! vendor's own module (`<vendor>.rs`, `<vendor>/`), only a crate's registration files may
//! name a vendor in code. Comments and `#[cfg(test)]` code do not count, as in the issue's
//! count. `xtask`'s tidy test runs it over every crate of the workspace.

use std::fs;
use std::path::{Path, PathBuf};

/// Every place in `crate_root/src` where code outside a vendor's own module and outside the
/// `registry` files (paths relative to `crate_root`, such as `src/lib.rs`) names one of
/// `vendors`, as `<file> names <vendor>`; empty when the rule holds.
///
/// # Panics
///
/// When `src` cannot be read or a source file is not UTF-8: the check cannot be made.
pub fn vendor_names_outside(crate_root: &Path, registry: &[&str], vendors: &[&str]) -> Vec<String> {
    let mut offenders = Vec::new();
    for file in sources(&crate_root.join("src")) {
        let relative = file
            .strip_prefix(crate_root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&file).expect("source is UTF-8");
        let code = code(&text).to_lowercase();
        for vendor in vendors {
            let own = relative.ends_with(&format!("/{vendor}.rs"))
                || relative.contains(&format!("/{vendor}/"));
            if !own && !registry.contains(&relative.as_str()) && code.contains(vendor) {
                offenders.push(format!("{relative} names {vendor}"));
            }
        }
    }
    offenders
}

/// Every `.rs` file below `dir`.
///
/// # Panics
///
/// When a folder cannot be read: a tidy check cannot be made without it.
pub fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    collect(dir, &mut found);
    found
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file as the tidy checks see it: comment lines dropped, and everything from a
/// `#[cfg(test)]` test module on (test modules close a file). A `#[cfg(test)]` on a single
/// item elsewhere hides nothing after it: only its own attribute line is dropped.
pub fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            let next = lines[i + 1..]
                .iter()
                .map(|l| l.trim_start())
                .find(|l| !l.is_empty());
            if next.is_some_and(|l| l.starts_with("mod ") || l.contains(" mod ")) {
                break;
            }
            continue;
        }
        if !trimmed.starts_with("//") {
            kept.push(*line);
        }
    }
    kept.join("\n")
}
