//! Spellings of one subject share one key (through the public `Store::subject_key`), and
//! different subjects do not.

use proptest::prelude::*;
use shiming_store::{Store, StoreOptions, Subject};

fn full_width(digits: &str) -> String {
    digits
        .chars()
        .map(|c| char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap_or(c))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mobile_spellings_share_a_key(rest in "[3-9][0-9]{9}", dot in 0usize..6) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = Store::open(&dir.path().join("s.sqlite"), StoreOptions::new()).expect("a store");
        let mobile = format!("1{rest}");
        let dots = ['\u{2022}', '\u{30FB}', '\u{FF0E}', '\u{2027}', '\u{22C5}', '\u{2219}'];
        let plain = store.subject_key(&Subject::mobile_two_elements("阿依·古丽", mobile.as_str()));
        let spellings = [
            format!("+86 {} {} {}", &mobile[..3], &mobile[3..7], &mobile[7..]),
            format!("86{mobile}"),
            format!("0086-{mobile}"),
            format!(" {} ", full_width(&mobile)),
        ];
        for spelling in spellings {
            let name = format!(" 阿依{}古丽 ", dots[dot]);
            let key = store.subject_key(&Subject::mobile_two_elements(name, spelling.as_str()));
            prop_assert_eq!(key, plain, "{}", spelling);
        }
        let status = store.subject_key(&Subject::mobile_status(mobile.as_str()));
        prop_assert_ne!(status, plain, "another check is another subject");
        let other = store.subject_key(&Subject::mobile_two_elements("阿依·古丽", format!("1{}", (rest.parse::<u64>().expect("digits") + 1) % 10_000_000_000 + 3_000_000_000)));
        prop_assert_ne!(other, plain);
    }
}

#[test]
fn id_number_spellings_share_a_key() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("s.sqlite"), StoreOptions::new()).expect("a store");
    let key = |id: &str| store.subject_key(&Subject::id_two_elements("张三", id));
    let canonical = key("11010519491231002X");
    for spelling in [
        "11010519491231002x",
        " 11010519491231002X ",
        "110105491231002",
        "１１０１０５１９４９１２３１００２Ｘ",
    ] {
        assert_eq!(key(spelling), canonical, "{spelling}");
    }
    assert_ne!(key("110105194912310029"), canonical);
}
