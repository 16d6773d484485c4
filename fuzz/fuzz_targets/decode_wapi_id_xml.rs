//! wapi ID number + name (`wapi::IdTwoElements`), xml answers: see `shiming_fuzz::wapi::xml_target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::wapi::IdTwoElements;

fuzz_target!(|data: &[u8]| {
    shiming_fuzz::wapi::xml_target(&IdTwoElements::new("张三", "11010519491231002X"), data);
});
