//! Bad files are typed errors that name the file: garbage, a truncated store, another
//! program's database, a key file others can read or of the wrong length.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use shiming_codec::Vendor;
use shiming_store::{Answer, Outcome, Store, StoreError, StoreErrorKind, StoreOptions, Subject};

fn open(path: &Path) -> Result<Store, StoreError> {
    Store::open(path, StoreOptions::new())
}

/// Opening and reading: whichever step first meets the damage must fail, naming the file.
fn open_and_read(path: &Path) -> Result<(), StoreError> {
    let store = open(path)?;
    let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    for i in 0..2000u32 {
        store.lookup(&Subject::mobile_status(format!("138{i:08}")), now)?;
    }
    store.stats()?;
    Ok(())
}

#[test]
fn garbage_is_a_corrupt_store_naming_the_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("garbage.sqlite");
    std::fs::write(
        &path,
        b"this is not an SQLite database, just text\n".repeat(200),
    )
    .expect("write");
    let error = open(&path).expect_err("garbage");
    assert_eq!(error.kind(), StoreErrorKind::Corrupt, "{error}");
    assert_eq!(error.path(), path);
    assert!(error.to_string().contains("garbage.sqlite"), "{error}");
}

#[test]
fn a_truncated_store_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("truncated.sqlite");
    {
        let store = open(&path).expect("a store");
        let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        for i in 0..2000u32 {
            store
                .remember(
                    &Subject::mobile_status(format!("138{i:08}")),
                    &Answer {
                        outcome: Outcome::StatusFound,
                        vendor: Vendor::Ihuyi,
                        code: "2".into(),
                        checked_at: now,
                        details: serde_json::json!({"operator": 1}),
                    },
                )
                .expect("remember");
        }
    }
    // Closing checkpointed the WAL into the file; cut the file in the middle of its pages.
    let _ = std::fs::remove_file(dir.path().join("truncated.sqlite-wal"));
    let _ = std::fs::remove_file(dir.path().join("truncated.sqlite-shm"));
    let len = std::fs::metadata(&path).expect("the store").len();
    assert!(len > 16 * 4096, "the store spans many pages ({len} bytes)");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    file.set_len(len / 2 + 100).expect("truncate");
    drop(file);

    let error = open_and_read(&path).expect_err("a truncated store");
    assert_eq!(error.kind(), StoreErrorKind::Corrupt, "{error}");
    assert!(error.to_string().contains("truncated.sqlite"), "{error}");

    // Only the header left.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    file.set_len(50).expect("truncate");
    drop(file);
    let error = open_and_read(&path).expect_err("a header stub");
    assert_eq!(error.path(), path, "{error}");
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch("CREATE TABLE mine (x INTEGER); INSERT INTO mine VALUES (1);")
            .expect("a foreign schema");
    }
    let error = open(&path).expect_err("not ours");
    assert_eq!(error.kind(), StoreErrorKind::Corrupt, "{error}");
    assert!(error.to_string().contains("other.sqlite"), "{error}");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .expect("count");
    assert_eq!(tables, 1, "nothing was added to it");
}

/// Opening a store whose key file `name` holds `bytes` with permissions `mode` fails with
/// `kind`, naming the key file; the error's text, for more checks.
#[cfg(unix)]
fn key_file_refusal(name: &str, bytes: &[u8], mode: u32, kind: StoreErrorKind) -> String {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temp dir");
    let key = dir.path().join(name);
    std::fs::write(&key, bytes).expect("write");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(mode)).expect("chmod");
    let error = Store::open(
        &dir.path().join("s.sqlite"),
        StoreOptions::new().key_file(&key),
    )
    .expect_err("a bad key file");
    assert_eq!(error.kind(), kind, "{error}");
    let text = error.to_string();
    assert!(text.contains(name), "{text}");
    text
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused() {
    let text = key_file_refusal(
        "k.key",
        &[7u8; 32],
        0o644,
        StoreErrorKind::KeyFilePermissions,
    );
    assert!(text.contains("644"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_key_file_of_the_wrong_length_is_refused() {
    key_file_refusal(
        "short.key",
        &[7u8; 16],
        0o600,
        StoreErrorKind::KeyFileLength,
    );
}

#[test]
fn another_key_sees_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("s.sqlite");
    let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    let who = Subject::mobile_two_elements("张三", "13800138000");
    {
        let store = open(&path).expect("a store");
        store
            .remember(
                &who,
                &Answer {
                    outcome: Outcome::Match,
                    vendor: Vendor::Wapi,
                    code: "10000".into(),
                    checked_at: now,
                    details: serde_json::Value::Null,
                },
            )
            .expect("remember");
    }
    let other = Store::open(
        &path,
        StoreOptions::new().key_file(dir.path().join("other.key")),
    )
    .expect("a store");
    assert_eq!(other.lookup(&who, now).expect("lookup"), None);
}
