//! ihuyi `GetNum.json` (balance) answers: the common decoder properties of `shiming_fuzz::decode`, plus bare keys changing nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::ihuyi::Balance;
use shiming_fuzz::decode;

fuzz_target!(|data: &[u8]| {
    decode::check(&Balance, data, decode::ihuyi_getnum_rules);
    decode::bare_keys_agree(&Balance, data);
});
