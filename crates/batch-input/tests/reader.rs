//! The reader on files and on in-memory sources: encodings, headers, bad rows, JSON lines.

use shiming_batch_input::{Field, InputEncoding, InputRow, RowReader, count_rows};
use std::io::Write;

mod support;
use support::Chunked;

const MOBILE: &[Field] = &[Field::Name, Field::Mobile];
const ID: &[Field] = &[Field::Name, Field::IdNumber];

fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("a temporary file");
    f.write_all(bytes).expect("written");
    f
}

fn all(reader: &mut RowReader) -> Vec<InputRow> {
    std::iter::from_fn(|| reader.next_row().expect("readable")).collect()
}

#[test]
fn csv_with_bom_and_chinese_headers() {
    let f = write("\u{feff}姓名,手机号,备注\n张三,13800138000,a\n李四, 13900139000 \n".as_bytes());
    let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
    assert!(r.excel_flavoured);
    assert_eq!(r.columns().names, vec!["姓名", "手机号", "备注"]);
    r.columns().require("--check mobile", MOBILE).unwrap();
    let missing = r.columns().require("--check id", ID).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("--check id needs the column(s) id_number"),
        "{missing}"
    );
    let rows = all(&mut r);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].row, 2);
    assert_eq!(rows[1].values, vec!["李四", " 13900139000 ", ""]);
    let input = r.columns().extract(&rows[1].values);
    assert_eq!(input.mobile, "13900139000");
    assert_eq!(count_rows(f.path(), InputEncoding::Utf8), Some(2));
}

#[test]
fn gbk_needs_the_flag() {
    let (bytes, _, _) = encoding_rs::GBK.encode("姓名,身份证号\n王五,11010519491231002x\n");
    let f = write(&bytes);
    let err = RowReader::open(f.path(), InputEncoding::Utf8)
        .err()
        .unwrap();
    assert!(err.to_string().contains("--encoding gbk"), "{err}");
    let mut r = RowReader::open(f.path(), InputEncoding::Gbk).unwrap();
    assert!(r.excel_flavoured);
    r.columns().require("--check id", ID).unwrap();
    let rows = all(&mut r);
    let input = r.columns().extract(&rows[0].values);
    assert_eq!(input.id_number, "11010519491231002X");
    assert_eq!(input.name, "王五");
}

#[test]
fn utf16_with_a_bom_is_understood() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "name,mobile\n张三,13800138000\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let mut r = RowReader::from_reader(std::io::Cursor::new(bytes), InputEncoding::Utf8).unwrap();
    assert!(r.excel_flavoured);
    let rows = all(&mut r);
    assert_eq!(rows[0].values, vec!["张三", "13800138000"]);
}

#[test]
fn a_bad_row_is_still_a_row() {
    let mut bytes = b"name,mobile\n".to_vec();
    bytes.extend_from_slice(b"\xd5\xc5,13800138000\nok,13900139000\n");
    let f = write(&bytes);
    let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
    let rows = all(&mut r);
    assert_eq!(rows.len(), 2);
    assert!(rows[0].unreadable.as_deref().unwrap().contains("UTF-8"));
    assert_eq!(
        rows[0].values,
        vec!["", ""],
        "an unreadable row keeps its width"
    );
    assert_eq!(rows[1].values[0], "ok");
}

#[test]
fn short_and_long_rows_take_the_header_width() {
    let mut r = RowReader::from_reader(
        &b"name,mobile,note\nonly-name\na,1,x,extra\n"[..],
        InputEncoding::Utf8,
    )
    .unwrap();
    let rows = all(&mut r);
    assert_eq!(rows[0].values, vec!["only-name", "", ""]);
    assert_eq!(rows[1].values, vec!["a", "1", "x"]);
}

#[test]
fn json_lines() {
    let f = write(
        b"\n{\"name\":\"a\",\"mobile\":13800138000}\n\n{\"\xe5\xa7\x93\xe5\x90\x8d\":\"b\",\"id_number\":\"1\"}\nnot json\n[]\n{\"name\":true}\n",
    );
    let mut r = RowReader::open(f.path(), InputEncoding::Utf8).unwrap();
    assert_eq!(r.columns().names, vec!["name", "mobile", "id_number"]);
    let rows = all(&mut r);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].values, vec!["a", "13800138000", ""]);
    assert_eq!(rows[1].values, vec!["b", "", "1"]);
    assert_eq!(rows[2].row, 3);
    assert!(
        rows[2]
            .unreadable
            .as_deref()
            .unwrap()
            .contains("not a JSON object")
    );
    assert!(rows[3].unreadable.is_some(), "[] where an object belongs");
    assert!(
        rows[4]
            .unreadable
            .as_deref()
            .unwrap()
            .contains("`name` must be a string, not a boolean")
    );
}

#[test]
fn empty_or_blank_input_is_an_error() {
    let f = write(b"");
    let err = RowReader::open(f.path(), InputEncoding::Utf8)
        .err()
        .unwrap();
    assert_eq!(err.to_string(), "the input is empty (no header row)");
    assert!(RowReader::from_reader(&b" \n\r\n"[..], InputEncoding::Utf8).is_err());
    assert!(RowReader::from_reader(&b"\xef\xbb\xbf"[..], InputEncoding::Utf8).is_err());
}

#[test]
fn a_missing_file_is_named() {
    let err = RowReader::open("/nonexistent/people.csv".as_ref(), InputEncoding::Utf8)
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .starts_with("cannot read /nonexistent/people.csv: "),
        "{err}"
    );
}

#[test]
fn one_byte_reads_give_the_same_rows() {
    let text = "\u{feff}姓名,手机号\n\"张,三\",13800138000\n\"李\n四\",139\n";
    let whole = all(&mut RowReader::from_reader(text.as_bytes(), InputEncoding::Utf8).unwrap());
    let trickled = all(&mut RowReader::from_reader(
        Chunked::new(text.as_bytes(), 1),
        InputEncoding::Utf8,
    )
    .unwrap());
    assert_eq!(whole, trickled);
    assert_eq!(whole[0].values, vec!["张,三", "13800138000"]);
    assert_eq!(whole[1].values, vec!["李\n四", "139"]);
}

#[test]
fn messages_do_not_spell_out_numbers() {
    // No header row: the first person sits where the header should be.
    let r = RowReader::from_reader(
        "张三,13800138000,11010519491231002X\n".as_bytes(),
        InputEncoding::Utf8,
    )
    .unwrap();
    let err = r
        .columns()
        .require("--check mobile", MOBILE)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("138******00") && !err.contains("13800138000"),
        "{err}"
    );
    assert!(!err.contains("11010519491231002X"), "{err}");

    let mut r = RowReader::from_reader(
        &b"{\"name\":\"a\"}\n\"13800138000\"\n"[..],
        InputEncoding::Utf8,
    )
    .unwrap();
    let rows = all(&mut r);
    let reason = rows[1].unreadable.as_deref().unwrap();
    assert_eq!(
        reason,
        "not a JSON object: a JSON value that is not an object at column 13"
    );
}
