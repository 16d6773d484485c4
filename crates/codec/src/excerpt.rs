//! A short, log-safe excerpt of a response body for decode errors.
//!
//! Bodies that fail to decode are usually HTML error pages or truncated answers; seeing their
//! start is what makes the failure diagnosable. A truncated answer can still carry personal
//! data, so runs of 7+ digits (mobiles, ID numbers) and the values of `*name*` keys are masked
//! before the excerpt is stored. Given a [`Redactor`] (the facade passes one that knows the
//! configured secrets, the request's signature and the checked person), the excerpt is scrubbed
//! with it *before* it is cut, so not even the start of a secret survives at the cut.

use crate::redact::Redactor;

/// How many characters of the body an excerpt keeps.
const MAX_CHARS: usize = 160;
/// Digit runs this long or longer are masked (mobile numbers are 11, ID numbers 18).
const MASK_DIGITS_FROM: usize = 7;

/// The first [`MAX_CHARS`] characters of `body`, lossily decoded, control characters shown as
/// spaces, long digit runs and name values masked, with `…` when cut.
pub(crate) fn of(body: &[u8]) -> String {
    of_redacted(body, None)
}

/// [`of`], with `redactor` applied to the window of the body before anything is cut.
pub(crate) fn of_redacted(body: &[u8], redactor: Option<&Redactor>) -> String {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // Look a little past the cut so a digit run straddling it is still recognised as long,
    // and, when redacting, a whole needle's length further so one straddling it is found.
    let slack = 64 + redactor.map_or(0, Redactor::longest_needle);
    let window = &body[..body.len().min(MAX_CHARS * 4 + slack)];
    let text = String::from_utf8_lossy(window);
    let text = match redactor {
        Some(redactor) => redactor.scrub_needles(&text),
        None => text.into_owned(),
    };
    let chars: Vec<char> = text
        .trim_start()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut chars = mask_digit_runs(chars);
    mask_name_values(&mut chars);
    let cut = chars.len() > MAX_CHARS || window.len() < body.len();
    let mut out: String = chars.into_iter().take(MAX_CHARS).collect();
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    if cut {
        out.push('…');
    }
    out
}

/// Keeps the first three and last two digits of every long run: `18612348888` → `186******88`.
fn mask_digit_runs(mut chars: Vec<char>) -> Vec<char> {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || (i > start && is_id_check(chars[i])))
        {
            i += 1;
        }
        if i - start >= MASK_DIGITS_FROM {
            for c in &mut chars[start + 3..i - 2] {
                *c = '*';
            }
        }
    }
    chars
}

/// The check character of an ID number may be `X`.
fn is_id_check(c: char) -> bool {
    c == 'X' || c == 'x'
}

/// Masks the value after any key containing `name` (`"bank_name":"张三"`, `<Name>张三</Name>`,
/// `Name: "张三"`): the first character stays, the rest become `*`.
fn mask_name_values(chars: &mut [char]) {
    let mut i = 0;
    while i + 4 <= chars.len() {
        let is_name = chars[i..i + 4]
            .iter()
            .zip("name".chars())
            .all(|(c, n)| c.to_ascii_lowercase() == n);
        if !is_name {
            i += 1;
            continue;
        }
        i += 4;
        // Skip the rest of the key and the separator up to the value's first character.
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        let separator_start = i;
        while i < chars.len() && matches!(chars[i], '"' | '\'' | ':' | '=' | '>' | ' ') {
            i += 1;
        }
        if i == separator_start {
            continue;
        }
        if chars[i..].starts_with(&CDATA_OPEN) {
            i += CDATA_OPEN.len();
        }
        let value_start = i;
        while i < chars.len() && !matches!(chars[i], '"' | '\'' | '<' | ',' | '}' | '&' | ']') {
            if i > value_start {
                chars[i] = '*';
            }
            i += 1;
        }
    }
}

const CDATA_OPEN: [char; 9] = ['<', '!', '[', 'C', 'D', 'A', 'T', 'A', '['];

#[cfg(test)]
mod tests {
    use super::{of, of_redacted};
    use crate::redact::Redactor;

    #[test]
    fn masks_mobiles_and_id_numbers() {
        assert_eq!(
            of(br#"{"bank_mobile":"18612348888","id":"11010519491231002X"}"#),
            r#"{"bank_mobile":"186******88","id":"110*************2X"}"#
        );
        assert_eq!(of(b"code 10000 ok"), "code 10000 ok");
    }

    #[test]
    fn masks_name_values_in_json_xml_and_js() {
        assert_eq!(
            of("{\"bank_name\":\"张三丰\",\"x\":1".as_bytes()),
            "{\"bank_name\":\"张**\",\"x\":1"
        );
        assert_eq!(
            of("<bank_name><![CDATA[欧阳娜娜]]></bank_name>".as_bytes()),
            "<bank_name><![CDATA[欧***]]></bank_name>"
        );
        assert_eq!(of("{Name: \"张三\"".as_bytes()), "{Name: \"张*\"");
        // A key that merely contains "name" with no value after it is left alone.
        assert_eq!(of(b"<title>hostname</title>"), "<title>hostname</title>");
    }

    #[test]
    fn a_redactor_scrubs_before_the_cut() {
        let mut redactor = Redactor::new();
        redactor.secret("SENTINEL-SECRET-7f3a9c").name("测试哨兵");
        // The secret straddles the 160-character cut: not even its start may show.
        let body = format!(
            "<html>{}apikey=SENTINEL-SECRET-7f3a9c</html>",
            "x".repeat(130)
        );
        let plain = of(body.as_bytes());
        assert!(plain.ends_with("apikey=SENTINEL-SECRET-7…"), "{plain}");
        let redacted = of_redacted(body.as_bytes(), Some(&redactor));
        assert!(!redacted.contains("SENT"), "{redacted}");
        assert!(redacted.contains("apikey=<redacted>"), "{redacted}");
        assert_eq!(
            of_redacted(
                "<p>q=%E6%B5%8B%E8%AF%95%E5%93%A8%E5%85%B5</p>".as_bytes(),
                Some(&redactor)
            ),
            "<p>q=测***</p>"
        );
    }

    #[test]
    fn cuts_long_bodies_and_drops_control_characters() {
        let long = "<html>".to_string() + &"a".repeat(500);
        let e = of(long.as_bytes());
        assert_eq!(e.chars().count(), 161);
        assert!(e.ends_with('…'));
        assert_eq!(of(b"\xEF\xBB\xBF  a\r\nb\x00c"), "a  b c");
        assert_eq!(of(b""), "");
        assert_eq!(of(b"\xff\xfe"), "\u{fffd}\u{fffd}");
    }
}
