//! The store's tables, created on first open; a store from a newer shiming or a foreign
//! SQLite file is refused rather than altered.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{StoreError, StoreErrorKind};

/// `PRAGMA application_id`: "SHIM", marks the file as a shiming store.
const APPLICATION_ID: i64 = 0x5348_494D;

/// `PRAGMA user_version` of the schema below.
const VERSION: i64 = 1;

/// Every table holds hashes, codes, times and money only: no name, mobile or ID number.
const SCHEMA: &str = "
CREATE TABLE verdicts (
    key         BLOB PRIMARY KEY,       -- HMAC(check, normalised subject)
    check_kind  INTEGER NOT NULL,       -- 1 mobile two-elements, 2 ID two-elements, 3 status
    mobile_key  BLOB,                   -- HMAC('mobile:' || 11 digits), for forgetting
    id_key      BLOB,                   -- HMAC('id:' || 18 characters), for forgetting
    name_key    BLOB,                   -- HMAC('name:' || name), for forgetting by mobile + name
    outcome     INTEGER NOT NULL,       -- 1 match, 2 mismatch, 3 status found
    vendor      TEXT NOT NULL,
    code        TEXT NOT NULL,
    checked_at  INTEGER NOT NULL,       -- Unix milliseconds
    expires_at  INTEGER NOT NULL,       -- Unix milliseconds
    details     TEXT NOT NULL           -- JSON, non-personal facts only
) WITHOUT ROWID;
CREATE INDEX verdicts_mobile ON verdicts (mobile_key) WHERE mobile_key IS NOT NULL;
CREATE INDEX verdicts_id ON verdicts (id_key) WHERE id_key IS NOT NULL;
CREATE INDEX verdicts_checked ON verdicts (check_kind, checked_at);

CREATE TABLE spend (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,          -- UTC date, YYYY-MM-DD
    at          INTEGER NOT NULL,       -- Unix milliseconds
    vendor      TEXT NOT NULL,
    check_kind  INTEGER NOT NULL,
    price       INTEGER NOT NULL,       -- 1/10000 yuan
    billing     INTEGER NOT NULL        -- 1 billed, 2 possibly billed
);
CREATE INDEX spend_day ON spend (day);

CREATE TABLE reservations (
    id          INTEGER PRIMARY KEY,
    budget      TEXT NOT NULL,          -- the caller's budget name (a tenant, a run)
    period      TEXT NOT NULL,          -- UTC date for a daily budget, '' for a total one
    price       INTEGER NOT NULL,       -- 1/10000 yuan
    state       INTEGER NOT NULL,       -- 0 reserved, 1 billed, 2 possibly billed
    at          INTEGER NOT NULL
);
CREATE INDEX reservations_budget ON reservations (budget, period);
";

/// Sets the connection up (WAL, busy timeout, secure delete) and creates or checks the schema.
pub(crate) fn prepare(
    conn: &mut Connection,
    path: &Path,
    busy_timeout: std::time::Duration,
) -> Result<(), StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    conn.busy_timeout(busy_timeout).map_err(sql)?;
    // The first read of the file: garbage or a truncated header fails here, named.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(sql)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::new(
            StoreErrorKind::Database,
            path,
            format!(
                "cannot switch to WAL journaling (got {mode}); is the file on a network share?"
            ),
        ));
    }
    // NORMAL is durable against a killed process in WAL mode; only a power cut may lose the
    // last transactions, which costs a repeat check, never a wrong answer.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    // Deleted rows (forget, purge) are overwritten with zeros, not left in free pages.
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(sql)?;

    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sql)?;
    match version {
        VERSION => check_application_id(conn, path),
        0 => create(conn, path),
        newer => Err(StoreError::new(
            StoreErrorKind::NewerSchema,
            path,
            format!(
                "store schema version {newer} is newer than this shiming's ({VERSION}); upgrade shiming"
            ),
        )),
    }
}

fn check_application_id(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let id: i64 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|e| StoreError::sqlite(path, e))?;
    if id == APPLICATION_ID {
        Ok(())
    } else {
        Err(StoreError::new(
            StoreErrorKind::Corrupt,
            path,
            "an SQLite database, but not a shiming store (refusing to change it)",
        ))
    }
}

fn create(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    // IMMEDIATE: two processes creating the store at once serialise here; the second sees
    // the first's schema when it re-reads the version inside the transaction.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sql)?;
    if version == VERSION {
        drop(tx);
        return check_application_id(conn, path);
    }
    let tables: i64 = tx
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(sql)?;
    if tables > 0 {
        return Err(StoreError::new(
            StoreErrorKind::Corrupt,
            path,
            "an SQLite database with other tables, not a shiming store (refusing to change it)",
        ));
    }
    tx.execute_batch(SCHEMA).map_err(sql)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql)?;
    tx.pragma_update(None, "user_version", VERSION)
        .map_err(sql)?;
    tx.commit().map_err(sql)
}
