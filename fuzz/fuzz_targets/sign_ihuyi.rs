//! ihuyi dynamic and static passwords: the documented digest, no APIKEY shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_fuzz::sign::IhuyiInput;

fuzz_target!(|input: IhuyiInput| {
    shiming_fuzz::sign::ihuyi_target(&input);
});
