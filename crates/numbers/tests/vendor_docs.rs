//! The vendor documents' own example numbers (made up by the vendors), read from
//! `../shared/vendor-docs/` at run time, and what our validator says about each.
//!
//! Skips with a message when the folder is absent, except under CI (env `CI` set), where its
//! absence is a failure.

use shiming_numbers::{Carrier, Date, IdPart, Mode, id_number, mobile};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

fn docs_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vendor-docs");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the vendor documents are missing at {}",
        dir.display()
    );
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: vendor documents not found at {} (they live beside the repository)",
        dir.display()
    );
    None
}

/// Every run of ASCII digits (with a trailing X) in all documents.
fn digit_runs() -> Option<BTreeSet<String>> {
    let dir = docs_dir()?;
    let mut runs = BTreeSet::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("read vendor-docs")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no .txt in {}", dir.display());
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("read document");
        let mut run = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() || (matches!(c, 'X' | 'x') && run.len() == 17) {
                run.push(c);
            } else if !run.is_empty() {
                runs.insert(std::mem::take(&mut run));
            }
        }
    }
    Some(runs)
}

/// The documents' digit runs that `keep` accepts.
fn runs_where(runs: &BTreeSet<String>, keep: impl Fn(&str) -> bool) -> BTreeSet<&str> {
    runs.iter()
        .map(String::as_str)
        .filter(|r| keep(r))
        .collect()
}

fn today() -> Date {
    Date::new(2024, 6, 1).expect("a date")
}

#[test]
fn example_id_numbers_fail_their_checksum() {
    let Some(runs) = digit_runs() else { return };
    let ids = runs_where(&runs, |r| r.len() == 18);
    // wapi-idcard-two-elements.txt, request example and response example.
    assert_eq!(
        ids,
        BTreeSet::from(["330327198505055708", "362536199105034456"])
    );

    // 362536: no such county under 抚州地区 (3625); and the check character is wrong.
    let report = id_number::parse("362536199105034456", Mode::Standard, today());
    let parts: Vec<IdPart> = report.problems().iter().map(|p| p.part()).collect();
    assert_eq!(parts, [IdPart::Region, IdPart::Checksum]);
    assert_eq!(report.problems()[1].expected(), Some('X'));
    assert_eq!(
        report.birth_date(),
        Some(Date::new(1991, 5, 3).expect("date"))
    );
    assert!(
        id_number::parse("362536199105034456", Mode::Lenient, today())
            .problems()
            .iter()
            .all(|p| p.part() == IdPart::Checksum),
        "lenient mode ignores the region"
    );

    // 330327 is 苍南县 (since 1982): only the check character is wrong, it should be 1.
    let report = id_number::parse("330327198505055708", Mode::Strict, today());
    assert_eq!(report.problems().len(), 1, "{:?}", report.problems());
    assert_eq!(report.problems()[0].part(), IdPart::Checksum);
    assert_eq!(report.problems()[0].expected(), Some('1'));
    assert_eq!(
        report.region().map(|r| r.full_name()).as_deref(),
        Some("浙江省温州市苍南县")
    );
    assert!(id_number::parse("330327198505055701", Mode::Strict, today()).is_valid());
}

#[test]
fn example_mobile_numbers() {
    let Some(runs) = digit_runs() else { return };
    let mobiles = runs_where(&runs, |r| r.len() == 11 && r.starts_with('1'));
    let expected = [
        ("13600000000", Carrier::ChinaMobile, false), // ihuyi signing example
        ("13972565391", Carrier::ChinaMobile, false), // QXT answer example
        ("16717707933", Carrier::ChinaUnicom, true),  // QXT request example: 167 is virtual
        ("18677777999", Carrier::ChinaUnicom, false), // wapi mobile answer example
        ("18688888888", Carrier::ChinaUnicom, false), // wapi mobile request example
        ("18819079212", Carrier::ChinaMobile, false), // QXT answer example
    ];
    assert_eq!(
        mobiles,
        expected.iter().map(|e| e.0).collect::<BTreeSet<_>>()
    );
    for (number, carrier, is_virtual) in expected {
        let report = mobile::parse(number);
        assert!(report.is_valid(), "{number}: {:?}", report.problems());
        assert_eq!(report.carrier(), Some(carrier), "{number}");
        assert_eq!(report.is_virtual(), is_virtual, "{number}");
    }
}
