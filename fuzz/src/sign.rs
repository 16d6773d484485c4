//! Properties of the signers, checked against an independent model of the documented rules.
//!
//! wapi MD5 mode (`docs/signing.md`): every parameter except `sign` with a non-empty value,
//! sorted by key in byte order, `key` + `value` concatenated, the secret appended, MD5,
//! lowercase hex. ihuyi dynamic password: MD5 of account + APIKEY + `operzwsc` + mobile + time.

use arbitrary::Arbitrary;
use md5::{Digest, Md5};
use shiming_sign::{Secret, UnixTime, ihuyi, wapi};

/// The mask that stands for the secret in canonical strings and displays.
const MASK: &str = "***";

/// A wapi signing problem as the fuzzer imagines it.
#[derive(Debug, Arbitrary)]
pub struct WapiInput {
    /// The request parameters (keys may repeat, values may be empty, `sign` may appear).
    pub params: Vec<(String, String)>,
    /// The application secret.
    pub secret: String,
    /// A different secret, to show that nothing but the value depends on it.
    pub other_secret: String,
    /// Hash mode instead of MD5 mode.
    pub hash_mode: bool,
    /// Drives the shuffle used to show that order does not matter.
    pub shuffle: Vec<u8>,
}

/// An ihuyi password problem as the fuzzer imagines it.
#[derive(Debug, Arbitrary)]
pub struct IhuyiInput {
    /// The account (`APIID`).
    pub account: String,
    /// The APIKEY.
    pub apikey: String,
    /// A different APIKEY.
    pub other_apikey: String,
    /// The mobile (absent for `GetNum.json`).
    pub mobile: Option<String>,
    /// The request time.
    pub time: u64,
    /// Static password instead of the dynamic one.
    pub static_mode: bool,
}

fn md5_hex(parts: &[&str]) -> String {
    let mut hasher = Md5::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The canonical text of the documented rule, written independently of the signer: a
/// stable sort, so repeated keys keep the caller's order as `wapi::sign` promises.
fn model_canonical(params: &[(&str, &str)]) -> String {
    let mut kept: Vec<&(&str, &str)> = params
        .iter()
        .filter(|(k, v)| *k != wapi::SIGN_PARAM && !v.is_empty())
        .collect();
    kept.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    kept.iter().map(|(k, v)| format!("{k}{v}")).collect()
}

/// Fisher–Yates driven by fuzz bytes.
fn shuffled<T: Clone>(items: &[T], bytes: &[u8]) -> Vec<T> {
    let mut items = items.to_vec();
    let mut bytes = bytes.iter().cycle();
    for i in (1..items.len()).rev() {
        let r = bytes.next().map_or(0, |b| usize::from(*b));
        items.swap(i, r % (i + 1));
    }
    items
}

/// wapi: the model's digest and canonical string; order independence for distinct keys;
/// `sign` and empty values ignored; nothing but the value depends on the secret; hash mode
/// never shows the secret.
pub fn wapi_target(input: &WapiInput) {
    let mode = if input.hash_mode {
        wapi::AuthMode::Hash
    } else {
        wapi::AuthMode::Md5
    };
    let secret = Secret::new(input.secret.clone());
    let other = Secret::new(input.other_secret.clone());
    let params = borrowed(&input.params);
    let signature = wapi::sign(mode, &params, &secret);
    let masked = signature.canonical_masked();
    let debug = format!("{signature:?}");

    // Nothing shown depends on the secret; so the masked string cannot reveal it.
    let with_other = wapi::sign(mode, &params, &other);
    assert_eq!(
        with_other.canonical_masked(),
        masked,
        "canonical string depends on the secret"
    );
    assert_eq!(signature.mode(), mode);

    match mode {
        wapi::AuthMode::Md5 => {
            let canonical = model_canonical(&params);
            assert_eq!(masked, format!("{canonical}{MASK}"), "canonical string");
            assert_eq!(
                signature.value(),
                md5_hex(&[&canonical, &input.secret]),
                "digest of {canonical:?} + secret"
            );
            assert!(!signature.value_is_secret());
            assert_eq!(signature.to_string(), signature.value());
            // Spelled out although it follows from the two assertions above: unless the
            // parameters themselves (or the mask) spell the secret, it is not shown.
            let shown_anyway = format!("{canonical}{MASK}").contains(&input.secret);
            if !input.secret.is_empty() && !shown_anyway {
                assert!(!masked.contains(&input.secret), "secret in {masked:?}");
            }
        }
        wapi::AuthMode::Hash => {
            assert_eq!(signature.value(), input.secret);
            assert!(signature.value_is_secret());
            assert_eq!(signature.to_string(), MASK);
            assert_eq!(
                format!("{with_other:?}"),
                debug,
                "Debug depends on the secret"
            );
        }
    }

    // Order independence holds for distinct keys (repeated keys keep the caller's order).
    let mut distinct: Vec<(&str, &str)> = Vec::new();
    for &(key, value) in &params {
        if !distinct.iter().any(|(k, _)| *k == key) {
            distinct.push((key, value));
        }
    }
    let reference = wapi::sign(mode, &distinct, &secret);
    let mut reordered = shuffled(&distinct, &input.shuffle);
    // `sign` and empty values never take part, wherever they stand.
    reordered.insert(
        input.shuffle.len() % (reordered.len() + 1),
        ("sign", "ignored"),
    );
    reordered.push(("zz_empty", ""));
    let reordered = wapi::sign(mode, &reordered, &secret);
    assert_eq!(
        reordered.value(),
        reference.value(),
        "order or ignored params changed sign"
    );
    assert_eq!(reordered.canonical_masked(), reference.canonical_masked());
}

/// ihuyi: the model's digest and canonical string, nothing but the value depends on the
/// APIKEY, the static password never shows.
pub fn ihuyi_target(input: &IhuyiInput) {
    let apikey = Secret::new(input.apikey.clone());
    let other = Secret::new(input.other_apikey.clone());
    let mobile = input.mobile.as_deref();
    let time = UnixTime(input.time);
    let mode = if input.static_mode {
        ihuyi::PasswordMode::Static
    } else {
        ihuyi::PasswordMode::Dynamic
    };
    let password = ihuyi::password(mode, &input.account, &apikey, mobile, time);
    let with_other = ihuyi::password(mode, &input.account, &other, mobile, time);
    assert_eq!(
        password.canonical_masked(),
        with_other.canonical_masked(),
        "canonical string depends on the APIKEY"
    );
    assert_eq!(password.mode(), mode);
    match mode {
        ihuyi::PasswordMode::Dynamic => {
            let tail = format!("{}{}{}", ihuyi::APP, mobile.unwrap_or_default(), input.time);
            assert_eq!(
                password.canonical_masked(),
                format!("{}{MASK}{tail}", input.account)
            );
            assert_eq!(
                password.value(),
                md5_hex(&[&input.account, &input.apikey, &tail])
            );
            let direct = ihuyi::dynamic_password(&input.account, &apikey, mobile, time);
            assert_eq!(direct.value(), password.value());
            assert!(!password.value_is_secret());
        }
        ihuyi::PasswordMode::Static => {
            assert_eq!(password.value(), input.apikey);
            assert!(password.value_is_secret());
            assert_eq!(password.to_string(), MASK);
            assert_eq!(format!("{password:?}"), format!("{with_other:?}"));
        }
    }
}
