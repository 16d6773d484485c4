//! Vendor codes the tests expect, written from the vendor documents (`../shared/vendor-docs/`)
//! rather than taken from the emulator, so a test checks the emulator and the client against
//! the documents and not against each other.

/// The code a vendor answers with once the account's balance is used up (`"wapi"`, `"qxt"`
/// or `"ihuyi"`): wapi's 10018 (次数不足) for a used-up quota of checks, 10022 (余额不足) for an
/// empty wallet; QXT's -5; ihuyi's 4051 (剩余条数不足).
///
/// # Panics
/// For a vendor the documents do not cover.
pub fn balance_used_up(vendor: &str, wapi_quota: bool) -> &'static str {
    match vendor {
        "wapi" if wapi_quota => "10018",
        "wapi" => "10022",
        "qxt" => "-5",
        "ihuyi" => "4051",
        other => panic!("no code for a used-up balance known for {other}"),
    }
}
