//! Fuzz target `prefixes`: see `p2s_sim::fuzzing::prefixes` (the regression replay in
//! `tests/it/regressions.rs` calls the same function).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = p2s_sim::fuzzing::prefixes("fuzz-input", data);
});
