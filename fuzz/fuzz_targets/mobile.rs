//! Mobile parser: `check` agrees with `parse`, normalized numbers re-validate.
#![no_main]

use libfuzzer_sys::fuzz_target;
fuzz_target!(|data: &[u8]| {
    shiming_fuzz::numbers::mobile_target(data);
});
