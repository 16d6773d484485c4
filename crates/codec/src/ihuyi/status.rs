//! ihuyi's operator-status check (`Submit.json`): documented carrier, real carrier, tenure
//! bucket and whether the number was ported.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::config::IhuyiConfig;
use crate::error::{BuildError, DecodeError, Failure};
use crate::lenient::{self, owned};
use crate::masked::person_input;
use crate::operation::{Operation, Outcome, Refusal, Reply};
use crate::taxonomy::ihuyi as codes;
use crate::transport::{HttpRequest, HttpResponse};
use crate::{Kind, UnixTime, Vendor, json, mask};

person_input! {
    /// Which carrier, what tenure, ported or not, for this mobile number? Debug masks the
    /// number.
    pub struct MobileStatus("ihuyi::MobileStatus") {
        /// The 11-digit mobile number.
        mobile (masked by mask::mobile),
    }
    /// A status query for `mobile`.
    fn new;
}

impl Operation for MobileStatus {
    type Config = IhuyiConfig;
    type Output = StatusAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Ihuyi
    }

    fn name(&self) -> &'static str {
        "mobile_status"
    }

    fn prepare(&self, config: &IhuyiConfig, now: UnixTime) -> Result<HttpRequest, BuildError> {
        self.require_fields()?;
        config.request(super::SUBMIT_PATH, Some(&self.mobile), now)
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<StatusAnswer>, DecodeError> {
        json::decode(self, response, |t| {
            serde_json::from_str::<Wire<'_>>(t).map(read)
        })
    }
}

/// What the status check answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StatusAnswer {
    /// The vendor knows the number.
    Found(OperatorStatus),
    /// Code 408: no result for the number (not billed).
    NotFound,
}

/// The operator status of a number (`result.info`). A field the vendor left out, or sent
/// with a value that is not an integer, is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorStatus {
    /// `operator`: the carrier the number segment was issued to.
    pub operator: Option<Carrier>,
    /// `operator_real`: the carrier serving the number now (differs when ported).
    pub operator_real: Option<Carrier>,
    /// `time_online`: how long the number has been in service.
    pub tenure: Option<Tenure>,
    /// `is_xhzw`: whether the number was ported to another carrier (携号转网).
    pub ported: Option<bool>,
    /// `idcardid`: the vendor's serial number for this query.
    pub serial: Option<String>,
}

/// A carrier as ihuyi numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 1: China Mobile (中国移动).
    ChinaMobile,
    /// 2: China Unicom (中国联通).
    ChinaUnicom,
    /// 3: China Telecom (中国电信).
    ChinaTelecom,
    /// Any value the document does not list, kept as sent.
    Other(i64),
}

impl Carrier {
    /// ihuyi's number for a carrier.
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Carrier::ChinaMobile,
            2 => Carrier::ChinaUnicom,
            3 => Carrier::ChinaTelecom,
            other => Carrier::Other(other),
        }
    }
}

/// How long a number has been in service, in ihuyi's buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Tenure {
    /// 1: under 6 months.
    #[serde(rename = "months_0_6")]
    Under6Months,
    /// 2: 6 to under 12 months.
    #[serde(rename = "months_6_12")]
    From6To12Months,
    /// 3: 12 to under 24 months.
    #[serde(rename = "months_12_24")]
    From12To24Months,
    /// 4: 24 months or more.
    #[serde(rename = "months_24_plus")]
    Over24Months,
    /// Any value the document does not list, kept as sent.
    #[serde(rename = "other")]
    Other(i64),
}

impl Tenure {
    /// ihuyi's number for a bucket.
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Tenure::Under6Months,
            2 => Tenure::From6To12Months,
            3 => Tenure::From12To24Months,
            4 => Tenure::Over24Months,
            other => Tenure::Other(other),
        }
    }

    /// The bucket as a half-open range of months, `[from, to)`; `to` is `None` for the last.
    pub fn months(self) -> Option<(u32, Option<u32>)> {
        match self {
            Tenure::Under6Months => Some((0, Some(6))),
            Tenure::From6To12Months => Some((6, Some(12))),
            Tenure::From12To24Months => Some((12, Some(24))),
            Tenure::Over24Months => Some((24, None)),
            Tenure::Other(_) => None,
        }
    }
}

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::code")]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    msg: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    idcardid: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::object")]
    result: Option<WireResult<'a>>,
}

#[derive(Deserialize)]
struct WireResult<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    status: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::object")]
    info: Option<WireInfo<'a>>,
}

#[derive(Deserialize)]
struct WireInfo<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    operator: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    operator_real: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    time_online: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    is_xhzw: Option<Cow<'a, str>>,
}

/// `result.status` of a completed query.
const QUERY_SUCCEEDED: &str = "2";

fn read(wire: Wire<'_>) -> Result<Reply<StatusAnswer>, Failure> {
    Reply::read(
        Vendor::Ihuyi,
        "code",
        wire.code,
        wire.msg,
        codes::classify_submit,
        |code, info| {
            Ok(match code {
                codes::SUCCESS => match wire.result {
                    Some(result) if result.status.as_deref() == Some(QUERY_SUCCEEDED) => {
                        Outcome::Answered(StatusAnswer::Found(operator_status(
                            result.info,
                            wire.idcardid,
                        )))
                    }
                    // Submitted (and billed, code 2) but the query itself failed (`status` 1)
                    // or the result is missing: a vendor-side failure; retrying would bill
                    // again.
                    _ => Outcome::Refused(Refusal {
                        kind: Kind::Upstream,
                        retryable: false,
                    }),
                },
                codes::NOT_FOUND => Outcome::Answered(StatusAnswer::NotFound),
                _ => Outcome::Refused(Refusal::of(info)),
            })
        },
    )
}

/// `result.info` of a completed query, with the vendor's serial number.
fn operator_status(info: Option<WireInfo<'_>>, serial: Option<Cow<'_, str>>) -> OperatorStatus {
    OperatorStatus {
        operator: integer(info.as_ref().and_then(|i| i.operator.as_deref()))
            .map(Carrier::from_code),
        operator_real: integer(info.as_ref().and_then(|i| i.operator_real.as_deref()))
            .map(Carrier::from_code),
        tenure: integer(info.as_ref().and_then(|i| i.time_online.as_deref()))
            .map(Tenure::from_code),
        ported: integer(info.as_ref().and_then(|i| i.is_xhzw.as_deref())).and_then(|v| match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }),
        serial: owned(serial),
    }
}

/// An integer sent as a number or a string (already trimmed by `lenient::scalar`).
fn integer(text: Option<&str>) -> Option<i64> {
    text?.parse().ok()
}
