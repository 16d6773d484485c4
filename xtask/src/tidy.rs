//! Tidy checks over the whole workspace, run by `cargo test --workspace` (rust-analyzer's
//! model: rules about the code base kept as tests, not as a reviewer's memory).
//!
//! - `cycles`: no module cycles inside a crate (issue 13 §6).
//!
//! "One vendor, one place" (issue 13): a vendor's code lives in its own modules
//! (`<vendor>.rs`, `<vendor>/`) and is named elsewhere only in each crate's registration files
//! below — six files in all, the checklist of `docs/architecture.md`, "Adding a vendor".
//! Everything else reaches vendors through those registries. Comments and `#[cfg(test)]`
//! code do not count (`shiming_test_support::tidy` says what does), nor does the test code
//! outside `crates/` (`test-support/`, whose fixtures name vendors on purpose).

#[cfg(test)]
mod cycles;

/// The files outside a vendor's own modules that may name it in code, by crate.
#[cfg(test)]
const REGISTRATION_POINTS: [(&str, &[&str]); 5] = [
    // `pub mod` lines and the secret request parameters.
    ("crates/sign", &["src/lib.rs"]),
    // `pub mod` lines, the `Vendor` enum, `TwoElementDetails`.
    ("crates/codec", &["src/lib.rs"]),
    // The registry (offers, prices, variables, secrets, re-exports) and the account fields of
    // `VerifierConfig`.
    ("crates/shiming", &["src/vendors.rs", "src/config.rs"]),
    // The emulator's vendor table.
    ("crates/emulator", &["src/vendors.rs"]),
    // The command's settings table, variables and `--vendor` values.
    ("crates/cli", &["src/vendors.rs"]),
];

#[cfg(test)]
mod tests {
    use super::REGISTRATION_POINTS;
    use crate::util::workspace_root;
    use shiming_codec::Vendor;
    use shiming_test_support::tidy::vendor_names_outside;

    #[test]
    fn vendors_are_named_only_at_their_registration_points() {
        let root = workspace_root();
        let vendors = Vendor::ALL.map(Vendor::as_str);
        let mut offenders = Vec::new();
        let crates = std::fs::read_dir(root.join("crates")).expect("crates/ is readable");
        for entry in crates {
            let dir = entry.expect("a directory entry").path();
            let name = format!(
                "crates/{}",
                dir.file_name().expect("a crate folder").to_string_lossy()
            );
            if !dir.join("src").is_dir() {
                continue;
            }
            let registry = REGISTRATION_POINTS
                .iter()
                .find(|(krate, _)| *krate == name)
                .map_or(&[][..], |(_, files)| *files);
            offenders.extend(
                vendor_names_outside(&dir, registry, &vendors)
                    .into_iter()
                    .map(|offence| format!("{name}/{offence}")),
            );
        }
        assert!(
            offenders.is_empty(),
            "name a vendor only in its own modules or at the registration points \
             ({REGISTRATION_POINTS:?}; docs/architecture.md, \"Adding a vendor\"): {offenders:#?}"
        );
    }

    #[test]
    fn no_crate_has_a_module_cycle() {
        let mut cycles = Vec::new();
        for entry in std::fs::read_dir(workspace_root().join("crates")).expect("crates/") {
            let src = entry.expect("a directory entry").path().join("src");
            if let Some(cycle) = src
                .is_dir()
                .then(|| super::cycles::first_cycle(&src))
                .flatten()
            {
                cycles.push(format!("{}: {}", src.display(), cycle.join(" -> ")));
            }
        }
        assert!(
            cycles.is_empty(),
            "modules that name each other (move what both need into a leaf module): {cycles:#?}"
        );
    }

    #[test]
    fn a_vendor_reaches_at_most_six_files_outside_its_modules() {
        let points: usize = REGISTRATION_POINTS
            .iter()
            .map(|(_, files)| files.len())
            .sum();
        assert!(
            points <= 6,
            "issue 13: at most 6 registration points, not {points}"
        );
    }
}
