//! The per-installation key: 32 random bytes in an owner-only file, and the keyed hashes
//! (HMAC-SHA256) that stand for people in the store.
//!
//! Without this key a row's hashes cannot be tested against a guessed mobile or ID number, so
//! a copied store file (a backup, a shared disk) tells nothing about whom it concerns.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{StoreError, StoreErrorKind};

/// Length of the key in bytes (and of the key file).
pub const KEY_LEN: usize = 32;

/// Length of every keyed hash in bytes.
pub(crate) const HASH_LEN: usize = 32;

/// A keyed hash as stored.
pub(crate) type Hash = [u8; HASH_LEN];

/// The secret key. Debug never shows it; dropped bytes are zeroed.
pub(crate) struct Key(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(***)")
    }
}

impl Key {
    /// A fresh random key that lives only in memory (a run's duplicate detection).
    pub(crate) fn random(path_for_errors: &Path) -> Result<Key, StoreError> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(bytes.as_mut_slice()).map_err(|e| {
            StoreError::new(
                StoreErrorKind::Random,
                path_for_errors,
                format!("no random bytes: {e}"),
            )
        })?;
        Ok(Key(bytes))
    }

    /// Reads the key file at `path`, creating it with random bytes if it does not exist.
    ///
    /// Creation is atomic: the bytes go to a private temporary file in the same folder which
    /// is then hard-linked to `path`, an operation that fails if `path` appeared meanwhile —
    /// so two processes starting at once end up reading the same key, never two different
    /// ones, and no process ever reads a half-written key.
    pub(crate) fn load_or_create(path: &Path) -> Result<Key, StoreError> {
        match read_key(path) {
            Ok(key) => return Ok(key),
            Err(error) if is_not_found(&error) => {}
            Err(error) => return Err(error),
        }
        let fresh = Key::random(path)?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".shiming-key-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o600));
        }
        let mut temp = builder
            .tempfile_in(folder)
            .map_err(|e| StoreError::io(path, "cannot create the key file", e))?;
        temp.write_all(fresh.0.as_slice())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| StoreError::io(path, "cannot write the key file", e))?;
        match fs::hard_link(temp.path(), path) {
            Ok(()) => {}
            // Another process won the race: use its key.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(StoreError::io(path, "cannot create the key file", e)),
        }
        drop(temp);
        read_key(path)
    }

    /// The keyed hash of `parts`, each length-prefixed so that no two different lists of
    /// parts hash the same input.
    pub(crate) fn hash(&self, parts: &[&[u8]]) -> Hash {
        // HMAC accepts keys of any length; KEY_LEN bytes cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_slice())
            .expect("HMAC takes a key of any length");
        for part in parts {
            let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
            mac.update(&len.to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

fn is_not_found(error: &StoreError) -> bool {
    error.kind() == StoreErrorKind::Io
        && std::error::Error::source(error)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

fn read_key(path: &Path) -> Result<Key, StoreError> {
    let mut file = OpenOptions::new()
        .read(true)
        .open(path)
        .map_err(|e| StoreError::io(path, "cannot read the key file", e))?;
    let metadata = file
        .metadata()
        .map_err(|e| StoreError::io(path, "cannot read the key file", e))?;
    check_permissions(path, &metadata)?;
    if metadata.len() != KEY_LEN as u64 {
        return Err(StoreError::new(
            StoreErrorKind::KeyFileLength,
            path,
            format!(
                "key file holds {} bytes, expected {KEY_LEN}: not a shiming key (refusing to use it)",
                metadata.len()
            ),
        ));
    }
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    file.read_exact(bytes.as_mut_slice())
        .map_err(|e| StoreError::io(path, "cannot read the key file", e))?;
    Ok(Key(bytes))
}

#[cfg(unix)]
fn check_permissions(path: &Path, metadata: &fs::Metadata) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(StoreError::new(
            StoreErrorKind::KeyFilePermissions,
            path,
            format!(
                "key file is accessible to others (mode {mode:03o}); it must be owner-only: chmod 600"
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _metadata: &fs::Metadata) -> Result<(), StoreError> {
    Ok(())
}
