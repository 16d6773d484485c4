//! ihuyi's balance query (`GetNum.json`): how many checks the account has left.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::config::IhuyiConfig;
use crate::error::{BuildError, DecodeError, Failure};
use crate::operation::{Operation, Outcome, Refusal, Reply};
use crate::taxonomy::ihuyi as codes;
use crate::transport::{HttpRequest, HttpResponse};
use crate::{UnixTime, Vendor, json, lenient};

/// How many checks are left on the account? Never billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance;

/// The remaining number of checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BalanceAnswer {
    /// `num`: checks left (sent as a number or a string).
    pub remaining: u64,
}

impl Operation for Balance {
    type Config = IhuyiConfig;
    type Output = BalanceAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Ihuyi
    }

    fn name(&self) -> &'static str {
        "balance"
    }

    fn prepare(&self, config: &IhuyiConfig, now: UnixTime) -> Result<HttpRequest, BuildError> {
        config.request(super::GET_NUM_PATH, None, now)
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<BalanceAnswer>, DecodeError> {
        json::decode(self, response, |t| {
            serde_json::from_str::<Wire<'_>>(t).map(read)
        })
    }
}

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::code")]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    msg: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    num: Option<Cow<'a, str>>,
}

fn read(wire: Wire<'_>) -> Result<Reply<BalanceAnswer>, Failure> {
    Reply::read(
        Vendor::Ihuyi,
        "code",
        wire.code,
        wire.msg,
        codes::classify_get_num,
        |code, info| {
            if code != codes::SUCCESS {
                return Ok(Outcome::Refused(Refusal::of(info)));
            }
            let num = wire.num.ok_or_else(|| Failure::missing("num"))?;
            let remaining = lenient::parse_u64(&num)
                .ok_or_else(|| Failure::invalid("num", "is not a non-negative integer"))?;
            Ok(Outcome::Answered(BalanceAnswer { remaining }))
        },
    )
}
