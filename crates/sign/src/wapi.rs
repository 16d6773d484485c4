//! wapi.cn: the `sign` parameter.
//!
//! Both wapi documents (`wapi-mobile-two-elements.txt`, `wapi-idcard-two-elements.txt`, the
//! `sign` row of the request table and the "Md5验证方式-加密顺序" paragraph, plus the PHP and
//! Python samples at their end) describe two ways to authenticate, chosen per application in
//! wapi's console:
//!
//! - **MD5 mode** ([`AuthMode::Md5`]): sort the parameters by key, leave out empty values,
//!   concatenate `key` + `value` for each, append the secret, take the MD5, lowercase hex.
//!   Every request parameter except `sign` takes part — `appid`, `time`, `format`, `callback`,
//!   `debug` and the personal fields alike. Keys sort in byte order (what the Python sample's
//!   `list.sort()` does on code points, identical for UTF-8).
//! - **Hash mode** ([`AuthMode::Hash`]): `sign` is the secret itself.
//!
//! ```
//! use shiming_sign::{Secret, wapi};
//!
//! let secret = Secret::new("0123456789abcdef0123456789abcdef");
//! let params = [("mobile", "18688888888"), ("appid", "1"), ("debug", ""), ("bank_name", "张三")];
//! let signature = wapi::sign(wapi::AuthMode::Md5, &params, &secret);
//! assert_eq!(signature.canonical_masked(), "appid1bank_name张三mobile18688888888***");
//! assert_eq!(signature.value().len(), 32);
//! ```

use crate::secret::Secret;
use crate::signed::Signed;

/// The parameter that carries the signature; it never takes part in its own computation.
pub const SIGN_PARAM: &str = "sign";

/// How a wapi application authenticates (set per application in wapi's console, "我的应用").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AuthMode {
    /// `sign` = MD5 over the sorted parameters followed by the secret (wapi's default).
    #[default]
    Md5,
    /// `sign` = the secret itself.
    Hash,
}

/// A computed wapi `sign` value and a record of what was signed.
///
/// In Hash mode the value is the secret and prints as `***`. The canonical string holds the
/// request's parameters, e.g. `appid1bank_name张三formatjsonmobile18688888888time1604973925***`;
/// in Hash mode it is a short explanation.
pub type Signature = crate::signed::Signature<AuthMode>;

/// What [`Signature::canonical_masked`] says in Hash mode.
const HASH_MODE_EXPLANATION: &str =
    "hash mode: nothing is hashed; the sign parameter is the secret itself (***)";

/// Signs a wapi request.
///
/// `params` are ALL the request's parameters except `sign`, `time` included, in any order. A
/// `sign` entry, if present, is ignored; entries with an empty value are left out, as wapi
/// does. Keys are expected to be unique; if one repeats, every entry takes part, in the order
/// given.
///
/// Cost: in MD5 mode one allocation (the canonical text, kept for
/// [`Signature::canonical_masked`]; a second beyond 32 parameters) and the MD5 itself; in Hash
/// mode one allocation (a copy of the secret).
pub fn sign(mode: AuthMode, params: &[(&str, &str)], secret: &Secret) -> Signature {
    let signed = match mode {
        AuthMode::Md5 => {
            let text = canonical_text(params);
            let secret_at = text.len();
            Signed::md5_with_secret_at(text, secret_at, secret)
        }
        AuthMode::Hash => Signed::secret_itself(secret, HASH_MODE_EXPLANATION),
    };
    Signature::new(mode, signed)
}

/// Whether a parameter takes part in the MD5: not `sign`, not empty.
fn takes_part(&(key, value): &(&str, &str)) -> bool {
    key != SIGN_PARAM && !value.is_empty()
}

/// Up to this many parameters the sort order lives in a stack array; wapi requests carry well
/// under ten.
const STACK_PARAMS: usize = 32;

/// `key1value1key2value2…` over the parameters that take part, sorted by key in byte order.
fn canonical_text(params: &[(&str, &str)]) -> String {
    let length = params
        .iter()
        .filter(|param| takes_part(param))
        .map(|(key, value)| key.len() + value.len())
        .sum();
    let mut text = String::with_capacity(length);
    if params.len() > STACK_PARAMS {
        append_sorted_on_heap(params, &mut text);
        return text;
    }
    // The sort order as indices into `params`: no heap, and 32 bytes to clear rather than a
    // kilobyte of copied pairs. `params.len() <= 32`, so the `u8` indices cannot overflow.
    let mut order = [0u8; STACK_PARAMS];
    let mut count = 0;
    for (index, param) in (0u8..).zip(params) {
        if takes_part(param) {
            order[count] = index;
            count += 1;
        }
    }
    let order = &mut order[..count];
    // Stable, so repeated keys keep the caller's order; `str`'s `Ord` is byte order.
    order.sort_by(|&a, &b| params[usize::from(a)].0.cmp(params[usize::from(b)].0));
    for &index in order.iter() {
        let (key, value) = params[usize::from(index)];
        text.push_str(key);
        text.push_str(value);
    }
    text
}

/// The rare long parameter list: the same order, computed in a `Vec`.
fn append_sorted_on_heap(params: &[(&str, &str)], text: &mut String) {
    let mut sorted: Vec<&(&str, &str)> = params.iter().filter(|param| takes_part(param)).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (key, value) in sorted {
        text.push_str(key);
        text.push_str(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_mode_matches_the_documented_order() {
        // The order of wapi-mobile-two-elements.txt's "加密顺序" example.
        let params = [
            ("mobile", "18688888888"),
            ("format", "json"),
            ("debug", "1"),
            ("bank_name", "张三"),
            ("appid", "1"),
        ];
        let signature = sign(AuthMode::Md5, &params, &Secret::new("S"));
        assert_eq!(
            signature.canonical_masked(),
            "appid1bank_name张三debug1formatjsonmobile18688888888***"
        );
        assert_eq!(signature.mode(), AuthMode::Md5);
        assert!(!signature.value_is_secret());
        assert_eq!(signature.to_string(), signature.value());
    }

    #[test]
    fn hash_mode_sends_the_secret_and_never_prints_it() {
        let secret = Secret::new("hash-secret-value");
        let signature = sign(AuthMode::Hash, &[("appid", "1")], &secret);
        assert_eq!(signature.value(), "hash-secret-value");
        assert!(signature.value_is_secret());
        assert_eq!(signature.to_string(), "***");
        let debug = format!("{signature:?}");
        assert!(!debug.contains("hash-secret-value"), "{debug}");
        assert!(!signature.canonical_masked().contains("hash-secret-value"));
    }

    #[test]
    fn many_parameters_take_the_heap_path_and_sort_the_same_way() {
        let owned: Vec<(String, String)> = (0..STACK_PARAMS * 2)
            .rev()
            .map(|i| (format!("k{i:03}"), format!("v{i}")))
            .collect();
        let params: Vec<(&str, &str)> = owned
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let expected: String = (0..STACK_PARAMS * 2)
            .map(|i| format!("k{i:03}v{i}"))
            .collect();
        assert_eq!(canonical_text(&params), expected);
    }

    #[test]
    fn repeated_keys_keep_the_callers_order() {
        assert_eq!(
            canonical_text(&[("b", "2"), ("a", "x"), ("a", "y")]),
            "axayb2"
        );
    }
}
