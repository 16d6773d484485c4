//! Properties of the batch input reader (`shiming_batch_input`), the first code to touch a
//! user's file: whatever the bytes, no panic, every row accounted for and numbered in order,
//! the same rows however the source splits its reads, and no message that spells out a
//! number found in the file.
//!
//! Framing: byte 0 picks the encoding (bit 0: UTF-8 or GBK), the read size of the second
//! pass (bits 1–3: 1 to 8 bytes per `read`) and whether the file is given as UTF-16LE with
//! a byte-order mark (bit 4: valid UTF-8 is encoded as UTF-16, anything else goes in raw
//! behind the mark), as Excel's "Unicode text" is; the rest is the file. A seed is [`SEED_PREFIX`] (UTF-8, one byte per read) followed by a file.
//!
//! Also: no value holds U+FFFD unless the file spelled it (nothing is decoded lossily), and
//! a read ends early only at a record longer than the cap.

use shiming_batch_input::{Field, InputEncoding, InputRow, RowReader};
use std::io::{Cursor, Read};

/// What `cargo xtask fuzz` puts before each `batch_input` seed.
pub const SEED_PREFIX: [u8; 1] = [0];

// The reader tests' chunked source, shared by path so both split reads the same way.
#[path = "../../crates/batch-input/tests/support/mod.rs"]
mod support;
use support::Chunked;

/// One whole read: the column names and every row, or the error that refused the input.
type Outcome = Result<(Vec<String>, Vec<InputRow>), String>;

fn read_all(source: impl Read + Send + 'static, encoding: InputEncoding) -> Outcome {
    let mut reader = RowReader::from_reader(source, encoding).map_err(|e| e.to_string())?;
    let names = reader.columns().names.clone();
    let mut rows = Vec::new();
    loop {
        // In-memory sources cannot fail: an `Err` is a record beyond the cap, or a bug.
        let row = match reader.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => {
                let message = e.to_string();
                assert!(message.contains("longer than 64 KiB"), "{message}");
                break;
            }
        };
        // Every check's field requirements and the extraction, on every row.
        for fields in [
            &[Field::Name, Field::Mobile][..],
            &[Field::Name, Field::IdNumber],
            &[Field::Mobile],
        ] {
            if let Err(e) = reader.columns().require("--check x", fields) {
                assert_no_number(&e.to_string());
            }
        }
        let input = reader.columns().extract(&row.values);
        for value in [&input.name, &input.mobile, &input.id_number] {
            assert_eq!(value.trim(), value.as_str(), "extracted values are trimmed");
        }
        assert!(
            !input.id_number.bytes().any(|b| b.is_ascii_lowercase()),
            "ID numbers are upper-cased: {:?}",
            input.id_number
        );
        rows.push(row);
    }
    Ok((names, rows))
}

/// Panics when `message` has a run of 7 or more digits (a mobile or ID number).
fn assert_no_number(message: &str) {
    let mut run = 0;
    for c in message.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        assert!(run < 7, "a message spells out a number: {message:?}");
    }
}

/// The `batch_input` target.
pub fn target(data: &[u8]) {
    let Some((&control, file)) = data.split_first() else {
        return;
    };
    let encoding = if control & 1 == 0 {
        InputEncoding::Utf8
    } else {
        InputEncoding::Gbk
    };
    let step = usize::from((control >> 1) & 7) + 1;
    let utf16 = control & 16 != 0;
    let framed: Vec<u8>;
    let file = if utf16 {
        // Text is encoded (so its rows survive); other bytes go in raw, as broken UTF-16.
        let body = match std::str::from_utf8(file) {
            Ok(text) => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Err(_) => file.to_vec(),
        };
        framed = [&[0xff, 0xfe][..], &body].concat();
        &framed[..]
    } else {
        file
    };

    let whole = read_all(Cursor::new(file.to_vec()), encoding);
    let chunked = read_all(Chunked::new(file, step), encoding);
    assert_eq!(whole, chunked, "reads of {step} byte(s) changed the rows");

    let (names, rows) = match whole {
        Ok(read) => read,
        Err(message) => {
            assert_no_number(&message);
            return;
        }
    };
    assert!(!names.is_empty(), "an accepted input has columns");
    // A row ends at a line end (CSV also ends one at a lone CR), so there cannot be more
    // rows than line ends + 1; the header takes one of them. In UTF-16 a line end is the
    // unit 0x000A or 0x000D.
    let line_ends = if utf16 {
        file[2..]
            .chunks_exact(2)
            .filter(|unit| matches!(unit, [b'\n' | b'\r', 0]))
            .count()
    } else {
        file.iter().filter(|b| matches!(b, b'\n' | b'\r')).count()
    };
    let spelled_replacement = file.windows(3).any(|w| w == "\u{fffd}".as_bytes());
    assert!(
        rows.len() <= line_ends + 1,
        "{} rows from {line_ends} line ends",
        rows.len()
    );
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.row, i as u64 + 1, "rows are numbered 1, 2, 3… in order");
        assert_eq!(
            row.values.len(),
            names.len(),
            "every row has the header's width"
        );
        if let Some(reason) = &row.unreadable {
            assert!(
                row.values.iter().all(String::is_empty),
                "an unreadable row keeps no values"
            );
            assert_no_number(reason);
        }
        if encoding == InputEncoding::Utf8 && !utf16 && !spelled_replacement {
            assert!(
                row.values.iter().all(|v| !v.contains('\u{fffd}')),
                "a value holds U+FFFD the file did not spell"
            );
        }
    }
}
