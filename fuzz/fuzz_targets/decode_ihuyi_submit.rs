//! ihuyi `Submit.json` (operator status) answers: the common decoder properties of `shiming_fuzz::decode`, plus bare keys changing nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::ihuyi::MobileStatus;
use shiming_fuzz::decode;

fuzz_target!(|data: &[u8]| {
    let operation = MobileStatus::new("18688888888");
    decode::check(&operation, data, decode::ihuyi_submit_rules);
    decode::bare_keys_agree(&operation, data);
});
