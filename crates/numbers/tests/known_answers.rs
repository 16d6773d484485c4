//! Known answers for ID numbers and mobile numbers: every kind, every problem, the JSON shape.

use serde_json::json;
use shiming_numbers::id_number::{self, IdProblem};
use shiming_numbers::mobile::{self, MobilePart, MobileProblem};
use shiming_numbers::{Carrier, Date, IdKind, IdPart, Mode, Service, Sex};

fn today() -> Date {
    Date::new(2024, 6, 1).expect("a date")
}

/// 17 digits plus their right check character.
fn with_check(body: &str) -> String {
    let check = id_number::check_character(body).expect("17 digits");
    format!("{body}{check}")
}

/// `input`'s report in `mode`, whose one problem must be `problem`.
fn only_problem(input: &str, mode: Mode, problem: IdProblem) -> id_number::IdReport {
    let report = id_number::parse(input, mode, today());
    assert_eq!(report.problems(), [problem], "{input} {mode:?}");
    report
}

fn parts(input: &str, mode: Mode) -> Vec<IdPart> {
    id_number::parse(input, mode, today())
        .problems()
        .iter()
        .map(IdProblem::part)
        .collect()
}

#[test]
fn the_standard_example_is_valid_in_every_form() {
    for input in [
        "11010519491231002X",
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
    ] {
        let report = id_number::parse(input, Mode::Strict, today());
        assert!(report.is_valid(), "{input}: {:?}", report.problems());
        assert_eq!(report.normalized(), Some("11010519491231002X"));
        assert_eq!(report.kind(), Some(IdKind::Resident));
        assert_eq!(report.region_code(), Some(110105));
        let region = report.region().expect("known region");
        assert_eq!(region.full_name(), "北京市朝阳区");
        assert_eq!(region.province(), Some("北京市"));
        assert_eq!(region.district(), Some("朝阳区"));
        assert_eq!(report.birth_date(), Date::new(1949, 12, 31));
        assert_eq!(report.sex(), Some(Sex::Female));
        assert_eq!(report.age(), Some(74));
    }
    let number = id_number::parse("11010519491231002X", Mode::Standard, today())
        .into_result()
        .expect("valid");
    assert_eq!(number.to_string(), "11010519491231002X");
    assert_eq!(
        number.age_on(Date::new(2049, 12, 31).expect("date")),
        Some(100)
    );
    assert_eq!(
        id_number::check("11010519491231002X", Mode::Strict, today()),
        Ok(IdKind::Resident)
    );
}

#[test]
fn old_fifteen_digit_numbers_are_upgraded() {
    let report = id_number::parse("110105491231002", Mode::Strict, today());
    assert!(report.is_valid(), "{:?}", report.problems());
    assert!(report.upgraded_from_15());
    assert_eq!(report.normalized(), Some("11010519491231002X"));
    assert_eq!(report.birth_date(), Date::new(1949, 12, 31));
    // No check character in old numbers: an X there is a wrong character.
    assert_eq!(
        parts("11010549123100X", Mode::Standard),
        [IdPart::Characters]
    );
    // 19490231 is no date.
    assert_eq!(
        parts("110105490231002", Mode::Standard),
        [IdPart::BirthDate]
    );
}

#[test]
fn old_numbers_cannot_start_like_a_permit_or_a_foreigners_card() {
    // Only resident numbers had a 15-digit form; upgraded, these would read as another card.
    for (old, kind) in [
        ("810000890710004", IdKind::ResidencePermit),
        ("810001890710004", IdKind::ResidencePermit),
        ("830000890710004", IdKind::ResidencePermit),
        ("911156111110011", IdKind::ForeignPermanent),
    ] {
        for mode in [Mode::Strict, Mode::Standard, Mode::Lenient] {
            let report = id_number::parse(old, mode, today());
            assert_eq!(
                report.problems(),
                [IdProblem::OldNumberOfOtherKind { kind }],
                "{old} {mode:?}"
            );
            assert_eq!(report.kind(), Some(IdKind::Resident));
            assert_eq!(report.problems()[0].part(), IdPart::Region);
        }
    }
    let message = id_number::check("810001890710004", Mode::Lenient, today())
        .expect_err("refused")
        .to_string();
    assert_eq!(
        message,
        "a 15-digit number is an old resident ID, but one starting with 81, 82 or 83 would be \
         a residence permit of Hong Kong, Macau and Taiwan residents, which never had a \
         15-digit form"
    );
    // Other 8s are resident prefixes as far as the structure goes (the region table decides).
    assert!(id_number::parse("840000890710004", Mode::Lenient, today()).is_valid());
}

#[test]
fn region_history_decides_by_birth_year() {
    // 崇文区 (110103) was merged into 东城区 after 2009.
    let before = with_check("11010319800101001");
    assert!(id_number::parse(&before, Mode::Strict, today()).is_valid());
    let report = id_number::parse(&before, Mode::Strict, today());
    assert_eq!(
        report.region().map(|r| r.full_name()).as_deref(),
        Some("北京市崇文区")
    );
    let after = with_check("11010320150101001");
    let report = only_problem(
        &after,
        Mode::Standard,
        IdProblem::RegionAbolished {
            code: 110103,
            last_year: 2009,
            birth_year: 2015,
        },
    );
    assert!(report.problems()[0].to_string().contains("崇文区"));
    assert!(id_number::parse(&after, Mode::Lenient, today()).is_valid());

    // 重庆 (50) is province-level since 1997, 万州区 (500101) since 1997/1998: someone born
    // in 1990 and registered later is real (standard), but not "in force at birth" (strict).
    let chongqing = with_check("50010119900101001");
    assert!(id_number::parse(&chongqing, Mode::Standard, today()).is_valid());
    only_problem(
        &chongqing,
        Mode::Strict,
        IdProblem::RegionNotYetInForce {
            code: 500101,
            first_year: 1997,
            birth_year: 1990,
        },
    );
    // 海口市 (460100) existed from 1988 with its province 海南省; born 2000 is fine in strict.
    assert!(id_number::parse(&with_check("46010020000101001"), Mode::Strict, today()).is_valid());

    // Not a code in any year.
    let unknown = with_check("11019919900101001");
    only_problem(
        &unknown,
        Mode::Standard,
        IdProblem::UnknownRegion { code: 110199 },
    );
    assert!(id_number::parse(&unknown, Mode::Lenient, today()).is_valid());

    // ××××20 市区 codes exist on real cards though absent from the lists.
    let conventional = id_number::parse(&with_check("11012019800101001"), Mode::Strict, today());
    assert!(conventional.is_valid(), "{:?}", conventional.problems());
    assert_eq!(
        conventional.region().and_then(|r| r.district()),
        Some("市区")
    );
}

#[test]
fn birth_date_problems() {
    let impossible = with_check("11010519990231001");
    let report = only_problem(
        &impossible,
        Mode::Standard,
        IdProblem::ImpossibleDate {
            year: 1999,
            month: 2,
            day: 31,
        },
    );
    assert!(report.problems()[0].to_string().contains("has 28 days"));
    assert_eq!(report.birth_date(), None);
    assert_eq!(report.sex(), Some(Sex::Male));

    let leap = with_check("11010520000229002");
    assert!(id_number::parse(&leap, Mode::Strict, today()).is_valid());
    let not_leap = with_check("11010519000229002");
    assert_eq!(parts(&not_leap, Mode::Standard), [IdPart::BirthDate]);
    let month13 = with_check("11010519901301002");
    assert!(
        id_number::parse(&month13, Mode::Lenient, today()).problems()[0]
            .to_string()
            .contains("no month 13")
    );

    let future = with_check("11010520300101001");
    assert!(matches!(
        id_number::parse(&future, Mode::Lenient, today()).problems(),
        [IdProblem::FutureBirthDate { .. }]
    ));
    // Born today is fine; tomorrow is not.
    assert!(id_number::parse(&with_check("11010520240601001"), Mode::Strict, today()).is_valid());
    assert_eq!(
        parts(&with_check("11010520240602001"), Mode::Strict),
        [IdPart::BirthDate]
    );

    let ancient = with_check("44052418800101001");
    only_problem(
        &ancient,
        Mode::Standard,
        IdProblem::TooOld {
            birth: Date::new(1880, 1, 1).expect("date"),
            age: 144,
        },
    );
}

#[test]
fn checksum_problem_names_the_expected_character() {
    let report = only_problem(
        "110105194912310021",
        Mode::Standard,
        IdProblem::Checksum {
            expected: 'X',
            found: '1',
        },
    );
    assert_eq!(report.normalized(), Some("110105194912310021"));
    let first = id_number::check("110105194912310021", Mode::Standard, today());
    assert_eq!(first.map_err(|p| p.expected()), Err(Some('X')));
}

#[test]
fn every_failing_part_is_reported() {
    // Unknown region, 31 February and a wrong check character, all at once.
    let right = with_check("11019919990231001");
    let wrong = if right.ends_with('0') { '1' } else { '0' };
    let input = &format!("{}{wrong}", &right[..17]);
    assert_eq!(
        parts(input, Mode::Strict),
        [IdPart::Region, IdPart::BirthDate, IdPart::Checksum]
    );
    // check() stops at the first.
    assert_eq!(
        id_number::check(input, Mode::Strict, today()).map_err(|p| p.part()),
        Err(IdPart::Region)
    );
    let invalid = id_number::parse(input, Mode::Strict, today())
        .into_result()
        .expect_err("invalid");
    assert_eq!(invalid.problems.len(), 3);
    assert!(
        invalid
            .to_string()
            .starts_with("invalid ID number: region: ")
    );

    // Wrong length and a letter.
    assert_eq!(
        parts("1101051949123100a", Mode::Standard),
        [IdPart::Length, IdPart::Characters]
    );
    // A bad last character: region and birth date still checked (and fine), checksum unknowable.
    assert_eq!(
        parts("11010519491231002A", Mode::Standard),
        [IdPart::Characters]
    );
    // An X in the middle.
    only_problem(
        "1101051949X231002X",
        Mode::Standard,
        IdProblem::Characters {
            position: 11,
            found: 'X',
            count: 1,
        },
    );
    assert_eq!(parts("", Mode::Standard), [IdPart::Length]);
    assert_eq!(
        id_number::parse("   ", Mode::Standard, today()).problems()[0].to_string(),
        "the ID number is empty"
    );
    assert_eq!(
        parts("身份证号码", Mode::Standard),
        [IdPart::Length, IdPart::Characters]
    );
}

#[test]
fn residence_permits_and_foreign_permanent_residence_ids() {
    for (body, name) in [
        ("81000019900101001", "香港特别行政区"),
        ("82000019900101002", "澳门特别行政区"),
        ("83000019900101003", "台湾省"),
    ] {
        let report = id_number::parse(&with_check(body), Mode::Strict, today());
        assert!(report.is_valid(), "{body}: {:?}", report.problems());
        assert_eq!(report.kind(), Some(IdKind::ResidencePermit));
        assert_eq!(
            report.region().map(|r| r.full_name()).as_deref(),
            Some(name)
        );
    }
    let stray = with_check("81123419900101001");
    only_problem(
        &stray,
        Mode::Standard,
        IdProblem::PermitRegion { code: 811234 },
    );

    // 9 + issuing province 11 (北京) + nationality 840 + 1985-03-15 + 123 + check.
    let foreign = with_check("91184019850315123");
    let report = id_number::parse(&foreign, Mode::Strict, today());
    assert!(report.is_valid(), "{:?}", report.problems());
    assert_eq!(report.kind(), Some(IdKind::ForeignPermanent));
    assert_eq!(report.region_code(), Some(110000));
    assert_eq!(
        report.region().map(|r| r.full_name()).as_deref(),
        Some("北京市")
    );
    assert_eq!(report.nationality_code(), Some(840));
    assert_eq!(report.sex(), Some(Sex::Male));
    assert_eq!(report.birth_date(), Date::new(1985, 3, 15));
    let nowhere = with_check("91084019850315123");
    only_problem(
        &nowhere,
        Mode::Standard,
        IdProblem::ForeignProvince { code: 100000 },
    );
}

#[test]
fn id_report_json_shape() {
    let report = id_number::parse("330327198505055708", Mode::Standard, today());
    let value = serde_json::to_value(&report).expect("serialize");
    assert_eq!(
        value,
        json!({
            "valid": false,
            "kind": "resident",
            "normalized": "330327198505055708",
            "region_code": "330327",
            "region_name": "浙江省温州市苍南县",
            "birth_date": "1985-05-05",
            "sex": "female",
            "age": 39,
            "upgraded_from_15": false,
            "problems": [{
                "part": "checksum",
                "message": "the check character is 8 but the first 17 digits give 1",
                "expected": "1"
            }]
        })
    );
    let empty =
        serde_json::to_value(id_number::parse("12", Mode::Standard, today())).expect("serialize");
    assert_eq!(empty["kind"], json!(null));
    assert_eq!(empty["problems"][0]["part"], json!("length"));
    assert!(empty["problems"][0].get("expected").is_none());
    let foreign = serde_json::to_value(id_number::parse(
        &with_check("91184019850315123"),
        Mode::Standard,
        today(),
    ))
    .expect("serialize");
    assert_eq!(foreign["kind"], json!("foreign_permanent"));
    assert_eq!(foreign["nationality_code"], json!("840"));
}

#[test]
fn mobile_numbers_and_their_carriers() {
    for (input, normalized, segment, carrier, is_virtual, service) in [
        (
            "18688888888",
            "18688888888",
            "186",
            Carrier::ChinaUnicom,
            false,
            Service::Mobile,
        ),
        (
            "+86 138-0013-8000",
            "13800138000",
            "138",
            Carrier::ChinaMobile,
            false,
            Service::Mobile,
        ),
        (
            "0086 133 0000 0000",
            "13300000000",
            "133",
            Carrier::ChinaTelecom,
            false,
            Service::Mobile,
        ),
        (
            "8619212345678",
            "19212345678",
            "192",
            Carrier::ChinaBroadnet,
            false,
            Service::Mobile,
        ),
        (
            "16191234567",
            "16191234567",
            "1619",
            Carrier::ChinaSatnet,
            false,
            Service::Mobile,
        ),
        (
            "13491234567",
            "13491234567",
            "1349",
            Carrier::ChinaTelecom,
            false,
            Service::Satellite,
        ),
        (
            "17401234567",
            "17401234567",
            "17401",
            Carrier::ChinaTelecom,
            false,
            Service::Satellite,
        ),
        (
            "17001234567",
            "17001234567",
            "1700",
            Carrier::ChinaTelecom,
            true,
            Service::Virtual,
        ),
        (
            "17051234567",
            "17051234567",
            "1705",
            Carrier::ChinaMobile,
            true,
            Service::Virtual,
        ),
        (
            "17091234567",
            "17091234567",
            "1709",
            Carrier::ChinaUnicom,
            true,
            Service::Virtual,
        ),
        (
            "17112345678",
            "17112345678",
            "171",
            Carrier::ChinaUnicom,
            true,
            Service::Virtual,
        ),
        (
            "16212345678",
            "16212345678",
            "162",
            Carrier::ChinaTelecom,
            true,
            Service::Virtual,
        ),
        (
            "16512345678",
            "16512345678",
            "165",
            Carrier::ChinaMobile,
            true,
            Service::Virtual,
        ),
        (
            "16712345678",
            "16712345678",
            "167",
            Carrier::ChinaUnicom,
            true,
            Service::Virtual,
        ),
        (
            "14512345678",
            "14512345678",
            "145",
            Carrier::ChinaUnicom,
            false,
            Service::Data,
        ),
    ] {
        let report = mobile::parse(input);
        assert!(report.is_valid(), "{input}: {:?}", report.problems());
        assert_eq!(report.normalized(), Some(normalized), "{input}");
        let found = report.segment().expect("segment");
        assert_eq!(found.prefix(), segment, "{input}");
        assert_eq!(report.carrier(), Some(carrier), "{input}");
        assert_eq!(report.is_virtual(), is_virtual, "{input}");
        assert_eq!(found.service(), service, "{input}");
        assert_eq!(mobile::check(input).map(|s| s.prefix()), Ok(segment));
    }
}

#[test]
fn mobile_problems() {
    let unallocated = mobile::parse("15412345678");
    assert_eq!(unallocated.normalized(), Some("15412345678"));
    assert_eq!(unallocated.problems().len(), 1);
    assert_eq!(
        unallocated.problems()[0].to_string(),
        "segment 154 is not allocated to any carrier (MIIT allocation as of 2023)"
    );
    assert!(matches!(
        mobile::check("14812345678"),
        Err(MobileProblem::IotSegment { .. })
    ));
    let maritime = mobile::check("17491234567").expect_err("not a carrier");
    assert_eq!(maritime.part(), MobilePart::Segment);
    assert!(maritime.to_string().contains("北京船舶通信导航有限公司"));
    assert_eq!(
        mobile::check("1868888888"),
        Err(MobileProblem::Length { found: 10 })
    );
    assert_eq!(
        mobile::check("28688888888"),
        Err(MobileProblem::NotMobile { first: '2' })
    );
    assert_eq!(
        mobile::check("+852 9123 4567"),
        Err(MobileProblem::CountryCode)
    );
    assert_eq!(mobile::check(""), Err(MobileProblem::Length { found: 0 }));
    // A wrong character and, because of it, no recognizable segment.
    let report = mobile::parse("186a8888888");
    assert_eq!(
        report.problems(),
        [MobileProblem::Characters {
            position: 4,
            found: 'a',
            count: 1
        }]
    );
    // Too short and unallocated: both reported.
    let parts: Vec<MobilePart> = mobile::parse("1541234")
        .problems()
        .iter()
        .map(MobileProblem::part)
        .collect();
    assert_eq!(parts, [MobilePart::Length, MobilePart::Segment]);
}

#[test]
fn mobile_report_json_shape() {
    let value = serde_json::to_value(mobile::parse("+86 170 0123 4567")).expect("serialize");
    assert_eq!(
        value,
        json!({
            "valid": true,
            "normalized": "17001234567",
            "segment": "1700",
            "carrier": "china_telecom",
            "virtual": true,
            "service": "virtual",
            "holder": "中国电信",
            "problems": []
        })
    );
    let value = serde_json::to_value(mobile::parse("15412345678")).expect("serialize");
    assert_eq!(value["valid"], json!(false));
    assert_eq!(value["carrier"], json!(null));
    assert_eq!(value["segment"], json!(null));
    assert_eq!(value["problems"][0]["part"], json!("segment"));
}
