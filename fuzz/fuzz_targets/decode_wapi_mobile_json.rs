//! wapi mobile + name (`wapi::MobileTwoElements`), json answers: see `shiming_fuzz::wapi::json_target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::wapi::MobileTwoElements;

fuzz_target!(|data: &[u8]| {
    shiming_fuzz::wapi::json_target(&MobileTwoElements::new("张三", "18688888888"), data);
});
