//! `RunDedup`: first sighting answers `None`, later ones the first row; normalised spellings
//! are duplicates; the temporary folder goes away with it.

use shiming_store::{RunDedup, Subject};

#[test]
fn first_seen_reports_the_first_row() {
    let parent = tempfile::tempdir().expect("a temp dir");
    let mut dedup = RunDedup::new_in(parent.path()).expect("a dedup");
    for row in 0..10_000u64 {
        let who = Subject::mobile_two_elements("张三", format!("138{row:08}"));
        assert_eq!(dedup.first_seen(&who, row).expect("first"), None);
    }
    assert_eq!(dedup.len(), 10_000);
    let again = Subject::mobile_two_elements(" 张三 ", "+86 138-0000-0042");
    assert_eq!(dedup.first_seen(&again, 20_000).expect("again"), Some(42));
    // Another check of the same number is not a duplicate.
    let status = Subject::mobile_status("13800000042");
    assert_eq!(dedup.first_seen(&status, 20_001).expect("status"), None);
    assert_eq!(
        dedup.first_seen(&status, 20_002).expect("status"),
        Some(20_001)
    );
    assert_eq!(dedup.len(), 10_001);

    // Nothing personal in the folder while it runs, and nothing left after.
    let folder = std::fs::read_dir(parent.path())
        .expect("list")
        .next()
        .expect("a folder")
        .expect("entry")
        .path();
    for file in std::fs::read_dir(&folder).expect("list") {
        let bytes = std::fs::read(file.expect("entry").path()).expect("read");
        assert!(!bytes.windows(11).any(|w| w == b"13800000042"));
    }
    drop(dedup);
    assert!(!folder.exists(), "the temporary folder is removed");
}
