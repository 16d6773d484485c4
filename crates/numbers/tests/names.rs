//! Properties of `name::{check, normalize}` and `id_number::canonical_key` on arbitrary input.

use proptest::prelude::*;
use shiming_numbers::id_number::{self, canonical_key};
use shiming_numbers::name::{self, NameProblem};

/// Strings made of what names, look-alikes and hostile input are made of.
fn nameish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(张|三|阿|依|·|•|・|．|\\.|A|b|Ｊ|，|,|-|'| |\u{3000}|\t|=|@|1|\u{202e}|\u{200b}|★|𠀀){0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn normalize_is_idempotent_and_check_agrees_with_it(text in nameish()) {
        let once = name::normalize(&text).into_owned();
        let twice = name::normalize(&once);
        prop_assert_eq!(twice.as_ref(), once.as_str());
        prop_assert_eq!(name::check(&text).is_ok(), name::check(&once).is_ok());
        prop_assert_eq!(once.trim(), once.as_str(), "no surrounding whitespace");
        if name::check(&text).is_ok() {
            prop_assert!(once.chars().count() <= name::MAX_CHARS);
            prop_assert!(!once.contains(['•', '・', '．', '‧', '⋅', '∙']));
            prop_assert_eq!(name::clean(&text), Ok(once));
        }
    }

    #[test]
    fn problems_never_show_the_name(text in "[张三李四阿依古丽]{1,8}[1★\u{202e}·]?[张三]{0,3}") {
        if let Err(problem) = name::check(&text) {
            let message = problem.to_string();
            prop_assert!(!message.contains(['张', '三', '李', '四', '阿', '依', '古', '丽']), "{}", message);
            let _: &NameProblem = &problem;
        }
    }

    #[test]
    fn both_forms_of_an_old_number_share_a_key(region in 110000u32..660000, yymmdd in 0u32..1_000_000, seq in 0u32..1000) {
        let old = format!("{region:06}{yymmdd:06}{seq:03}");
        let key = canonical_key(&old).expect("15 digits always have a key");
        prop_assert_eq!(key.len(), 18);
        prop_assert_eq!(&key[..6], &old[..6]);
        prop_assert_eq!(&key[6..8], "19");
        prop_assert_eq!(id_number::check_character(&key[..17]), key.chars().last());
        prop_assert_eq!(canonical_key(&key), Some(key.clone()));
        prop_assert_eq!(canonical_key(&key.to_ascii_lowercase()), Some(key));
    }

    #[test]
    fn canonical_key_never_panics(text in any::<String>()) {
        if let Some(key) = canonical_key(&text) {
            prop_assert_eq!(key.len(), 18);
        }
    }
}
