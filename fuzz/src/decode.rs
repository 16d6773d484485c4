//! The properties every decoder must have, whatever the vendor or format, and the per-vendor
//! rules a decoded reply must follow.
//!
//! Beyond "never panics" (which libFuzzer checks by itself), for every input:
//!
//! 1. **Status and headers do not matter.** `Operation::decode` reads the body "whatever its
//!    HTTP status": the framed response and a plain `200` with the same body decode alike, and
//!    an error reports the framed status.
//! 2. **BOM and surrounding whitespace do not matter.** A body with a (second) BOM and ASCII
//!    whitespace around it decodes like the body.
//! 3. **Errors leak no personal data.** A `DecodeError`'s `Display` and `Debug` never show a
//!    run of 7+ ASCII digits (a mobile or ID number) and its excerpt stays short.
//! 4. **Replies agree with the taxonomy.** Billing is what `shiming_codec::taxonomy` says for
//!    the code, a retryable refusal is never billed, only answer codes carry an answer.
//! 5. **Replies serialize.** `serde_json` can write every reply (the CLI prints them).
//!
//! Two results "decode alike" when both are the same `Reply`, or both are errors of the same
//! kind and detail (the excerpt is allowed to differ: it shows the raw body).

use std::fmt::Debug;

use serde::Serialize;
use shiming_codec::taxonomy::{self, CodeInfo};
use shiming_codec::{DecodeError, DecodeErrorKind, Operation, Outcome, Reply, Vendor, Verdict};

use crate::frame::{Framed, plain};

/// Digit runs this long are personal data (mobiles have 11 digits, ID numbers 18); the codec
/// masks them in excerpts from 7 on.
const PERSONAL_DIGITS: usize = 7;
/// Characters an excerpt may hold: 160 plus the `…` that marks a cut.
const MAX_EXCERPT_CHARS: usize = 161;

/// A decode result with what may legitimately differ between equivalent bodies removed.
pub type Summary<T> = Result<Reply<T>, (DecodeErrorKind, String)>;

/// Forgets the error's excerpt and status, keeping kind and detail.
pub fn summary<T>(result: Result<Reply<T>, DecodeError>) -> Summary<T> {
    result.map_err(|e| (e.kind(), e.detail().to_owned()))
}

/// Decodes `body` as a plain `200` response, summarised.
pub fn decode_plain<O: Operation>(operation: &O, body: &[u8]) -> Summary<O::Output> {
    summary(operation.decode(&plain(body)))
}

/// Runs properties 1–5 on the fuzz input `data` (framed as in [`crate::frame`]), with
/// `rules` checking each reply against its vendor's conventions.
pub fn check<O>(operation: &O, data: &[u8], rules: fn(&Reply<O::Output>))
where
    O: Operation,
    O::Output: PartialEq + Debug + Serialize,
{
    let _ = check_reference(operation, data, rules);
}

/// [`check`], returning the reference result (the body decoded as a plain 200) so a target
/// can compare it with other renderings of the same answer.
pub fn check_reference<O>(
    operation: &O,
    data: &[u8],
    rules: fn(&Reply<O::Output>),
) -> Summary<O::Output>
where
    O: Operation,
    O::Output: PartialEq + Debug + Serialize,
{
    let framed = Framed::parse(data);
    let full = operation.decode(&framed.response());
    match &full {
        Ok(reply) => check_reply(reply, rules),
        Err(error) => {
            assert_eq!(
                error.status(),
                framed.status,
                "error reports another status"
            );
            check_error(error);
        }
    }
    let reference = decode_plain(operation, framed.body);
    let full = summary(full);
    assert_eq!(full, reference, "status or headers changed the decode");

    let padded = pad(framed.body);
    assert_eq!(
        decode_plain(operation, &padded),
        reference,
        "BOM or surrounding whitespace changed the decode"
    );
    reference
}

/// `body` with a BOM and ASCII whitespace around it (an existing BOM stays the only one).
pub fn pad(body: &[u8]) -> Vec<u8> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let core = body.strip_prefix(BOM).unwrap_or(body);
    [BOM, b" \r\n\t", core, b"\n \t"].concat()
}

/// Property 3.
pub fn check_error(error: &DecodeError) {
    assert!(
        longest_digit_run(error.excerpt()) < PERSONAL_DIGITS,
        "an excerpt shows a long digit run: {}",
        error.excerpt()
    );
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(
            longest_digit_run(&text) < PERSONAL_DIGITS,
            "a decode error shows a long digit run: {text}"
        );
    }
    assert!(
        error.excerpt().chars().count() <= MAX_EXCERPT_CHARS,
        "excerpt too long: {}",
        error.excerpt()
    );
}

/// Properties 4 (common part) and 5, then the vendor's own `rules`.
fn check_reply<T: Serialize + Debug>(reply: &Reply<T>, rules: fn(&Reply<T>)) {
    assert!(!reply.code.is_empty(), "a reply without a code");
    if let Some(refusal) = reply.refusal() {
        assert!(
            !(refusal.retryable && reply.billed),
            "a billed refusal is marked retryable: {reply:?}"
        );
    }
    if let Err(e) = serde_json::to_string(reply) {
        panic!("reply does not serialize: {e}: {reply:?}");
    }
    rules(reply);
}

/// The longest run of ASCII digits in `text`.
pub fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fn assert_billing<T: Debug>(reply: &Reply<T>, vendor: Vendor, info: CodeInfo) {
    assert_eq!(reply.vendor, vendor, "wrong vendor: {reply:?}");
    assert_eq!(
        reply.billed, info.billed,
        "billing disagrees with the taxonomy: {reply:?}"
    );
}

fn assert_answered_only_for<T: Debug>(reply: &Reply<T>, answer_codes: &[&str]) {
    if reply.answer().is_some() {
        assert!(
            answer_codes.contains(&reply.code.as_str()),
            "code {} carries an answer: {reply:?}",
            reply.code
        );
    }
}

/// wapi's two-element checks: 10000 and 10024 carry a verdict (10024 flagged as debug data),
/// 10025 is "not found"; billing follows the taxonomy (message included, for 10019).
pub fn wapi_rules(reply: &Reply<shiming_codec::TwoElementAnswer>) {
    use shiming_codec::taxonomy::wapi::{DEBUG, NOT_FOUND, SUCCESS};
    let info = taxonomy::classify_message(Vendor::Wapi, &reply.code, &reply.message);
    assert_billing(reply, Vendor::Wapi, info);
    assert_answered_only_for(reply, &[SUCCESS, DEBUG, NOT_FOUND]);
    if let Some(answer) = reply.answer() {
        assert_eq!(
            answer.verdict == Verdict::NotFound,
            reply.code == NOT_FOUND,
            "not-found verdict and code 10025 go together: {reply:?}"
        );
        assert_eq!(
            answer.debug,
            reply.code == DEBUG,
            "debug flag and code 10024 go together: {reply:?}"
        );
    }
}

/// QXT: code 0 carries a verdict, -4 is "not found".
pub fn qxt_rules(reply: &Reply<shiming_codec::TwoElementAnswer>) {
    use shiming_codec::taxonomy::qxt::{NOT_FOUND, SUCCESS};
    assert_billing(
        reply,
        Vendor::Qxt,
        taxonomy::classify(Vendor::Qxt, &reply.code),
    );
    assert_answered_only_for(reply, &[SUCCESS, NOT_FOUND]);
    if let Some(answer) = reply.answer() {
        assert_eq!(
            answer.verdict == Verdict::NotFound,
            reply.code == NOT_FOUND,
            "not-found verdict and code -4 go together: {reply:?}"
        );
        assert!(!answer.debug, "QXT has no debug data: {reply:?}");
    }
}

/// ihuyi `Submit.json`: code 2 carries the status, 408 is "not found".
pub fn ihuyi_submit_rules(reply: &Reply<shiming_codec::ihuyi::StatusAnswer>) {
    use shiming_codec::ihuyi::StatusAnswer;
    use shiming_codec::taxonomy::ihuyi::{NOT_FOUND, SUCCESS, classify_submit};
    assert_billing(reply, Vendor::Ihuyi, classify_submit(&reply.code));
    assert_answered_only_for(reply, &[SUCCESS, NOT_FOUND]);
    if let Some(answer) = reply.answer() {
        assert_eq!(
            matches!(answer, StatusAnswer::NotFound),
            reply.code == NOT_FOUND,
            "not-found and code 408 go together: {reply:?}"
        );
    }
}

/// ihuyi `GetNum.json`: never billed; only code 2 carries a balance.
pub fn ihuyi_getnum_rules(reply: &Reply<shiming_codec::ihuyi::BalanceAnswer>) {
    use shiming_codec::taxonomy::ihuyi::{SUCCESS, classify_get_num};
    assert_billing(reply, Vendor::Ihuyi, classify_get_num(&reply.code));
    assert!(!reply.billed, "a balance query was billed: {reply:?}");
    assert_answered_only_for(reply, &[SUCCESS]);
    if matches!(reply.outcome, Outcome::Refused(_)) {
        assert_ne!(reply.code, SUCCESS, "code 2 refused: {reply:?}");
    }
}

/// Property 6, for the JSON decoders (whose documents show JavaScript-style bare keys): when
/// the body is a JSON object, writing its identifier keys bare changes nothing. Compared with
/// the same value re-serialized with quotes (so duplicate keys and number spellings cannot
/// differ); errors are compared by outcome only, because a bare-key body reports the strict
/// parser's syntax error by design.
pub fn bare_keys_agree<O>(operation: &O, data: &[u8])
where
    O: Operation,
    O::Output: PartialEq + Debug,
{
    let body = Framed::parse(data).body;
    let Ok(value @ serde_json::Value::Object(_)) = serde_json::from_slice(body) else {
        return;
    };
    let quoted = serde_json::to_string(&value).unwrap_or_default();
    let mut bare = String::new();
    write_bare(&value, &mut bare);
    let expected = decode_plain(operation, quoted.as_bytes());
    let found = decode_plain(operation, bare.as_bytes());
    match (&expected, &found) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "bare keys changed the answer\n{quoted}\n{bare}"),
        (Err(_), Err(_)) => {}
        _ => panic!("bare keys changed the outcome\n{quoted} → {expected:?}\n{bare} → {found:?}"),
    }
}

/// JSON with every key that is a JavaScript identifier written without quotes.
fn write_bare(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            out.push('{');
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if is_identifier(key) {
                    out.push_str(key);
                } else {
                    out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                }
                out.push(':');
                write_bare(value, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_bare(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn is_identifier(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs() {
        assert_eq!(longest_digit_run("HTTP 502; body 186******88"), 3);
        assert_eq!(longest_digit_run("18612348888"), 11);
        assert_eq!(longest_digit_run(""), 0);
    }

    #[test]
    fn padding_keeps_a_single_bom() {
        assert_eq!(pad(b"\xEF\xBB\xBF{}"), b"\xEF\xBB\xBF \r\n\t{}\n \t");
        assert_eq!(pad(b"{}"), b"\xEF\xBB\xBF \r\n\t{}\n \t");
    }
}
