//! wapi mobile + name (`wapi::MobileTwoElements`), xml answers: see `shiming_fuzz::wapi::xml_target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::wapi::MobileTwoElements;

fuzz_target!(|data: &[u8]| {
    shiming_fuzz::wapi::xml_target(&MobileTwoElements::new("张三", "18688888888"), data);
});
