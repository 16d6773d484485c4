//! The shape every vendor call shares: build a request, decode a response, get a [`Reply`].

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::error::{BuildError, DecodeError, Failure};
use crate::transport::{HttpRequest, HttpResponse};
use crate::{CodeInfo, Kind, UnixTime, Vendor, Verdict};

/// One vendor call, as two pure functions around a single HTTP round trip.
///
/// The value implementing it holds the caller's input (name, mobile, …); credentials and the
/// clock come in as arguments, so the same operation can be prepared again (a retry, a
/// corrected clock) without cloning personal data.
pub trait Operation {
    /// The vendor account settings this operation needs (base URL, credentials, method, …).
    type Config;
    /// What a successful call answers (a two-element verdict, an operator status, a balance).
    type Output;

    /// The vendor this operation talks to.
    fn vendor(&self) -> Vendor;

    /// A stable snake_case name: `mobile_two_elements`, `id_two_elements`, `mobile_status`,
    /// `balance`.
    fn name(&self) -> &'static str;

    /// Builds the request (URL, method, headers, form body, signature) for time `now`.
    fn prepare(&self, config: &Self::Config, now: UnixTime) -> Result<HttpRequest, BuildError>;

    /// Decodes the vendor's response, whatever its HTTP status.
    ///
    /// A vendor refusal (bad signature, no balance, …) is an `Ok` [`Reply`] whose outcome is
    /// [`Outcome::Refused`]; only a body that is not the vendor's format is an `Err`.
    fn decode(&self, response: &HttpResponse) -> Result<Reply<Self::Output>, DecodeError>;
}

/// A decoded vendor answer: the raw code and message, billing, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply<T> {
    /// The vendor that answered.
    pub vendor: Vendor,
    /// The vendor's own code, as text (`"10000"`, `"-4"`, `"4051"`), kept even when unknown.
    pub code: String,
    /// The vendor's message for the code, as sent (may be empty).
    pub message: String,
    /// Whether this answer is charged to the account (our reading of the documents).
    pub billed: bool,
    /// The vendor's clock when it answered (wapi's `time` field); lets clients learn skew.
    #[serde(serialize_with = "serialize_unix_time")]
    pub server_time: Option<UnixTime>,
    /// The answer, or the normalized reason it was refused.
    pub outcome: Outcome<T>,
}

impl<T> Reply<T> {
    /// The answer, when the vendor answered.
    pub fn answer(&self) -> Option<&T> {
        self.outcome.answer()
    }

    /// The refusal, when the vendor refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        self.outcome.refusal()
    }

    /// The normalized kind of refusal, when the vendor refused.
    pub fn kind(&self) -> Option<Kind> {
        self.refusal().map(|r| r.kind)
    }

    /// Maps the answer, keeping code, message, billing and server time.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            vendor: self.vendor,
            code: self.code,
            message: self.message,
            billed: self.billed,
            server_time: self.server_time,
            outcome: match self.outcome {
                Outcome::Answered(t) => Outcome::Answered(f(t)),
                Outcome::Refused(r) => Outcome::Refused(r),
            },
        }
    }
}

impl<T> Reply<T> {
    /// The reply to a vendor's `code` (its `field`, checked present and not empty), `message`
    /// and `outcome`, billed as `info` says; no server time (only wapi sends one).
    pub(crate) fn read(
        vendor: Vendor,
        field: &str,
        code: Option<Cow<'_, str>>,
        message: Option<Cow<'_, str>>,
        info: impl FnOnce(&str) -> CodeInfo,
        outcome: impl FnOnce(&str, CodeInfo) -> Result<Outcome<T>, Failure>,
    ) -> Result<Self, Failure> {
        let code = required_code(field, code)?;
        let info = info(&code);
        Ok(Reply {
            vendor,
            outcome: outcome(&code, info)?,
            code: code.into_owned(),
            message: message.map(Cow::into_owned).unwrap_or_default(),
            billed: info.billed,
            server_time: None,
        })
    }
}

impl Reply<crate::TwoElementAnswer> {
    /// The verdict of a two-element check, when the vendor answered.
    pub fn verdict(&self) -> Option<Verdict> {
        self.answer().map(|a| a.verdict)
    }
}

/// Either the vendor answered (a verdict is an answer, mismatch and not-found included) or it
/// refused to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome<T> {
    /// The vendor answered the question.
    Answered(T),
    /// The vendor did not answer; see the normalized kind.
    Refused(Refusal),
}

impl<T> Outcome<T> {
    /// The answer, when there is one.
    pub fn answer(&self) -> Option<&T> {
        match self {
            Outcome::Answered(t) => Some(t),
            Outcome::Refused(_) => None,
        }
    }

    /// The refusal, when there is one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Outcome::Answered(_) => None,
            Outcome::Refused(r) => Some(r),
        }
    }
}

/// Why the vendor did not answer, normalized across vendors (see `docs/taxonomy.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Refusal {
    /// The normalized class of the vendor's code.
    pub kind: Kind,
    /// Whether retrying automatically is safe (not billed) and useful (transient).
    pub retryable: bool,
}

impl Refusal {
    /// A billed success whose answer cannot be read: reported, never guessed, never retried
    /// (a retry would bill again).
    pub(crate) const UNREADABLE: Refusal = Refusal {
        kind: Kind::Unknown,
        retryable: false,
    };

    /// The refusal a vendor code stands for, as its table classifies it.
    pub(crate) fn of(info: CodeInfo) -> Self {
        Refusal {
            kind: info.kind.unwrap_or(Kind::Unknown),
            retryable: info.retryable,
        }
    }
}

/// The vendor's code, from its `field`: present and not empty, or the reason it cannot be read.
pub(crate) fn required_code<'a>(
    field: &str,
    code: Option<Cow<'a, str>>,
) -> Result<Cow<'a, str>, Failure> {
    let code = code.ok_or_else(|| Failure::missing(field))?;
    if code.is_empty() {
        return Err(Failure::invalid(field, "is empty"));
    }
    Ok(code)
}

fn serialize_unix_time<S: Serializer>(time: &Option<UnixTime>, s: S) -> Result<S::Ok, S::Error> {
    time.map(|t| t.0).serialize(s)
}
