//! Where a secret given to a command comes from. Never the command line itself: every user of
//! the machine sees command lines (`ps`, `/proc/*/cmdline`) and shells keep them in history.
//!
//! A secret flag (`sign wapi --secret`, `sign ihuyi --apikey`, `serve --wapi-secret`, …)
//! names a source instead of carrying the value:
//! - left out: the flag's usual variable (`SHIMING_WAPI_SECRET`, …);
//! - `env:NAME`: the variable `NAME`;
//! - `-`: one line read from stdin (its line ending dropped; nothing else trimmed, since a
//!   vendor would hash surrounding spaces too).
//!
//! Anything else is taken for a secret typed on the command line: a usage error (exit 2) that
//! says what to do instead and never repeats the value.

use std::io::{BufRead, Read};

/// The longest line read from stdin as a secret.
const MAX_STDIN_BYTES: u64 = 4096;

/// A secret flag's value, as parsed. A value typed on the command line is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SecretSource {
    /// `-`: read from stdin.
    Stdin,
    /// `env:NAME`: read from the variable `NAME`.
    Env(String),
    /// Anything else: a secret on the command line, refused (its value is dropped here).
    OnCommandLine,
}

/// The clap value parser of secret flags: never fails (clap would quote the value in its
/// error); a literal secret becomes [`SecretSource::OnCommandLine`], refused later.
pub(crate) fn parse(text: &str) -> Result<SecretSource, std::convert::Infallible> {
    Ok(match text {
        "-" => SecretSource::Stdin,
        _ => match text.strip_prefix("env:") {
            Some(name) if is_variable_name(name) => SecretSource::Env(name.to_owned()),
            _ => SecretSource::OnCommandLine,
        },
    })
}

/// A plausible environment variable name: letters, digits and `_`, not starting with a digit.
fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads secrets for one command; stdin can serve only one of them.
#[derive(Debug, Default)]
pub(crate) struct Secrets {
    stdin_used: bool,
}

impl Secrets {
    /// The secret of `flag` (`--secret`), from `source` or, when the flag is absent, from
    /// `variable`. `Ok(None)`: the flag is absent and the variable unset or empty. The error
    /// is a complete usage message without the value.
    pub(crate) fn resolve(
        &mut self,
        flag: &str,
        source: Option<&SecretSource>,
        variable: &str,
    ) -> Result<Option<String>, String> {
        match source {
            None => Ok(non_empty_var(variable)),
            Some(SecretSource::Env(name)) => non_empty_var(name).map(Some).ok_or_else(|| {
                format!("{flag} env:{name}: the variable {name} is not set or is empty")
            }),
            Some(SecretSource::Stdin) => {
                if self.stdin_used {
                    return Err(format!(
                        "{flag} -: stdin already gave another secret; use env:NAME for this one"
                    ));
                }
                self.stdin_used = true;
                read_stdin_line()
                    .map_err(|e| format!("{flag} -: cannot read the secret from stdin: {e}"))
                    .and_then(|line| {
                        if line.is_empty() {
                            Err(format!("{flag} -: stdin gave an empty line"))
                        } else {
                            Ok(Some(line))
                        }
                    })
            }
            Some(SecretSource::OnCommandLine) => Err(on_command_line(flag, variable)),
        }
    }
}

/// The usage message for a secret typed on the command line.
pub(crate) fn on_command_line(flag: &str, variable: &str) -> String {
    format!(
        "{flag} does not take the secret itself: command lines are visible to every user \
         (ps) and kept in shell history. Set {variable} instead, or pass {flag} env:NAME to \
         read another variable, or {flag} - to read it from stdin"
    )
}

fn non_empty_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// One line of stdin, its `\n` / `\r\n` dropped, at most [`MAX_STDIN_BYTES`].
fn read_stdin_line() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_STDIN_BYTES)
        .read_line(&mut line)?;
    if let Some(stripped) = line.strip_suffix('\n') {
        line.truncate(stripped.strip_suffix('\r').unwrap_or(stripped).len());
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_accepted() {
        assert_eq!(parse("-"), Ok(SecretSource::Stdin));
        assert_eq!(
            parse("env:MY_KEY_2"),
            Ok(SecretSource::Env("MY_KEY_2".into()))
        );
        for literal in ["s3cret", "env:", "env:has space", "env:9X", "--", ""] {
            assert_eq!(parse(literal), Ok(SecretSource::OnCommandLine), "{literal}");
        }
    }

    #[test]
    fn a_literal_is_refused_without_its_value() {
        let mut secrets = Secrets::default();
        let message = secrets
            .resolve(
                "--secret",
                Some(&SecretSource::OnCommandLine),
                "SHIMING_WAPI_SECRET",
            )
            .expect_err("refused");
        assert!(message.contains("SHIMING_WAPI_SECRET"), "{message}");
        assert!(message.contains("--secret env:NAME"), "{message}");
        assert!(message.contains("--secret -"), "{message}");
    }

    #[test]
    fn a_named_variable_must_be_set() {
        let mut secrets = Secrets::default();
        let message = secrets
            .resolve(
                "--apikey",
                Some(&SecretSource::Env("SHIMING_TEST_SURELY_UNSET_0".into())),
                "X",
            )
            .expect_err("unset");
        assert!(message.contains("is not set"), "{message}");
        assert_eq!(
            secrets.resolve("--apikey", None, "SHIMING_TEST_SURELY_UNSET_0"),
            Ok(None)
        );
    }
}
