//! The batch's output files (issue "The batch's files", §2 and the output side of §3): the
//! real binary against the emulator, the workbook read back by openpyxl (code we did not
//! write).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::*;
use std::path::Path;

/// wapi, with the offline checks off (the rows are meant to reach the output as they are).
const UNCHECKED_WAPI: [&str; 3] = ["--vendor", "wapi", "--no-precheck"];

#[test]
fn a_workbook_has_text_cells_a_bold_frozen_header_and_widths() {
    let Some(python) = venv_python("openpyxl") else {
        return;
    };
    let emu = emulator();
    let mut rows = people(5);
    // A leading zero must survive; a formula must not run.
    rows.push((
        "=HYPERLINK(\"http://evil.example\")".into(),
        "13900000007".into(),
        "01234".into(),
    ));
    let (home, input, out) = job_files(&rows, "results.xlsx");
    let r = run_batch(&home, &emu, &input, &out, "mobile", &UNCHECKED_WAPI);
    assert!(r.code == 0 || r.code == 5, "{r:?}");
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
rows = [[c.value for c in row] for row in ws.iter_rows()]
print(json.dumps({
    "title": ws.title,
    "freeze": ws.freeze_panes,
    "header_bold": all(c.font.b for c in ws[1]),
    "types": sorted({c.data_type for row in ws.iter_rows() for c in row if c.value is not None}),
    "widths": {k: v.width for k, v in ws.column_dimensions.items()},
    "rows": rows,
}, ensure_ascii=False))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let book: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(book["freeze"], "A2", "{book}");
    assert_eq!(book["header_bold"], true, "{book}");
    assert_eq!(
        book["types"],
        serde_json::json!(["s"]),
        "every cell text: {book}"
    );
    assert!(book["widths"]["C"].as_f64().unwrap() >= 14.0, "{book}");
    let rows = book["rows"].as_array().unwrap();
    assert_eq!(rows[0][0], "name");
    assert_eq!(rows.len(), 7, "header + 6 rows in input order");
    for (i, row) in rows.iter().skip(1).enumerate() {
        assert_eq!(row[3], (i + 1).to_string(), "row column, in input order");
    }
    assert_eq!(rows[1][1], people(1)[0].1, "a mobile stays its 11 digits");
    assert_eq!(rows[6][2], "01234", "a leading zero survives");
    assert!(
        rows[6][0].as_str().unwrap().starts_with("'="),
        "a formula is neutralised: {}",
        rows[6][0]
    );
}

#[test]
fn csv_starts_with_a_bom_neutralises_formulas_and_keeps_vendor_words_for_errors() {
    let emu = emulator();
    let mut rows = people(4);
    rows.push(("@SUM(1+1)".into(), "13900000014".into(), String::new()));
    let (home, input, out) = job_files(&rows, "out.csv");
    let r = run_batch(&home, &emu, &input, &out, "mobile", &UNCHECKED_WAPI);
    assert!(r.code == 0 || r.code == 5, "{r:?}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "a UTF-8 BOM for Excel");
    let (header, rows) = read_csv(&out);
    let names = column(&header, &rows, "name");
    assert_eq!(names[4], "'@SUM(1+1)");
    let verdicts = column(&header, &rows, "verdict");
    let messages = column(&header, &rows, "message");
    for (verdict, message) in verdicts.iter().zip(&messages) {
        if !verdict.is_empty() {
            assert!(
                message.is_empty(),
                "no vendor message beside a verdict: {message}"
            );
        }
    }

    let plain = path(&home, "plain.csv");
    let no_bom = [&UNCHECKED_WAPI[..], &["--no-bom"]].concat();
    run_batch(&home, &emu, &input, &plain, "mobile", &no_bom);
    assert!(!std::fs::read(&plain).unwrap().starts_with(b"\xef\xbb\xbf"));
}

#[test]
fn an_id_check_adds_the_offline_facts_and_unknown_extensions_are_refused() {
    let emu = emulator();
    let (home, input, out) = job_files(&people(3), "out.csv");
    let r = run_batch(&home, &emu, &input, &out, "id", &[]);
    r.assert_code(0);
    let (header, rows) = read_csv(&out);
    assert_eq!(&header[header.len() - 3..], ["sex", "birth_date", "region"]);
    let births = column(&header, &rows, "birth_date");
    assert!(births[0].starts_with("1990-"), "{births:?}");
    let regions = column(&header, &rows, "region");
    assert!(regions[0].contains("北京"), "{regions:?}");

    for bad in ["out.json", "out.xls"] {
        let out = path(&home, bad);
        let r = run_batch(&home, &emu, &input, &out, "id", &[]);
        r.assert_code(2).assert_stdout_has(".csv, .xlsx or .jsonl");
        assert!(!out.exists());
    }
    assert_eq!(requests(&emu), 3);
}

#[test]
fn rows_come_out_in_input_order_also_after_a_resume() {
    let emu = emulator_with(
        shiming_emulator::EmulatorConfig::default().latency(std::time::Duration::from_millis(30)),
    );
    let env = credentials(emu.base_url());
    let (home, input, out) = job_files(&people(200), "out.csv");
    let args = wapi_batch(&input, &out, &["--concurrency", "16"]);
    kill_9(start_batch(home.path(), &args, &env, &out, 50), &out);
    let (_, header, rows) = finish_resumed(home.path(), &args, &env, &out, 200);
    let numbers: Vec<u64> = column(&header, &rows, "row")
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=200).collect::<Vec<u64>>());
}

/// A one-answer HTTP server on 127.0.0.1 that always replies `body` (JSON), as a vendor or
/// a proxy in front of one could.
fn fixed_server(body: &'static str) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, handle)
}

#[test]
fn human_output_strips_control_characters_a_vendor_sends() {
    // QXT's "system busy" with an OSC title change, a cursor move and a bidi override.
    let (url, _server) = fixed_server(
        "{\"code\":-8,\"reason\":\"\\u001b]0;pwned\\u0007\\u001b[2J\\r繁忙\\u202e\",\"result\":null}",
    );
    let home = tempdir();
    let env = with(credentials(&url), "SHIMING_QXT_ENDPOINT", &url);
    let r = run(
        home.path(),
        &[
            "mobile-check",
            "--name",
            "张三",
            "--mobile",
            "13800138000",
            "--vendor",
            "qxt",
        ],
        &env,
    );
    assert_ne!(r.code, 0, "{r:?}");
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(
            !r.stderr.contains(bad),
            "{bad:?} reached the terminal: {r:?}"
        );
        assert!(
            !r.stdout.contains(bad),
            "{bad:?} reached the terminal: {r:?}"
        );
    }
    r.assert_stderr_has("繁忙");
}

#[test]
fn a_workbook_in_with_number_cells_is_read_as_text() {
    let (home, emu, env) = world();
    let input = path(&home, "people.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "手机号").unwrap();
    for (i, (name, mobile, _)) in people(3).iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap();
        sheet.write_string(row, 0, name).unwrap();
        // A mobile stored as a number, as Excel does when nobody formats the column.
        sheet
            .write_number(row, 1, mobile.parse::<f64>().unwrap())
            .unwrap();
    }
    book.save(&input).unwrap();
    let out = path(&home, "out.csv");
    let args = batch_args(&input, &out, "mobile", &["--vendor", "wapi"]);
    let r = run(home.path(), &args, &env);
    r.assert_code(0);
    let (header, rows) = read_csv(&out);
    assert_eq!(column(&header, &rows, "手机号")[0], people(1)[0].1);
    assert_eq!(r.json()["refused"], 0);
    assert_eq!(requests(&emu), 3);
}

#[test]
fn hostile_and_doomed_rows_are_refused_offline_and_one_person_is_one_check() {
    let emu = emulator();
    let p = people(2);
    let id18 = "110105491231002".to_string(); // 15 digits: the 18-digit form below is one person
    let id18_long = id_with_check("11010519491231002");
    let rows = vec![
        // A formula, control and bidi characters: no person carries these names.
        ("=1+1".to_string(), p[0].1.clone(), String::new()),
        ("张\u{202e}三".to_string(), p[0].1.clone(), String::new()),
        // Look-alike dots are one person with the real one.
        ("阿依古丽•买买提".to_string(), p[1].1.clone(), String::new()),
        ("阿依古丽·买买提".to_string(), p[1].1.clone(), String::new()),
        (
            "阿依古丽・买买提".to_string(),
            p[1].1.clone(),
            String::new(),
        ),
        // Scientific notation, from a CSV that went through Excel.
        ("李四".to_string(), "1.38001E+10".to_string(), String::new()),
    ];
    let (home, input, out) = job_files(&rows, "out.csv");
    let r = run_batch(&home, &emu, &input, &out, "mobile", &["--vendor", "wapi"]);
    r.assert_code(0);
    let summary = r.json();
    assert_eq!(summary["refused"], 3, "{summary}");
    assert_eq!(summary["duplicates"], 2, "{summary}");
    assert_eq!(
        requests(&emu),
        1,
        "one person, one request; nothing doomed was sent"
    );
    let (header, out_rows) = read_csv(&out);
    let messages = column(&header, &out_rows, "message");
    assert!(messages[5].contains("scientific notation"), "{messages:?}");

    // The 15- and 18-digit forms of one ID number are one person.
    let ids = path(&home, "ids.csv");
    write_csv(
        &ids,
        &[
            ("王五".to_string(), String::new(), id18.clone()),
            ("王五".to_string(), String::new(), id18_long.clone()),
        ],
    );
    let out = path(&home, "ids-out.csv");
    let r = run_batch(&home, &emu, &ids, &out, "id", &[]);
    r.assert_code(0);
    assert_eq!(r.json()["duplicates"], 1, "{r:?}");
    assert_eq!(emu.ledger().wapi.requests, 2);
}

#[test]
fn endless_or_garbled_input_is_refused_in_bounded_memory() {
    let (home, emu, _) = world();
    let out = path(&home, "out.csv");
    let r = run_batch(&home, &emu, Path::new("/dev/zero"), &out, "mobile", &[]);
    r.assert_code(2);
    // GBK with an invalid sequence in one row: that row is refused, not sent garbled.
    let input = path(&home, "gbk.csv");
    let mut bytes = encoding_rs::GBK
        .encode("name,mobile\n张三,13800138000\n")
        .0
        .into_owned();
    bytes.extend_from_slice(b"\x81\x20\xff,13900139000\n");
    std::fs::write(&input, bytes).unwrap();
    let extra = ["--encoding", "gbk", "--vendor", "wapi"];
    let r = run_batch(&home, &emu, &input, &out, "mobile", &extra);
    r.assert_code(0);
    assert_eq!(r.json()["refused"], 1, "{r:?}");
    assert_eq!(requests(&emu), 1);
}
