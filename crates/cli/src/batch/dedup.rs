//! "Have we already checked this person?" for any number of rows, in constant memory.
//!
//! A hash table on disk (an unnamed temporary file beside the output, gone when the process
//! ends, readable by the owner only): open addressing with linear probing over 24-byte slots
//! holding a 128-bit fingerprint of the row's key and the journal offset of the row that
//! answered it. The page cache, not our heap, holds the hot part, so a million distinct rows
//! cost the process no more memory than ten thousand.
//!
//! A fixed 1 MiB bit filter in memory (a Bloom filter with two probes) stands in front of
//! the file: a key it has never seen is answered "absent" without reading the file, which
//! is the common case (most rows are distinct). It never says "absent" for a stored key, so
//! answers are unchanged; its size does not grow with the input, so memory stays flat (past
//! a few million distinct rows it just lets more lookups through to the file).
//!
//! A bitmap of occupied slots (one bit per slot: 64 KiB at the start, 256 KiB at a million
//! distinct rows) lets an insert of a key the filter has never seen go straight to the first
//! free slot: one `pwrite`, no `pread`. Doubling uses it too. Past 2^25 slots (16 million
//! distinct rows, a 4 MiB bitmap) it is dropped and inserts probe the file, so memory stays
//! bounded whatever the input.
//!
//! The fingerprint is MD5 over a random per-run salt and the key: 128 bits make an accidental
//! collision (which would copy one person's answer to another) negligible at any batch size,
//! and the salt keeps the file from being a lookup table of unsalted personal data.

use md5::{Digest, Md5};
use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;

const SLOT: u64 = 24;
/// 2^19 slots: a 12 MiB sparse file, which holds 262 144 rows before it first doubles.
/// Doubling rehashes every entry with a read and a write each, which at the old 2^16 start
/// cost as many system calls as the inserts themselves on a 100 000-row batch; untouched
/// slots take neither disk nor memory.
const INITIAL_SLOTS: u64 = 1 << 19;
/// Slots read per probe: most lookups end within the first few.
const PROBE_RUN: u64 = 8;

/// Words of the in-memory filter: 2^17 × 64 bits = 1 MiB.
const FILTER_WORDS: usize = 1 << 17;
/// Largest table that keeps a bitmap of occupied slots: 2^25 bits = 4 MiB.
const MAX_BITMAP_SLOTS: u64 = 1 << 25;

/// A row key's fingerprint.
pub(crate) type Fingerprint = [u8; 16];

/// The on-disk table.
#[derive(Debug)]
pub(crate) struct DedupTable {
    file: File,
    dir: std::path::PathBuf,
    slots: u64,
    used: u64,
    salt: [u8; 16],
    /// Bits set for every stored fingerprint; see the module documentation.
    filter: Vec<u64>,
    /// One bit per slot, set when the slot holds an entry; `None` past [`MAX_BITMAP_SLOTS`].
    occupied: Option<Vec<u64>>,
}

impl DedupTable {
    /// Creates an empty table in `dir`.
    pub(crate) fn new(dir: &Path) -> std::io::Result<Self> {
        Self::with_slots(dir, INITIAL_SLOTS)
    }

    /// Creates an empty table of `slots` slots (a power of two) in `dir`.
    fn with_slots(dir: &Path, slots: u64) -> std::io::Result<Self> {
        Ok(DedupTable {
            file: empty_file(dir, slots)?,
            dir: dir.to_path_buf(),
            slots,
            used: 0,
            salt: random_salt(),
            filter: vec![0; FILTER_WORDS],
            occupied: bitmap_for(slots),
        })
    }

    /// The fingerprint of `key` under this run's salt.
    pub(crate) fn fingerprint(&self, key: &str) -> Fingerprint {
        let mut hasher = Md5::new();
        hasher.update(self.salt);
        hasher.update(key.as_bytes());
        hasher.finalize().into()
    }

    /// The journal offset stored for `fp`, if any.
    pub(crate) fn get(&self, fp: &Fingerprint) -> std::io::Result<Option<u64>> {
        if !self.may_hold(fp) {
            return Ok(None);
        }
        match self.find(fp)? {
            (_, Some(value)) => Ok(Some(value)),
            (_, None) => Ok(None),
        }
    }

    /// Stores `offset` for `fp` unless it already has one (the first answer wins).
    pub(crate) fn insert(&mut self, fp: &Fingerprint, offset: u64) -> std::io::Result<()> {
        if (self.used + 1) * 2 > self.slots {
            self.grow()?;
        }
        // A key the filter has never seen is certainly absent: with the bitmap, its slot is
        // the first free one from its home, found without reading the file.
        let index = match self.first_free_if_new(fp) {
            Some(index) => index,
            None => match self.find(fp)? {
                (index, None) => index,
                (_, Some(_)) => return Ok(()),
            },
        };
        self.store(index, fp, offset)?;
        for (word, bit) in filter_bits(fp) {
            self.filter[word] |= bit;
        }
        Ok(())
    }

    /// Writes an entry into the free slot `index`.
    fn store(&mut self, index: u64, fp: &Fingerprint, offset: u64) -> std::io::Result<()> {
        write_slot(&self.file, index, fp, offset)?;
        if let Some(occupied) = &mut self.occupied {
            occupied[(index / 64) as usize] |= 1 << (index % 64);
        }
        self.used += 1;
        Ok(())
    }

    /// The first free slot from `fp`'s home, when the filter says `fp` is new and the bitmap
    /// is kept; `None` means "probe the file".
    fn first_free_if_new(&self, fp: &Fingerprint) -> Option<u64> {
        let occupied = self.occupied.as_ref()?;
        if self.may_hold(fp) {
            return None;
        }
        Some(first_free(occupied, fp, self.slots - 1))
    }

    /// False when `fp` was certainly never stored.
    fn may_hold(&self, fp: &Fingerprint) -> bool {
        filter_bits(fp)
            .iter()
            .all(|&(word, bit)| self.filter[word] & bit != 0)
    }

    /// Entries stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.used
    }

    /// Finds `fp`'s slot: (slot index, stored offset) or (first empty slot, None).
    fn find(&self, fp: &Fingerprint) -> std::io::Result<(u64, Option<u64>)> {
        let mask = self.slots - 1;
        let mut index = home(fp, mask);
        let mut buf = [0u8; (SLOT * PROBE_RUN) as usize];
        loop {
            // Read a run of slots, not wrapping past the end of the file.
            let run = PROBE_RUN.min(self.slots - index);
            let bytes = &mut buf[..(run * SLOT) as usize];
            read_exact_at(&self.file, bytes, index * SLOT)?;
            for (i, slot) in bytes.chunks_exact(SLOT as usize).enumerate() {
                let value = u64::from_le_bytes(slot[16..24].try_into().unwrap_or_default());
                if value == 0 {
                    return Ok((index + i as u64, None));
                }
                if slot[..16] == fp[..] {
                    return Ok((index + i as u64, Some(value - 1)));
                }
            }
            // The table is at most half full, so an empty slot is always found.
            index = (index + run) & mask;
        }
    }

    /// Doubles the table, rehashing every entry into a fresh file.
    fn grow(&mut self) -> std::io::Result<()> {
        let bigger = DedupTable {
            file: empty_file(&self.dir, self.slots * 2)?,
            dir: self.dir.clone(),
            slots: self.slots * 2,
            used: 0,
            salt: self.salt,
            // Moved over once the rehash succeeded: the filter is keyed by fingerprint,
            // not by slot, so it stays valid.
            filter: Vec::new(),
            occupied: bitmap_for(self.slots * 2),
        };
        let mut bigger = bigger;
        let mut chunk = vec![0u8; (SLOT * 4096) as usize];
        let mut at = 0u64;
        let total = self.slots * SLOT;
        while at < total {
            let len = chunk.len().min((total - at) as usize);
            read_exact_at(&self.file, &mut chunk[..len], at)?;
            for slot in chunk[..len].chunks_exact(SLOT as usize) {
                let value = u64::from_le_bytes(slot[16..24].try_into().unwrap_or_default());
                if value != 0 {
                    let fp: Fingerprint = slot[..16].try_into().unwrap_or_default();
                    // Every fingerprint is distinct, so each goes to the first free slot
                    // from its home (from the bitmap when there is one).
                    let index = match &bigger.occupied {
                        Some(occupied) => first_free(occupied, &fp, bigger.slots - 1),
                        None => bigger.find(&fp)?.0,
                    };
                    bigger.store(index, &fp, value - 1)?;
                }
            }
            at += len as u64;
        }
        bigger.filter = std::mem::take(&mut self.filter);
        *self = bigger;
        Ok(())
    }
}

/// `fp`'s home slot: bytes 0..8 of the fingerprint, masked to the table.
fn home(fp: &Fingerprint, mask: u64) -> u64 {
    u64::from_le_bytes(fp[..8].try_into().unwrap_or_default()) & mask
}

/// The first slot from `fp`'s home that `occupied` marks free. The table is at most half
/// full, so there always is one.
fn first_free(occupied: &[u64], fp: &Fingerprint, mask: u64) -> u64 {
    let mut index = home(fp, mask);
    while occupied[(index / 64) as usize] & (1 << (index % 64)) != 0 {
        index = (index + 1) & mask;
    }
    index
}

/// An empty occupancy bitmap for a table of `slots`, or `None` when that would be too large.
fn bitmap_for(slots: u64) -> Option<Vec<u64>> {
    (slots <= MAX_BITMAP_SLOTS).then(|| vec![0; slots.div_ceil(64) as usize])
}

/// The filter's two bits for `fp`, as (word, mask). The slot index uses bytes 0..8 of the
/// fingerprint; these use bytes 8..16, so the filter and the table's placement are
/// independent (MD5 output is uniform throughout).
fn filter_bits(fp: &Fingerprint) -> [(usize, u64); 2] {
    let bits = u64::from_le_bytes(fp[8..16].try_into().unwrap_or_default());
    let total = (FILTER_WORDS * 64) as u64;
    let at = |n: u64| ((n % total / 64) as usize, 1u64 << (n % 64));
    [at(bits), at(bits >> 32)]
}

fn empty_file(dir: &Path, slots: u64) -> std::io::Result<File> {
    // Unnamed (unlinked) temporary file: created 0600, and nothing is left behind even
    // after kill -9. set_len makes it sparse: untouched slots take no disk.
    let file = tempfile::tempfile_in(dir)?;
    file.set_len(slots * SLOT)?;
    Ok(file)
}

fn write_slot(file: &File, index: u64, fp: &Fingerprint, offset: u64) -> std::io::Result<()> {
    let mut slot = [0u8; SLOT as usize];
    slot[..16].copy_from_slice(fp);
    slot[16..].copy_from_slice(&(offset + 1).to_le_bytes());
    write_all_at(file, &slot, index * SLOT)
}

/// 16 random bytes from the standard library's per-process random hasher keys.
fn random_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    for (i, half) in salt.chunks_exact_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(i);
        half.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    salt
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_write(buf, offset)?;
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_through_growth() {
        remembers_through_growth_with(true);
    }

    #[test]
    fn remembers_through_growth_without_the_bitmap() {
        // What a table past MAX_BITMAP_SLOTS does: every insert probes the file.
        remembers_through_growth_with(false);
    }

    fn remembers_through_growth_with(bitmap: bool) {
        let dir = tempfile::tempdir().unwrap();
        let slots = 1 << 12;
        let mut table = DedupTable::with_slots(dir.path(), slots).unwrap();
        if !bitmap {
            table.occupied = None;
        }
        let n = slots * 4; // forces several doublings
        for i in 0..n {
            let fp = table.fingerprint(&format!("key{i}"));
            table.insert(&fp, i * 10).unwrap();
        }
        assert_eq!(table.len(), n);
        for i in (0..n).step_by(997) {
            let fp = table.fingerprint(&format!("key{i}"));
            assert_eq!(table.get(&fp).unwrap(), Some(i * 10));
        }
        assert_eq!(table.get(&table.fingerprint("absent")).unwrap(), None);
        // The first answer wins.
        let fp = table.fingerprint("key0");
        table.insert(&fp, 12345).unwrap();
        assert_eq!(table.get(&fp).unwrap(), Some(0));
        assert_eq!(table.len(), n);
        if let Some(occupied) = &table.occupied {
            let marked: u64 = occupied.iter().map(|w| u64::from(w.count_ones())).sum();
            assert_eq!(marked, n, "one bit per stored entry");
        }
    }

    #[test]
    fn a_key_the_filter_lets_through_is_still_found_once() {
        // Fill the filter so it lets every key through: inserts and lookups then probe the
        // file, and the first answer still wins.
        let dir = tempfile::tempdir().unwrap();
        let mut table = DedupTable::with_slots(dir.path(), 1 << 10).unwrap();
        table.filter.iter_mut().for_each(|w| *w = u64::MAX);
        for i in 0..300 {
            let fp = table.fingerprint(&format!("k{i}"));
            table.insert(&fp, i).unwrap();
            table.insert(&fp, i + 1_000).unwrap();
        }
        assert_eq!(table.len(), 300);
        for i in 0..300 {
            assert_eq!(
                table.get(&table.fingerprint(&format!("k{i}"))).unwrap(),
                Some(i)
            );
        }
    }

    #[test]
    fn salts_differ_between_runs() {
        let dir = tempfile::tempdir().unwrap();
        let a = DedupTable::new(dir.path()).unwrap();
        let b = DedupTable::new(dir.path()).unwrap();
        assert_ne!(a.fingerprint("x"), b.fingerprint("x"));
    }
}
