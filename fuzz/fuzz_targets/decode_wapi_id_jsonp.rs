//! wapi ID number + name (`wapi::IdTwoElements`), jsonp answers: see `shiming_fuzz::wapi::jsonp_target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_codec::wapi::IdTwoElements;

fuzz_target!(|data: &[u8]| {
    shiming_fuzz::wapi::jsonp_target(&IdTwoElements::new("张三", "11010519491231002X"), data);
});
