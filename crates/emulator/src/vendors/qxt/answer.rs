//! QXT `/Phone_TwoElements` (mobile + name), per `qxt-phone-two-elements.txt`.
//!
//! Check order (ours): forced code, parameters present and apikey 32 characters (1), apikey
//! known (-1), magic input, mobile length (-2), mobile plausible (-3), balance (-5), lookup
//! (-4 or billed 0). -8 and -9 are reached by magic input only.

use super::magic;
use crate::directory::{self, Verdict};
use crate::emulated::{Reply, VendorRequest};
use crate::render::{Format, Value};

fn reason(code: i64) -> &'static str {
    match code {
        0 => "Succ",
        1 => "请求参数缺失",
        -1 => "apikey 信息不匹配",
        -2 => "查询的手机号码长度不对",
        -3 => "请填写正确的手机号码",
        -4 => "未查询到相关信息",
        -5 => "当前余额不足发起本次查询请求,请与供应商联系",
        -8 => "系统错误,请稍候再试",
        -9 => "ip 地址鉴权失败",
        _ => "未知错误",
    }
}

fn error(code: i64, reason: &str) -> Reply {
    Reply {
        fields: vec![
            ("code", Value::Int(code)),
            ("reason", Value::str(reason)),
            ("result", Value::Null),
        ],
        format: Format::Json,
        billed: false,
    }
}

fn coded(code: i64) -> Reply {
    error(code, reason(code))
}

/// Answers one QXT request.
pub(super) fn answer(accepted_apikey: &str, request: &VendorRequest<'_>) -> Reply {
    if let Some(code) = request.forced_code {
        return coded(code);
    }
    let params = request.params;
    let Some(apikey) = params.non_empty("apikey") else {
        return error(1, "请求参数缺失: apikey");
    };
    // Code 1 also covers "apikey 长度不对": a key of the wrong length is malformed, not wrong.
    if apikey.chars().count() != 32 {
        return error(1, "apikey 长度不对");
    }
    let (Some(mobile), Some(name)) = (params.non_empty("mobile"), params.non_empty("name")) else {
        return error(1, "请求参数缺失: mobile, name");
    };
    if apikey != accepted_apikey {
        return coded(-1);
    }
    if let Some(code) = magic::code_for(mobile) {
        return coded(code);
    }
    if mobile.chars().count() != 11 {
        return coded(-2);
    }
    if directory::segment_carrier(mobile).is_none() {
        return coded(-3);
    }
    if request.account.balance() == 0 {
        return coded(-5);
    }
    let verdict = directory::mobile_verdict(name, mobile);
    if verdict == Verdict::NotFound {
        return coded(-4);
    }
    if !request.account.spend() {
        return coded(-5);
    }
    let profile = directory::mobile_profile(mobile);
    let isp = if profile.virtual_operator {
        "其它运营商"
    } else {
        profile.real_carrier.full_name()
    };
    Reply {
        fields: vec![
            ("code", Value::Int(0)),
            ("reason", Value::str(reason(0))),
            (
                "result",
                Value::Obj(vec![
                    ("Mobile", Value::str(mobile)),
                    ("Name", Value::str(name)),
                    (
                        "Status",
                        Value::str(if verdict == Verdict::Match {
                            "一致"
                        } else {
                            "不一致"
                        }),
                    ),
                    (
                        "Area",
                        Value::Str(format!("{}-{}", profile.city.province, profile.city.city)),
                    ),
                    ("Now_isp", Value::str(isp)),
                ]),
            ),
        ],
        format: Format::Json,
        billed: true,
    }
}
