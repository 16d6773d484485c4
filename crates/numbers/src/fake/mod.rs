//! Valid fake ID numbers and mobile numbers for users' own tests, deterministic from a seed.
//!
//! Every fake ID number validates in [`crate::Mode::Strict`] on the `today` it was made for:
//! its region (and province) was in force in its birth year. Every fake mobile number lies in
//! an allocated segment of the requested carrier and service.
//!
//! ```
//! use shiming_numbers::{Date, fake::{IdFaker, IdSpec, SplitMix64}};
//! let today = Date::new(2024, 6, 1).expect("a date");
//! let spec = IdSpec { region: Some("4403".into()), ..IdSpec::default() };
//! let faker = IdFaker::new(&spec, today).expect("Shenzhen has districts");
//! let mut rng = SplitMix64::new(42);
//! let id = faker.generate(&mut rng);
//! assert!(id.starts_with("4403"));
//! ```

mod rng;

pub use rng::SplitMix64;

use crate::checksum::check_char;
use crate::date::Date;
use crate::id_number::{IdKind, Sex};
use crate::mobile::{Carrier, Segment, Service, prefixes_where};
use crate::region::{self, OPEN_END};
use std::fmt;
use std::str::FromStr;

/// Why fake data cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FakeError {
    /// The region filter matches no code (of the requested kind).
    UnknownRegion(String),
    /// No region matching the filter was in force in the birth range.
    NoRegionInForce {
        /// The region filter, or `any`.
        region: String,
        /// First birth date allowed.
        from: Date,
        /// Last birth date allowed.
        to: Date,
    },
    /// The birth range is empty once limited to today and the oldest plausible age.
    EmptyBirthRange {
        /// First birth date allowed.
        from: Date,
        /// Last birth date allowed.
        to: Date,
    },
    /// A birth specification that cannot be read.
    BadBirthSpec(String),
    /// No allocated segment has the requested carrier and service.
    NoSegment {
        /// The carrier asked for.
        carrier: Option<Carrier>,
        /// The service asked for.
        service: Service,
    },
}

impl fmt::Display for FakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FakeError::UnknownRegion(filter) => write!(
                f,
                "no region matches `{filter}` (give a 2-, 4- or 6-digit code prefix or a name such as 朝阳区)"
            ),
            FakeError::NoRegionInForce { region, from, to } => write!(
                f,
                "no region matching `{region}` was in force for births between {from} and {to}"
            ),
            FakeError::EmptyBirthRange { from, to } => write!(
                f,
                "no valid birth date between {from} and {to} (not after today, at most {} years old)",
                crate::MAX_AGE_YEARS
            ),
            FakeError::BadBirthSpec(text) => write!(
                f,
                "`{text}` is not a birth specification (YYYY, YYYY-MM-DD, YYYY..YYYY or YYYY-MM-DD..YYYY-MM-DD)"
            ),
            FakeError::NoSegment { carrier, service } => write!(
                f,
                "no allocated segment of {} offers {service} service usable for checks",
                carrier.map_or("any carrier", Carrier::as_str)
            ),
        }
    }
}

impl std::error::Error for FakeError {}

/// When the fake person was born.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthSpec {
    /// On this date.
    On(Date),
    /// Between these dates, both included.
    Between(Date, Date),
}

impl FromStr for BirthSpec {
    type Err = FakeError;

    /// `1990` (that year), `1990-05-03`, `1980..1999` or `1980-01-01..1999-06-30`.
    fn from_str(text: &str) -> Result<BirthSpec, FakeError> {
        let bad = || FakeError::BadBirthSpec(text.to_string());
        let bound = |part: &str, end: bool| -> Result<Date, FakeError> {
            let part = part.trim();
            if part.len() == 4 {
                let year: u16 = part.parse().map_err(|_| bad())?;
                let date = if end {
                    Date::new(year, 12, 31)
                } else {
                    Date::new(year, 1, 1)
                };
                date.ok_or_else(bad)
            } else {
                Date::parse(part).map_err(|_| bad())
            }
        };
        match text.split_once("..") {
            Some((from, to)) => Ok(BirthSpec::Between(bound(from, false)?, bound(to, true)?)),
            None if text.trim().len() == 4 => {
                Ok(BirthSpec::Between(bound(text, false)?, bound(text, true)?))
            }
            None => Ok(BirthSpec::On(bound(text, false)?)),
        }
    }
}

/// What fake ID numbers to make. The default: a resident anywhere, 18 to 80 years old.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSpec {
    /// The kind of card; `None` means a resident ID, or a residence permit when the region
    /// filter is 81, 82 or 83.
    pub kind: Option<IdKind>,
    /// A code prefix (`44`, `4403`, `440305`; `81` for Hong Kong residence permits) or a
    /// name (`广东省`, `深圳市`, `朝阳区`; a name's start such as `朝阳` also works).
    pub region: Option<String>,
    /// The birth date or range.
    pub birth: Option<BirthSpec>,
    /// The sex.
    pub sex: Option<Sex>,
}

/// A region that can be drawn, with the day ranges (Unix days) in which a birth fits it.
#[derive(Debug, Clone)]
struct Candidate {
    code: u32,
    windows: Vec<(i64, i64)>,
}

/// Makes fake ID numbers for one [`IdSpec`]; build once, draw many.
#[derive(Debug, Clone)]
pub struct IdFaker {
    kind: IdKind,
    candidates: Vec<Candidate>,
    sex: Option<Sex>,
}

/// Nationality codes (ISO 3166-1 numeric) drawn for foreigners' cards.
const NATIONALITIES: [u16; 10] = [840, 392, 410, 250, 276, 826, 124, 36, 643, 702];

impl IdFaker {
    /// Prepares the regions and birth windows that satisfy `spec` on `today`.
    pub fn new(spec: &IdSpec, today: Date) -> Result<IdFaker, FakeError> {
        let (from, to) = birth_range(spec.birth, today)?;
        let codes = matching_codes(spec.region.as_deref())?;
        let kind = match spec.kind {
            Some(kind) => kind,
            None if codes.iter().all(|&c| (810_000..840_000).contains(&c)) => {
                IdKind::ResidencePermit
            }
            None => IdKind::Resident,
        };
        let exact = spec
            .region
            .as_deref()
            .is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit()));
        let wanted = |code: u32| match kind {
            IdKind::ForeignPermanent => {
                code.is_multiple_of(10_000)
                    && code < 800_000
                    && region::status(code, today.year()) == region::Status::InForce
            }
            IdKind::ResidencePermit => matches!(code, 810_000 | 820_000 | 830_000),
            IdKind::Resident => code < 800_000 && (exact || !code.is_multiple_of(100)),
        };
        let (first_day, last_day) = (from.to_unix_days(), to.to_unix_days());
        let candidates: Vec<Candidate> = codes
            .into_iter()
            .filter(|&code| wanted(code))
            .filter_map(|code| {
                let windows = if kind == IdKind::ForeignPermanent {
                    // Issued from 2023 on to living people of any birth year.
                    vec![(first_day, last_day)]
                } else {
                    birth_windows(code, first_day, last_day)
                };
                (!windows.is_empty()).then_some(Candidate { code, windows })
            })
            .collect();
        if candidates.is_empty() {
            return Err(FakeError::NoRegionInForce {
                region: spec.region.clone().unwrap_or_else(|| "any".to_string()),
                from,
                to,
            });
        }
        Ok(IdFaker {
            kind,
            candidates,
            sex: spec.sex,
        })
    }

    /// The kind of card this faker makes.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// One valid 18-character ID number.
    pub fn generate(&self, rng: &mut SplitMix64) -> String {
        let mut body = [b'0'; 17];
        if let Some(candidate) = rng.pick(&self.candidates)
            && let Some(&(first, last)) = rng.pick(&candidate.windows)
        {
            let day = first + rng.below(u64::try_from(last - first + 1).unwrap_or(1)) as i64;
            let birth = Date::from_unix_days(day).unwrap_or(EARLIEST);
            let region = match self.kind {
                IdKind::ForeignPermanent => {
                    let nationality = rng.pick(&NATIONALITIES).copied().unwrap_or(840);
                    900_000 + candidate.code / 10_000 * 1_000 + u32::from(nationality)
                }
                _ => candidate.code,
            };
            write_digits(&mut body[..6], u64::from(region));
            write_digits(&mut body[6..10], u64::from(birth.year()));
            write_digits(&mut body[10..12], u64::from(birth.month()));
            write_digits(&mut body[12..14], u64::from(birth.day()));
        }
        let male = match self.sex {
            Some(sex) => sex == Sex::Male,
            None => rng.below(2) == 1,
        };
        // Sequence 001–999 whose parity gives the sex: odd 001–999, even 002–998.
        let sequence = if male {
            1 + rng.below(500) * 2
        } else {
            2 + rng.below(499) * 2
        };
        write_digits(&mut body[14..17], sequence);
        let mut id = String::with_capacity(18);
        id.extend(body.iter().map(|&b| char::from(b)));
        id.push(char::from(check_char(&body).unwrap_or(b'0')));
        id
    }
}

/// 0001-01-01: the earliest date, a fallback never reached for valid windows.
const EARLIEST: Date = match Date::new(1, 1, 1) {
    Some(date) => date,
    None => panic!("0001-01-01 is a date"),
};

/// Writes `value` as zero-padded decimal digits filling `out`.
fn write_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// The birth range of `spec` limited to what validates on `today`.
fn birth_range(spec: Option<BirthSpec>, today: Date) -> Result<(Date, Date), FakeError> {
    let oldest = today
        .years_before(crate::MAX_AGE_YEARS)
        .and_then(|d| Date::from_unix_days(d.to_unix_days() + 1))
        .unwrap_or(EARLIEST);
    let (from, to) = match spec {
        Some(BirthSpec::On(date)) => (date, date),
        Some(BirthSpec::Between(from, to)) => (from, to),
        None => (
            today.years_before(80).unwrap_or(oldest),
            today.years_before(18).unwrap_or(today),
        ),
    };
    let (clamped_from, clamped_to) = (from.max(oldest), to.min(today));
    if clamped_from > clamped_to {
        return Err(FakeError::EmptyBirthRange { from, to });
    }
    Ok((clamped_from, clamped_to))
}

/// Day ranges within `first..=last` in which `code` and its province were both in force.
fn birth_windows(code: u32, first: i64, last: i64) -> Vec<(i64, i64)> {
    let province = code / 10_000 * 10_000;
    let years =
        |code: u32| -> Vec<(u16, u16)> { region::years_in_force(region::spans(code)).collect() };
    let own = years(code);
    let province_years = years(province);
    let mut windows = Vec::new();
    for &(start, end) in &own {
        for &(p_start, p_end) in &province_years {
            let (y1, y2) = (start.max(p_start).max(1), end.min(p_end));
            if y1 > y2 {
                continue;
            }
            let day1 = Date::new(y1, 1, 1).map_or(i64::MIN, Date::to_unix_days);
            let day2 = if y2 >= OPEN_END {
                i64::MAX
            } else {
                Date::new(y2, 12, 31).map_or(i64::MAX, Date::to_unix_days)
            };
            let (a, b) = (day1.max(first), day2.min(last));
            if a <= b {
                windows.push((a, b));
            }
        }
    }
    windows
}

/// The codes a region filter selects (all codes when there is no filter).
fn matching_codes(filter: Option<&str>) -> Result<Vec<u32>, FakeError> {
    let all = || region::codes().map(|(code, _)| code);
    let Some(filter) = filter.map(str::trim) else {
        return Ok(all().collect());
    };
    let prefixes: Vec<String> = if filter.bytes().all(|b| b.is_ascii_digit()) {
        if !matches!(filter.len(), 2 | 4 | 6) {
            return Err(FakeError::UnknownRegion(filter.to_string()));
        }
        vec![filter.to_string()]
    } else {
        let named = |exact: bool| -> Vec<String> {
            region::codes()
                .filter(|(_, spans)| {
                    spans.iter().any(|s| {
                        if exact {
                            s.1 == filter
                        } else {
                            filter.chars().count() >= 2 && s.1.starts_with(filter)
                        }
                    })
                })
                .map(|(code, _)| level_prefix(code))
                .collect()
        };
        let exact = named(true);
        if exact.is_empty() {
            named(false)
        } else {
            exact
        }
    };
    let codes: Vec<u32> = all()
        .filter(|code| {
            let text = format!("{code:06}");
            prefixes.iter().any(|p| text.starts_with(p.as_str()))
        })
        .collect();
    if codes.is_empty() {
        return Err(FakeError::UnknownRegion(filter.to_string()));
    }
    Ok(codes)
}

/// The prefix that selects a code and everything under it: `44` for 440000, `4403` for
/// 440300, `440305` for a district.
fn level_prefix(code: u32) -> String {
    let text = format!("{code:06}");
    let len = if code.is_multiple_of(10_000) {
        2
    } else if code.is_multiple_of(100) {
        4
    } else {
        6
    };
    text[..len].to_string()
}

/// What fake mobile numbers to make.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MobileSpec {
    /// The carrier allocated the segment (host network for virtual ranges); any when `None`.
    pub carrier: Option<Carrier>,
    /// The service; `None` means [`Service::Mobile`].
    pub service: Option<Service>,
}

/// Makes fake mobile numbers for one [`MobileSpec`], uniformly over the matching segments.
#[derive(Debug, Clone)]
pub struct MobileFaker {
    prefixes: Vec<u32>,
}

impl MobileFaker {
    /// Collects the five-digit prefixes that satisfy `spec`.
    pub fn new(spec: MobileSpec) -> Result<MobileFaker, FakeError> {
        let service = spec.service.unwrap_or(Service::Mobile);
        let keep = |segment: &Segment| {
            segment.is_usable()
                && segment.service() == service
                && spec.carrier.is_none_or(|c| segment.carrier() == Some(c))
        };
        let prefixes = prefixes_where(keep);
        if prefixes.is_empty() {
            return Err(FakeError::NoSegment {
                carrier: spec.carrier,
                service,
            });
        }
        Ok(MobileFaker { prefixes })
    }

    /// One valid 11-digit mobile number.
    pub fn generate(&self, rng: &mut SplitMix64) -> String {
        let prefix = rng.pick(&self.prefixes).copied().unwrap_or(13_800);
        let mut digits = [b'0'; 11];
        write_digits(&mut digits[..5], u64::from(prefix));
        write_digits(&mut digits[5..], rng.below(1_000_000));
        digits.iter().map(|&b| char::from(b)).collect()
    }
}

/// `count` fake ID numbers from `seed`.
pub fn fake_ids(
    spec: &IdSpec,
    today: Date,
    seed: u64,
    count: usize,
) -> Result<Vec<String>, FakeError> {
    let faker = IdFaker::new(spec, today)?;
    let mut rng = SplitMix64::new(seed);
    Ok((0..count).map(|_| faker.generate(&mut rng)).collect())
}

/// `count` fake mobile numbers from `seed`.
pub fn fake_mobiles(spec: MobileSpec, seed: u64, count: usize) -> Result<Vec<String>, FakeError> {
    let faker = MobileFaker::new(spec)?;
    let mut rng = SplitMix64::new(seed);
    Ok((0..count).map(|_| faker.generate(&mut rng)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id_number::{self, Mode};

    fn today() -> Date {
        Date::new(2024, 6, 1).expect("date")
    }

    fn date(y: u16, m: u8, d: u8) -> Date {
        Date::new(y, m, d).expect("date")
    }

    #[test]
    fn birth_specs() {
        assert_eq!(
            "1990".parse(),
            Ok(BirthSpec::Between(date(1990, 1, 1), date(1990, 12, 31)))
        );
        assert_eq!("1990-05-03".parse(), Ok(BirthSpec::On(date(1990, 5, 3))));
        assert_eq!(
            "1980..1999-06-30".parse(),
            Ok(BirthSpec::Between(date(1980, 1, 1), date(1999, 6, 30)))
        );
        assert!("19x0".parse::<BirthSpec>().is_err());
        assert!("1990-02-30".parse::<BirthSpec>().is_err());
    }

    #[test]
    fn same_seed_same_numbers() {
        let spec = IdSpec::default();
        let a = fake_ids(&spec, today(), 9, 20).expect("ids");
        assert_eq!(a, fake_ids(&spec, today(), 9, 20).expect("ids"));
        assert_ne!(a, fake_ids(&spec, today(), 10, 20).expect("ids"));
        let m = fake_mobiles(MobileSpec::default(), 9, 20).expect("mobiles");
        assert_eq!(
            m,
            fake_mobiles(MobileSpec::default(), 9, 20).expect("mobiles")
        );
    }

    #[test]
    fn specs_are_honoured() {
        let spec = IdSpec {
            region: Some("朝阳".into()),
            birth: Some(BirthSpec::On(date(2001, 2, 3))),
            sex: Some(Sex::Female),
            kind: None,
        };
        for id in fake_ids(&spec, today(), 1, 50).expect("ids") {
            let report = id_number::parse(&id, Mode::Strict, today());
            assert!(report.is_valid(), "{id}");
            assert_eq!(report.birth_date(), Some(date(2001, 2, 3)));
            assert_eq!(report.sex(), Some(Sex::Female));
            // 朝阳区 (北京, 长春) and the counties of 朝阳市 (辽宁).
            let name = report.region().map(|r| r.full_name()).unwrap_or_default();
            assert!(name.contains("朝阳"), "{id}: {name}");
        }
        let permits = IdSpec {
            kind: Some(IdKind::ResidencePermit),
            ..IdSpec::default()
        };
        for id in fake_ids(&permits, today(), 1, 20).expect("permits") {
            assert!(matches!(&id[..6], "810000" | "820000" | "830000"), "{id}");
        }
    }

    #[test]
    fn impossible_specs_are_errors() {
        let unknown = IdSpec {
            region: Some("不存在的地方".into()),
            ..IdSpec::default()
        };
        assert!(matches!(
            IdFaker::new(&unknown, today()),
            Err(FakeError::UnknownRegion(_))
        ));
        let future = IdSpec {
            birth: Some(BirthSpec::On(date(2030, 1, 1))),
            ..IdSpec::default()
        };
        assert!(matches!(
            IdFaker::new(&future, today()),
            Err(FakeError::EmptyBirthRange { .. })
        ));
        // 崇文区 ended in 2009: nobody born in 2015 can carry it.
        let abolished = IdSpec {
            region: Some("110103".into()),
            birth: Some(BirthSpec::On(date(2015, 1, 1))),
            ..IdSpec::default()
        };
        assert!(matches!(
            IdFaker::new(&abolished, today()),
            Err(FakeError::NoRegionInForce { .. })
        ));
        let none = MobileSpec {
            carrier: Some(Carrier::ChinaBroadnet),
            service: Some(Service::Virtual),
        };
        assert!(matches!(
            MobileFaker::new(none),
            Err(FakeError::NoSegment { .. })
        ));
        let iot = MobileSpec {
            carrier: None,
            service: Some(Service::Iot),
        };
        assert!(MobileFaker::new(iot).is_err());
    }
}
