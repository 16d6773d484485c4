//! Inputs found by `cargo xtask fuzz` (the wapi decoder targets, see `docs/fuzzing.md`), kept
//! as tests.
//!
//! C1 and C2 were known issues (ignored tests, with allowances in the fuzz harness) until they
//! were fixed; their tests now guard the fixes. A new finding that is not fixed at once gets
//! an `#[ignore]` here and a narrow allowance in `fuzz/src/decode.rs` or `fuzz/src/wapi.rs`;
//! run those with `cargo test -p shiming-codec --test fuzz_regressions -- --include-ignored`.

use shiming_codec::wapi::MobileTwoElements;
use shiming_codec::{DecodeError, Operation, Reply, TwoElementAnswer};

fn decode(body: &str) -> Result<Reply<TwoElementAnswer>, DecodeError> {
    MobileTwoElements::new("张三", "18688888888").decode(&http::Response::new(body.into()))
}

/// The longest run of ASCII digits in `text`.
fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Finding C1 (fixed): a JSON `codeid` string was trimmed of all Unicode whitespace, an XML
/// one of ASCII whitespace only, so one answer meant two things depending on the format: a
/// billed match in JSON, a billed unknown refusal in XML (and `"\u{a0}"` was an error in JSON
/// but a code in XML). Every format now normalizes scalars with one helper.
#[test]
fn json_and_xml_read_a_padded_codeid_alike() {
    for (code, expected) in [
        ("\u{3000}10000", "10000"),
        ("10000\u{a0}", "10000"),
        ("\u{2003}10024", "10024"),
    ] {
        let json = format!(r#"{{"codeid":"{code}","retdata":{{"bank_status":"01"}}}}"#);
        let jsonp = format!("cb({json});");
        let xml = format!(
            "<root><codeid>{code}</codeid><retdata><bank_status>01</bank_status></retdata></root>"
        );
        let from_json = decode(&json).expect("json decodes");
        assert_eq!(from_json.code, expected, "{code:?}");
        assert_eq!(
            from_json.answer().map(|a| a.verdict),
            Some(shiming_codec::Verdict::Match),
            "{code:?}"
        );
        assert_eq!(decode(&jsonp).ok(), Some(from_json.clone()), "{code:?}");
        assert_eq!(decode(&xml).ok(), Some(from_json), "{code:?}");
    }
    // A code of nothing but padding is an empty code in every format.
    let json = decode(r#"{"codeid":"\u00a0"}"#).expect_err("empty code");
    let xml = decode("<root><codeid>\u{a0}</codeid></root>").expect_err("empty code");
    assert_eq!(json.kind(), shiming_codec::DecodeErrorKind::InvalidField);
    assert_eq!((json.kind(), json.detail()), (xml.kind(), xml.detail()));
}

/// Finding C2 (fixed): a decode error's detail promises "never body content", but an XML
/// syntax error carried quick-xml's message, which quotes element names from the body. One
/// missing `>` put a mobile number (or a name) into a log line unmasked, right beside the
/// masked excerpt. XML errors are now our own words and a byte position.
#[test]
fn xml_error_details_show_no_personal_data() {
    for body in [
        "<root><codeid>10000</codeid><retdata><bank_mobile18612345678</bank_mobile></retdata></root>",
        "<root><codeid>10000</codeid><retdata><bank_mobile>1</bank_mobile18612345678></retdata></root>",
    ] {
        let error = decode(body).expect_err("malformed");
        assert!(
            longest_digit_run(error.detail()) < 7,
            "detail: {}",
            error.detail()
        );
        assert!(longest_digit_run(&error.to_string()) < 7, "{error}");
    }
    let error = decode("<root><bank_name>张三</bank_name 张三></root>").expect_err("malformed");
    assert!(
        !error.detail().contains("张三"),
        "detail: {}",
        error.detail()
    );
}

/// What the masking does guarantee today, and must keep: the excerpt masks digit runs in
/// the same bodies.
#[test]
fn xml_error_excerpts_mask_digit_runs() {
    let body = "<root><codeid>10000</codeid><retdata><bank_mobile18612345678</bank_mobile></retdata></root>";
    let error = decode(body).expect_err("malformed");
    assert!(
        longest_digit_run(error.excerpt()) < 7,
        "{}",
        error.excerpt()
    );
}
