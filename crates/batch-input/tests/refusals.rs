//! What the reader refuses, and how it says so: bytes an encoding does not define, numbers a
//! spreadsheet has rounded, columns that cannot be told apart, repeated JSON keys; and the
//! headers and layouts it accepts (TSV, UTF-16 "Unicode text", more Chinese names,
//! `--columns`).

use shiming_batch_input::{
    ColumnMap, Field, InputEncoding, InputKind, InputRow, ReadOptions, RowReader,
};

const MOBILE: &[Field] = &[Field::Name, Field::Mobile];
const ID: &[Field] = &[Field::Name, Field::IdNumber];

fn read(bytes: &[u8], options: &ReadOptions) -> RowReader {
    RowReader::from_reader_with(std::io::Cursor::new(bytes.to_vec()), options).expect("readable")
}

fn all(reader: &mut RowReader) -> Vec<InputRow> {
    std::iter::from_fn(|| reader.next_row().expect("readable")).collect()
}

/// `result` is a refusal whose message says `says`.
fn assert_refused<T>(result: Result<T, impl std::fmt::Display>, says: &str) {
    let Err(error) = result else {
        panic!("not refused: expected {says:?}");
    };
    let message = error.to_string();
    assert!(message.contains(says), "{message}");
}

/// Every row of `bytes`, read with the default options.
fn rows_of(bytes: &[u8]) -> Vec<InputRow> {
    all(&mut read(bytes, &ReadOptions::default()))
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

fn columns(map: &str) -> ReadOptions {
    ReadOptions {
        columns: map.parse::<ColumnMap>().expect("a column map"),
        ..ReadOptions::default()
    }
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let bytes = utf16le("姓名\t手机号\t备注\r\n张三\t13800138000\t\"a,b\"\r\n");
    let mut r = read(&bytes, &ReadOptions::default());
    assert_eq!(r.kind(), InputKind::Tsv);
    assert!(r.excel_flavoured);
    assert_eq!(r.columns().names, vec!["姓名", "手机号", "备注"]);
    assert_eq!(all(&mut r)[0].values, vec!["张三", "13800138000", "a,b"]);
    // Big-endian too.
    let mut be = vec![0xfe, 0xff];
    for unit in "name\tmobile\n王五\t139\n".encode_utf16() {
        be.extend_from_slice(&unit.to_be_bytes());
    }
    let mut r = read(&be, &ReadOptions::default());
    assert_eq!(all(&mut r)[0].values, vec!["王五", "139"]);
}

#[test]
fn tab_or_comma_is_decided_by_the_header_line() {
    let mut r = read(b"name\tmobile\nMa, Li\t138\n", &ReadOptions::default());
    assert_eq!(r.kind(), InputKind::Tsv);
    assert_eq!(all(&mut r)[0].values, vec!["Ma, Li", "138"]);
    let mut r = read(b"name,mobile\na\tb,138\n", &ReadOptions::default());
    assert_eq!(r.kind(), InputKind::Csv);
    assert_eq!(all(&mut r)[0].values, vec!["a\tb", "138"]);
}

#[test]
fn an_invalid_gbk_sequence_refuses_its_row_only() {
    let mut bytes = encoding_rs::GBK
        .encode("姓名,手机号\n张三,13800138000\n")
        .0
        .into_owned();
    // 0x81 0x20: a lead byte followed by a byte no GBK trail can be.
    bytes.extend_from_slice(b"\x81\x20,13900139000\n");
    bytes.extend_from_slice(&encoding_rs::GBK.encode("李四,13700137000\n").0);
    let mut r = read(&bytes, &ReadOptions::with_encoding(InputEncoding::Gbk));
    let rows = all(&mut r);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].values, vec!["张三", "13800138000"]);
    let reason = rows[1].unreadable.as_deref().expect("refused");
    assert!(reason.contains("not valid GBK"), "{reason}");
    assert_eq!(rows[1].values, vec!["", ""]);
    assert_eq!(rows[2].values, vec!["李四", "13700137000"]);
    assert!(
        rows.iter()
            .all(|r| r.values.iter().all(|v| !v.contains('\u{fffd}'))),
        "nothing is decoded lossily"
    );
}

#[test]
fn an_unpaired_surrogate_refuses_its_row_only() {
    let mut bytes = utf16le("name,mobile\n");
    bytes.extend_from_slice(&[0x00, 0xd8]); // a lone high surrogate
    bytes.extend_from_slice(&utf16le("张,138\nok,139\n")[2..]);
    let mut r = read(&bytes, &ReadOptions::default());
    let rows = all(&mut r);
    assert_eq!(rows.len(), 2);
    let reason = rows[0].unreadable.as_deref().expect("refused");
    assert!(reason.contains("invalid UTF-16"), "{reason}");
    assert_eq!(rows[1].values, vec!["ok", "139"]);
    // An odd last byte is invalid too.
    let mut odd = utf16le("name,mobile\nok,139\n");
    odd.push(0x41);
    let rows = all(&mut read(&odd, &ReadOptions::default()));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].unreadable.is_some());
}

#[test]
fn the_gbk_hint_comes_only_when_the_header_did_not_decode() {
    // Chinese headers that decode fine but name nothing the check needs: no hint.
    let mut r = read("客户,电话号\n".as_bytes(), &ReadOptions::default());
    let err = r
        .columns()
        .require("--check mobile", MOBILE)
        .expect_err("missing")
        .to_string();
    assert!(!err.contains("--encoding gbk"), "{err}");
    assert!(err.ends_with("the header has: 客户, 电话号"), "{err}");
    assert!(all(&mut r).is_empty());
    // A GBK header read as UTF-8: the hint.
    let (bytes, _, _) = encoding_rs::GBK.encode("姓名,手机号\n");
    assert_refused(
        RowReader::from_reader(std::io::Cursor::new(bytes.to_vec()), InputEncoding::Utf8),
        "try --encoding gbk",
    );
    // A UTF-8 header with bytes GBK does not define, read as GBK: the other way round.
    assert_refused(
        RowReader::from_reader(&b"name,\xff\xff\n"[..], InputEncoding::Gbk),
        "not valid GBK",
    );
}

#[test]
fn scientific_notation_is_explained() {
    let rows = rows_of("姓名,手机号,身份证号\n张三,1.38001E+10,\n李四,13900139000,1.10105E+17\n王五,13700137000,\n".as_bytes());
    let first = rows[0].unreadable.as_deref().expect("refused");
    assert!(
        first.starts_with("mobile: the number is written in scientific notation"),
        "{first}"
    );
    assert!(first.contains("format the column as text"), "{first}");
    assert!(!first.contains("1.38001"), "{first}");
    let second = rows[1].unreadable.as_deref().expect("refused");
    assert!(second.starts_with("id_number: "), "{second}");
    assert_eq!(rows[2].unreadable, None);
    // Only the number columns: a name or note is whatever it is.
    let rows = rows_of(b"name,note\n1E5,1E5\n");
    assert_eq!(rows[0].unreadable, None);
}

#[test]
fn more_chinese_headers_are_understood() {
    for (header, field) in [
        ("名字", Field::Name),
        ("姓名", Field::Name),
        ("电话", Field::Mobile),
        ("手机", Field::Mobile),
        ("联系电话", Field::Mobile),
        ("手机号码", Field::Mobile),
        ("证件号", Field::IdNumber),
        ("证件号码", Field::IdNumber),
        ("身份证号码", Field::IdNumber),
        ("Mobile", Field::Mobile),
    ] {
        let r = read(format!("x,{header}\n").as_bytes(), &ReadOptions::default());
        assert_eq!(r.columns().index(field), Some(1), "{header}");
    }
}

#[test]
fn columns_can_be_chosen() {
    let options = columns("name=客户,mobile=号码2");
    let mut r = read(
        "客户,号码1,号码2\n张三,1,13800138000\n".as_bytes(),
        &options,
    );
    r.columns()
        .require("--check mobile", MOBILE)
        .expect("chosen");
    let rows = all(&mut r);
    let input = r.columns().extract(&rows[0].values);
    assert_eq!(
        (input.name.as_str(), input.mobile.as_str()),
        ("张三", "13800138000")
    );
    // A chosen column beats the built-in names, so two of those are no longer ambiguous.
    let r = read("手机,电话\n".as_bytes(), &columns("mobile=电话"));
    assert_eq!(r.columns().index(Field::Mobile), Some(1));
    // A choice the header does not have is named.
    let r = read("姓名,手机号\n".as_bytes(), &columns("mobile=电话"));
    let err = r
        .columns()
        .require("--check mobile", MOBILE)
        .expect_err("absent")
        .to_string();
    assert_eq!(
        err,
        "--columns chose `电话` for the mobile, but no column is named so; the header has: \
         姓名, 手机号"
    );
}

#[test]
fn two_columns_for_one_field_are_refused_at_the_header() {
    let r = read(
        "name,姓名,手机号,电话\n".as_bytes(),
        &ReadOptions::default(),
    );
    let err = r
        .columns()
        .require("--check mobile", MOBILE)
        .expect_err("ambiguous")
        .to_string();
    assert_eq!(
        err,
        "the columns `name`, `姓名` all hold the name; keep one, or choose with --columns \
         name=HEADER; the columns `手机号`, `电话` all hold the mobile; keep one, or choose \
         with --columns mobile=HEADER; the header has: name, 姓名, 手机号, 电话"
    );
    assert_eq!(
        r.columns().index(Field::Name),
        None,
        "neither silently wins"
    );
    // A field the check does not use may be ambiguous.
    let r = read(
        "name,电话,手机,id_number\n".as_bytes(),
        &ReadOptions::default(),
    );
    r.columns().require("--check id", ID).expect("unused");
}

#[test]
fn a_repeated_json_key_refuses_that_row() {
    let rows = rows_of(
        "{\"name\":\"a\",\"姓名\":\"b\"}\n{\"name\":\"a\",\"name\":\"b\"}\n{\"name\":\"c\"}\n"
            .as_bytes(),
    );
    assert_eq!(
        rows[0].unreadable.as_deref(),
        Some("the keys `name`, `姓名` all give the name; keep one")
    );
    assert_eq!(
        rows[1].unreadable.as_deref(),
        Some("the keys `name`, `name` all give the name; keep one")
    );
    assert_eq!(rows[2].values, vec!["c", "", ""]);
    // --columns picks JSON keys too.
    let rows = all(&mut read(
        "{\"客户\":\"d\",\"tel\":13800138000}\n".as_bytes(),
        &columns("name=客户,mobile=tel"),
    ));
    assert_eq!(rows[0].values, vec!["d", "13800138000", ""]);
    // A number with an exponent is not an exact mobile number.
    let rows = all(&mut read(
        b"{\"mobile\":1.38e10}\n",
        &ReadOptions::default(),
    ));
    assert!(
        rows[0]
            .unreadable
            .as_deref()
            .expect("refused")
            .contains("a number with a fraction or exponent")
    );
}

#[cfg(feature = "clap")]
#[test]
fn columns_is_a_clap_value() {
    use clap::Parser;
    #[derive(Parser)]
    struct Args {
        #[arg(long)]
        columns: Option<ColumnMap>,
    }
    let args = Args::try_parse_from(["x", "--columns", "name=名字,id=证件号码"]).expect("parsed");
    assert_eq!(
        args.columns.expect("given").get(Field::IdNumber),
        Some("证件号码")
    );
    assert_refused(
        Args::try_parse_from(["x", "--columns", "phone=电话"]),
        "`phone` is not a field",
    );
}

#[test]
fn names_are_extracted_in_the_spelling_sent() {
    let mut r = read(
        "姓名,手机号\n 阿依古丽•买买提 ,13800138000\n张 三,139\n".as_bytes(),
        &ReadOptions::default(),
    );
    let rows = all(&mut r);
    assert_eq!(
        rows[0].values[0], " 阿依古丽•买买提 ",
        "the output keeps what was typed"
    );
    assert_eq!(r.columns().extract(&rows[0].values).name, "阿依古丽·买买提");
    assert_eq!(r.columns().extract(&rows[1].values).name, "张三");
}
