//! Properties of the signers, over generated parameters.
//!
//! The oracle is the wapi rule written the obvious way (collect, sort, concatenate into one
//! string, hash), independent of the allocation-frugal implementation.

use md5::{Digest, Md5};
use proptest::prelude::*;
use proptest::sample::Index;
use shiming_sign::{Secret, UnixTime, ihuyi, wapi};

/// Keys: ASCII identifiers like wapi's, and some CJK ones to exercise byte-order sorting.
fn key() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_]{1,10}", "[一-龥]{1,3}"]
        .prop_filter("`sign` is not a parameter", |k| k != "sign")
}

/// Non-empty values: digits, letters, Chinese names with the middle dot of minority names,
/// and a 4-byte character (𠮷).
fn value() -> impl Strategy<Value = String> {
    "[0-9a-zA-Z一-龥·𠮷]{1,12}"
}

/// Secrets use an alphabet no key or value uses, so finding one in an output can only mean a
/// leak.
fn secret() -> impl Strategy<Value = String> {
    "[ГДЖЗИЛ]{8,32}"
}

/// Unique keys (as in any real request), in a shuffled order.
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(key(), value(), 0..10)
        .prop_map(|map| map.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn oracle(params: &[(String, String)], secret: &str) -> String {
    let mut sorted: Vec<_> = params
        .iter()
        .filter(|(k, v)| k != "sign" && !v.is_empty())
        .collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut text: String = sorted.iter().map(|(k, v)| format!("{k}{v}")).collect();
    text.push_str(secret);
    Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn md5(params: &[(String, String)], secret: &Secret) -> wapi::Signature {
    wapi::sign(wapi::AuthMode::Md5, &borrowed(params), secret)
}

/// The two observable results of MD5 signing: the value and the masked canonical string.
fn outcome(params: &[(String, String)], secret: &Secret) -> (String, String) {
    let signature = md5(params, secret);
    (signature.value().to_owned(), signature.canonical_masked())
}

/// `extra` inserted into `params` at positions chosen by `at`.
fn with_inserted(
    params: &[(String, String)],
    extra: Vec<(String, String)>,
    at: &[Index],
) -> Vec<(String, String)> {
    let mut out = params.to_vec();
    for (pair, index) in extra.into_iter().zip(at) {
        let position = index.index(out.len() + 1);
        out.insert(position, pair);
    }
    out
}

proptest! {
    #[test]
    fn matches_the_obvious_implementation(params in params(), secret in secret()) {
        let signature = md5(&params, &Secret::new(secret.clone()));
        prop_assert_eq!(signature.value(), oracle(&params, &secret));
    }

    #[test]
    fn parameter_order_does_not_matter(params in params(), secret in secret()) {
        let secret = Secret::new(secret);
        let mut sorted = params.clone();
        sorted.sort();
        prop_assert_eq!(outcome(&params, &secret), outcome(&sorted, &secret));
    }

    #[test]
    fn empty_values_do_not_count(
        params in params(),
        empty_keys in prop::collection::vec(key(), 1..4),
        at in prop::collection::vec(any::<Index>(), 4),
        secret in secret(),
    ) {
        let secret = Secret::new(secret);
        let empties = empty_keys.into_iter().map(|k| (k, String::new())).collect();
        let padded = with_inserted(&params, empties, &at);
        prop_assert_eq!(outcome(&padded, &secret), outcome(&params, &secret));
    }

    #[test]
    fn a_sign_parameter_is_ignored(
        params in params(),
        sign in "[0-9a-f]{0,32}",
        at in any::<Index>(),
        secret in secret(),
    ) {
        let secret = Secret::new(secret);
        let with_sign = with_inserted(&params, vec![("sign".to_owned(), sign)], &[at]);
        prop_assert_eq!(outcome(&with_sign, &secret), outcome(&params, &secret));
    }

    #[test]
    fn chinese_names_are_hashed_as_utf8(
        name in "[一-龥]{1,3}(·[一-龥]{1,4})?|𠮷[一-龥]{1,2}",
        mobile in "1[3-9][0-9]{9}",
        time in 1_000_000_000u64..4_000_000_000,
        secret in secret(),
    ) {
        let params = vec![
            ("mobile".to_owned(), mobile),
            ("bank_name".to_owned(), name.clone()),
            ("appid".to_owned(), "1".to_owned()),
            ("time".to_owned(), UnixTime(time).to_string()),
        ];
        let signature = md5(&params, &Secret::new(secret.clone()));
        prop_assert_eq!(signature.value(), oracle(&params, &secret));
        let expected_name = format!("bank_name{name}mobile");
        prop_assert!(signature.canonical_masked().contains(&expected_name));
    }

    #[test]
    fn masked_output_never_contains_the_secret(
        params in params(),
        account in "[A-Za-z0-9_]{1,12}",
        mobile in prop::option::of("1[3-9][0-9]{9}"),
        time in any::<u64>(),
        secret in secret(),
    ) {
        let credential = Secret::new(secret.clone());
        let mut shown = vec![format!("{credential}"), format!("{credential:?}")];
        for mode in [wapi::AuthMode::Md5, wapi::AuthMode::Hash] {
            let signature = wapi::sign(mode, &borrowed(&params), &credential);
            shown.extend([signature.canonical_masked(), format!("{signature}"), format!("{signature:?}")]);
        }
        for mode in [ihuyi::PasswordMode::Dynamic, ihuyi::PasswordMode::Static] {
            let password = ihuyi::password(mode, &account, &credential, mobile.as_deref(), UnixTime(time));
            shown.extend([password.canonical_masked(), format!("{password}"), format!("{password:?}")]);
        }
        for text in shown {
            prop_assert!(!text.contains(&secret), "secret leaked into {:?}", text);
        }
    }
}
