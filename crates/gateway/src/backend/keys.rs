//! The keyed hash of a subject (HMAC-SHA256), and the key file it is taken under.

use super::{BackendError, Subject};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;

/// Shortest accepted key: 32 bytes, the hash's own size.
const MIN_KEY_BYTES: usize = 32;

/// An HMAC key; never printed.
pub(crate) struct HmacKey(Vec<u8>);

impl std::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HmacKey(***)")
    }
}

impl HmacKey {
    /// A fresh random key (this process only: the memory backend).
    pub(crate) fn random() -> Result<HmacKey, BackendError> {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| BackendError(format!("no randomness: {e}")))?;
        Ok(HmacKey(bytes))
    }

    /// Reads the key file every gateway sharing a Redis uses. It must not be readable by
    /// group or others, and must hold at least 32 bytes.
    pub(crate) fn read(path: &Path) -> Result<HmacKey, BackendError> {
        let bytes = std::fs::read(path).map_err(|e| {
            BackendError(format!(
                "cannot read the HMAC key file {}: {e}",
                path.display()
            ))
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(|e| BackendError(format!("{}: {e}", path.display())))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(BackendError(format!(
                    "the HMAC key file {} is readable by others (mode {:o}): chmod 600 it",
                    path.display(),
                    mode & 0o777
                )));
            }
        }
        if bytes.len() < MIN_KEY_BYTES {
            return Err(BackendError(format!(
                "the HMAC key file {} holds {} bytes; it needs at least {MIN_KEY_BYTES} random bytes",
                path.display(),
                bytes.len()
            )));
        }
        Ok(HmacKey(bytes))
    }

    /// HMAC-SHA256 of the subject, hex.
    pub(crate) fn key_of(&self, subject: &Subject) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(super::key_material(subject).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_differ_by_subject_and_key_and_hide_both() {
        let key = HmacKey(vec![7; 32]);
        let a = Subject::MobileStatus {
            mobile: "18688888888".into(),
        };
        let b = Subject::MobileTwoElements {
            name: "张三".into(),
            mobile: "18688888888".into(),
        };
        assert_ne!(key.key_of(&a), key.key_of(&b));
        assert_ne!(key.key_of(&a), HmacKey(vec![8; 32]).key_of(&a));
        assert!(!key.key_of(&a).contains("8888"));
        assert_eq!(format!("{key:?}"), "HmacKey(***)");
    }

    #[test]
    fn key_files_must_be_private_and_long_enough() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, [1u8; 16]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let refusal = || HmacKey::read(&path).unwrap_err().to_string();
        assert!(refusal().contains("at least 32"));
        std::fs::write(&path, [1u8; 32]).unwrap();
        assert!(HmacKey::read(&path).is_ok());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(refusal().contains("chmod 600"));
    }
}
