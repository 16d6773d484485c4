//! Turns the facade's typed answers into the CLI's [`Answer`]: the JSON `details` object
//! (with the same keys the batch output's detail columns use) and the human lines.

use crate::report::{Answer, VerdictField};
use serde_json::{Map, Value};
use shiming::codec::mask;
use shiming::{BalanceAnswer, Checked, TwoElementAnswer, Verdict};
use shiming::{Carrier, StatusAnswer, Tenure};

/// Which fields a two-element check was about, for the human headline.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// Name + mobile.
    Mobile(&'a str, &'a str),
    /// Name + ID number.
    Id(&'a str, &'a str),
}

/// Echoes of the request and fields already in `verdict`: left out of `details`.
const ECHOED: [&str; 6] = ["source", "name", "mobile", "id_number", "status", "message"];

/// A mobile or ID two-element answer.
pub(crate) fn two_element(checked: &Checked<TwoElementAnswer>, subject: Subject<'_>) -> Answer {
    let answer = &checked.answer;
    let mut details = Map::new();
    if let Some(carrier) = answer.carrier() {
        details.insert("carrier".into(), carrier.into());
    }
    if let Some(area) = answer.area() {
        details.insert("area".into(), area.into());
    }
    if let Ok(Value::Object(fields)) = serde_json::to_value(&answer.details) {
        for (key, value) in fields {
            if !ECHOED.contains(&key.as_str()) && !value.is_null() && !details.contains_key(&key) {
                details.insert(key, value);
            }
        }
    }
    if answer.debug {
        details.insert("debug".into(), true.into());
    }

    let (check, what, whose) = match subject {
        Subject::Mobile(name, mobile) => (
            "mobile_two_elements",
            mask::mobile(mobile),
            mask::name(name),
        ),
        Subject::Id(name, id) => ("id_two_elements", mask::id_number(id), mask::name(name)),
    };
    let headline = match answer.verdict {
        Verdict::Match => format!("match: {what} belongs to {whose}"),
        Verdict::Mismatch => format!("mismatch: {what} does not belong to {whose}"),
        Verdict::NotFound => format!("not found: {} has no record of {what}", checked.vendor),
    };
    let mut human = vec![format!("{headline}{}", provenance(checked))];
    let extras: Vec<String> = ["carrier", "area"]
        .iter()
        .filter_map(|k| {
            details
                .get(*k)
                .and_then(Value::as_str)
                .map(|v| format!("{k}: {v}"))
        })
        .collect();
    if !extras.is_empty() {
        human.push(extras.join("  "));
    }
    if answer.debug {
        human.push("note: the vendor answered with test data (debug mode); the verdict says nothing about this person".into());
    }
    from_checked(
        checked,
        check,
        VerdictField::Of(Some(answer.verdict)),
        details,
        human,
    )
}

/// An ihuyi operator status.
pub(crate) fn status(checked: &Checked<StatusAnswer>, mobile: &str) -> Answer {
    let mut details = Map::new();
    let (verdict, headline) = match &checked.answer {
        StatusAnswer::NotFound => (
            Some(Verdict::NotFound),
            format!(
                "not found: {} has no status for {}",
                checked.vendor,
                mask::mobile(mobile)
            ),
        ),
        StatusAnswer::Found(status) => {
            let mut parts = Vec::new();
            if let Some(real) = status.operator_real {
                details.insert("real_carrier".into(), carrier_code(real).into());
                parts.push(format!("served by {}", carrier_label(real)));
            }
            if let Some(operator) = status.operator {
                details.insert("carrier".into(), carrier_code(operator).into());
                parts.push(format!("segment of {}", carrier_label(operator)));
            }
            if let Some(ported) = status.ported {
                details.insert("ported".into(), ported.into());
                parts.push(if ported {
                    "ported".into()
                } else {
                    "not ported".into()
                });
            }
            if let Some(tenure) = status.tenure {
                details.insert("tenure".into(), tenure_code(tenure).into());
                parts.push(format!("in service {} months", tenure_code(tenure)));
            }
            if let Some(serial) = &status.serial {
                details.insert("serial".into(), serial.clone().into());
            }
            (
                None,
                format!("{}: {}", mask::mobile(mobile), parts.join(", ")),
            )
        }
    };
    from_checked(
        checked,
        "mobile_status",
        VerdictField::Of(verdict),
        details,
        vec![format!("{headline}{}", provenance(checked))],
    )
}

/// A remaining balance.
pub(crate) fn balance(checked: &Checked<BalanceAnswer>) -> Answer {
    let remaining = checked.answer.remaining;
    let mut details = Map::new();
    details.insert("balance".into(), remaining.into());
    from_checked(
        checked,
        "balance",
        VerdictField::NotApplicable,
        details,
        vec![format!(
            "{} balance: {remaining} checks left{}",
            checked.vendor,
            provenance(checked)
        )],
    )
}

/// The fields every answer takes from the facade's [`Checked`] (vendor, code, billing,
/// provenance) around what this check found.
fn from_checked<T>(
    checked: &Checked<T>,
    check: &'static str,
    verdict: VerdictField,
    details: Map<String, Value>,
    human: Vec<String>,
) -> Answer {
    Answer {
        vendor: checked.vendor,
        check,
        verdict,
        billed: checked.billed,
        vendor_code: checked.code.clone(),
        vendor_message: checked.message.clone(),
        attempts: checked.attempts,
        sandbox: false,
        cached: matches!(checked.origin, shiming::Origin::Store { .. }),
        checked_at: remembered_at(checked),
        details,
        human,
    }
}

/// ` (wapi, code 10000, billed)`.
fn provenance<T>(checked: &Checked<T>) -> String {
    if let Some(at) = remembered_at(checked) {
        return format!(
            " ({}, code {}, remembered from {at}; no request sent, not billed)",
            checked.vendor, checked.code
        );
    }
    if checked.origin != shiming::Origin::Vendor {
        return format!(
            " ({}, code {}, shared with an identical check in flight; not billed again)",
            checked.vendor, checked.code
        );
    }
    let retries = if checked.attempts > 1 {
        format!(", {} attempts", checked.attempts)
    } else {
        String::new()
    };
    format!(
        " ({}, code {}, {}{retries})",
        checked.vendor,
        checked.code,
        if checked.billed {
            "billed"
        } else {
            "not billed"
        }
    )
}

/// Machine name of a carrier, as in JSON and batch output.
pub(crate) fn carrier_code(carrier: Carrier) -> String {
    match carrier {
        Carrier::ChinaMobile => "china_mobile".into(),
        Carrier::ChinaUnicom => "china_unicom".into(),
        Carrier::ChinaTelecom => "china_telecom".into(),
        Carrier::Other(code) => format!("other:{code}"),
    }
}

fn carrier_label(carrier: Carrier) -> String {
    match carrier {
        Carrier::ChinaMobile => "China Mobile (中国移动)".into(),
        Carrier::ChinaUnicom => "China Unicom (中国联通)".into(),
        Carrier::ChinaTelecom => "China Telecom (中国电信)".into(),
        Carrier::Other(code) => format!("carrier code {code}"),
    }
}

/// A tenure bucket as months: `0-6`, `6-12`, `12-24`, `24+` (`other:N` for an unknown code).
pub(crate) fn tenure_code(tenure: Tenure) -> String {
    match tenure.months() {
        Some((from, Some(to))) => format!("{from}-{to}"),
        Some((from, None)) => format!("{from}+"),
        None => match tenure {
            Tenure::Other(code) => format!("other:{code}"),
            _ => "unknown".into(),
        },
    }
}

/// When a remembered answer was originally given (RFC 3339, UTC), if `checked` came from the
/// verdict store.
pub(crate) fn remembered_at<T>(checked: &Checked<T>) -> Option<String> {
    match checked.origin {
        shiming::Origin::Store { checked_at, .. } => Some(rfc3339(checked_at)),
        _ => None,
    }
}

/// `2026-12-05T14:03:09Z`.
pub(crate) fn rfc3339(time: std::time::SystemTime) -> String {
    let seconds = time
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let day = shiming_numbers::Date::from_unix_seconds(i64::try_from(seconds).unwrap_or(0), 0)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let of_day = seconds % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}
