//! "Have we already checked this person in this run?" for any number of rows, in flat
//! memory: the verdict store's machinery (`shiming_store::RunDedup`).
//!
//! A temporary SQLite table in a private folder beside the output (deleted when the run
//! ends) maps a row's fingerprint to the journal offset of the row that answered it. The
//! fingerprint is a keyed hash (HMAC-SHA256, 128 bits kept) under a random key that lives
//! only in this process's memory: an accidental collision (which would copy one person's
//! answer to another) is negligible at any batch size, and the table is meaningless to
//! anyone who finds it. SQLite's page cache is capped, so a million distinct rows cost no
//! more memory than ten thousand (`cargo xtask bench --only store`: 578 k rows/s, 1.06× the
//! memory at 100 000 rows as at 10 000).
//!
//! It replaced a hand-written open-addressing table on disk with a Bloom filter and a slot
//! bitmap in front of it: code whose only reason was loopback microseconds.

use shiming_store::RunDedup;
use std::path::Path;

/// A row's fingerprint: what makes two rows alike, hashed under the run's key.
pub(crate) type Fingerprint = [u8; 16];

/// Fingerprints of answered rows, and where in the journal their answer is.
#[derive(Debug)]
pub(crate) struct DedupTable {
    seen: RunDedup,
}

fn io(e: shiming_store::StoreError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl DedupTable {
    /// An empty table in a private temporary folder under `dir`.
    pub(crate) fn new(dir: &Path) -> std::io::Result<Self> {
        Ok(DedupTable {
            seen: RunDedup::new_in(dir).map_err(io)?,
        })
    }

    /// The fingerprint of a row's dedup key.
    pub(crate) fn fingerprint(&self, key: &str) -> Fingerprint {
        self.seen.fingerprint(key.as_bytes())
    }

    /// The journal offset of the row that answered `fp`, if any.
    pub(crate) fn get(&mut self, fp: &Fingerprint) -> std::io::Result<Option<u64>> {
        self.seen.get(fp).map_err(io)
    }

    /// Remembers where `fp`'s answer is; the first answer stays.
    pub(crate) fn insert(&mut self, fp: &Fingerprint, offset: u64) -> std::io::Result<()> {
        self.seen.remember(fp, offset).map_err(io)
    }

    /// How many distinct rows are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_many_and_the_first_answer_wins() {
        let dir = tempfile::tempdir().unwrap();
        let mut table = DedupTable::new(dir.path()).unwrap();
        let n = 20_000u64;
        for i in 0..n {
            let fp = table.fingerprint(&format!("key{i}"));
            table.insert(&fp, i * 10).unwrap();
        }
        assert_eq!(table.len(), n);
        for i in (0..n).step_by(997) {
            let fp = table.fingerprint(&format!("key{i}"));
            assert_eq!(table.get(&fp).unwrap(), Some(i * 10));
        }
        let absent = table.fingerprint("absent");
        assert_eq!(table.get(&absent).unwrap(), None);
        let fp = table.fingerprint("key0");
        table.insert(&fp, 12345).unwrap();
        assert_eq!(table.get(&fp).unwrap(), Some(0));
        assert_eq!(table.len(), n);
    }

    #[test]
    fn fingerprints_differ_between_runs() {
        let dir = tempfile::tempdir().unwrap();
        let a = DedupTable::new(dir.path()).unwrap();
        let b = DedupTable::new(dir.path()).unwrap();
        assert_ne!(a.fingerprint("x"), b.fingerprint("x"));
    }
}
