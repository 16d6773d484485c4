//! Carriers, services and the segment allocation table, with the flat lookup index.
//!
//! The lookup is one bounds-checked load from a 10,000-byte table indexed by digits 2–5 of the
//! number, built at compile time from the generated segment list: no hashing, no search, no
//! allocation. A segment of 3 digits fills 100 slots, one of 4 digits 10, one of 5 digits 1;
//! longer prefixes are written last so they override (170 → 1700…1709, 174 → 17400…).

use crate::generated::mobile_segments::SEGMENTS;
use serde::Serialize;
use std::fmt;

/// A mobile carrier (the network that was allocated the segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 中国移动.
    ChinaMobile,
    /// 中国联通.
    ChinaUnicom,
    /// 中国电信.
    ChinaTelecom,
    /// 中国广电 (192).
    ChinaBroadnet,
    /// 中国卫星网络集团, China Satnet (1619).
    ChinaSatnet,
}

impl Carrier {
    /// Every carrier.
    pub const ALL: [Carrier; 5] = [
        Carrier::ChinaMobile,
        Carrier::ChinaUnicom,
        Carrier::ChinaTelecom,
        Carrier::ChinaBroadnet,
        Carrier::ChinaSatnet,
    ];

    /// The snake_case name used in JSON (`china_mobile` …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Carrier::ChinaMobile => "china_mobile",
            Carrier::ChinaUnicom => "china_unicom",
            Carrier::ChinaTelecom => "china_telecom",
            Carrier::ChinaBroadnet => "china_broadnet",
            Carrier::ChinaSatnet => "china_satnet",
        }
    }

    /// The Chinese name (中国移动 …).
    pub const fn name_zh(self) -> &'static str {
        match self {
            Carrier::ChinaMobile => "中国移动",
            Carrier::ChinaUnicom => "中国联通",
            Carrier::ChinaTelecom => "中国电信",
            Carrier::ChinaBroadnet => "中国广电",
            Carrier::ChinaSatnet => "中国星网",
        }
    }

    /// Parses the snake_case name (`china_mobile`), also accepting `mobile`, `unicom`,
    /// `telecom`, `broadnet`, `satnet` and the Chinese names.
    pub fn from_name(name: &str) -> Option<Carrier> {
        let name = name.trim();
        Carrier::ALL.into_iter().find(|carrier| {
            let short = carrier.as_str().trim_start_matches("china_");
            name.eq_ignore_ascii_case(carrier.as_str())
                || name.eq_ignore_ascii_case(short)
                || name == carrier.name_zh()
        })
    }
}

impl fmt::Display for Carrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a segment is allocated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Public mobile service.
    Mobile,
    /// A virtual-operator (MVNO) range; the carrier is the host network.
    Virtual,
    /// A data-card range (11 digits; voice optional).
    Data,
    /// Satellite mobile service of the carrier.
    Satellite,
    /// An IoT range whose numbers have 13 digits: never a valid 11-digit number.
    Iot,
    /// Allocated to a body that is not a public carrier (maritime satellite, emergency
    /// communications): carrier checks cannot answer for it.
    Special,
}

impl Service {
    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Service::Mobile => "mobile",
            Service::Virtual => "virtual",
            Service::Data => "data",
            Service::Satellite => "satellite",
            Service::Iot => "iot",
            Service::Special => "special",
        }
    }

    /// Parses the snake_case name.
    pub fn from_name(name: &str) -> Option<Service> {
        [
            Service::Mobile,
            Service::Virtual,
            Service::Data,
            Service::Satellite,
            Service::Iot,
            Service::Special,
        ]
        .into_iter()
        .find(|service| name.trim().eq_ignore_ascii_case(service.as_str()))
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One allocated segment: a 3- to 5-digit prefix and who holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment {
    prefix: &'static str,
    carrier: Option<Carrier>,
    service: Service,
    holder: &'static str,
    note: &'static str,
}

impl Segment {
    /// Used by the generated table.
    pub(crate) const fn new(
        prefix: &'static str,
        carrier: Option<Carrier>,
        service: Service,
        holder: &'static str,
        note: &'static str,
    ) -> Segment {
        Segment {
            prefix,
            carrier,
            service,
            holder,
            note,
        }
    }

    /// The prefix, e.g. `186`, `1703`, `17400`.
    pub const fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The carrier allocated the segment (for a virtual range, the host network); `None` for
    /// holders that are not public carriers. After porting (携号转网) the number may be served
    /// by another carrier: the live carrier is the mobile-status check.
    pub const fn carrier(&self) -> Option<Carrier> {
        self.carrier
    }

    /// What the segment is allocated for.
    pub const fn service(&self) -> Service {
        self.service
    }

    /// The allocation holder, in Chinese.
    pub const fn holder(&self) -> &'static str {
        self.holder
    }

    /// A note from the curated table (may be empty).
    pub const fn note(&self) -> &'static str {
        self.note
    }

    /// A virtual-operator range.
    pub const fn is_virtual(&self) -> bool {
        matches!(self.service, Service::Virtual)
    }

    /// Whether an 11-digit number in this segment can be a subscriber of a public carrier
    /// (mobile, virtual, data or satellite service with a carrier).
    pub const fn is_usable(&self) -> bool {
        self.carrier.is_some()
            && matches!(
                self.service,
                Service::Mobile | Service::Virtual | Service::Data | Service::Satellite
            )
    }
}

/// The segments, as a static so lookups can hand out `&'static` references.
static SEGMENT_LIST: [Segment; SEGMENTS.len()] = SEGMENTS;

/// Slot `k` holds 1 + the index in [`SEGMENT_LIST`] of the segment covering the numbers
/// `1` + `k` (four digits) + …, or 0 when unallocated.
static INDEX: [u8; 10_000] = build_index(&SEGMENTS);

const fn build_index(segments: &[Segment]) -> [u8; 10_000] {
    assert!(segments.len() < 255, "segment index must fit in a u8");
    let mut index = [0u8; 10_000];
    // Shorter prefixes first, so that longer ones override them.
    let mut len = 3;
    while len <= 5 {
        let mut i = 0;
        while i < segments.len() {
            let prefix = segments[i].prefix.as_bytes();
            if prefix.len() == len {
                assert!(prefix[0] == b'1', "mobile segments start with 1");
                let mut value = 0usize;
                let mut j = 1;
                while j < len {
                    assert!(prefix[j].is_ascii_digit(), "segment prefixes are digits");
                    value = value * 10 + (prefix[j] - b'0') as usize;
                    j += 1;
                }
                let width = match len {
                    3 => 100,
                    4 => 10,
                    _ => 1,
                };
                let mut k = 0;
                while k < width {
                    index[value * width + k] = (i + 1) as u8;
                    k += 1;
                }
            }
            i += 1;
        }
        len += 1;
    }
    index
}

/// The index slot of digits 2–5 of `digits` (which must start with `1`).
#[inline]
fn slot(digits: &[u8]) -> Option<usize> {
    let [b'1', a, b, c, d, ..] = *digits else {
        return None;
    };
    let mut key = 0usize;
    for byte in [a, b, c, d] {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        key = key * 10 + usize::from(digit);
    }
    Some(key)
}

/// The segment covering a normalized number (11 ASCII digits starting with `1`), allocated
/// for any service; `None` when the number is not of that form or its prefix is unallocated.
/// This is the hot path: two 8-byte loads check the form, one table load finds the segment,
/// no allocation.
#[inline]
pub fn segment_of(number: &str) -> Option<&'static Segment> {
    let digits: &[u8; 11] = number.as_bytes().try_into().ok()?;
    // Bytes 0–7 and 3–10 overlap and cover all 11 (the chunks always exist: 11 ≥ 8).
    let (Some(&head), Some(&tail)) = (digits.first_chunk::<8>(), digits.last_chunk::<8>()) else {
        return None;
    };
    let (head, tail) = (u64::from_le_bytes(head), u64::from_le_bytes(tail));
    // One branch for the whole form, rather than one per byte: this is what keeps the
    // 11-digit check within a fraction of a nanosecond of reading only the prefix.
    if not_all_digits(head) | not_all_digits(tail) | ((head & 0xFF) ^ u64::from(b'1')) != 0 {
        return None;
    }
    // Digits 2–5 (bytes 1–4 of `head`, little-endian), each known to be a digit.
    let digit = |i: u32| ((head >> (8 * i)) & 0xF) as usize;
    segment_at(((digit(1) * 10 + digit(2)) * 10 + digit(3)) * 10 + digit(4))
}

/// Zero exactly when all eight bytes of `word` are ASCII digits. After `^ '0'` a digit byte
/// is 0..=9; adding 0x76 sets the top bit of a byte exactly when it is 10..=0x89, and the
/// byte's own top bit catches 0x80..=0xFF. A carry out of a bad byte can only disturb the
/// bytes above it, and the result is non-zero anyway.
#[inline]
const fn not_all_digits(word: u64) -> u64 {
    let offsets = word ^ 0x3030_3030_3030_3030;
    (offsets | offsets.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
}

/// The segment covering the first five digits of `digits`, whatever the length.
#[inline]
pub(crate) fn segment_for_prefix(digits: &[u8]) -> Option<&'static Segment> {
    segment_at(slot(digits)?)
}

/// The segment in index slot `slot` (digits 2–5 as a number), if allocated.
#[inline]
fn segment_at(slot: usize) -> Option<&'static Segment> {
    let entry = *INDEX.get(slot)?;
    SEGMENT_LIST.get(usize::from(entry).checked_sub(1)?)
}

/// The shortest prefix (3 to 5 digits) of `digits` whose whole block is unallocated, for
/// messages ("154 is not allocated" rather than "15400").
pub(crate) fn unallocated_prefix(digits: &[u8]) -> Option<&str> {
    let key = slot(digits)?;
    for (len, width) in [(3usize, 100usize), (4, 10), (5, 1)] {
        let start = key / width * width;
        let block = INDEX.get(start..start + width)?;
        if block.iter().all(|&entry| entry == 0) {
            return std::str::from_utf8(digits.get(..len)?).ok();
        }
    }
    None
}

/// Every allocated segment, sorted by prefix.
pub fn segments() -> &'static [Segment] {
    &SEGMENT_LIST
}

/// Where the segment table came from.
pub const fn data_source() -> &'static str {
    crate::generated::mobile_segments::SOURCE
}

/// The five-digit prefixes (as 1 + four digits, 10000–19999) whose segment satisfies `keep`;
/// the fake-data generator draws from them so every number is equally likely.
pub(crate) fn prefixes_where(keep: impl Fn(&Segment) -> bool) -> Vec<u32> {
    (0u32..10_000)
        .filter(|&key| {
            let entry = INDEX.get(key as usize).copied().unwrap_or(0);
            usize::from(entry)
                .checked_sub(1)
                .and_then(|i| SEGMENT_LIST.get(i))
                .is_some_and(&keep)
        })
        .map(|key| 10_000 + key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carrier_of(number: &str) -> Option<Carrier> {
        segment_of(number).and_then(Segment::carrier)
    }

    #[test]
    fn three_four_and_five_digit_prefixes() {
        assert_eq!(carrier_of("13800138000"), Some(Carrier::ChinaMobile));
        assert_eq!(carrier_of("13400138000"), Some(Carrier::ChinaMobile));
        let satellite = segment_of("13490138000").expect("1349");
        assert_eq!(satellite.service(), Service::Satellite);
        assert_eq!(satellite.carrier(), Some(Carrier::ChinaTelecom));
        assert_eq!(segment_of("17001234567").map(Segment::prefix), Some("1700"));
        assert_eq!(carrier_of("17031234567"), Some(Carrier::ChinaMobile));
        assert_eq!(carrier_of("17041234567"), Some(Carrier::ChinaUnicom));
        assert!(segment_of("17041234567").is_some_and(Segment::is_virtual));
        assert_eq!(
            segment_of("17405123456").map(Segment::prefix),
            Some("17405")
        );
        assert_eq!(
            segment_of("17406123456").map(Segment::service),
            Some(Service::Special)
        );
        assert_eq!(segment_of("17413123456"), None);
        assert_eq!(carrier_of("19212345678"), Some(Carrier::ChinaBroadnet));
        assert_eq!(carrier_of("16191234567"), Some(Carrier::ChinaSatnet));
        assert_eq!(segment_of("15412345678"), None);
        assert_eq!(segment_of("1541234567"), None, "10 digits");
        assert_eq!(segment_of("25412345678"), None);
        assert_eq!(segment_of("1a412345678"), None);
    }

    /// The word-at-a-time form check against the plain rule, for every ASCII byte (and a
    /// few others) at every position: 11 ASCII digits starting with 1, else `None`.
    #[test]
    fn segment_of_checks_every_byte_of_the_form() {
        let plain = |bytes: &[u8]| {
            (bytes.len() == 11 && bytes[0] == b'1' && bytes.iter().all(u8::is_ascii_digit))
                .then(|| segment_for_prefix(bytes))
                .flatten()
        };
        for base in ["18688888888", "17405123456", "15412345678", "19999999999"] {
            for position in 0..11 {
                for byte in 0u8..=0x7F {
                    let mut bytes = base.as_bytes().to_vec();
                    bytes[position] = byte;
                    let text = String::from_utf8(bytes).expect("ASCII");
                    assert_eq!(
                        segment_of(&text),
                        plain(text.as_bytes()),
                        "{base} with {byte:#04x} at {position}"
                    );
                }
            }
        }
        assert_eq!(segment_of("1701234,678"), None);
        assert_eq!(segment_of("18688888abc"), None);
        assert_eq!(segment_of("1868888888:"), None, "':' is '9' + 1");
        assert_eq!(segment_of("1868888888/"), None, "'/' is '0' - 1");
    }

    /// Non-ASCII bytes cannot reach `segment_of` inside an 11-byte `&str` in every position,
    /// so the word test is checked on its own, for every byte value at every position.
    #[test]
    fn the_word_test_accepts_exactly_digits() {
        for base in [*b"00000000", *b"99999999", *b"18688888"] {
            assert_eq!(not_all_digits(u64::from_le_bytes(base)), 0);
            for position in 0..8 {
                for byte in 0u8..=0xFF {
                    let mut bytes = base;
                    bytes[position] = byte;
                    let accepted = not_all_digits(u64::from_le_bytes(bytes)) == 0;
                    assert_eq!(accepted, byte.is_ascii_digit(), "{byte:#04x} at {position}");
                }
            }
        }
    }

    #[test]
    fn unallocated_prefixes_are_as_short_as_possible() {
        assert_eq!(unallocated_prefix(b"15412345678"), Some("154"));
        assert_eq!(unallocated_prefix(b"17991234567"), Some("179"));
        assert_eq!(unallocated_prefix(b"16191234567"), None);
        assert_eq!(unallocated_prefix(b"16111234567"), Some("1611"));
        assert_eq!(unallocated_prefix(b"17413234567"), Some("17413"));
    }

    /// The generated table must be the curated source: run `cargo xtask regen-numbers`
    /// after editing `data/mobile_segments.tsv`.
    #[test]
    fn generated_table_matches_the_curated_source() {
        let source = include_str!("../../data/mobile_segments.tsv");
        let rows: Vec<Vec<&str>> = source
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty() && !l.starts_with("prefix\t"))
            .map(|l| l.split('\t').collect())
            .collect();
        assert_eq!(
            rows.len(),
            SEGMENT_LIST.len(),
            "regenerate the segment table"
        );
        let mut rows = rows;
        rows.sort();
        for (row, segment) in rows.iter().zip(segments()) {
            let carrier = segment.carrier().map_or("-", Carrier::as_str);
            let generated = [
                segment.prefix(),
                carrier,
                segment.service().as_str(),
                segment.holder(),
                segment.note(),
            ];
            assert_eq!(row.as_slice(), generated, "regenerate the segment table");
        }
    }

    #[test]
    fn names_round_trip() {
        for carrier in Carrier::ALL {
            assert_eq!(Carrier::from_name(carrier.as_str()), Some(carrier));
            assert_eq!(Carrier::from_name(carrier.name_zh()), Some(carrier));
        }
        assert_eq!(Carrier::from_name("Unicom"), Some(Carrier::ChinaUnicom));
        assert_eq!(Carrier::from_name("nope"), None);
    }
}
