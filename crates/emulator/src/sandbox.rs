//! The documented sandbox credentials: what the emulator accepts when nothing else is
//! configured, and what clients fall back to when they start the built-in sandbox.
//!
//! These are published test values, not secrets; printing them is fine.

/// wapi application id of the sandbox account.
pub const WAPI_APPID: &str = "sandbox";
/// wapi application secret (32 characters, like a real one).
pub const WAPI_SECRET: &str = "sandbox-wapi-secret-0123456789ab";
/// wapi authentication mode of the sandbox account, as `SHIMING_WAPI_AUTH` spells it.
pub const WAPI_AUTH: &str = "md5";
/// QXT apikey (32 characters: QXT answers code 1 for any other length).
pub const QXT_APIKEY: &str = "sandbox-qxt-apikey-0123456789abc";
/// ihuyi APIID (`account`).
pub const IHUYI_ACCOUNT: &str = "sandbox";
/// ihuyi APIKEY (the static password, and the key of the dynamic one).
pub const IHUYI_APIKEY: &str = "sandbox-ihuyi-apikey-0123456789a";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_keys_have_the_lengths_vendors_expect() {
        assert_eq!(WAPI_SECRET.len(), 32);
        assert_eq!(QXT_APIKEY.len(), 32);
        assert_eq!(IHUYI_APIKEY.len(), 32);
    }
}
