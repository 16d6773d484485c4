//! [`RunDedup`]: "have we seen this subject earlier in this run?" for a batch of any size, in
//! flat memory, without plaintext.
//!
//! The seen set is an SQLite table in a private temporary folder, keyed by a hash under a
//! random key that lives only in this process's memory: the temporary file is meaningless
//! to anyone who finds it, and is deleted when the run ends. SQLite's page cache is capped,
//! so memory stays the same at a million rows as at ten thousand.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::StoreError;
use crate::key::Key;
use crate::subject::Subject;

/// Rows inserted per transaction: one commit per batch instead of one per row.
const ROWS_PER_COMMIT: u32 = 4096;

/// Page cache in KiB (SQLite's negative `cache_size`): bounds memory at any size. 512 KiB
/// holds the B-tree's interior pages of a million rows; leaves come from the OS page cache.
const CACHE_KIB: i64 = 512;

/// Bytes of the keyed hash kept per subject: 128 bits make an accidental collision among
/// even 10^9 rows about 10^-21 likely.
const KEPT_HASH_BYTES: usize = 16;

/// Within-run duplicate detection over keyed hashes in a temporary SQLite database.
#[derive(Debug)]
pub struct RunDedup {
    conn: Connection,
    key: Key,
    path: PathBuf,
    uncommitted: u32,
    rows: u64,
    // Dropped last: removes the folder and the database in it.
    _dir: tempfile::TempDir,
}

impl RunDedup {
    /// A dedup in a new private folder under the system's temporary folder.
    pub fn new() -> Result<RunDedup, StoreError> {
        RunDedup::new_in(&std::env::temp_dir())
    }

    /// A dedup in a new private folder under `parent`.
    pub fn new_in(parent: &Path) -> Result<RunDedup, StoreError> {
        let dir = tempfile::Builder::new()
            .prefix("shiming-dedup-")
            .tempdir_in(parent)
            .map_err(|e| StoreError::io(parent, "cannot create a temporary folder", e))?;
        let path = dir.path().join("seen.sqlite");
        let key = Key::random(&path)?;
        let sql = |e| StoreError::sqlite(&path, e);
        let conn = Connection::open(&path).map_err(sql)?;
        // A crash loses nothing worth keeping: no journal, no fsync.
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA temp_store = FILE;
             PRAGMA cache_size = -{CACHE_KIB};
             CREATE TABLE seen (key BLOB PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;"
        ))
        .map_err(sql)?;
        Ok(RunDedup {
            conn,
            key,
            path,
            uncommitted: 0,
            rows: 0,
            _dir: dir,
        })
    }

    /// Records that `subject` appears at `row`. Returns `None` the first time a subject is
    /// seen, and the row where it was first seen on every later time.
    pub fn first_seen(&mut self, subject: &Subject, row: u64) -> Result<Option<u64>, StoreError> {
        let hash = subject.key(&self.key);
        let key = &hash[..KEPT_HASH_BYTES];
        if self.insert(key, row)? {
            Ok(None)
        } else {
            self.lookup(key)
        }
    }

    /// The run's fingerprint of `key` (any bytes that name what makes two rows alike): a
    /// keyed hash under this run's random key, so it says nothing to anyone who sees it.
    pub fn fingerprint(&self, key: &[u8]) -> [u8; KEPT_HASH_BYTES] {
        let hash = self.key.hash(&[b"run-dedup", key]);
        let mut fingerprint = [0; KEPT_HASH_BYTES];
        fingerprint.copy_from_slice(&hash[..KEPT_HASH_BYTES]);
        fingerprint
    }

    /// The value remembered for `fingerprint`, if any ([`RunDedup::remember`]).
    pub fn get(&mut self, fingerprint: &[u8; KEPT_HASH_BYTES]) -> Result<Option<u64>, StoreError> {
        self.lookup(&fingerprint[..])
    }

    /// Remembers `value` for `fingerprint` unless a value is there already (the first one
    /// stays). For callers that decide for themselves when a row counts as seen, e.g. only
    /// once it has an answer (the batch keeps the journal offset of that answer).
    pub fn remember(
        &mut self,
        fingerprint: &[u8; KEPT_HASH_BYTES],
        value: u64,
    ) -> Result<(), StoreError> {
        self.insert(&fingerprint[..], value).map(|_| ())
    }

    /// Stores `value` under `key` unless a value is there already; whether it was stored.
    /// Writes are batched: a transaction commits every [`ROWS_PER_COMMIT`] calls.
    fn insert(&mut self, key: &[u8], value: u64) -> Result<bool, StoreError> {
        let sql = |e| StoreError::sqlite(&self.path, e);
        if self.uncommitted == 0 {
            self.conn.execute_batch("BEGIN").map_err(sql)?;
        }
        let inserted = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO seen (key, row) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![key, i64::try_from(value).unwrap_or(i64::MAX)]))
            .map_err(sql)?;
        self.rows += inserted as u64;
        self.uncommitted += 1;
        if self.uncommitted >= ROWS_PER_COMMIT {
            self.conn.execute_batch("COMMIT").map_err(sql)?;
            self.uncommitted = 0;
        }
        Ok(inserted == 1)
    }

    /// The value stored under `key`, if any.
    fn lookup(&self, key: &[u8]) -> Result<Option<u64>, StoreError> {
        self.conn
            .prepare_cached("SELECT row FROM seen WHERE key = ?1")
            .and_then(|mut s| s.query_row(params![key], |r| r.get::<_, i64>(0)).optional())
            .map(|found| found.map(|v| u64::try_from(v).unwrap_or(0)))
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// How many distinct subjects were seen.
    pub fn len(&self) -> u64 {
        self.rows
    }

    /// Whether nothing was seen yet.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}
