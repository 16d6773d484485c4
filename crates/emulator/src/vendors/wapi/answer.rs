//! wapi.cn: `/pyi/108/244` (mobile + name) and `/pyi/62/169` (ID number + name), per the two
//! wapi documents in `shared/vendor-docs/`, plus our shared conventions (envelope with the
//! server's `time`, `bank_status` 01/02, 10025 not found, 10024 debug, 10019 + 频繁).
//!
//! Check order (our choice; the documents list codes, not their order): forced code, appid
//! present (10001), sign present (10002), time an integer (10017) and within 10 minutes
//! (10004), appid known (10005), sign verifies (10003), API exists (10009), parameters present
//! (10015), magic input, `debug=1` (10024), number shape (10019), rate limit (10019 频繁),
//! balance (10018/10022), lookup (10025 or billed 10000).

use super::config::{Settings, WapiAuth, WapiExhaustion};
use super::magic::{self, Magic};
use crate::directory::{self, Verdict};
use crate::emulated::{Reply, VendorRequest};
use crate::params::Params;
use crate::render::{Format, Value};
use md5::{Digest, Md5};

/// The rate-limit message: clients recognise it by 频繁.
pub(crate) const RATE_LIMIT_MESSAGE: &str = "相同姓名或号码核验过于频繁,请稍后再试";

/// Which wapi API a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Mobile,
    Id,
    Unknown,
}

/// The documented message of a codeid (`{@info}` placeholders filled in by the caller).
pub(crate) fn message(code: i64) -> &'static str {
    match code {
        10000 => "返回成功",
        10001 => "appid必须指定,可以我的应用里面查看",
        10002 => "sign值必须指定,加密规则请前往帮助中心查看",
        10003 => "sign值验证不通过,加密规则请前往帮助中心查看",
        10004 => "时差不能超过10分钟,可以不传递这个参数,注意时间戳单位是秒",
        10005 => "appid错误,请检查appid值,前往会员中心->我的应用查看或添加",
        10006 => "当前IP地址未授权,请前往用户中心->我的应用添加ip",
        10007 => "应用被禁用,请联系客服处理",
        10008 => "应用内没有该接口,请到我的应用里面添加这个接口",
        10009 => "api接口不存在",
        10010 => "您没有添加该api接口",
        10011 => "api已经到期",
        10012 => "没有订购任何api,请前往购买后再操作",
        10013 => "该接口已经暂停使用",
        10015 => "参数个数错误",
        10017 => "time必须是整型",
        10018 => "次数不足",
        10019 => RATE_LIMIT_MESSAGE,
        10020 => "子接口不存在,可能已经被关闭",
        10021 => "服务器发生错误",
        10022 => "帐户余额不足,请充值!",
        10023 => "订单提交成功,等待回调结果",
        10024 => "调试模式数据",
        10025 => "查无数据",
        // 10014 and anything undocumented.
        _ => "未知的错误,可以联系客服处理",
    }
}

/// Answers one wapi request.
pub(super) fn answer(
    settings: &Settings,
    exhaustion: WapiExhaustion,
    api: Api,
    request: &VendorRequest<'_>,
) -> Reply {
    let params = request.params;
    let wapi = Wapi {
        format: format(params),
        now: request.now,
    };
    if let Some(code) = request.forced_code {
        return wapi.coded(code, request);
    }
    let Some(appid) = params.non_empty("appid") else {
        return wapi.error(10001);
    };
    let Some(sign) = params.non_empty("sign") else {
        return wapi.error(10002);
    };
    if let Some(time) = params.non_empty("time") {
        let Some(time) = parse_integer(time) else {
            return wapi.error(10017);
        };
        if request.now.abs_diff(time) > request.time_tolerance_secs.unsigned_abs() {
            return wapi.error(10004);
        }
    }
    if appid != settings.appid {
        return wapi.error(10005);
    }
    let sign_ok = match settings.auth {
        WapiAuth::Md5 => sign == md5_sign(params, &settings.secret),
        WapiAuth::Hash => sign == settings.secret,
    };
    if !sign_ok {
        return wapi.error(10003);
    }
    let (number_key, magic_of): (_, fn(&str) -> Option<Magic>) = match api {
        Api::Mobile => ("mobile", magic::for_mobile),
        Api::Id => ("bank_id", magic::for_id),
        Api::Unknown => return wapi.error(10009),
    };
    let (Some(name), Some(number)) = (params.non_empty("bank_name"), params.non_empty(number_key))
    else {
        return wapi.error(10015);
    };
    match magic_of(number) {
        Some(Magic::Code(code)) => return wapi.coded_for(code, request, api, name, number),
        Some(Magic::OtherInfo) => {
            return wapi.reply(10019, magic::OTHER_INFO_MESSAGE, Value::EmptyList, false);
        }
        None => {}
    }
    if params.get("debug") == Some("1") {
        return wapi.debug(api, name, number);
    }
    let shape_problem = match api {
        Api::Mobile if !is_mobile_shape(number) => Some("手机号码格式不正确"),
        Api::Id if !is_id_shape(number) => Some("身份证号码格式不正确"),
        _ => None,
    };
    if let Some(problem) = shape_problem {
        return wapi.reply(10019, problem, Value::EmptyList, false);
    }
    if let Some(limiter) = request.limiter
        && !limiter.allow(number, request.now)
    {
        return wapi.error(10019);
    }
    let exhausted = exhaustion.code();
    if request.account.balance() == 0 {
        return wapi.error(exhausted);
    }
    let verdict = match api {
        Api::Mobile => directory::mobile_verdict(name, number),
        _ => directory::id_verdict(name, number),
    };
    if verdict == Verdict::NotFound {
        return wapi.error(10025);
    }
    // Balance is spent only by a billed answer; a race to the last call loses with 10018.
    if !request.account.spend() {
        return wapi.error(exhausted);
    }
    let matched = verdict == Verdict::Match;
    wapi.reply(
        10000,
        message(10000),
        retdata(api, name, number, matched),
        true,
    )
}

struct Wapi {
    format: Format,
    now: i64,
}

impl Wapi {
    fn reply(&self, code: i64, message: &str, retdata: Value, billed: bool) -> Reply {
        Reply {
            fields: vec![
                ("codeid", Value::Int(code)),
                ("message", Value::str(message)),
                ("retdata", retdata),
                // Our convention: the server's clock on every answer, as a string.
                ("time", Value::Str(self.now.to_string())),
            ],
            format: self.format.clone(),
            billed,
        }
    }

    /// An answer without data: PHP's empty array in `retdata`.
    fn error(&self, code: i64) -> Reply {
        self.reply(code, message(code), Value::EmptyList, false)
    }

    /// A forced code (fault `code=N`), before any check.
    fn coded(&self, code: i64, request: &VendorRequest<'_>) -> Reply {
        match code {
            10006 => self.ip_not_allowed(request),
            _ => self.error(code),
        }
    }

    /// A magic input's code, after the checks, so it can carry realistic data.
    fn coded_for(
        &self,
        code: i64,
        request: &VendorRequest<'_>,
        api: Api,
        name: &str,
        number: &str,
    ) -> Reply {
        match code {
            10024 => self.debug(api, name, number),
            _ => self.coded(code, request),
        }
    }

    fn ip_not_allowed(&self, request: &VendorRequest<'_>) -> Reply {
        // The document's message ends in `{@info}`: the caller's address.
        let text = format!("{}{}", message(10006), request.peer);
        self.reply(10006, &text, Value::EmptyList, false)
    }

    fn debug(&self, api: Api, name: &str, number: &str) -> Reply {
        self.reply(
            10024,
            message(10024),
            retdata(api, name, number, true),
            false,
        )
    }
}

/// json (default), xml, or jsonp with the `callback` parameter naming the function.
fn format(params: &Params) -> Format {
    match params.get("format").map(str::trim) {
        Some(format) if format.eq_ignore_ascii_case("xml") => Format::Xml,
        Some(format) if format.eq_ignore_ascii_case("jsonp") => {
            // Only identifier characters are echoed back: the answer is executable script.
            let callback: String = params
                .get("callback")
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
                .take(64)
                .collect();
            if callback.is_empty() {
                Format::Jsonp("callback".to_owned())
            } else {
                Format::Jsonp(callback)
            }
        }
        _ => Format::Json,
    }
}

/// MD5 mode, as the documents describe it: every parameter but `sign`, sorted by key, empty
/// values left out, `key + value` concatenated, the secret appended, lowercase hex.
pub(crate) fn md5_sign(params: &Params, secret: &str) -> String {
    let mut hasher = Md5::new();
    for (key, value) in params.sorted() {
        if key == "sign" || value.is_empty() {
            continue;
        }
        hasher.update(key.as_bytes());
        hasher.update(value.as_bytes());
    }
    hasher.update(secret.as_bytes());
    hex::encode(hasher.finalize())
}

/// Decimal integer, optionally negative (PHP's is-integer check); anything else is 10017.
fn parse_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_mobile_shape(mobile: &str) -> bool {
    mobile.len() == 11 && mobile.starts_with('1') && mobile.bytes().all(|b| b.is_ascii_digit())
}

/// 18 characters (17 digits and a digit or X) or the old 15 digits. The check digit is not
/// verified: that is offline validation's job, and wapi's own sample number fails it.
fn is_id_shape(id: &str) -> bool {
    let bytes = id.as_bytes();
    match bytes.len() {
        18 => {
            bytes[..17].iter().all(u8::is_ascii_digit)
                && (bytes[17].is_ascii_digit() || bytes[17] == b'X' || bytes[17] == b'x')
        }
        15 => bytes.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

fn retdata(api: Api, name: &str, number: &str, matched: bool) -> Value {
    let status = if matched { "01" } else { "02" };
    match api {
        Api::Id => {
            let (sex, birthday) = id_sex_and_birthday(number);
            Value::Obj(vec![
                ("bank_status", Value::str(status)),
                (
                    "bank_msg",
                    Value::str(if matched {
                        "实名认证通过"
                    } else {
                        "实名认证不通过"
                    }),
                ),
                ("bank_name", Value::str(name)),
                ("bank_idCard", Value::str(number)),
                ("bank_sex", Value::str(sex)),
                ("bank_birthday", Value::Str(birthday)),
                ("bank_area", Value::str(directory::id_area(number))),
            ])
        }
        Api::Mobile | Api::Unknown => {
            let profile = directory::mobile_profile(number);
            Value::Obj(vec![
                ("bank_status", Value::str(status)),
                (
                    "bank_msg",
                    Value::str(if matched { "一致" } else { "不一致" }),
                ),
                ("bank_name", Value::str(name)),
                ("bank_mobile", Value::str(number)),
                (
                    "bank_mobileType",
                    Value::str(profile.real_carrier.short_name()),
                ),
                (
                    "bank_provider",
                    Value::str(profile.real_carrier.full_name()),
                ),
                ("bank_province", Value::str(profile.city.province)),
                ("bank_city", Value::str(profile.city.city)),
                ("bank_addrCode", Value::str(profile.city.postal_code)),
                ("bank_telCode", Value::str(profile.city.tel_code)),
                ("bank_idCode", Value::Int(profile.city.id_code)),
            ])
        }
    }
}

/// Sex from the sequence digit (odd male), birthday from the date digits, "" when unreadable.
fn id_sex_and_birthday(id: &str) -> (&'static str, String) {
    let (date, sex_digit) = match id.len() {
        18 => (id.get(6..14).map(str::to_owned), id.get(16..17)),
        15 => (
            id.get(6..12).map(|date| format!("19{date}")),
            id.get(14..15),
        ),
        _ => (None, None),
    };
    let sex = match sex_digit.and_then(|digit| digit.parse::<u8>().ok()) {
        Some(digit) if digit % 2 == 1 => "男",
        Some(_) => "女",
        None => "",
    };
    let birthday = date
        .filter(|date| date.len() == 8)
        .map(|date| format!("{}年{}月{}日", &date[..4], &date[4..6], &date[6..]))
        .unwrap_or_default();
    (sex, birthday)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_sign_matches_the_documented_recipe() {
        // The document's example order: appid1bank_name张三debug1formatjsonmobile18688888888 + secret.
        let params = Params::from_pairs(&[
            ("mobile", "18688888888"),
            ("format", "json"),
            ("appid", "1"),
            ("debug", "1"),
            ("bank_name", "张三"),
            ("callback", ""),
            ("sign", "ignored"),
        ]);
        let expected = hex::encode(Md5::digest(
            "appid1bank_name张三debug1formatjsonmobile18688888888SECRET".as_bytes(),
        ));
        assert_eq!(md5_sign(&params, "SECRET"), expected);
    }

    #[test]
    fn integers_and_shapes() {
        assert_eq!(parse_integer("1604973925"), Some(1_604_973_925));
        assert_eq!(parse_integer("-5"), Some(-5));
        for bad in ["", "-", "1.5", "12a", " 1", "+1", "9999999999999999999999"] {
            assert_eq!(parse_integer(bad), None, "{bad:?}");
        }
        assert!(is_mobile_shape("18688888888"));
        assert!(!is_mobile_shape("2868888888"));
        assert!(is_id_shape("11010119900307447x"));
        assert!(is_id_shape("110101900307447"));
        assert!(!is_id_shape("1101011990030744Y7"));
    }

    #[test]
    fn sex_and_birthday() {
        assert_eq!(
            id_sex_and_birthday("330327199705055700"),
            ("女", "1997年05月05日".to_owned())
        );
        assert_eq!(
            id_sex_and_birthday("110101900307447"),
            ("男", "1990年03月07日".to_owned())
        );
        assert_eq!(id_sex_and_birthday("1"), ("", String::new()));
    }
}
