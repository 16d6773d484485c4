//! A TOML error about the config file, told without quoting the file.
//!
//! toml's own `Display` shows the offending line with a caret under it. The file holds
//! secrets, and the offending line is very often the secret's line (a misspelt key, a value
//! without quotes), so that snippet would print the secret on stderr — into terminal
//! scrollback, CI logs and screenshots. We report the path, line and column, and the
//! error's message alone; the user opens the file at that place.

use std::path::Path;

/// `config file PATH, line L, column C: MESSAGE`, with no text from the file other than a
/// key name (`unknown key `secert``).
pub(crate) fn describe(path: &Path, text: &str, error: &toml::de::Error) -> String {
    let message = reword(error.message());
    let message = match error.span() {
        Some(span) => scrub_value(&message, text, span),
        None => message,
    };
    let place = error
        .span()
        .map(|span| {
            let (line, column) = line_and_column(text, span.start);
            format!(", line {line}, column {column}")
        })
        .unwrap_or_default();
    format!("config file {}{place}: {message}", path.display())
}

/// serde says "field"; in a TOML file it is a key, and that is what the user looks for.
fn reword(message: &str) -> String {
    match message.strip_prefix("unknown field ") {
        Some(rest) => format!("unknown key {rest}"),
        None => message.to_string(),
    }
}

/// When the error points at a value (after the `=` on its line), removes the parts of the
/// message that quote that value. serde quotes rejected values (``invalid type: integer
/// `123` ``, ``unknown variant `x` ``, `string "x"`); secrets never get there (see
/// `Hidden`), and a secret pasted under the wrong key should not either. Key names
/// (unknown or duplicate key) are kept: they are what the user must fix.
fn scrub_value(message: &str, text: &str, span: std::ops::Range<usize>) -> String {
    let Some(token) = text.get(span.clone()) else {
        return message.to_string();
    };
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let at_value = text[line_start..span.start].contains('=');
    if !at_value || token.trim().is_empty() {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(quote) else {
            break;
        };
        let quoted = &inner[..close];
        out.push_str(&rest[..open]);
        if !quoted.is_empty() && token.contains(quoted) {
            out.push_str("(value not shown)");
        } else {
            out.push(quote);
            out.push_str(quoted);
            out.push(quote);
        }
        rest = &inner[close + 1..];
    }
    out.push_str(rest);
    out
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FileConfig;

    const SECRET: &str = "SENTINEL-SECRET";

    fn error_of(text: &str) -> String {
        let error = toml::from_str::<FileConfig>(text).unwrap_err();
        describe(Path::new("/etc/shiming.toml"), text, &error)
    }

    #[test]
    fn a_misspelt_key_is_named_without_its_value() {
        let message = error_of(&format!("[wapi]\nappid = \"1\"\nsecert = \"{SECRET}\"\n"));
        assert!(
            message.starts_with(
                "config file /etc/shiming.toml, line 3, column 1: unknown key `secert`"
            ),
            "{message}"
        );
        assert!(!message.contains(SECRET), "{message}");
    }

    #[test]
    fn bad_secret_values_are_never_quoted() {
        for (text, line_column) in [
            (format!("[qxt]\napikey = {SECRET}\n"), "line 2, column 10"),
            (
                format!("[qxt]\napikey = [\"{SECRET}\"]\n"),
                "line 2, column 10",
            ),
            (
                "[wapi]\nsecret = 73816542\n".to_string(),
                "line 2, column 10",
            ),
            (
                "[wapi]\nsecret = 7381.6542\n".to_string(),
                "line 2, column 10",
            ),
            ("[ihuyi]\napikey = true\n".to_string(), "line 2, column 10"),
            (format!("[wapi]\nsecret = \"{SECRET}\n"), "line 2"),
            (format!("[wapi]\nsecret = \"{SECRET}\" x\n"), "line 2"),
            (
                format!("[wapi]\nsecret = \"a\"\nsecret = \"{SECRET}\"\n"),
                "line 3",
            ),
        ] {
            let message = error_of(&text);
            assert!(message.contains(line_column), "{text:?}: {message}");
            for leaked in [SECRET, "73816542", "7381.6542"] {
                assert!(!message.contains(leaked), "{text:?}: {message}");
            }
        }
        let message = error_of("[wapi]\nsecret = 73816542\n");
        assert!(message.contains("expected a string"), "{message}");
    }

    #[test]
    fn a_value_pasted_under_the_wrong_key_is_not_quoted() {
        let message = error_of(&format!("[wapi]\nauth = \"{SECRET}\"\n"));
        assert!(!message.contains(SECRET), "{message}");
        assert!(message.contains("expected `md5` or `hash`"), "{message}");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_and_column("a\n名字 = x", 11), (2, 6));
        assert_eq!(line_and_column("x", 0), (1, 1));
    }
}
