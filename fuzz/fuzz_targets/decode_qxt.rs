//! QXT mobile + name answers (json, quoted or bare keys): the common decoder properties of `shiming_fuzz::decode`, plus bare keys changing nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::qxt::MobileTwoElements;
use shiming_fuzz::decode;

fuzz_target!(|data: &[u8]| {
    let operation = MobileTwoElements::new("张三", "18688888888");
    decode::check(&operation, data, decode::qxt_rules);
    decode::bare_keys_agree(&operation, data);
});
