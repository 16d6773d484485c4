//! Fault injection: what can go wrong on the way back to the client, and the small text syntax
//! (`"latency=200,jitter=50,502,times=3"`) shared by `--fault`, the `x-emulator-fault` header
//! and `POST /__emulator/faults`.

use std::fmt;
use std::str::FromStr;

/// How long a `slow-body` answer takes to trickle out when no duration is given.
pub const DEFAULT_SLOW_BODY_MS: u64 = 2_000;
/// Size of an `oversized` answer when no size is given (16 MiB).
pub const DEFAULT_OVERSIZED_BYTES: u64 = 16 * 1024 * 1024;

/// A set of faults for a request, or for every request (the global plan).
///
/// Connection faults (`reset`, `502`) strike before the vendor logic runs, so nothing is billed.
/// Delivery faults (`truncate`, `slow-body`, `oversized`, `wrong-content-type`, the quirks) strike
/// after it: the call is answered and billed as usual, the client just receives it damaged —
/// the case where money is spent and the answer is lost.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Fixed delay before answering, in milliseconds.
    pub latency_ms: u64,
    /// Extra uniformly random delay in `[0, jitter_ms)`, in milliseconds.
    pub jitter_ms: u64,
    /// Close the connection with a TCP reset instead of answering.
    pub reset: bool,
    /// Answer 502 with a gateway's HTML page.
    pub bad_gateway: bool,
    /// Announce the full Content-Length, send half the body, close.
    pub truncate: bool,
    /// Trickle the body out over this many milliseconds.
    pub slow_body_ms: Option<u64>,
    /// Pad the (still valid) answer with trailing whitespace up to this many bytes.
    pub oversized_bytes: Option<u64>,
    /// Send `text/html` instead of the answer's real content type.
    pub wrong_content_type: bool,
    /// Answer this vendor code (with its documented message) without looking at the input.
    pub code: Option<i64>,
    /// Write JSON keys unquoted, as the QXT document shows its answers.
    pub unquoted_keys: bool,
    /// Write every number as a string (`"codeid":"10000"`), as PHP back ends often do.
    pub numbers_as_strings: bool,
    /// Probability that a request is affected (default 1: every request).
    pub rate: Option<f64>,
    /// Global plan only: affect the next `times` requests, then clear itself.
    pub times: Option<u64>,
}

/// A fault specification that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpecError {
    message: String,
}

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FaultSpecError {}

fn spec_error(message: String) -> FaultSpecError {
    FaultSpecError { message }
}

fn number<T: FromStr>(item: &str, value: Option<&str>) -> Result<T, FaultSpecError> {
    let value = value.ok_or_else(|| spec_error(format!("fault {item:?} needs a value")))?;
    value
        .trim()
        .parse()
        .map_err(|_| spec_error(format!("fault {item:?}: {value:?} is not a valid number")))
}

impl Faults {
    /// No fault at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses a comma-separated list: `latency=MS`, `jitter=MS`, `reset`, `502` (or
    /// `bad-gateway`), `truncate`, `slow-body[=MS]`, `oversized[=BYTES]`, `wrong-content-type`,
    /// `code=N`, `unquoted-keys`, `string-numbers`, `rate=P` (0..=1), `times=N`, `none`.
    pub fn parse(spec: &str) -> Result<Self, FaultSpecError> {
        let mut faults = Faults::default();
        for raw in spec.split(',') {
            let item = raw.trim();
            if item.is_empty() {
                continue;
            }
            let (name, value) = match item.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (item, None),
            };
            let flag = |set: &mut bool| -> Result<(), FaultSpecError> {
                if value.is_some() {
                    return Err(spec_error(format!("fault {name:?} takes no value")));
                }
                *set = true;
                Ok(())
            };
            match name.to_ascii_lowercase().as_str() {
                "none" => flag(&mut false)?,
                "latency" => faults.latency_ms = number(name, value)?,
                "jitter" => faults.jitter_ms = number(name, value)?,
                "reset" => flag(&mut faults.reset)?,
                "502" | "bad-gateway" => flag(&mut faults.bad_gateway)?,
                "truncate" => flag(&mut faults.truncate)?,
                "slow-body" => {
                    faults.slow_body_ms = Some(match value {
                        Some(_) => number(name, value)?,
                        None => DEFAULT_SLOW_BODY_MS,
                    });
                }
                "oversized" => {
                    faults.oversized_bytes = Some(match value {
                        Some(_) => number(name, value)?,
                        None => DEFAULT_OVERSIZED_BYTES,
                    });
                }
                "wrong-content-type" => flag(&mut faults.wrong_content_type)?,
                "code" => faults.code = Some(number(name, value)?),
                "unquoted-keys" => flag(&mut faults.unquoted_keys)?,
                "string-numbers" | "numbers-as-strings" => flag(&mut faults.numbers_as_strings)?,
                "rate" => {
                    let rate: f64 = number(name, value)?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(spec_error(format!(
                            "fault rate must be within 0..=1, not {rate}"
                        )));
                    }
                    faults.rate = Some(rate);
                }
                "times" => faults.times = Some(number(name, value)?),
                _ => {
                    return Err(spec_error(format!(
                        "unknown fault {name:?} (known: latency=MS, jitter=MS, reset, 502, truncate, \
                         slow-body[=MS], oversized[=BYTES], wrong-content-type, code=N, \
                         unquoted-keys, string-numbers, rate=P, times=N, none)"
                    )));
                }
            }
        }
        Ok(faults)
    }

    /// True when this set changes nothing.
    pub fn is_empty(&self) -> bool {
        self.without_limits() == Faults::default()
    }

    /// The same faults without `rate` and `times` (what one affected request receives).
    pub(crate) fn without_limits(mut self) -> Self {
        self.rate = None;
        self.times = None;
        self
    }

    /// Adds the faults of `other` to these (used for magic inputs).
    pub(crate) fn merged_with(mut self, other: Faults) -> Self {
        self.latency_ms = self.latency_ms.max(other.latency_ms);
        self.jitter_ms = self.jitter_ms.max(other.jitter_ms);
        self.reset |= other.reset;
        self.bad_gateway |= other.bad_gateway;
        self.truncate |= other.truncate;
        self.slow_body_ms = self.slow_body_ms.or(other.slow_body_ms);
        self.oversized_bytes = self.oversized_bytes.or(other.oversized_bytes);
        self.wrong_content_type |= other.wrong_content_type;
        self.code = self.code.or(other.code);
        self.unquoted_keys |= other.unquoted_keys;
        self.numbers_as_strings |= other.numbers_as_strings;
        self
    }

    /// Builder: fixed latency in milliseconds.
    pub fn with_latency_ms(mut self, ms: u64) -> Self {
        self.latency_ms = ms;
        self
    }

    /// Builder: random extra latency below this many milliseconds.
    pub fn with_jitter_ms(mut self, ms: u64) -> Self {
        self.jitter_ms = ms;
        self
    }

    /// Builder: affect only the next `n` requests (global plan).
    pub fn with_times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Builder: affect each request with probability `rate` (clamped to 0..=1).
    pub fn with_rate(mut self, rate: f64) -> Self {
        self.rate = Some(rate.clamp(0.0, 1.0));
        self
    }
}

impl FromStr for Faults {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        Faults::parse(spec)
    }
}

impl fmt::Display for Faults {
    /// The canonical spec, which [`Faults::parse`] reads back; `none` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = [
            (self.latency_ms > 0).then(|| format!("latency={}", self.latency_ms)),
            (self.jitter_ms > 0).then(|| format!("jitter={}", self.jitter_ms)),
            self.reset.then(|| "reset".to_owned()),
            self.bad_gateway.then(|| "502".to_owned()),
            self.truncate.then(|| "truncate".to_owned()),
            self.slow_body_ms.map(|ms| format!("slow-body={ms}")),
            self.oversized_bytes
                .map(|bytes| format!("oversized={bytes}")),
            self.wrong_content_type
                .then(|| "wrong-content-type".to_owned()),
            self.code.map(|code| format!("code={code}")),
            self.unquoted_keys.then(|| "unquoted-keys".to_owned()),
            self.numbers_as_strings.then(|| "string-numbers".to_owned()),
            self.rate.map(|rate| format!("rate={rate}")),
            self.times.map(|times| format!("times={times}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if items.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&items.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_item_and_prints_it_back() {
        let spec = "latency=200,jitter=50,reset,502,truncate,slow-body=300,oversized=1024,\
                    wrong-content-type,code=10021,unquoted-keys,string-numbers,rate=0.5,times=3";
        let faults = Faults::parse(spec).unwrap();
        assert_eq!(faults.latency_ms, 200);
        assert_eq!(faults.jitter_ms, 50);
        assert!(faults.reset && faults.bad_gateway && faults.truncate);
        assert_eq!(faults.slow_body_ms, Some(300));
        assert_eq!(faults.oversized_bytes, Some(1024));
        assert!(faults.wrong_content_type && faults.unquoted_keys && faults.numbers_as_strings);
        assert_eq!(faults.code, Some(10021));
        assert_eq!(faults.rate, Some(0.5));
        assert_eq!(faults.times, Some(3));
        assert_eq!(faults.to_string(), spec);
        assert_eq!(Faults::parse(&faults.to_string()).unwrap(), faults);
    }

    #[test]
    fn defaults_and_empty_specs() {
        let faults = Faults::parse(" slow-body , oversized, bad-gateway ").unwrap();
        assert_eq!(faults.slow_body_ms, Some(DEFAULT_SLOW_BODY_MS));
        assert_eq!(faults.oversized_bytes, Some(DEFAULT_OVERSIZED_BYTES));
        assert!(faults.bad_gateway);
        assert!(Faults::parse("").unwrap().is_empty());
        assert!(Faults::parse("none").unwrap().is_empty());
        assert_eq!(Faults::none().to_string(), "none");
    }

    #[test]
    fn bad_specs_name_the_problem() {
        let error = Faults::parse("latency=soon").unwrap_err().to_string();
        assert!(
            error.contains("latency") && error.contains("soon"),
            "{error}"
        );
        let error = Faults::parse("explode").unwrap_err().to_string();
        assert!(
            error.contains("unknown fault") && error.contains("explode"),
            "{error}"
        );
        assert!(Faults::parse("rate=2").is_err());
        assert!(Faults::parse("reset=1").is_err());
        assert!(Faults::parse("code").is_err());
    }
}
