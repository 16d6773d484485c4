//! Records, headers and blank runs are capped, so no input can make the reader buffer
//! without end: each case here is an endless source, refused after a bounded read.

use shiming_batch_input::limits::{MAX_COLUMNS, MAX_RECORD_BYTES};
use shiming_batch_input::{InputEncoding, RowReader};
use std::io::{Cursor, Read};

fn open(source: impl Read + Send + 'static) -> Result<RowReader, String> {
    RowReader::from_reader(source, InputEncoding::Utf8).map_err(|e| e.to_string())
}

/// The error of the first row that fails, reading at most a few rows.
fn first_row_error(mut reader: RowReader) -> String {
    for _ in 0..4 {
        match reader.next_row() {
            Ok(Some(_)) => continue,
            Ok(None) => return "ended".to_string(),
            Err(e) => return e.to_string(),
        }
    }
    "no error".to_string()
}

#[test]
fn an_endless_header_is_refused() {
    for byte in [b'a', 0, b'"', b','] {
        let err = open(std::io::repeat(byte)).err().expect("refused");
        assert_eq!(
            err,
            "the header row is longer than 64 KiB, the most a row may be; is this really a batch file?",
            "byte {byte}"
        );
    }
}

#[test]
fn an_endless_row_is_refused() {
    let reader = open(Cursor::new(b"name,mobile\nok,1\n".to_vec()).chain(std::io::repeat(b'x')))
        .expect("a header");
    assert_eq!(
        first_row_error(reader),
        "row 2 is longer than 64 KiB, the most a row may be; is this really a batch file?"
    );
    // A quoted field holding endless line breaks is one record too.
    let reader =
        open(Cursor::new(b"name\n\"".to_vec()).chain(std::io::repeat(b'\n'))).expect("a header");
    assert!(first_row_error(reader).starts_with("row 1 is longer than 64 KiB"));
}

#[test]
fn an_endless_json_line_is_refused() {
    let reader = open(Cursor::new(b"{\"name\":\"".to_vec()).chain(std::io::repeat(b'a')))
        .expect("JSON lines");
    assert!(first_row_error(reader).starts_with("row 1 is longer than 64 KiB"));
}

#[test]
fn endless_utf16_is_refused() {
    let source = Cursor::new(vec![0xff, 0xfe]).chain(std::io::repeat(b'a'));
    assert!(
        open(source)
            .err()
            .expect("refused")
            .starts_with("the header row is longer")
    );
}

#[test]
fn endless_blank_lines_are_refused() {
    let err = open(std::io::repeat(b'\n')).err().expect("refused");
    assert_eq!(
        err,
        "the input starts with more than 64 KiB of blank lines and no header"
    );
}

#[test]
fn the_record_cap_is_exact() {
    // A record of exactly MAX_RECORD_BYTES, its line end included, is read; one byte more
    // is not.
    let at_cap = format!("name\n{}\n", "a".repeat(MAX_RECORD_BYTES - 1));
    let mut reader = open(Cursor::new(at_cap.into_bytes())).expect("a header");
    assert_eq!(
        reader.next_row().expect("read").expect("a row").values[0].len(),
        MAX_RECORD_BYTES - 1
    );
    let over = format!("name\n{}\n", "a".repeat(MAX_RECORD_BYTES));
    let reader = open(Cursor::new(over.into_bytes())).expect("a header");
    assert!(first_row_error(reader).starts_with("row 1 is longer than 64 KiB"));
}

#[test]
fn the_column_cap_is_exact() {
    let header = |n: usize| {
        (0..n)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let reader = open(Cursor::new(header(MAX_COLUMNS).into_bytes())).expect("at the cap");
    assert_eq!(reader.columns().names.len(), MAX_COLUMNS);
    let err = open(Cursor::new(header(MAX_COLUMNS + 1).into_bytes()))
        .err()
        .expect("refused");
    assert_eq!(err, "the header row has 257 columns; at most 256 are read");
}

#[test]
fn a_workbook_beyond_the_cap_is_refused() {
    let source = Cursor::new(b"PK\x03\x04".to_vec()).chain(std::io::repeat(0));
    let err = open(source).err().expect("refused");
    assert!(
        err.starts_with("the workbook is larger than 32 MiB"),
        "{err}"
    );
}
