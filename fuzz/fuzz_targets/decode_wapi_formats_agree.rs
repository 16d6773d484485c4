//! One wapi answer rendered as json, jsonp and xml decodes alike: see `shiming_fuzz::wapi::formats_agree`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_fuzz::wapi::Answer;

fuzz_target!(|answer: Answer| {
    shiming_fuzz::wapi::formats_agree(&answer);
});
