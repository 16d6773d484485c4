//! Who owns which number in the emulated world: a small documented table of people, and a
//! deterministic rule for everyone else, so any input gets the same answer on every run.
//!
//! The rule (documented in `docs/emulator.md`): with `h(x)` = 64-bit FNV-1a of the UTF-8 bytes,
//! a number is unknown (not found) when `(h(number) >> 32) % 10 == 0` (10 %); otherwise the
//! pair matches when `h(name + "\0" + number) % 9 < 7` and mismatches otherwise — 70 % match,
//! 20 % mismatch, 10 % not found overall. Magic inputs ([`crate::magic`]) come first, then the
//! table, then the rule.

use serde::Serialize;

/// What a two-element check concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The name belongs to the number (wapi `bank_status` "01", QXT `Status` "一致").
    Match,
    /// It does not (wapi "02", QXT "不一致").
    Mismatch,
    /// The number is unknown (wapi codeid 10025, QXT code -4, ihuyi code 408).
    NotFound,
}

/// A row of the documented table: this exact name and number give this verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// Name (姓名).
    pub name: &'static str,
    /// Mobile number or ID-card number.
    pub number: &'static str,
    /// What the emulator answers for this pair.
    pub verdict: Verdict,
}

/// The mobile number in the vendors' own documents: a match (with `debug=1`, as the wapi
/// sample sends it, the answer is 10024 debug data).
pub const MOBILE_MATCH: Person = Person {
    name: "张三",
    number: "18688888888",
    verdict: Verdict::Match,
};
/// A second matching mobile owner (China Mobile, Beijing).
pub const MOBILE_MATCH_2: Person = Person {
    name: "李四",
    number: "13800138000",
    verdict: Verdict::Match,
};
/// A mobile whose owner is someone else, whatever name is asked.
pub const MOBILE_MISMATCH: Person = Person {
    name: "王五",
    number: "13912345678",
    verdict: Verdict::Mismatch,
};
/// A mobile no carrier knows: wapi 10025, QXT -4, ihuyi 408.
pub const MOBILE_NOT_FOUND: Person = Person {
    name: "赵六",
    number: "15900000000",
    verdict: Verdict::NotFound,
};
/// A China Telecom number ported to China Mobile (ihuyi `is_xhzw` 1), in use for years.
pub const MOBILE_PORTED: Person = Person {
    name: "陈晨",
    number: "18912345678",
    verdict: Verdict::Match,
};
/// A number in use for less than six months (ihuyi `time_online` 1).
pub const MOBILE_NEW: Person = Person {
    name: "刘洋",
    number: "13312345678",
    verdict: Verdict::Match,
};

/// The ID number in wapi's own sample request (its check digit is wrong — the documents'
/// numbers are made up — and the emulator checks only the shape): a match.
pub const ID_MATCH: Person = Person {
    name: "张三",
    number: "362536199105034456",
    verdict: Verdict::Match,
};
/// A second matching ID (valid check digit; male, born 1990-03-07, Beijing Dongcheng).
pub const ID_MATCH_2: Person = Person {
    name: "李四",
    number: "110101199003074477",
    verdict: Verdict::Match,
};
/// A female match (valid check digit; born 1997-05-05, Cangnan, Zhejiang).
pub const ID_MATCH_FEMALE: Person = Person {
    name: "林芳",
    number: "330327199705055700",
    verdict: Verdict::Match,
};
/// An ID whose holder has another name, whatever name is asked.
pub const ID_MISMATCH: Person = Person {
    name: "王五",
    number: "310104198512120023",
    verdict: Verdict::Mismatch,
};
/// An ID the registry does not know: 10025.
pub const ID_NOT_FOUND: Person = Person {
    name: "赵六",
    number: "440305197806156314",
    verdict: Verdict::NotFound,
};

/// The documented mobile table.
pub const MOBILE_PEOPLE: &[Person] = &[
    MOBILE_MATCH,
    MOBILE_MATCH_2,
    MOBILE_MISMATCH,
    MOBILE_NOT_FOUND,
    MOBILE_PORTED,
    MOBILE_NEW,
];

/// The documented ID-card table.
pub const ID_PEOPLE: &[Person] = &[
    ID_MATCH,
    ID_MATCH_2,
    ID_MATCH_FEMALE,
    ID_MISMATCH,
    ID_NOT_FOUND,
];

/// 64-bit FNV-1a: tiny, fast, and the same on every platform and release.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The deterministic rule for inputs outside the table.
pub fn rule_verdict(name: &str, number: &str) -> Verdict {
    if !rule_number_known(number) {
        return Verdict::NotFound;
    }
    if fnv1a(&[name.as_bytes(), b"\0", number.as_bytes()]) % 9 < 7 {
        Verdict::Match
    } else {
        Verdict::Mismatch
    }
}

fn rule_number_known(number: &str) -> bool {
    !(fnv1a(&[number.as_bytes()]) >> 32).is_multiple_of(10)
}

fn table_verdict(table: &[Person], name: &str, number: &str) -> Option<Verdict> {
    let person = table.iter().find(|person| person.number == number)?;
    Some(match person.verdict {
        Verdict::Match if person.name == name => Verdict::Match,
        Verdict::Match | Verdict::Mismatch => Verdict::Mismatch,
        Verdict::NotFound => Verdict::NotFound,
    })
}

/// Verdict of a mobile two-element check (table, then rule; magic inputs are not considered).
pub fn mobile_verdict(name: &str, mobile: &str) -> Verdict {
    table_verdict(MOBILE_PEOPLE, name, mobile).unwrap_or_else(|| rule_verdict(name, mobile))
}

/// Verdict of an ID-card two-element check (table, then rule; magic inputs are not considered).
pub fn id_verdict(name: &str, id_number: &str) -> Verdict {
    table_verdict(ID_PEOPLE, name, id_number).unwrap_or_else(|| rule_verdict(name, id_number))
}

/// Whether carriers know the mobile number at all (ihuyi answers 408 when not).
pub fn mobile_known(mobile: &str) -> bool {
    match MOBILE_PEOPLE.iter().find(|person| person.number == mobile) {
        Some(person) => person.verdict != Verdict::NotFound,
        None => rule_number_known(mobile),
    }
}

/// A carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 中国移动 (ihuyi 1).
    Mobile,
    /// 中国联通 (ihuyi 2).
    Unicom,
    /// 中国电信 (ihuyi 3).
    Telecom,
    /// 中国广电 (192; ihuyi has no code for it, the emulator sends 1, its network partner).
    Broadnet,
}

impl Carrier {
    /// Short name, as wapi's `bank_mobileType` ("移动").
    pub fn short_name(self) -> &'static str {
        match self {
            Carrier::Mobile => "移动",
            Carrier::Unicom => "联通",
            Carrier::Telecom => "电信",
            Carrier::Broadnet => "广电",
        }
    }

    /// Full name, as QXT's `Now_isp` ("中国移动").
    pub fn full_name(self) -> &'static str {
        match self {
            Carrier::Mobile => "中国移动",
            Carrier::Unicom => "中国联通",
            Carrier::Telecom => "中国电信",
            Carrier::Broadnet => "中国广电",
        }
    }

    fn ported_destination(self) -> Carrier {
        match self {
            Carrier::Mobile => Carrier::Unicom,
            Carrier::Unicom => Carrier::Telecom,
            Carrier::Telecom | Carrier::Broadnet => Carrier::Mobile,
        }
    }
}

/// The segment's carrier and whether it is a virtual-operator (MVNO) segment, from the first
/// three (for 170, four) digits; `None` for a segment no carrier issues.
pub fn segment_carrier(mobile: &str) -> Option<(Carrier, bool)> {
    let digits = mobile.as_bytes();
    if digits.len() != 11 || !digits.iter().all(u8::is_ascii_digit) || digits[0] != b'1' {
        return None;
    }
    let prefix = u16::from(digits[1] - b'0') * 10 + u16::from(digits[2] - b'0');
    let carrier = match prefix {
        34..=39 | 47 | 48 | 50..=52 | 57..=59 | 72 | 78 | 82..=84 | 87 | 88 | 95 | 97 | 98 => {
            Carrier::Mobile
        }
        30..=32 | 45 | 46 | 55 | 56 | 66 | 75 | 76 | 85 | 86 | 96 => Carrier::Unicom,
        33 | 49 | 53 | 73 | 74 | 77 | 80 | 81 | 89 | 90 | 91 | 93 | 99 => Carrier::Telecom,
        92 => Carrier::Broadnet,
        62 => return Some((Carrier::Telecom, true)),
        65 => return Some((Carrier::Mobile, true)),
        67 | 71 => return Some((Carrier::Unicom, true)),
        70 => {
            let carrier = match digits[3] {
                b'0'..=b'2' => Carrier::Telecom,
                b'3' | b'5' | b'6' => Carrier::Mobile,
                _ => Carrier::Unicom,
            };
            return Some((carrier, true));
        }
        _ => return None,
    };
    Some((carrier, false))
}

/// A city numbers are registered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct City {
    /// Province (广东).
    pub province: &'static str,
    /// City (深圳).
    pub city: &'static str,
    /// Telephone area code (0755).
    pub tel_code: &'static str,
    /// Postal code, wapi's `bank_addrCode` (518000).
    pub postal_code: &'static str,
    /// First six digits of local ID numbers, wapi's `bank_idCode` (440300).
    pub id_code: i64,
}

const CITIES: &[City] = &[
    City {
        province: "广东",
        city: "深圳",
        tel_code: "0755",
        postal_code: "518000",
        id_code: 440300,
    },
    City {
        province: "北京",
        city: "北京",
        tel_code: "010",
        postal_code: "100000",
        id_code: 110100,
    },
    City {
        province: "湖北",
        city: "宜昌",
        tel_code: "0717",
        postal_code: "443000",
        id_code: 420500,
    },
    City {
        province: "上海",
        city: "上海",
        tel_code: "021",
        postal_code: "200000",
        id_code: 310100,
    },
    City {
        province: "浙江",
        city: "杭州",
        tel_code: "0571",
        postal_code: "310000",
        id_code: 330100,
    },
    City {
        province: "四川",
        city: "成都",
        tel_code: "028",
        postal_code: "610000",
        id_code: 510100,
    },
    City {
        province: "广西",
        city: "钦州",
        tel_code: "0777",
        postal_code: "535000",
        id_code: 450700,
    },
    City {
        province: "江苏",
        city: "南京",
        tel_code: "025",
        postal_code: "210000",
        id_code: 320100,
    },
];

/// What carriers know about a mobile number besides its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MobileProfile {
    /// Carrier of the number's segment (ihuyi `operator`).
    pub carrier: Carrier,
    /// Carrier serving it now, after porting (ihuyi `operator_real`, QXT `Now_isp`).
    pub real_carrier: Carrier,
    /// Segment of a virtual operator (QXT says 其它运营商).
    pub virtual_operator: bool,
    /// Tenure bucket as ihuyi counts it: 1 [0,6) months, 2 [6,12), 3 [12,24), 4 24+.
    pub tenure_bucket: u8,
    /// Where it was issued.
    pub city: City,
}

impl MobileProfile {
    /// Ported to another carrier (携号转网).
    pub fn ported(&self) -> bool {
        self.carrier != self.real_carrier
    }
}

/// The profile of a mobile number: fixed for the table's numbers, derived from the number's
/// hash for others (8 % ported, tenure and city spread evenly).
pub fn mobile_profile(mobile: &str) -> MobileProfile {
    let hash = fnv1a(&[mobile.as_bytes()]);
    let (carrier, virtual_operator) = segment_carrier(mobile).unwrap_or((Carrier::Mobile, false));
    let city_index = usize::try_from(hash % CITIES.len() as u64).unwrap_or(0);
    let mut profile = MobileProfile {
        carrier,
        real_carrier: if (hash >> 8) % 100 < 8 {
            carrier.ported_destination()
        } else {
            carrier
        },
        virtual_operator,
        tenure_bucket: 1 + u8::try_from((hash >> 16) % 4).unwrap_or(0),
        city: CITIES[city_index],
    };
    if let Some(&(_, real_carrier, tenure_bucket, city)) = PINNED_PROFILES
        .iter()
        .find(|(number, ..)| *number == mobile)
    {
        profile.real_carrier = real_carrier.unwrap_or(profile.carrier);
        profile.tenure_bucket = tenure_bucket;
        profile.city = CITIES[city];
    }
    profile
}

/// The table's numbers whose profile is fixed: the number, the carrier serving it now when it
/// was ported (`None`: not ported), its tenure bucket and its place in `CITIES`.
const PINNED_PROFILES: [(&str, Option<Carrier>, u8, usize); 4] = [
    (MOBILE_MATCH.number, None, 4, 0),
    (MOBILE_MATCH_2.number, None, 4, 1),
    (MOBILE_PORTED.number, Some(Carrier::Mobile), 4, 3),
    (MOBILE_NEW.number, None, 1, 2),
];

/// Where an ID number was issued, as wapi's `bank_area` shows it: the county for a few known
/// codes, else the province from the first two digits, else "未知".
pub(crate) fn id_area(id_number: &str) -> &'static str {
    const COUNTIES: &[(&str, &str)] = &[
        ("110101", "北京市东城区"),
        ("310104", "上海市徐汇区"),
        ("330327", "浙江省苍南县"),
        ("420502", "湖北省宜昌市西陵区"),
        ("440305", "广东省深圳市南山区"),
    ];
    const PROVINCES: &[(&str, &str)] = &[
        ("11", "北京市"),
        ("12", "天津市"),
        ("13", "河北省"),
        ("14", "山西省"),
        ("15", "内蒙古自治区"),
        ("21", "辽宁省"),
        ("22", "吉林省"),
        ("23", "黑龙江省"),
        ("31", "上海市"),
        ("32", "江苏省"),
        ("33", "浙江省"),
        ("34", "安徽省"),
        ("35", "福建省"),
        ("36", "江西省"),
        ("37", "山东省"),
        ("41", "河南省"),
        ("42", "湖北省"),
        ("43", "湖南省"),
        ("44", "广东省"),
        ("45", "广西壮族自治区"),
        ("46", "海南省"),
        ("50", "重庆市"),
        ("51", "四川省"),
        ("52", "贵州省"),
        ("53", "云南省"),
        ("54", "西藏自治区"),
        ("61", "陕西省"),
        ("62", "甘肃省"),
        ("63", "青海省"),
        ("64", "宁夏回族自治区"),
        ("65", "新疆维吾尔自治区"),
        ("71", "台湾省"),
        ("81", "香港特别行政区"),
        ("82", "澳门特别行政区"),
    ];
    let county = id_number.get(..6).and_then(|prefix| {
        COUNTIES
            .iter()
            .find(|(code, _)| *code == prefix)
            .map(|(_, name)| *name)
    });
    county
        .or_else(|| {
            let prefix = id_number.get(..2)?;
            PROVINCES
                .iter()
                .find(|(code, _)| *code == prefix)
                .map(|(_, name)| *name)
        })
        .unwrap_or("未知")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_overrides_rule_and_other_names_mismatch() {
        assert_eq!(mobile_verdict("张三", "18688888888"), Verdict::Match);
        assert_eq!(mobile_verdict("张四", "18688888888"), Verdict::Mismatch);
        assert_eq!(mobile_verdict("王五", "13912345678"), Verdict::Mismatch);
        assert_eq!(mobile_verdict("谁都行", "15900000000"), Verdict::NotFound);
        assert_eq!(id_verdict("张三", "362536199105034456"), Verdict::Match);
        assert_eq!(id_verdict("赵六", "440305197806156314"), Verdict::NotFound);
        assert!(!mobile_known(MOBILE_NOT_FOUND.number));
        assert!(mobile_known(MOBILE_MATCH.number));
    }

    #[test]
    fn rule_hits_its_documented_rates() {
        let mut counts = [0u32; 3];
        for index in 0..30_000u32 {
            let mobile = format!("1380000{index:04}");
            let verdict = rule_verdict(&format!("名{index}"), &mobile);
            counts[verdict as usize] += 1;
        }
        // 70 / 20 / 10 % within a percent.
        assert!((20_700..=21_300).contains(&counts[0]), "{counts:?}");
        assert!((5_700..=6_300).contains(&counts[1]), "{counts:?}");
        assert!((2_700..=3_300).contains(&counts[2]), "{counts:?}");
    }

    #[test]
    fn rule_is_stable_across_releases() {
        // Pinned values: changing the rule silently would break everyone's expectations.
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            rule_verdict("张三", "13700000001"),
            rule_verdict("张三", "13700000001")
        );
    }

    #[test]
    fn segments_and_profiles() {
        for (number, expected) in [
            ("18688888888", Some((Carrier::Unicom, false))),
            ("13800138000", Some((Carrier::Mobile, false))),
            ("18912345678", Some((Carrier::Telecom, false))),
            ("17000010006", Some((Carrier::Telecom, true))),
            ("17400000000", Some((Carrier::Telecom, false))),
            ("12345678901", None),
            ("1868888888", None),
            ("1868888888x", None),
        ] {
            assert_eq!(segment_carrier(number), expected, "{number}");
        }
        let ported = mobile_profile(MOBILE_PORTED.number);
        assert!(ported.ported());
        assert_eq!(ported.real_carrier, Carrier::Mobile);
        assert_eq!(mobile_profile(MOBILE_NEW.number).tenure_bucket, 1);
        assert!(!mobile_profile(MOBILE_MATCH.number).ported());
    }

    #[test]
    fn id_areas() {
        for (id_number, area) in [
            ("110101199003074477", "北京市东城区"),
            ("362536199105034456", "江西省"),
            ("99", "未知"),
            ("张", "未知"),
        ] {
            assert_eq!(id_area(id_number), area, "{id_number}");
        }
    }
}
