//! How one check's answer or failure is shown: a readable line or two for people, one JSON
//! object for scripts, and the exit code that goes with it.
//!
//! JSON answer: `{"vendor", "check", "verdict" (checks that have one), "billed",
//! "vendor_code", "vendor_message", "attempts", "sandbox", "cached", "checked_at"?,
//! "details": {…}}`; `sandbox` is true when the answer is made up by the built-in sandbox,
//! `cached` when it came from the verdict store (then `checked_at` says when the vendor gave
//! it, and `billed` is false).
//! JSON failure: `{"error": {"kind", "vendor", "vendor_code", "message", "retryable",
//! "may_have_been_billed"}}`, with `"sandbox": true` beside `error` in sandbox mode; the last is true when the request may have reached the vendor
//! before its answer was lost (cut, too large, timed out, reset): the vendor may have billed
//! it, so check before sending it again.
//! Human output masks the person's data (张*, 186****8888): terminals get screenshotted.

use crate::exit;
use crate::global::{GlobalArgs, OutputFormat};
use crate::stdout;
use serde::Serialize;
use shiming::codec::{Vendor, Verdict};
use shiming::{Error, ErrorKind};
use std::process::ExitCode;

/// A successful call, ready to print.
#[derive(Debug, Serialize)]
pub(crate) struct Answer {
    /// Vendor that answered.
    pub(crate) vendor: Vendor,
    /// Operation name (`mobile_two_elements`, `id_two_elements`, `mobile_status`, `balance`).
    pub(crate) check: &'static str,
    /// Verdict, for checks that have one (`None` serializes as `null`).
    #[serde(skip_serializing_if = "no_verdict")]
    pub(crate) verdict: VerdictField,
    /// Whether the call was billed.
    pub(crate) billed: bool,
    /// Raw vendor code.
    pub(crate) vendor_code: String,
    /// Vendor message.
    pub(crate) vendor_message: String,
    /// HTTP requests the call took.
    pub(crate) attempts: u32,
    /// The answer came from the built-in sandbox: made up, nothing charged.
    pub(crate) sandbox: bool,
    /// Answered from the verdict store: no request was sent, nothing billed.
    pub(crate) cached: bool,
    /// When a remembered answer was originally given (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) checked_at: Option<String>,
    /// Vendor fields (carrier, area, tenure, ported, balance…).
    pub(crate) details: serde_json::Map<String, serde_json::Value>,
    /// The human rendering (first line is the headline).
    #[serde(skip)]
    pub(crate) human: Vec<String>,
}

/// Whether and which verdict a check has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum VerdictField {
    /// The check has no verdict at all (balance): the key is left out.
    NotApplicable,
    /// The check can have one; `None` when this answer carries none (a found status).
    Of(Option<Verdict>),
}

fn no_verdict(field: &VerdictField) -> bool {
    *field == VerdictField::NotApplicable
}

impl Answer {
    /// The exit code: 1 for mismatch or not found, 0 otherwise.
    fn exit_code(&self) -> u8 {
        match self.verdict {
            VerdictField::Of(Some(Verdict::Mismatch | Verdict::NotFound)) => exit::NEGATIVE,
            _ => exit::OK,
        }
    }
}

/// A failed call (or one refused before it was made), ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Failure {
    /// Taxonomy kind, or `transport`, `decode`, `invalid_input`, `not_configured`, `usage`.
    pub(crate) kind: String,
    /// Vendor involved, if any.
    pub(crate) vendor: Option<Vendor>,
    /// Raw vendor code, when the vendor answered.
    pub(crate) vendor_code: Option<String>,
    /// What went wrong (never secrets; personal data only masked).
    pub(crate) message: String,
    /// Whether trying again later may succeed.
    pub(crate) retryable: bool,
    /// Whether the vendor may have billed the failed call (its answer was lost on the way).
    pub(crate) may_have_been_billed: bool,
    /// The call went to the built-in sandbox (said beside the error in JSON).
    #[serde(skip)]
    pub(crate) sandbox: bool,
    #[serde(skip)]
    exit: u8,
}

impl Failure {
    /// Input refused by offline validation: nothing was sent (exit 2).
    pub(crate) fn refused_offline(reason: impl Into<String>) -> Self {
        Failure {
            kind: "invalid_input".into(),
            vendor: None,
            vendor_code: None,
            message: format!("refused offline, nothing sent: {}", reason.into()),
            retryable: false,
            may_have_been_billed: false,
            sandbox: false,
            exit: exit::USAGE,
        }
    }

    /// A usage or configuration problem (exit 2).
    pub(crate) fn usage(kind: &str, message: impl Into<String>) -> Self {
        Failure {
            kind: kind.into(),
            vendor: None,
            vendor_code: None,
            message: message.into(),
            retryable: false,
            may_have_been_billed: false,
            sandbox: false,
            exit: exit::USAGE,
        }
    }

    /// A facade error: vendor refusal exits 3, transport and decode 4, the rest 2.
    pub(crate) fn from_error(error: &Error) -> Self {
        let (kind, exit) = match error.kind() {
            ErrorKind::Vendor(kind) => (kind.as_str().to_string(), exit::VENDOR_REFUSED),
            ErrorKind::Transport => ("transport".into(), exit::TRANSPORT),
            ErrorKind::Decode => ("decode".into(), exit::TRANSPORT),
            ErrorKind::InvalidInput => ("invalid_input".into(), exit::USAGE),
            ErrorKind::NotConfigured => ("not_configured".into(), exit::USAGE),
            // ErrorKind is non-exhaustive: a kind added later is at least not a success.
            _ => ("unknown".into(), exit::TRANSPORT),
        };
        Failure {
            kind,
            vendor: error.vendor(),
            vendor_code: error.vendor_code().map(str::to_string),
            message: error.to_string(),
            retryable: error.retryable(),
            may_have_been_billed: error.may_have_been_billed(),
            sandbox: false,
            exit,
        }
    }

    /// The failure of a call the vendor never bills (`balance`): the facade flags every lost
    /// answer as possibly billed, because a client cannot tell where a reset struck, but a
    /// query that costs nothing cannot have cost anything.
    pub(crate) fn of_unbilled_call(self) -> Self {
        Failure {
            may_have_been_billed: false,
            ..self
        }
    }
}

/// Prints an answer and returns its exit code.
pub(crate) fn answer(global: &GlobalArgs, answer: &Answer) -> ExitCode {
    match global.output {
        OutputFormat::Json => stdout::json(answer),
        OutputFormat::Human => {
            for line in &answer.human {
                stdout::line(line);
            }
        }
    }
    ExitCode::from(answer.exit_code())
}

/// Prints a failure (JSON on stdout, or a message on stderr) and returns its exit code.
pub(crate) fn failure(global: &GlobalArgs, failure: &Failure) -> ExitCode {
    match global.output {
        OutputFormat::Json if failure.sandbox => {
            stdout::json(&serde_json::json!({ "error": failure, "sandbox": true }))
        }
        OutputFormat::Json => stdout::json(&serde_json::json!({ "error": failure })),
        OutputFormat::Human => {
            let code = failure
                .vendor_code
                .as_deref()
                .map(|c| format!(" (code {c})"))
                .unwrap_or_default();
            // The message may quote a vendor or an error page: no control characters.
            eprintln!(
                "error: {}{}: {}",
                failure.kind,
                crate::terminal::clean(&code),
                crate::terminal::clean(&failure.message)
            );
            if failure.may_have_been_billed {
                eprintln!(
                    "note: the request may have reached the vendor and been billed although \
                     no answer arrived"
                );
            }
            if failure.retryable {
                eprintln!("hint: this may succeed if tried again later");
            }
        }
    }
    ExitCode::from(failure.exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes() {
        let answer = Answer {
            vendor: Vendor::Wapi,
            check: "mobile_two_elements",
            verdict: VerdictField::Of(Some(Verdict::Mismatch)),
            billed: true,
            vendor_code: "10000".into(),
            vendor_message: "ok".into(),
            attempts: 1,
            sandbox: false,
            cached: false,
            checked_at: None,
            details: serde_json::Map::new(),
            human: vec![],
        };
        let v = serde_json::to_value(&answer).unwrap();
        assert_eq!(v["verdict"], "mismatch");
        assert_eq!(v["vendor"], "wapi");
        assert_eq!(answer.exit_code(), 1);
        let balance = Answer {
            verdict: VerdictField::NotApplicable,
            ..answer
        };
        let v = serde_json::to_value(&balance).unwrap();
        assert!(v.get("verdict").is_none());
        assert_eq!(balance.exit_code(), 0);

        let f = Failure::refused_offline("bad checksum");
        let v = serde_json::to_value(serde_json::json!({ "error": f })).unwrap();
        assert_eq!(v["error"]["kind"], "invalid_input");
        assert_eq!(v["error"]["retryable"], false);
        assert_eq!(v["error"]["may_have_been_billed"], false);
        assert_eq!(f.exit, 2);
    }
}
