//! ihuyi `/idcard/operzwsc/Submit.json` (operator status) and `GetNum.json` (balance), per
//! `ihuyi-operator-status.txt`.
//!
//! The password is either the APIKEY itself (static) or the dynamic
//! `md5(account + apikey + "operzwsc" + mobile + time)` (GetNum: without the mobile), with
//! `time` required and, by our choice since the document gives no window, within 10 minutes
//! (else 40501). Check order (ours): forced code, account (401), password (402), mobile (407,
//! Submit), account known (405), password (405 / 40501 / 40502), magic input, mobile format
//! (4071), balance (4051), lookup (408 or billed 2).

use super::magic::{self, Magic};
use crate::directory::{self, Carrier};
use crate::emulated::{Reply, VendorRequest};
use crate::render::{Format, Value};
use md5::{Digest, Md5};
use std::sync::atomic::{AtomicU64, Ordering};

/// The account ihuyi accepts.
pub(super) struct Credentials<'a> {
    pub(super) account: &'a str,
    pub(super) apikey: &'a str,
}

impl Carrier {
    /// ihuyi's operator number (1 移动, 2 联通, 3 电信).
    pub fn ihuyi_code(self) -> i64 {
        match self {
            Carrier::Mobile | Carrier::Broadnet => 1,
            Carrier::Unicom => 2,
            Carrier::Telecom => 3,
        }
    }
}

/// The fixed application name in ihuyi's dynamic password.
const APP: &str = "operzwsc";

fn message(code: i64) -> &'static str {
    match code {
        0 => "未知错误",
        1 => "提交失败",
        2 => "提交成功",
        400 => "非法ip访问",
        401 => "帐号不能为空",
        402 => "密码不能为空",
        403 => "应用不存在",
        405 => "API ID或API KEY不正确",
        407 => "手机号不能为空",
        408 => "查询无结果",
        4010 => "通道错误",
        4050 => "账号被冻结",
        4051 => "剩余条数不足",
        4052 => "访问ip与备案ip不符",
        4071 => "手机格式不正确",
        4086 => "通道无效",
        40501 => "动态密码已过期",
        40502 => "动态密码校验失败",
        40505 => "没有签定合同",
        _ => "未知错误",
    }
}

/// Which ihuyi operation, for the shape of its answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Submit,
    GetNum,
}

fn error(operation: Operation, code: i64) -> Reply {
    let tail = match operation {
        Operation::Submit => ("idcardid", Value::str("0")),
        Operation::GetNum => ("num", Value::Int(0)),
    };
    Reply {
        fields: vec![
            ("code", Value::Int(code)),
            ("msg", Value::str(message(code))),
            tail,
        ],
        format: Format::Json,
        billed: false,
    }
}

/// Checks account, password and (Submit) mobile presence, then the credentials; the code to
/// answer when they fail.
fn authenticate(
    credentials: &Credentials<'_>,
    request: &VendorRequest<'_>,
    operation: Operation,
) -> Result<(), i64> {
    let params = request.params;
    let account = params.non_empty("account").ok_or(401)?;
    let password = params.non_empty("password").ok_or(402)?;
    let mobile = match operation {
        Operation::Submit => params.non_empty("mobile").ok_or(407)?,
        Operation::GetNum => "",
    };
    if account != credentials.account {
        return Err(405);
    }
    if password == credentials.apikey {
        return Ok(());
    }
    // Not the static key: it must be a dynamic password, which needs `time`.
    let time_text = params.non_empty("time").ok_or(405)?;
    let time: i64 = time_text
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| time_text.parse().ok())
        .flatten()
        .ok_or(40501)?;
    if request.now.abs_diff(time) > request.time_tolerance_secs.unsigned_abs() {
        return Err(40501);
    }
    let mut hasher = Md5::new();
    for part in [account, credentials.apikey, APP, mobile, time_text] {
        hasher.update(part.as_bytes());
    }
    if password == hex::encode(hasher.finalize()) {
        Ok(())
    } else {
        Err(40502)
    }
}

/// Answers `Submit.json`.
pub(super) fn submit(
    credentials: &Credentials<'_>,
    serials: &AtomicU64,
    request: &VendorRequest<'_>,
) -> Reply {
    let operation = Operation::Submit;
    if let Some(code) = request.forced_code {
        return error(operation, code);
    }
    if let Err(code) = authenticate(credentials, request, operation) {
        return error(operation, code);
    }
    let Some(mobile) = request.params.non_empty("mobile") else {
        return error(operation, 407);
    };
    let query_failed = match magic::for_mobile(mobile) {
        Some(Magic::Code(code)) => return error(operation, code),
        Some(Magic::QueryFailed) => true,
        None => false,
    };
    if directory::segment_carrier(mobile).is_none() {
        return error(operation, 4071);
    }
    if request.account.balance() == 0 {
        return error(operation, 4051);
    }
    if !query_failed && !directory::mobile_known(mobile) {
        return error(operation, 408);
    }
    if !request.account.spend() {
        return error(operation, 4051);
    }
    // A 14-digit serial like the document's: the vendor's clock and a sequence number.
    let serial = format!(
        "{}{:04}",
        request.now,
        serials.fetch_add(1, Ordering::Relaxed) % 10_000
    );
    let result = if query_failed {
        Value::Obj(vec![
            ("status", Value::Int(1)),
            ("info", Value::Obj(Vec::new())),
        ])
    } else {
        let profile = directory::mobile_profile(mobile);
        Value::Obj(vec![
            ("status", Value::Int(2)),
            (
                "info",
                Value::Obj(vec![
                    (
                        "operator_real",
                        Value::Int(profile.real_carrier.ihuyi_code()),
                    ),
                    ("time_online", Value::Int(i64::from(profile.tenure_bucket))),
                    ("operator", Value::Int(profile.carrier.ihuyi_code())),
                    ("is_xhzw", Value::Int(i64::from(profile.ported()))),
                ]),
            ),
        ])
    };
    Reply {
        fields: vec![
            ("code", Value::Int(2)),
            ("msg", Value::str(message(2))),
            ("idcardid", Value::Str(serial)),
            ("result", result),
        ],
        format: Format::Json,
        billed: true,
    }
}

/// Answers `GetNum.json`.
pub(super) fn get_num(credentials: &Credentials<'_>, request: &VendorRequest<'_>) -> Reply {
    let operation = Operation::GetNum;
    if let Some(code) = request.forced_code {
        return error(operation, code);
    }
    if let Err(code) = authenticate(credentials, request, operation) {
        return error(operation, code);
    }
    let balance = i64::try_from(request.account.balance()).unwrap_or(i64::MAX);
    Reply {
        fields: vec![
            ("code", Value::Int(2)),
            ("msg", Value::str("查询成功")),
            ("num", Value::Int(balance)),
        ],
        format: Format::Json,
        billed: false,
    }
}
