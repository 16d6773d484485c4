//! Turns a JavaScript object literal with bare keys (`{code: 0, reason: "Succ"}`, as QXT's
//! document shows its answers) into strict JSON.
//!
//! Only used after a strict parse has failed, so a well-formed answer never pays for it. The
//! pass is deliberately small: outside string literals, an identifier followed by `:` gets
//! double quotes, and a comma right before `}` or `]` is dropped. It never changes the content
//! of a string literal; anything else it leaves for the JSON parser to judge.

/// Returns the input with bare object keys quoted, or `None` when there was nothing to fix.
pub(crate) fn quote_keys(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + 32);
    let mut changed = false;
    let mut i = 0;
    // Byte-wise scanning is safe: every byte we look for is ASCII, and UTF-8 continuation
    // bytes never equal an ASCII byte, so slices always fall on char boundaries.
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            let end = string_end(bytes, i);
            out.push_str(&input[i..end]);
            i = end;
        } else if is_ident_start(b) {
            let start = i;
            while i < bytes.len() && is_ident_continue(bytes[i]) {
                i += 1;
            }
            let ident = &input[start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) == Some(&b':') {
                out.push('"');
                out.push_str(ident);
                out.push('"');
                changed = true;
            } else {
                out.push_str(ident);
            }
        } else if b == b'}' || b == b']' {
            let kept = out.trim_end().len();
            if out[..kept].ends_with(',') {
                out.truncate(kept - 1);
                changed = true;
            }
            out.push(char::from(b));
            i += 1;
        } else {
            // Copy the whole (possibly multi-byte) char.
            let len = utf8_len(b);
            let end = (i + len).min(bytes.len());
            out.push_str(input.get(i..end).unwrap_or_default());
            i = end;
        }
    }
    changed.then_some(out)
}

/// Index just past the string literal starting at `start` (or the end of input if unclosed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::quote_keys;

    #[test]
    fn quotes_bare_keys_of_the_documented_shape() {
        let js = "{\n  code: 0,\n  reason: \"Succ\",\n  result: {\n    Mobile: \"13900000000\",\n    Now_isp: \"中国电信\"\n  }\n}";
        let json = quote_keys(js).expect("changed");
        let value: serde_json::Value = serde_json::from_str(&json).expect("strict json now");
        assert_eq!(value["code"], 0);
        assert_eq!(value["result"]["Now_isp"], "中国电信");
    }

    #[test]
    fn leaves_strings_and_literals_alone() {
        let js = r#"{a: "b: c", "d": true, e: null, f: "x\"y: z", g: [1, 2,], }"#;
        let json = quote_keys(js).expect("changed");
        assert_eq!(
            json,
            r#"{"a": "b: c", "d": true, "e": null, "f": "x\"y: z", "g": [1, 2]}"#
        );
    }

    #[test]
    fn strict_json_is_untouched() {
        assert_eq!(quote_keys(r#"{"code":0,"reason":"Succ"}"#), None);
        assert_eq!(quote_keys(""), None);
    }

    #[test]
    fn survives_unclosed_strings_and_odd_bytes() {
        assert_eq!(
            quote_keys("{a: \"unclosed"),
            Some("{\"a\": \"unclosed".to_string())
        );
        assert_eq!(quote_keys("{a: \"\\"), Some("{\"a\": \"\\".to_string()));
        assert_eq!(quote_keys("中: 1"), None);
        assert_eq!(quote_keys("x:"), Some("\"x\":".to_string()));
    }
}
