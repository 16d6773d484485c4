//! GB/T 2260 administrative division codes with their history (the first six digits of an ID
//! number), from the generated table in `generated/regions.rs`.
//!
//! A code is a *span list*: each span is a name in force from a first to a last year. A code
//! abolished in 2009 is still right for someone born in 1980; a code created in 1997 may still
//! be right for someone born in 1980 who was first registered after 1997 (see [`crate::Mode`]).

use crate::generated::regions::{SOURCE, SPANS, VINTAGE};

/// One row of the generated table: (code, name, first year, last year).
type Span = (u32, &'static str, u16, u16);

/// First-year value meaning "in force since before the first published list".
const OPEN_START: u16 = 0;
/// Last-year value meaning "still in force".
pub(crate) const OPEN_END: u16 = 9999;

/// Where the region table came from, and how recent it is.
pub const fn data_source() -> &'static str {
    SOURCE
}

/// The latest year of a change recorded in the region table.
pub const fn data_vintage() -> u16 {
    VINTAGE
}

/// A resolved region: the code and its names at province, city and district level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    code: u32,
    province: Option<&'static str>,
    city: Option<&'static str>,
    district: Option<&'static str>,
}

impl Region {
    /// The six-digit code as a number (e.g. 110105).
    pub const fn code(&self) -> u32 {
        self.code
    }

    /// The province-level name (e.g. 北京市), if the province is known.
    pub const fn province(&self) -> Option<&'static str> {
        self.province
    }

    /// The city-level name, `None` for placeholders such as 市辖区 and for province codes.
    pub const fn city(&self) -> Option<&'static str> {
        self.city
    }

    /// The county-level name (district, county, banner …), `None` for province and city codes.
    pub const fn district(&self) -> Option<&'static str> {
        self.district
    }

    /// Province, city and district names joined, e.g. 北京市朝阳区.
    pub fn full_name(&self) -> String {
        [self.province, self.city, self.district]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// Whether a code was in force in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Not a code we know.
    Unknown,
    /// In force that year (or a conventional code without dates, see [`conventional_name`]).
    InForce,
    /// Created later: first in force in `first_year`.
    NotYet { first_year: u16 },
    /// Abolished before: last in force in `last_year`.
    Abolished { last_year: u16 },
}

/// The spans, as a static so lookups hand out `&'static` slices.
static SPAN_LIST: [Span; SPANS.len()] = SPANS;

/// How many distinct codes the table has.
const CODE_COUNT: usize = count_codes(&SPANS);

/// The distinct codes, ascending: a compact array (≈ 28 KB) that binary search walks in
/// cache, instead of the 260 KB span list.
static CODES: [u32; CODE_COUNT] = distinct_codes(&SPANS);

/// `FIRST_SPAN[i]..FIRST_SPAN[i + 1]` are the spans of `CODES[i]` in [`SPAN_LIST`].
static FIRST_SPAN: [u16; CODE_COUNT + 1] = first_spans(&SPANS);

const fn count_codes(spans: &[Span]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < spans.len() {
        if i == 0 || spans[i].0 != spans[i - 1].0 {
            count += 1;
        }
        i += 1;
    }
    count
}

const fn distinct_codes(spans: &[Span]) -> [u32; CODE_COUNT] {
    let mut codes = [0u32; CODE_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < spans.len() {
        if i == 0 || spans[i].0 != spans[i - 1].0 {
            assert!(
                i == 0 || spans[i].0 > spans[i - 1].0,
                "spans sorted by code"
            );
            codes[n] = spans[i].0;
            n += 1;
        }
        i += 1;
    }
    codes
}

const fn first_spans(spans: &[Span]) -> [u16; CODE_COUNT + 1] {
    assert!(spans.len() < u16::MAX as usize, "span index fits in u16");
    let mut first = [0u16; CODE_COUNT + 1];
    let (mut i, mut n) = (0, 0);
    while i < spans.len() {
        if i == 0 || spans[i].0 != spans[i - 1].0 {
            first[n] = i as u16;
            n += 1;
        }
        i += 1;
    }
    first[CODE_COUNT] = spans.len() as u16;
    first
}

/// All spans of `code`, in the package's order (main name first).
pub(crate) fn spans(code: u32) -> &'static [Span] {
    let Ok(i) = CODES.binary_search(&code) else {
        return &[];
    };
    let (start, end) = (FIRST_SPAN[i], FIRST_SPAN[i + 1]);
    SPAN_LIST
        .get(usize::from(start)..usize::from(end))
        .unwrap_or_default()
}

/// Whether `code` appears in the table at all (any year).
pub(crate) fn is_known(code: u32) -> bool {
    !spans(code).is_empty() || conventional_name(code).is_some()
}

/// Names of ×××× 01/02/11/20 codes that real ID numbers carry but the published lists may
/// lack: before 1984 every prefecture city had a "××××20 市区" code; from 1984 "××××01" summed
/// up the city districts, urban districts were numbered from 02 and suburban ones from 11.
/// Accepted only when the city's province is known (as id-validator does).
fn conventional_name(code: u32) -> Option<&'static str> {
    if !spans(code).is_empty() || spans(code / 10_000 * 10_000).is_empty() {
        return None;
    }
    match code % 100 {
        1 => Some("市辖区"),
        2 => Some("城区"),
        11 => Some("郊区"),
        20 => Some("市区"),
        _ => None,
    }
}

/// Whether `code` was in force in `year`.
pub(crate) fn status(code: u32, year: u16) -> Status {
    let spans = spans(code);
    if spans.is_empty() {
        return if conventional_name(code).is_some() {
            Status::InForce
        } else {
            Status::Unknown
        };
    }
    if spans.iter().any(|s| s.2 <= year && year <= s.3) {
        return Status::InForce;
    }
    // Spans whose first year is after their last one are artefacts of the source; skip them.
    let real = || spans.iter().filter(|s| s.2 <= s.3);
    match real().filter(|s| s.2 > year).map(|s| s.2).min() {
        Some(first_year) => Status::NotYet { first_year },
        None => Status::Abolished {
            last_year: real().map(|s| s.3).max().unwrap_or(OPEN_START),
        },
    }
}

/// The name `code` had in `year` (the nearest span when none covers it), or its main name.
fn name_at(code: u32, year: Option<u16>) -> Option<&'static str> {
    let spans = spans(code);
    let Some(first) = spans.first() else {
        return conventional_name(code);
    };
    let Some(year) = year else {
        return Some(first.1);
    };
    let distance = |s: &Span| {
        if year < s.2 {
            s.2 - year
        } else {
            year.saturating_sub(s.3)
        }
    };
    spans.iter().min_by_key(|s| distance(s)).map(|s| s.1)
}

/// City-level names that only group counties and say nothing about the place.
const PLACEHOLDERS: [&str; 8] = [
    "市辖区",
    "县",
    "市",
    "省直辖县级行政单位",
    "省直辖县级行政区划",
    "省直辖行政单位",
    "自治区直辖县级行政单位",
    "自治区直辖县级行政区划",
];

/// The region of `code` with its names as of `year` (main names when `year` is `None`);
/// `None` when the code is unknown.
pub fn describe(code: u32, year: Option<u16>) -> Option<Region> {
    if code > 999_999 || !is_known(code) {
        return None;
    }
    let province_code = code / 10_000 * 10_000;
    let city_code = code / 100 * 100;
    let province = name_at(province_code, year);
    let city = (city_code != province_code)
        .then(|| name_at(city_code, year))
        .flatten()
        .filter(|name| !PLACEHOLDERS.contains(name));
    let district = (code != city_code).then(|| name_at(code, year)).flatten();
    Some(Region {
        code,
        province,
        city,
        district,
    })
}

/// Every distinct code with its spans as (name, first year, last year); used by the fake-data
/// generator to pick regions.
pub(crate) fn codes() -> impl Iterator<Item = (u32, &'static [Span])> {
    CODES.iter().map(|&code| (code, spans(code)))
}

/// The years in which `spans` are in force, as inclusive (first, last) ranges.
pub(crate) fn years_in_force(spans: &[Span]) -> impl Iterator<Item = (u16, u16)> + '_ {
    spans.iter().filter(|s| s.2 <= s.3).map(|s| (s.2, s.3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_sane() {
        assert!(SPAN_LIST.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(SPAN_LIST.iter().all(|s| (100_000..=999_999).contains(&s.0)));
        assert!(SPAN_LIST.iter().all(|s| !s.1.is_empty()));
        assert_eq!(spans(110103), [(110103, "崇文区", 0, 2009)]);
        assert_eq!(spans(110104).len(), 1);
        assert!(spans(0).is_empty() && spans(999_999).is_empty());
        const { assert!(VINTAGE >= 2019, "region data older than expected") };
    }

    #[test]
    fn names_with_history() {
        let chaoyang = describe(110105, Some(1990)).expect("known");
        assert_eq!(chaoyang.full_name(), "北京市朝阳区");
        assert_eq!(chaoyang.city(), None, "市辖区 is a placeholder");
        let chongwen = describe(110103, Some(1980)).expect("abolished but known");
        assert_eq!(chongwen.district(), Some("崇文区"));
        assert_eq!(status(110103, 1980), Status::InForce);
        assert_eq!(status(110103, 2015), Status::Abolished { last_year: 2009 });
        assert_eq!(status(999999, 2015), Status::Unknown);
        let shenzhen = describe(440300, None).expect("city code");
        assert_eq!(shenzhen.full_name(), "广东省深圳市");
        assert_eq!(
            describe(810000, None).map(|r| r.full_name()).as_deref(),
            Some("香港特别行政区")
        );
    }

    #[test]
    fn codes_iterates_every_code_once() {
        let all: Vec<u32> = codes().map(|(code, _)| code).collect();
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(all.len(), {
            let mut distinct = SPAN_LIST.iter().map(|s| s.0).collect::<Vec<_>>();
            distinct.dedup();
            distinct.len()
        });
    }
}
