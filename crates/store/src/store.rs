//! [`Store`]: opening the file, and remembering and looking up answers.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OptionalExtension, params};
use shiming_codec::Vendor;

use crate::answer::{Answer, Outcome, Remembered, Ttls};
use crate::error::{StoreError, StoreErrorKind};
use crate::key::Key;
use crate::subject::Subject;
use crate::{schema, time};

/// The most JSON [`Answer::details`] may hold: the facts kept are a handful of short fields.
pub const MAX_DETAILS_BYTES: usize = 4096;

/// How a store is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreOptions {
    /// The key file; by default the store's path with `.key` appended. Created (owner-only,
    /// random) when missing.
    pub key_file: Option<PathBuf>,
    /// How long answers are kept, per check.
    pub ttl: Ttls,
    /// How long to wait for another process holding the store's write lock. Default 5 s.
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            key_file: None,
            ttl: Ttls::default(),
            busy_timeout: Duration::from_secs(5),
        }
    }
}

impl StoreOptions {
    /// The defaults.
    pub fn new() -> Self {
        StoreOptions::default()
    }

    /// Uses the key in `path` instead of the default next to the store.
    pub fn key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key_file = Some(path.into());
        self
    }

    /// Sets how long answers are kept.
    pub fn ttl(mut self, ttl: Ttls) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the busy timeout.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }
}

/// The verdict store, spend ledger and budgets: one SQLite file (WAL) shared safely by
/// threads (`Send + Sync`) and by processes.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    key: Key,
    path: PathBuf,
    ttl: Ttls,
}

impl Store {
    /// Opens the store at `path`, creating the file, its schema and its key file when missing.
    ///
    /// # Errors
    /// A file that is not a shiming store (garbage, truncated, another program's database)
    /// is [`StoreErrorKind::Corrupt`]; a key file readable by others or of the wrong length
    /// is [`StoreErrorKind::KeyFilePermissions`] / [`StoreErrorKind::KeyFileLength`]. Every
    /// error names the file.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        let key_path = options.key_file.clone().unwrap_or_else(|| {
            let mut p = path.as_os_str().to_owned();
            p.push(".key");
            PathBuf::from(p)
        });
        let key = Key::load_or_create(&key_path)?;
        create_owner_only(path)?;
        let mut conn = Connection::open(path).map_err(|e| StoreError::sqlite(path, e))?;
        schema::prepare(&mut conn, path, options.busy_timeout)?;
        Ok(Store {
            conn: Mutex::new(conn),
            key,
            path: path.to_path_buf(),
            ttl: options.ttl,
        })
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long answers are kept.
    pub fn ttls(&self) -> Ttls {
        self.ttl
    }

    pub(crate) fn key(&self) -> &Key {
        &self.key
    }

    /// The connection. A panic while it was held leaves nothing half-done (an open
    /// transaction rolls back when dropped), so a poisoned lock is still usable.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn sql(&self, error: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, error)
    }

    pub(crate) fn invalid(&self, message: impl std::fmt::Display) -> StoreError {
        StoreError::new(StoreErrorKind::InvalidInput, &self.path, message)
    }

    /// The remembered answer for `subject`, if one is kept and has not expired at `now`.
    ///
    /// An answer expires at the earlier of the expiry written with it and its check time
    /// plus the current time to live, so shortening a TTL takes effect at once.
    pub fn lookup(
        &self,
        subject: &Subject,
        now: SystemTime,
    ) -> Result<Option<Remembered>, StoreError> {
        let key = subject.key(&self.key);
        let now = time::to_millis(now);
        let newest_allowed = now.saturating_sub(
            i64::try_from(self.ttl.of(subject.check()).as_millis()).unwrap_or(i64::MAX),
        );
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT outcome, vendor, code, checked_at, expires_at, details FROM verdicts
                 WHERE key = ?1 AND expires_at > ?2 AND checked_at > ?3",
            )
            .map_err(|e| self.sql(e))?;
        let row = statement
            .query_row(params![key.as_slice(), now, newest_allowed], |row| {
                <(i64, String, String, i64, i64, String)>::try_from(row)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((outcome, vendor, code, checked_at, expires_at, details)) = row else {
            return Ok(None);
        };
        let outcome = Outcome::from_code(outcome)
            .ok_or_else(|| self.corrupt(format!("unknown outcome {outcome} in a row")))?;
        let vendor = vendor_from_name(&vendor)
            .ok_or_else(|| self.corrupt(format!("unknown vendor {vendor:?} in a row")))?;
        let details = serde_json::from_str(&details)
            .map_err(|e| self.corrupt(format!("unreadable details in a row: {e}")))?;
        Ok(Some(Remembered {
            outcome,
            vendor,
            code,
            checked_at: time::from_millis(checked_at),
            expires_at: time::from_millis(
                expires_at.min(time::add_millis(checked_at, self.ttl.of(subject.check()))),
            ),
            details,
        }))
    }

    pub(crate) fn corrupt(&self, message: String) -> StoreError {
        StoreError::new(StoreErrorKind::Corrupt, &self.path, message)
    }

    /// Remembers `answer` for `subject` until its check time plus the check's TTL, replacing
    /// any earlier answer for the same subject.
    ///
    /// # Errors
    /// [`StoreErrorKind::InvalidInput`] when the outcome does not fit the subject's check
    /// (a status outcome for a two-element subject) or the details exceed
    /// [`MAX_DETAILS_BYTES`].
    pub fn remember(&self, subject: &Subject, answer: &Answer) -> Result<(), StoreError> {
        let check = subject.check();
        if !answer.outcome.fits(check) {
            return Err(self.invalid(format!(
                "outcome {:?} cannot answer a {check} check",
                answer.outcome
            )));
        }
        let details = answer.details.to_string();
        if details.len() > MAX_DETAILS_BYTES {
            return Err(self.invalid(format!(
                "details of {} bytes exceed the {MAX_DETAILS_BYTES}-byte limit",
                details.len()
            )));
        }
        let hashes = subject.hashes(&self.key);
        let checked_at = time::to_millis(answer.checked_at);
        let expires_at = time::add_millis(checked_at, self.ttl.of(check));
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT OR REPLACE INTO verdicts
               (key, check_kind, mobile_key, id_key, name_key, outcome, vendor, code,
                checked_at, expires_at, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                hashes.key.as_slice(),
                crate::subject::code(check),
                hashes.mobile.as_ref().map(|h| h.as_slice()),
                hashes.id.as_ref().map(|h| h.as_slice()),
                hashes.name.as_ref().map(|h| h.as_slice()),
                answer.outcome.code(),
                answer.vendor.as_str(),
                answer.code,
                checked_at,
                expires_at,
                details,
            ])
        })
        .map_err(|e| self.sql(e))?;
        Ok(())
    }
}

/// The keyed hash standing for one subject of one check: equal for two spellings of the same
/// subject. Opaque; `Debug` shows nothing. For keying in-process work by subject (the
/// facade's single flight) without holding the plaintext.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubjectKey(crate::key::Hash);

impl std::fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubjectKey(..)")
    }
}

impl Store {
    /// The key `subject` is stored under.
    pub fn subject_key(&self, subject: &Subject) -> SubjectKey {
        SubjectKey(subject.key(&self.key))
    }
}

/// The vendor named by `Vendor::as_str`.
pub(crate) fn vendor_from_name(name: &str) -> Option<Vendor> {
    Vendor::ALL.into_iter().find(|v| v.as_str() == name)
}

/// Creates the store file owner-only if it does not exist, so SQLite (which gives its -wal
/// and -shm files the main file's mode) never makes a world-readable one.
fn create_owner_only(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::io(path, "cannot create the store file", e)),
    }
}
