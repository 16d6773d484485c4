//! QXT's mobile + name check: request, wire model, reading.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::config::QxtConfig;
use crate::error::{BuildError, DecodeError, Failure};
use crate::form::{self, require};
use crate::lenient::owned;
use crate::operation::{Operation, Outcome, Refusal, Reply};
use crate::taxonomy::qxt as codes;
use crate::transport::{HttpRequest, HttpResponse};
use crate::{
    Kind, TwoElementAnswer, TwoElementDetails, UnixTime, Vendor, Verdict, json, lenient, mask,
};

/// Does this mobile number belong to this name? (`/Phone_TwoElements`, parameters `apikey`,
/// `mobile`, `name`.) Debug masks both.
#[derive(Clone, PartialEq, Eq)]
pub struct MobileTwoElements {
    /// The person's name.
    pub name: String,
    /// The 11-digit mobile number.
    pub mobile: String,
}

impl MobileTwoElements {
    /// A check of `name` against `mobile`.
    pub fn new(name: impl Into<String>, mobile: impl Into<String>) -> Self {
        MobileTwoElements {
            name: name.into(),
            mobile: mobile.into(),
        }
    }
}

impl fmt::Debug for MobileTwoElements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("qxt::MobileTwoElements")
            .field("name", &mask::name(&self.name))
            .field("mobile", &mask::mobile(&self.mobile))
            .finish()
    }
}

impl Operation for MobileTwoElements {
    type Config = QxtConfig;
    type Output = TwoElementAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Qxt
    }

    fn name(&self) -> &'static str {
        "mobile_two_elements"
    }

    /// QXT signs nothing; `now` is unused (kept for the uniform [`Operation`] shape).
    fn prepare(&self, config: &QxtConfig, _now: UnixTime) -> Result<HttpRequest, BuildError> {
        require("name", &self.name)?;
        require("mobile", &self.mobile)?;
        let (key_name, key) = shiming_sign::qxt::apikey_param(&config.apikey);
        require("apikey", key)?;
        form::request(
            config.method,
            &config.base_url,
            super::MOBILE_TWO_ELEMENTS_PATH,
            &[
                (key_name, key),
                ("mobile", &self.mobile),
                ("name", &self.name),
            ],
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        decode_text(response.body())
            .map_err(|failure| failure.into_error(Vendor::Qxt, self.name(), response))
    }
}

/// What QXT says about the number besides the verdict (`result`). Debug masks the name and
/// mobile.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct QxtDetails {
    /// `Mobile`: the number as echoed.
    pub mobile: Option<String>,
    /// `Name`: the name as echoed (the document shows it partly hidden).
    pub name: Option<String>,
    /// `Status` as sent (`一致`, `不一致`).
    pub status: Option<String>,
    /// `Area`: `province-city` of the number (`湖北-宜昌`).
    pub area: Option<String>,
    /// `Now_isp`: the carrier serving the number now (`中国电信`; ported numbers included).
    pub carrier: Option<String>,
}

impl fmt::Debug for QxtDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QxtDetails")
            .field("mobile", &self.mobile.as_deref().map(mask::mobile))
            .field("name", &self.name.as_deref().map(mask::name))
            .field("status", &self.status)
            .field("area", &self.area)
            .field("carrier", &self.carrier)
            .finish()
    }
}

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::code")]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    reason: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::object")]
    result: Option<WireResult<'a>>,
}

/// `result`: the document capitalises the keys; lowercase spellings are accepted too.
#[derive(Deserialize)]
struct WireResult<'a> {
    #[serde(
        default,
        borrow,
        rename = "Mobile",
        alias = "mobile",
        deserialize_with = "lenient::text"
    )]
    mobile: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Name",
        alias = "name",
        deserialize_with = "lenient::text"
    )]
    name: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Status",
        alias = "status",
        deserialize_with = "lenient::text"
    )]
    status: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Area",
        alias = "area",
        deserialize_with = "lenient::text"
    )]
    area: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Now_isp",
        alias = "now_isp",
        deserialize_with = "lenient::text"
    )]
    now_isp: Option<Cow<'a, str>>,
}

fn decode_text(body: &[u8]) -> Result<Reply<TwoElementAnswer>, Failure> {
    let text = json::object_text(body)?;
    json::tolerant(text, |t| serde_json::from_str::<Wire<'_>>(t).map(read))
}

fn read(wire: Wire<'_>) -> Result<Reply<TwoElementAnswer>, Failure> {
    let code = wire.code.ok_or_else(|| Failure::missing("code"))?;
    if code.is_empty() {
        return Err(Failure::invalid("code", "is empty"));
    }
    let info = codes::classify(&code);
    let details = wire.result.map(details).unwrap_or_default();
    let verdict = match code.as_ref() {
        // Values arrive trimmed (`lenient::scalar`).
        codes::SUCCESS => match details.status.as_deref() {
            Some("一致") => Ok(Verdict::Match),
            Some("不一致") => Ok(Verdict::Mismatch),
            // Billed but unreadable: reported, never guessed.
            _ => Err(Refusal {
                kind: Kind::Unknown,
                retryable: false,
            }),
        },
        codes::NOT_FOUND => Ok(Verdict::NotFound),
        _ => Err(Refusal {
            kind: info.kind.unwrap_or(Kind::Unknown),
            retryable: info.retryable,
        }),
    };
    let outcome = match verdict {
        Ok(verdict) => Outcome::Answered(TwoElementAnswer {
            verdict,
            debug: false,
            details: TwoElementDetails::Qxt(details),
        }),
        Err(refusal) => Outcome::Refused(refusal),
    };
    Ok(Reply {
        vendor: Vendor::Qxt,
        code: code.into_owned(),
        message: wire.reason.map(Cow::into_owned).unwrap_or_default(),
        billed: info.billed,
        server_time: None,
        outcome,
    })
}

fn details(r: WireResult<'_>) -> QxtDetails {
    QxtDetails {
        mobile: owned(r.mobile),
        name: owned(r.name),
        status: owned(r.status),
        area: owned(r.area),
        carrier: owned(r.now_isp),
    }
}
