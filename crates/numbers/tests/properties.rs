//! Properties: generated numbers validate, a single changed digit always breaks the
//! checksum, and nothing panics on any input.

use proptest::prelude::*;
use shiming_numbers::fake::{BirthSpec, IdFaker, IdSpec, MobileFaker, MobileSpec, SplitMix64};
use shiming_numbers::{Carrier, Date, IdKind, IdPart, Mode, Service, Sex, id_number, mobile};
use std::sync::OnceLock;

fn today() -> Date {
    Date::new(2024, 6, 1).expect("a date")
}

/// A few fakers covering every kind, regions with history, both sexes, old and young.
fn id_fakers() -> &'static [IdFaker] {
    static FAKERS: OnceLock<Vec<IdFaker>> = OnceLock::new();
    FAKERS.get_or_init(|| {
        let specs = [
            IdSpec::default(),
            IdSpec {
                birth: Some(BirthSpec::Between(
                    Date::new(1900, 1, 1).expect("date"),
                    Date::new(2024, 6, 1).expect("date"),
                )),
                ..IdSpec::default()
            },
            IdSpec {
                region: Some("50".into()),
                sex: Some(Sex::Female),
                ..IdSpec::default()
            },
            IdSpec {
                region: Some("朝阳区".into()),
                sex: Some(Sex::Male),
                ..IdSpec::default()
            },
            IdSpec {
                region: Some("81".into()),
                ..IdSpec::default()
            },
            IdSpec {
                kind: Some(IdKind::ForeignPermanent),
                ..IdSpec::default()
            },
        ];
        specs
            .iter()
            .map(|spec| IdFaker::new(spec, today()).expect("spec is satisfiable"))
            .collect()
    })
}

fn fake_id(which: usize, seed: u64) -> String {
    let fakers = id_fakers();
    fakers[which % fakers.len()].generate(&mut SplitMix64::new(seed))
}

proptest! {
    #[test]
    fn every_generated_id_validates_strictly(which in 0usize..6, seed in any::<u64>()) {
        let id = fake_id(which, seed);
        let report = id_number::parse(&id, Mode::Strict, today());
        prop_assert!(report.is_valid(), "{} {:?}", id, report.problems());
        prop_assert_eq!(report.normalized(), Some(id.as_str()));
        prop_assert_eq!(id_number::check(&id, Mode::Strict, today()).ok(), report.kind());
    }

    #[test]
    fn any_single_character_change_breaks_the_checksum(
        which in 0usize..6,
        seed in any::<u64>(),
        position in 0usize..18,
        replacement in prop::sample::select(b"0123456789X".to_vec()),
    ) {
        let id = fake_id(which, seed);
        let mut bytes = id.clone().into_bytes();
        prop_assume!(bytes[position] != replacement);
        // An X can only stand last; elsewhere it is a character problem, tested separately.
        prop_assume!(replacement != b'X' || position == 17);
        bytes[position] = replacement;
        let changed = String::from_utf8(bytes).expect("ascii");
        let report = id_number::parse(&changed, Mode::Lenient, today());
        prop_assert!(
            report.problems().iter().any(|p| p.part() == IdPart::Checksum),
            "{} -> {}: {:?}", id, changed, report.problems()
        );
    }

    #[test]
    fn old_numbers_upgrade_to_the_generated_one(seed in any::<u64>()) {
        let faker = IdFaker::new(&IdSpec {
            birth: Some(BirthSpec::Between(
                Date::new(1900, 1, 1).expect("date"),
                Date::new(1999, 12, 31).expect("date"),
            )),
            ..IdSpec::default()
        }, today()).expect("spec");
        let id = faker.generate(&mut SplitMix64::new(seed));
        let old = format!("{}{}", &id[..6], &id[8..17]);
        let report = id_number::parse(&old, Mode::Strict, today());
        prop_assert!(report.is_valid(), "{} {:?}", old, report.problems());
        prop_assert_eq!(report.normalized(), Some(id.as_str()));
    }

    /// Only resident numbers had a 15-digit form: whatever an old number starts with, if it
    /// is valid its 18-digit upgrade is a valid resident number with the same facts.
    #[test]
    fn a_valid_old_number_upgrades_to_the_same_resident(
        region in prop_oneof![
            0u32..1_000_000,
            prop::sample::select(vec![
                110_105, 440_305, 500_101, 460_100, 710_000, 810_000, 810_001, 820_000,
                830_000, 840_000, 900_000, 911_156,
            ]),
        ],
        days in -25_567i64..10_957, // 1900-01-01 ..= 1999-12-31
        sequence in 0u32..1000,
        mode in prop::sample::select(vec![Mode::Strict, Mode::Standard, Mode::Lenient]),
    ) {
        let birth = Date::from_unix_days(days).expect("in range");
        let yymmdd = birth.to_string().replace('-', "");
        let old = format!("{region:06}{}{sequence:03}", &yymmdd[2..]);
        let report = id_number::parse(&old, mode, today());
        prop_assert_eq!(report.kind(), Some(IdKind::Resident));
        if !report.is_valid() {
            return Ok(());
        }
        prop_assert!(report.upgraded_from_15());
        let upgraded = report.normalized().expect("a valid number has a normalized form");
        let again = id_number::parse(upgraded, mode, today());
        prop_assert!(again.is_valid(), "{} -> {}: {:?}", old, upgraded, again.problems());
        prop_assert!(!again.upgraded_from_15());
        prop_assert_eq!(again.kind(), Some(IdKind::Resident), "{} -> {}", old, upgraded);
        prop_assert_eq!(again.normalized(), Some(upgraded));
        prop_assert_eq!(again.region_code(), report.region_code());
        prop_assert_eq!(again.birth_date(), report.birth_date());
        prop_assert_eq!(again.birth_date(), Some(birth));
        prop_assert_eq!(again.sex(), report.sex());
        prop_assert_eq!(again.region(), report.region());
    }

    #[test]
    fn arbitrary_input_never_panics_and_check_agrees_with_parse(
        input in ".{0,40}",
        mode in prop::sample::select(vec![Mode::Strict, Mode::Standard, Mode::Lenient]),
    ) {
        let report = id_number::parse(&input, mode, today());
        let _ = serde_json::to_string(&report).expect("serializable");
        let first = id_number::check(&input, mode, today());
        prop_assert_eq!(first.err(), report.problems().first().copied());
        let phone = mobile::parse(&input);
        let _ = serde_json::to_string(&phone).expect("serializable");
        prop_assert_eq!(mobile::check(&input).err(), phone.problems().first().copied());
    }

    #[test]
    fn digit_strings_never_panic(input in "[0-9Xx+ -]{0,24}") {
        let report = id_number::parse(&input, Mode::Standard, today());
        for problem in report.problems() {
            prop_assert!(!problem.to_string().is_empty());
        }
        let phone = mobile::parse(&input);
        prop_assert_eq!(phone.is_valid(), mobile::check(&input).is_ok());
    }

    #[test]
    fn generated_mobiles_have_the_requested_carrier(
        carrier in prop::sample::select(Carrier::ALL.to_vec()),
        virtual_range in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let service = if virtual_range { Service::Virtual } else { Service::Mobile };
        // Broadnet and Satnet host no virtual operators.
        let Ok(faker) = MobileFaker::new(MobileSpec { carrier: Some(carrier), service: Some(service) }) else {
            prop_assert!(virtual_range && matches!(carrier, Carrier::ChinaBroadnet | Carrier::ChinaSatnet));
            return Ok(());
        };
        let number = faker.generate(&mut SplitMix64::new(seed));
        let report = mobile::parse(&number);
        prop_assert!(report.is_valid(), "{} {:?}", number, report.problems());
        prop_assert_eq!(report.carrier(), Some(carrier));
        prop_assert_eq!(report.is_virtual(), virtual_range);
    }

    #[test]
    fn dates_round_trip(days in -719_162i64..2_932_897) {
        let date = Date::from_unix_days(days).expect("in range");
        prop_assert_eq!(date.to_unix_days(), days);
        prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
    }
}
