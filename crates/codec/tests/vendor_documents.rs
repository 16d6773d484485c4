//! Checks our tables and decoders against the vendor documents themselves, read at run time
//! from `../shared/vendor-docs/` (never copied into the repository).
//!
//! Without the folder these tests print a `SKIPPED` line — except under CI (`CI` set), where
//! the folder always exists and its absence is a failure.

use std::path::PathBuf;

use shiming_test_support::skip_or_fail;

use shiming_codec::taxonomy::{self, CodeEntry};
use shiming_codec::{Operation, Outcome, Verdict, ihuyi, qxt};

fn document(name: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vendor-docs");
    match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => Some(text),
        Err(error) => {
            skip_or_fail(&format!(
                "vendor document {} not found ({error})",
                dir.join(name).display()
            ));
            None
        }
    }
}

fn codes_of(table: &[CodeEntry]) -> Vec<String> {
    let mut codes: Vec<String> = table.iter().map(|e| e.code.to_string()).collect();
    codes.sort();
    codes
}

fn sorted(mut codes: Vec<String>) -> Vec<String> {
    codes.sort();
    codes.dedup();
    codes
}

/// Lines of the form `<digits> <text>` (wapi's status-code table).
fn wapi_codes(text: &str) -> Vec<String> {
    sorted(
        text.lines()
            .filter_map(|line| line.split_once(' '))
            .filter(|(code, _)| code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()))
            .map(|(code, _)| code.to_string())
            .collect(),
    )
}

#[test]
fn wapi_tables_cover_every_documented_code() {
    for name in [
        "wapi-mobile-two-elements.txt",
        "wapi-idcard-two-elements.txt",
    ] {
        let Some(text) = document(name) else { return };
        let documented = wapi_codes(&text);
        assert_eq!(documented.len(), 25, "{name}: parser found {documented:?}");
        assert_eq!(codes_of(taxonomy::wapi::TABLE), documented, "{name}");
    }
}

#[test]
fn qxt_table_covers_every_documented_code() {
    let Some(text) = document("qxt-phone-two-elements.txt") else {
        return;
    };
    // The code table is the last section: `<code>\t<meaning>` lines.
    let documented = sorted(
        text.lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(code, _)| code.trim())
            .filter(|code| {
                !code.is_empty()
                    && code
                        .trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
            })
            .map(str::to_string)
            .collect(),
    );
    assert_eq!(documented.len(), 9, "parser found {documented:?}");
    assert_eq!(codes_of(taxonomy::qxt::TABLE), documented);
}

#[test]
fn ihuyi_tables_cover_every_documented_code() {
    let Some(text) = document("ihuyi-operator-status.txt") else {
        return;
    };
    // Two `code | msg |` tables: Submit first, then GetNum; each is a run of `<n> | … |` lines.
    let mut tables: Vec<Vec<String>> = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.trim() == "code | msg |" {
            tables.push(Vec::new());
            in_table = true;
            continue;
        }
        let code = line.split(" | ").next().unwrap_or_default();
        if in_table && !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
            tables
                .last_mut()
                .expect("table started")
                .push(code.to_string());
        } else {
            in_table = false;
        }
    }
    assert_eq!(tables.len(), 2, "expected the Submit and GetNum tables");
    assert_eq!(codes_of(taxonomy::ihuyi::SUBMIT), sorted(tables[0].clone()));
    assert_eq!(
        codes_of(taxonomy::ihuyi::GET_NUM),
        sorted(tables[1].clone())
    );
}

/// The first `{…}` block after `marker`, as the document prints it.
fn example_after<'t>(text: &'t str, marker: &str) -> &'t str {
    let start = text.find(marker).expect("marker present") + marker.len();
    let rest = &text[start..];
    let open = rest.find('{').expect("example opens");
    let mut depth = 0;
    for (i, c) in rest[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &rest[open..=open + i];
                }
            }
            _ => {}
        }
    }
    panic!("example after {marker} does not close");
}

#[test]
fn qxt_documented_answers_with_bare_keys_decode() {
    let Some(text) = document("qxt-phone-two-elements.txt") else {
        return;
    };
    let example = example_after(&text, "1.3.");
    assert!(
        example.contains("code: 0"),
        "the document's example has bare keys"
    );
    let response = http::Response::new(example.as_bytes().to_vec());
    let reply = qxt::MobileTwoElements::new("张三", "13972565391")
        .decode(&response)
        .expect("decodes");
    assert!(reply.billed);
    assert_eq!(reply.verdict(), Some(Verdict::Match));
    assert_eq!(reply.answer().and_then(|a| a.carrier()), Some("中国电信"));
}

#[test]
fn ihuyi_documented_examples_decode() {
    let Some(text) = document("ihuyi-operator-status.txt") else {
        return;
    };
    let status = ihuyi::MobileStatus::new("13600000000");
    let success = status
        .decode(&http::Response::new(
            example_after(&text, "示例(成功)").as_bytes().to_vec(),
        ))
        .expect("decodes");
    match success.outcome {
        Outcome::Answered(ihuyi::StatusAnswer::Found(found)) => {
            assert_eq!(found.operator, Some(ihuyi::Carrier::ChinaMobile));
            assert_eq!(found.operator_real, Some(ihuyi::Carrier::ChinaUnicom));
            assert_eq!(found.tenure, Some(ihuyi::Tenure::From6To12Months));
            assert_eq!(found.ported, Some(false));
        }
        other => panic!("unexpected {other:?}"),
    }
    let failure = status
        .decode(&http::Response::new(
            example_after(&text, "示例(失败)").as_bytes().to_vec(),
        ))
        .expect("decodes");
    assert_eq!(failure.kind(), Some(shiming_codec::Kind::Auth));

    let balance_at = text.find("GetNumResult").expect("GetNum section");
    let balance_text = &text[balance_at..];
    let balance = ihuyi::Balance
        .decode(&http::Response::new(
            example_after(balance_text, "示例(成功)")
                .as_bytes()
                .to_vec(),
        ))
        .expect("decodes");
    assert_eq!(balance.answer().map(|a| a.remaining), Some(123));
    assert!(!balance.billed);
}
