//! ihuyi (互亿无线): the `password` parameter.
//!
//! `ihuyi-operator-status.txt` (the `password` rows of both request tables, and the PHP
//! formula with worked examples at the end) allows two kinds of password:
//!
//! - **dynamic** ([`dynamic_password`]): for Submit
//!   `md5(account + apikey + "operzwsc" + mobile + time)`, for GetNum
//!   `md5(account + apikey + "operzwsc" + time)`, lowercase hex, with the same `time` sent as
//!   a parameter;
//! - **static** ([`static_password`]): the APIKEY itself.
//!
//! ```
//! use shiming_sign::{Secret, UnixTime, ihuyi};
//!
//! let apikey = Secret::new("1q784322b******");
//! let password = ihuyi::dynamic_password("test", &apikey, Some("13600000000"), UnixTime(1651544941));
//! assert_eq!(password.canonical_masked(), "test***operzwsc136000000001651544941");
//! assert_eq!(password.value(), "f78fb230f4ce518933450aa761704d88");
//! ```

use crate::secret::Secret;
use crate::signed::Signed;
use crate::time::{UnixTime, push_decimal};

/// The fixed `$app` term of the dynamic password formula (the product code).
pub const APP: &str = "operzwsc";

/// Which kind of `password` an ihuyi request carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PasswordMode {
    /// An MD5 over account, APIKEY, product, (mobile) and time; the APIKEY never travels.
    #[default]
    Dynamic,
    /// The APIKEY itself.
    Static,
}

/// A computed ihuyi `password` value and a record of what was hashed.
///
/// A dynamic password prints; a static one (the APIKEY) prints as `***`. The canonical string
/// contains the mobile number, e.g. `test***operzwsc136000000001651544941`; for a static
/// password it is a short explanation.
pub type Signature = crate::signed::Signature<PasswordMode>;

/// What [`Signature::canonical_masked`] says for a static password.
const STATIC_EXPLANATION: &str =
    "static password: nothing is hashed; the password parameter is the APIKEY itself (***)";

/// The dynamic password: `md5(account + apikey + "operzwsc" + mobile + time)` for Submit
/// (`mobile = Some(..)`), `md5(account + apikey + "operzwsc" + time)` for GetNum
/// (`mobile = None`). `time` is also sent as the request's `time` parameter.
pub fn dynamic_password(
    account: &str,
    apikey: &Secret,
    mobile: Option<&str>,
    time: UnixTime,
) -> Signature {
    let mobile = mobile.unwrap_or_default();
    // u64::MAX has 20 digits.
    let mut text = String::with_capacity(account.len() + APP.len() + mobile.len() + 20);
    text.push_str(account);
    let secret_at = text.len();
    text.push_str(APP);
    text.push_str(mobile);
    push_decimal(&mut text, time.0);
    Signature::new(
        PasswordMode::Dynamic,
        Signed::md5_with_secret_at(text, secret_at, apikey),
    )
}

/// The static password: the APIKEY itself.
pub fn static_password(apikey: &Secret) -> Signature {
    Signature::new(
        PasswordMode::Static,
        Signed::secret_itself(apikey, STATIC_EXPLANATION),
    )
}

/// The password for `mode`: [`dynamic_password`] or [`static_password`] (which ignores
/// `account`, `mobile` and `time`).
pub fn password(
    mode: PasswordMode,
    account: &str,
    apikey: &Secret,
    mobile: Option<&str>,
    time: UnixTime,
) -> Signature {
    match mode {
        PasswordMode::Dynamic => dynamic_password(account, apikey, mobile, time),
        PasswordMode::Static => static_password(apikey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getnum_leaves_the_mobile_out() {
        let apikey = Secret::new("1q784322ba1******");
        let password = dynamic_password("test", &apikey, None, UnixTime(1651544941));
        assert_eq!(password.canonical_masked(), "test***operzwsc1651544941");
        assert_eq!(password.mode(), PasswordMode::Dynamic);
        assert!(!password.value_is_secret());
    }

    #[test]
    fn static_password_is_the_apikey_and_never_prints() {
        let apikey = Secret::new("static-apikey");
        let password = password(
            PasswordMode::Static,
            "test",
            &apikey,
            Some("13600000000"),
            UnixTime(1),
        );
        assert_eq!(password.value(), "static-apikey");
        assert!(password.value_is_secret());
        assert_eq!(password.to_string(), "***");
        assert!(!format!("{password:?}").contains("static-apikey"));
        assert!(!password.canonical_masked().contains("static-apikey"));
    }
}
