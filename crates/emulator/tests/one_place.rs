//! "One vendor, one place" (issue 13), kept as a test like rust-analyzer's tidy checks: outside
//! a vendor's own folder (`src/vendors/<vendor>/`), only `src/vendors.rs` may name a vendor in
//! code. Comments and `#[cfg(test)]` code do not count, exactly as the issue's `reach` count.

use std::fs;
use std::path::{Path, PathBuf};

const VENDORS: [&str; 3] = ["wapi", "qxt", "ihuyi"];
const REGISTRY: &str = "src/vendors.rs";

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file as the count sees it: up to `#[cfg(test)]`, comment lines dropped.
fn code(text: &str) -> String {
    text.lines()
        .take_while(|line| !line.contains("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase()
}

#[test]
fn only_the_registry_names_a_vendor_outside_its_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut offenders = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&file).expect("source is UTF-8");
        let code = code(&text);
        for vendor in VENDORS {
            let own = relative.ends_with(&format!("/{vendor}.rs"))
                || relative.contains(&format!("/{vendor}/"));
            if !own && relative != REGISTRY && code.contains(vendor) {
                offenders.push(format!("{relative} names {vendor}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "name vendors only in {REGISTRY} or the vendor's folder: {offenders:#?}"
    );
}
