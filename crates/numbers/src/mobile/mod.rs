//! Mainland China mobile numbers: normalization (+86, 0086, spaces, dashes, full-width
//! digits) and the segment → carrier allocation (MIIT, as of 2023).
//!
//! A segment tells the carrier that was *allocated* the number. Since porting (携号转网,
//! nationwide since 2019-12-01) a number may be served by another carrier; the live carrier
//! is what the mobile-status check answers.
//!
//! ```
//! use shiming_numbers::mobile::{self, Carrier};
//! let report = mobile::parse("+86 186-8888-8888");
//! assert!(report.is_valid());
//! assert_eq!(report.normalized(), Some("18688888888"));
//! assert_eq!(report.carrier(), Some(Carrier::ChinaUnicom));
//! assert!(mobile::check("15412345678").is_err()); // 154 was never allocated
//! ```

mod normalize;
mod problem;
mod segment;

pub use problem::{MobilePart, MobileProblem};
pub(crate) use segment::prefixes_where;
pub use segment::{Carrier, Segment, Service, data_source, segment_of, segments};

use normalize::Normalized;
use serde::Serialize;

/// Everything [`parse`] found, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileReport {
    normalized: Option<[u8; 11]>,
    segment: Option<&'static Segment>,
    problems: Vec<MobileProblem>,
}

impl MobileReport {
    /// No problem found.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Every problem, in order: characters, country code, length, segment.
    pub fn problems(&self) -> &[MobileProblem] {
        &self.problems
    }

    /// The 11 digits without country code or separators, when there are exactly 11.
    pub fn normalized(&self) -> Option<&str> {
        self.normalized
            .as_ref()
            .and_then(|digits| std::str::from_utf8(digits).ok())
    }

    /// The allocated segment covering the number (even an IoT or special one), if any.
    pub fn segment(&self) -> Option<&'static Segment> {
        self.segment
    }

    /// The carrier allocated the segment (host network for a virtual operator).
    pub fn carrier(&self) -> Option<Carrier> {
        self.segment.and_then(Segment::carrier)
    }

    /// Whether the segment is a virtual-operator range.
    pub fn is_virtual(&self) -> bool {
        self.segment.is_some_and(Segment::is_virtual)
    }
}

/// The JSON shape of the CLI contract.
#[derive(Serialize)]
struct ReportJson<'a> {
    valid: bool,
    normalized: Option<&'a str>,
    segment: Option<&'static str>,
    carrier: Option<Carrier>,
    #[serde(rename = "virtual")]
    is_virtual: bool,
    service: Option<Service>,
    holder: Option<&'static str>,
    problems: &'a [MobileProblem],
}

impl Serialize for MobileReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ReportJson {
            valid: self.is_valid(),
            normalized: self.normalized(),
            segment: self.segment.map(Segment::prefix),
            carrier: self.carrier(),
            is_virtual: self.is_virtual(),
            service: self.segment.map(Segment::service),
            holder: self.segment.map(Segment::holder),
            problems: &self.problems,
        }
        .serialize(serializer)
    }
}

/// Checks `input` and explains every problem.
pub fn parse(input: &str) -> MobileReport {
    let mut problems = Vec::new();
    let normalized = Normalized::new(input);
    let segment = analyse(&normalized, &mut |problem| {
        problems.push(problem);
        true
    });
    MobileReport {
        normalized: normalized.eleven(),
        segment,
        problems,
    }
}

/// What a precheck sends on: the 11 digits of a valid number (`+86 186-8888-8888` →
/// `18688888888`), or the first problem ([`check`]'s).
///
/// ```
/// use shiming_numbers::mobile;
/// assert_eq!(mobile::canonical("+86 186-8888-8888").ok().as_deref(), Some("18688888888"));
/// assert!(mobile::canonical("15412345678").is_err()); // 154 is not allocated
/// ```
pub fn canonical(input: &str) -> Result<String, MobileProblem> {
    check(input)?;
    Ok(match Normalized::new(input).eleven() {
        Some(digits) => digits.iter().map(|digit| char::from(*digit)).collect(),
        // A valid number always has its 11 digits; the input as given is the safe fallback.
        None => input.trim().to_string(),
    })
}

/// The cheap check for prechecks: the segment of a valid number, or the first problem.
/// Does not allocate.
pub fn check(input: &str) -> Result<&'static Segment, MobileProblem> {
    let mut first = None;
    let normalized = Normalized::new(input);
    let segment = analyse(&normalized, &mut |problem| {
        first = Some(problem);
        false
    });
    match (first, segment) {
        (Some(problem), _) => Err(problem),
        (None, Some(segment)) => Ok(segment),
        // Unreachable: no segment is always a problem.
        (None, None) => Err(MobileProblem::Length { found: 0 }),
    }
}

/// Runs the checks, handing each problem to `sink` until it returns `false`; returns the
/// segment found (if any).
fn analyse(
    normalized: &Normalized,
    sink: &mut impl FnMut(MobileProblem) -> bool,
) -> Option<&'static Segment> {
    if let Some((position, found, count)) = normalized.bad
        && !sink(MobileProblem::Characters {
            position,
            found,
            count,
        })
    {
        return None;
    }
    if normalized.foreign_country_code {
        // Another country's number: its length and prefix mean nothing here.
        sink(MobileProblem::CountryCode);
        return None;
    }
    let found = normalized.national_len();
    if found != 11 && !sink(MobileProblem::Length { found }) {
        return None;
    }
    let digits = normalized.national();
    match digits.first() {
        Some(&first) if first.is_ascii_digit() && first != b'1' => {
            sink(MobileProblem::NotMobile {
                first: char::from(first),
            });
            return None;
        }
        Some(_) => {}
        None => return None,
    }
    // A bad character among the first five hides the segment; it is reported already.
    if digits.len() < 5 || !digits[..5].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let segment = segment::segment_for_prefix(digits);
    match segment {
        None => {
            let mut prefix = [0u8; 5];
            let shown = segment::unallocated_prefix(digits).map_or(5, str::len);
            prefix[..shown].copy_from_slice(&digits[..shown]);
            sink(MobileProblem::Unallocated {
                prefix,
                len: shown as u8,
            });
        }
        Some(segment) if segment.service() == Service::Iot => {
            sink(MobileProblem::IotSegment { segment });
        }
        Some(segment) if !segment.is_usable() => {
            sink(MobileProblem::NotCarrier { segment });
        }
        Some(_) => {}
    }
    segment
}
