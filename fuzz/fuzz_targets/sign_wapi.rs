//! wapi `sign`: the documented canonicalization, order independence, no secret shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming_fuzz::sign::WapiInput;

fuzz_target!(|input: WapiInput| {
    shiming_fuzz::sign::wapi_target(&input);
});
