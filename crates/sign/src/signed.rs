//! The record every signer returns: [`Signature`], with the vendor's mode (`wapi::AuthMode`,
//! `ihuyi::PasswordMode`), and the [`Signed`] value and canonical string inside it.

use std::fmt;

use md5::{Digest, Md5};

use crate::secret::{MASK, Secret};

/// A computed signature value (wapi `sign`, ihuyi `password`) in mode `M`, and a record of
/// what was hashed. Each vendor module names its own: [`wapi::Signature`](crate::wapi::Signature),
/// [`ihuyi::Signature`](crate::ihuyi::Signature).
///
/// `Debug` and `Display` show the value only when it is not a secret: where the value is the
/// credential itself (wapi Hash mode, ihuyi static password) they print `***`. Neither shows
/// the canonical string, because it holds the request's personal data (names, numbers); ask
/// for it explicitly with [`Signature::canonical_masked`].
#[derive(Clone)]
pub struct Signature<M> {
    mode: M,
    signed: Signed,
}

impl<M: Copy> Signature<M> {
    pub(crate) fn new(mode: M, signed: Signed) -> Self {
        Self { mode, signed }
    }

    /// What goes in the signature parameter. Where [`Signature::value_is_secret`], this IS the
    /// credential: send it, never log it (log the `Display` form instead).
    pub fn value(&self) -> &str {
        self.signed.value()
    }

    /// Whether [`Signature::value`] is the credential itself (wapi Hash mode, ihuyi static
    /// password).
    pub fn value_is_secret(&self) -> bool {
        self.signed.value_is_secret()
    }

    /// The string that was hashed, with the credential replaced by `***` (each vendor module
    /// shows an example); compare it with what the vendor expects when chasing a signature
    /// refusal (wapi 10003, ihuyi 40502). Where nothing is hashed, a short explanation instead.
    ///
    /// It contains the request's personal data verbatim: show it to the user who asked, do not
    /// log it.
    pub fn canonical_masked(&self) -> String {
        self.signed.canonical_masked()
    }

    /// The mode this signature was computed for.
    pub fn mode(&self) -> M {
        self.mode
    }
}

impl<M: fmt::Debug> fmt::Debug for Signature<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("mode", &self.mode)
            .field("value", &self.signed.value_masked())
            .finish_non_exhaustive()
    }
}

impl<M> fmt::Display for Signature<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.signed.value_masked())
    }
}

/// A signer's result: the value to send, and enough to show what was signed.
///
/// Building the masked canonical string is deferred to [`Signed::canonical_masked`]: the hot
/// path pays for one allocation (the canonical text *without* the secret, which the digest
/// needs anyway) and nothing else.
#[derive(Clone)]
pub(crate) struct Signed {
    value: Value,
    canonical: Canonical,
}

#[derive(Clone)]
enum Value {
    /// An MD5 digest, safe to show.
    Digest(HexDigest),
    /// The value sent is the credential itself (wapi Hash mode, ihuyi static password).
    Secret(Secret),
}

#[derive(Clone)]
enum Canonical {
    /// `text` was hashed with the secret inserted at byte `secret_at`.
    Hashed { text: String, secret_at: usize },
    /// Nothing was hashed; a sentence says what was sent instead.
    Explained(&'static str),
}

impl Signed {
    /// MD5 over `text` with `secret` inserted at byte `secret_at` (which must be a char boundary).
    pub(crate) fn md5_with_secret_at(text: String, secret_at: usize, secret: &Secret) -> Self {
        let (before, after) = text.split_at(secret_at);
        let mut hasher = Md5::new();
        hasher.update(before);
        hasher.update(secret.expose());
        hasher.update(after);
        let digest = HexDigest::encode(&hasher.finalize());
        Self {
            value: Value::Digest(digest),
            canonical: Canonical::Hashed { text, secret_at },
        }
    }

    /// The credential is sent as is; `explanation` stands in for a canonical string.
    pub(crate) fn secret_itself(secret: &Secret, explanation: &'static str) -> Self {
        Self {
            value: Value::Secret(secret.clone()),
            canonical: Canonical::Explained(explanation),
        }
    }

    pub(crate) fn value(&self) -> &str {
        match &self.value {
            Value::Digest(digest) => digest.as_str(),
            Value::Secret(secret) => secret.expose(),
        }
    }

    pub(crate) fn value_is_secret(&self) -> bool {
        matches!(self.value, Value::Secret(_))
    }

    /// The value, or `***` when the value is a secret: what Debug, Display and logs may show.
    pub(crate) fn value_masked(&self) -> &str {
        match &self.value {
            Value::Digest(digest) => digest.as_str(),
            Value::Secret(_) => MASK,
        }
    }

    pub(crate) fn canonical_masked(&self) -> String {
        match &self.canonical {
            Canonical::Hashed { text, secret_at } => {
                let (before, after) = text.split_at(*secret_at);
                let mut masked = String::with_capacity(text.len() + MASK.len());
                masked.push_str(before);
                masked.push_str(MASK);
                masked.push_str(after);
                masked
            }
            Canonical::Explained(explanation) => (*explanation).to_owned(),
        }
    }
}

/// 32 lowercase hex digits, kept on the stack.
#[derive(Clone, Copy)]
struct HexDigest([u8; 32]);

impl HexDigest {
    fn encode(bytes: &[u8]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        Self(hex)
    }

    fn as_str(&self) -> &str {
        // Only `encode` builds a HexDigest and it writes ASCII digits, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_of_empty_input_is_the_well_known_digest() {
        let signed = Signed::md5_with_secret_at(String::new(), 0, &Secret::new(""));
        assert_eq!(signed.value(), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(signed.canonical_masked(), "***");
    }

    #[test]
    fn secret_is_hashed_at_its_place() {
        let signed = Signed::md5_with_secret_at("abcd".to_owned(), 2, &Secret::new("XY"));
        // md5("abXYcd")
        assert_eq!(signed.value(), "77d123a543a1b6fea1295b2464efe482");
        assert_eq!(signed.canonical_masked(), "ab***cd");
    }
}
