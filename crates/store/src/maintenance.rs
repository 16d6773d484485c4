//! Forgetting people (PIPL's right to deletion), purging, and statistics.

use std::time::{Duration, SystemTime};

use rusqlite::params;

use crate::error::StoreError;
use crate::store::Store;
use crate::subject::{Check, id_hash, mobile_hash, name_hash};
use crate::time;

/// What the store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// One entry per check, in [`Check::ALL`] order, expired entries included.
    pub per_check: Vec<CheckStats>,
    /// Bytes on disk: the store file plus its `-wal` and `-shm` files.
    pub file_bytes: u64,
    /// Rows in the spend ledger.
    pub spend_rows: u64,
}

/// What the store holds for one check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckStats {
    /// The check.
    pub check: Check,
    /// How many answers are kept.
    pub entries: u64,
    /// When the oldest kept answer was given.
    pub oldest: Option<SystemTime>,
}

impl Store {
    /// Removes every answer about `mobile`: its two-element answers and its status. With a
    /// `name`, only that person's two-element answers go (and the number's status), so other
    /// names once checked against the number stay.
    ///
    /// Returns how many answers were removed. Deleted rows are overwritten on disk
    /// (`secure_delete`).
    pub fn forget_mobile(&self, mobile: &str, name: Option<&str>) -> Result<u64, StoreError> {
        let mobile_key = mobile_hash(self.key(), mobile);
        let conn = self.conn();
        let removed = match name {
            None => conn.execute(
                "DELETE FROM verdicts WHERE mobile_key = ?1",
                params![mobile_key.as_slice()],
            ),
            Some(name) => conn.execute(
                "DELETE FROM verdicts WHERE mobile_key = ?1 AND (name_key = ?2 OR name_key IS NULL)",
                params![mobile_key.as_slice(), name_hash(self.key(), name).as_slice()],
            ),
        }
        .map_err(|e| self.sql(e))?;
        Ok(removed as u64)
    }

    /// Removes every answer about the ID number `id_number` (its 15- and 18-digit forms are
    /// one person). Returns how many were removed.
    pub fn forget_id(&self, id_number: &str) -> Result<u64, StoreError> {
        let id_key = id_hash(self.key(), id_number);
        let removed = self
            .conn()
            .execute(
                "DELETE FROM verdicts WHERE id_key = ?1",
                params![id_key.as_slice()],
            )
            .map_err(|e| self.sql(e))?;
        Ok(removed as u64)
    }

    /// Removes every answer (`older_than: None`) or those given more than `older_than` before
    /// `now`. Returns how many were removed. The ledger and budgets are kept.
    pub fn purge(&self, older_than: Option<Duration>, now: SystemTime) -> Result<u64, StoreError> {
        let conn = self.conn();
        let removed = match older_than {
            None => conn.execute("DELETE FROM verdicts", []),
            Some(age) => {
                let cutoff = time::to_millis(now)
                    .saturating_sub(i64::try_from(age.as_millis()).unwrap_or(i64::MAX));
                conn.execute(
                    "DELETE FROM verdicts WHERE checked_at < ?1",
                    params![cutoff],
                )
            }
        }
        .map_err(|e| self.sql(e))?;
        Ok(removed as u64)
    }

    /// Removes the answers that have expired at `now`. Returns how many were removed.
    pub fn purge_expired(&self, now: SystemTime) -> Result<u64, StoreError> {
        let removed = self
            .conn()
            .execute(
                "DELETE FROM verdicts WHERE expires_at <= ?1",
                params![time::to_millis(now)],
            )
            .map_err(|e| self.sql(e))?;
        Ok(removed as u64)
    }

    /// Entries per check, the oldest answer of each, the size on disk.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let conn = self.conn();
        let mut per_check = Vec::new();
        let mut statement = conn
            .prepare_cached("SELECT count(*), min(checked_at) FROM verdicts WHERE check_kind = ?1")
            .map_err(|e| self.sql(e))?;
        for check in Check::ALL {
            let (entries, oldest): (i64, Option<i64>) = statement
                .query_row(params![crate::subject::code(check)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .map_err(|e| self.sql(e))?;
            per_check.push(CheckStats {
                check,
                entries: u64::try_from(entries).unwrap_or(0),
                oldest: oldest.map(time::from_millis),
            });
        }
        let spend_rows: i64 = conn
            .query_row("SELECT count(*) FROM spend", [], |row| row.get(0))
            .map_err(|e| self.sql(e))?;
        let file_bytes = ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let mut p = self.path().as_os_str().to_owned();
                p.push(suffix);
                std::fs::metadata(p).map_or(0, |m| m.len())
            })
            .sum();
        Ok(Stats {
            per_check,
            file_bytes,
            spend_rows: u64::try_from(spend_rows).unwrap_or(0),
        })
    }
}
