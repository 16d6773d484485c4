//! Inputs found by `cargo xtask fuzz` (target `batch_input`, see `docs/fuzzing.md`), kept
//! as tests.

mod support;

use shiming_batch_input::{InputEncoding, RowReader};
use std::io::Read;
use support::Chunked;

fn header(source: impl Read + Send + 'static) -> Result<Vec<String>, String> {
    RowReader::from_reader(source, InputEncoding::Utf8)
        .map(|r| r.columns().names.clone())
        .map_err(|e| e.to_string())
}

/// B2: whitespace before the header (here a line of tabs) was kept when it shared a buffer
/// with the first character and dropped when it did not, so the same file had the header
/// `%` or none at all depending on how the source split its reads.
#[test]
fn leading_whitespace_is_dropped_whatever_the_read_size() {
    let file = b"\t\t\t\t\t\t\t\t\r%".to_vec();
    assert_eq!(
        header(std::io::Cursor::new(file.clone())),
        Ok(vec!["%".to_string()])
    );
    for step in 1..=9 {
        assert_eq!(
            header(Chunked::new(file.clone(), step)),
            Ok(vec!["%".to_string()]),
            "reads of {step} byte(s)"
        );
    }
    // A quoted first header cell after indentation is still read as quoted.
    let indented = b"\n   \"name\",mobile\n".to_vec();
    assert_eq!(
        header(std::io::Cursor::new(indented)),
        Ok(vec!["name".to_string(), "mobile".to_string()])
    );
}

/// B3: a byte-order mark after leading whitespace reached the CSV parser, which strips a mark
/// at its start only when all three bytes arrive in its first buffer: the header was `%` or
/// `\u{feff}%` (and an invalid byte after it "no header row" or "not UTF-8") depending on
/// read sizes. Stray marks before the first character are now dropped like whitespace.
#[test]
fn a_stray_byte_order_mark_before_the_header_is_dropped_whatever_the_read_size() {
    for (file, expected) in [
        (
            &b"\t\t\t\t\t\t\t\xef\xbb\xbf%"[..],
            Ok(vec!["%".to_string()]),
        ),
        (
            &b"\xef\xbb\xbf \xef\xbb\xbf\n\xef\xbb\xbfname"[..],
            Ok(vec!["name".to_string()]),
        ),
        (
            &b"\t\t\t\t\t\t\t\xef\xbb\xbf\xef"[..],
            Err(
                "the header row is not valid UTF-8; if this is an Excel export, try \
                 --encoding gbk"
                    .to_string(),
            ),
        ),
    ] {
        assert_eq!(header(std::io::Cursor::new(file.to_vec())), expected);
        for step in 1..=9 {
            assert_eq!(
                header(Chunked::new(file, step)),
                expected,
                "reads of {step} byte(s) of {file:?}"
            );
        }
    }
}
