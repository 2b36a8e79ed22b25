//! Fuzz target `profile`: see `p2s_sim::fuzzing::profile` (the regression replay in
//! `tests/it/regressions.rs` calls the same function).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = p2s_sim::fuzzing::profile("fuzz-input", data);
});
