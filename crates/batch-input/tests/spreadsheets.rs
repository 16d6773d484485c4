//! Workbooks: `.xlsx` written here with rust_xlsxwriter (number, text and date cells), `.xls`
//! and `.ods` from `tests/fixtures/` (made by `tests/fixtures/make_fixtures.py`).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use shiming_batch_input::{
    Field, InputEncoding, InputKind, InputRow, ReadOptions, RowReader, count_rows_with,
};
use std::io::Write;
use std::path::{Path, PathBuf};

fn all(reader: &mut RowReader) -> Vec<InputRow> {
    std::iter::from_fn(|| reader.next_row().expect("readable")).collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The people of `tests/fixtures/make_fixtures.py`, as an .xlsx: a mobile stored as a
/// number, an ID as text, a date; then an 18-digit ID stored as a number; a second sheet.
fn people_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name("名单").expect("a sheet name");
    for (c, header) in ["姓名", "手机号", "身份证号", "登记日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).expect("written");
    }
    sheet.write_string(1, 0, "张三").expect("written");
    sheet.write_number(1, 1, 13800138000.0).expect("written");
    sheet
        .write_string(1, 2, "11010519491231002X")
        .expect("written");
    let day = ExcelDateTime::from_ymd(2024, 3, 1).expect("a date");
    sheet
        .write_datetime_with_format(1, 3, &day, &date)
        .expect("written");
    sheet.write_string(2, 0, "李四").expect("written");
    sheet.write_string(2, 1, "13900139000").expect("written");
    #[allow(clippy::excessive_precision)]
    sheet
        .write_number(2, 2, 110105194912310021.0)
        .expect("written");
    let second = book.add_worksheet();
    second.set_name("第二页").expect("a sheet name");
    second.write_string(0, 0, "name").expect("written");
    second.write_string(0, 1, "mobile").expect("written");
    second.write_string(1, 0, "王五").expect("written");
    second.write_number(1, 1, 13700137000.0).expect("written");
    book.save_to_buffer().expect("an xlsx")
}

fn write(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(suffix)
        .tempfile()
        .expect("a temporary file");
    f.write_all(bytes).expect("written");
    f
}

/// What every workbook of the people above must read as, whatever its format.
fn assert_people(path: &Path, kind: InputKind) {
    let mut r = RowReader::open(path, InputEncoding::Utf8).expect("a workbook");
    assert_eq!(r.kind(), kind);
    assert!(r.excel_flavoured);
    assert_eq!(
        r.columns().names,
        vec!["姓名", "手机号", "身份证号", "登记日期"]
    );
    r.columns()
        .require("--check id", &[Field::Name, Field::IdNumber])
        .expect("the columns are there");
    let rows = all(&mut r);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].unreadable, None);
    assert_eq!(
        rows[0].values,
        vec!["张三", "13800138000", "11010519491231002X", "2024-03-01"],
        "a number cell reads as its digits, a date as a date"
    );
    let reason = rows[1].unreadable.as_deref().expect("refused");
    assert!(
        reason.contains("lost its last digits") && reason.contains("format the column as text"),
        "{reason}"
    );
    assert!(!reason.contains("1101051949"), "{reason}");
    assert_eq!(rows[1].values, vec!["", "", "", ""]);

    let second = ReadOptions {
        sheet: Some("第二页".to_string()),
        ..ReadOptions::default()
    };
    let mut r = RowReader::open_with(path, &second).expect("the second sheet");
    assert_eq!(r.columns().names, vec!["name", "mobile"]);
    assert_eq!(all(&mut r)[0].values, vec!["王五", "13700137000"]);
    assert_eq!(count_rows_with(path, &second), Some(1));
}

#[test]
fn xlsx_numbers_dates_and_lost_id_digits() {
    let f = write(&people_xlsx(), ".xlsx");
    assert_people(f.path(), InputKind::Xlsx);
}

#[test]
fn xls_fixture_reads_the_same() {
    assert_people(&fixture("people.xls"), InputKind::Xls);
}

#[test]
fn ods_fixture_reads_the_same() {
    assert_people(&fixture("people.ods"), InputKind::Ods);
}

#[test]
fn the_format_comes_from_the_content_not_the_name() {
    // An .xlsx saved as people.csv is still a workbook.
    let f = write(&people_xlsx(), ".csv");
    let r = RowReader::open(f.path(), InputEncoding::Utf8).expect("a workbook");
    assert_eq!(r.kind(), InputKind::Xlsx);
    // From any reader, too.
    let r = RowReader::from_reader(std::io::Cursor::new(people_xlsx()), InputEncoding::Gbk)
        .expect("a workbook");
    assert_eq!(r.kind(), InputKind::Xlsx);
    // Text named .xlsx is refused, saying why, instead of "not valid UTF-8".
    let f = write(b"name,mobile\n", ".xlsx");
    let err = RowReader::open(f.path(), InputEncoding::Utf8)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("is named .xlsx but is not a workbook"),
        "{err}"
    );
}

#[test]
fn an_unknown_sheet_lists_the_sheets() {
    let f = write(&people_xlsx(), ".xlsx");
    let options = ReadOptions {
        sheet: Some("Sheet9".to_string()),
        ..ReadOptions::default()
    };
    let err = RowReader::open_with(f.path(), &options)
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(
        err,
        "the workbook has no sheet named `Sheet9`; its sheets: `名单`, `第二页`"
    );
}

#[test]
fn a_damaged_workbook_is_an_error_not_a_panic() {
    let mut bytes = people_xlsx();
    bytes.truncate(bytes.len() / 2);
    let err = RowReader::from_reader(std::io::Cursor::new(bytes), InputEncoding::Utf8)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.starts_with("cannot read the workbook"), "{err}");
    // Only the zip signature.
    assert!(RowReader::from_reader(&b"PK\x03\x04"[..], InputEncoding::Utf8).is_err());
}

#[test]
fn an_empty_sheet_has_no_header() {
    let mut book = Workbook::new();
    book.add_worksheet();
    let bytes = book.save_to_buffer().expect("an xlsx");
    let err = RowReader::from_reader(std::io::Cursor::new(bytes), InputEncoding::Utf8)
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(err, "the input is empty (no header row)");
}

#[test]
fn a_sheet_may_start_anywhere_and_have_blank_rows() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Header in C3, a blank row, then data; 15-digit numbers survive in any column.
    sheet.write_string(2, 2, "name").expect("written");
    sheet.write_string(2, 3, "id_number").expect("written");
    sheet.write_string(4, 2, "张三").expect("written");
    sheet
        .write_number(4, 3, 110105491231002.0)
        .expect("written");
    sheet.write_string(5, 2, "李四").expect("written");
    sheet.write_number(5, 3, 0.5).expect("written");
    let bytes = book.save_to_buffer().expect("an xlsx");
    let mut r = RowReader::from_reader(std::io::Cursor::new(bytes), InputEncoding::Utf8)
        .expect("a workbook");
    assert_eq!(r.columns().names, vec!["name", "id_number"]);
    let rows = all(&mut r);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].values, vec!["张三", "110105491231002"]);
    assert_eq!(rows[1].values, vec!["李四", "0.5"]);
}

#[test]
fn corrupted_workbooks_are_errors_or_rows_never_panics() {
    for (name, bytes) in [
        ("xlsx", people_xlsx()),
        (
            "xls",
            std::fs::read(fixture("people.xls")).expect("the fixture"),
        ),
        (
            "ods",
            std::fs::read(fixture("people.ods")).expect("the fixture"),
        ),
    ] {
        let step = (bytes.len() / 300).max(1);
        for at in (0..bytes.len()).step_by(step) {
            for flip in [0x01u8, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let read = std::panic::catch_unwind(|| {
                    if let Ok(mut r) =
                        RowReader::from_reader(std::io::Cursor::new(damaged), InputEncoding::Utf8)
                    {
                        while let Ok(Some(_)) = r.next_row() {}
                    }
                });
                assert!(read.is_ok(), "{name}: byte {at} ^ {flip:#x} panicked");
            }
        }
    }
}

#[test]
fn an_ods_sheet_too_large_once_expanded_is_refused_before_it_is_built() {
    // 1.5 KB describing 90 million cells: calamine alone took 11.5 GB for it.
    let err = RowReader::open(&fixture("repeats.ods"), InputEncoding::Utf8)
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(
        err,
        "a sheet spans about 90,010,000 cells once its repeated rows and columns are \
         expanded; at most 4,000,000 are read from a workbook; save the sheet as CSV (UTF-8) \
         and use that"
    );
}
