//! [`StoreError`]: every failure names the file it concerns and says what is wrong with it,
//! never which person was being looked up.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, without the details that only a log needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The file is not a shiming store or is damaged (garbage, truncated, foreign database).
    Corrupt,
    /// The file was written by a newer shiming whose schema this version does not know.
    NewerSchema,
    /// The key file is readable or writable by others than its owner.
    KeyFilePermissions,
    /// The key file does not hold exactly [`crate::KEY_LEN`] bytes.
    KeyFileLength,
    /// Reading, writing or creating a file failed (permissions, disk full, missing folder).
    Io,
    /// The operating system gave no random bytes for a new key.
    Random,
    /// Another process held the store longer than the busy timeout.
    Busy,
    /// The caller's input cannot be stored (an outcome that does not fit the check, a price
    /// that overflows, an unknown value read back).
    InvalidInput,
    /// Any other SQLite failure.
    Database,
}

/// A failure of the store, naming the file concerned.
///
/// Display reads `<file>: <what is wrong>`; no name, mobile or ID number ever appears in it.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct StoreError {
    kind: StoreErrorKind,
    path: PathBuf,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    pub(crate) fn new(kind: StoreErrorKind, path: &Path, message: impl fmt::Display) -> Self {
        StoreError {
            kind,
            path: path.to_path_buf(),
            message: message.to_string(),
            source: None,
        }
    }

    pub(crate) fn io(path: &Path, what: &str, error: std::io::Error) -> Self {
        StoreError {
            kind: StoreErrorKind::Io,
            path: path.to_path_buf(),
            message: format!("{what}: {error}"),
            source: Some(Box::new(error)),
        }
    }

    /// Classifies a SQLite failure on `path`. SQLite's messages never carry bound values, so
    /// they are safe to show.
    pub(crate) fn sqlite(path: &Path, error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let (kind, message) = match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => (
                StoreErrorKind::Corrupt,
                format!("not a readable shiming store (damaged or not SQLite): {error}"),
            ),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
                StoreErrorKind::Busy,
                format!("store busy in another process for too long: {error}"),
            ),
            Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::ReadOnly) => {
                (StoreErrorKind::Io, format!("cannot open or write: {error}"))
            }
            Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => {
                (StoreErrorKind::Io, format!("I/O failure: {error}"))
            }
            _ => (StoreErrorKind::Database, format!("database error: {error}")),
        };
        StoreError {
            kind,
            path: path.to_path_buf(),
            message,
            source: Some(Box::new(error)),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// The file concerned: the store, its key file, or a run's temporary database.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
