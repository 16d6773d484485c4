//! wapi ID number + name (`wapi::IdTwoElements`), json answers: see `shiming_fuzz::wapi::json_target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::wapi::IdTwoElements;

fuzz_target!(|data: &[u8]| {
    shiming_fuzz::wapi::json_target(&IdTwoElements::new("张三", "11010519491231002X"), data);
});
